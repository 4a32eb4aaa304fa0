"""G.711 (PCMU, PCMA) over whole frames: one numpy lookup per frame each way.

The tables are aiortp's own codecs applied once to every possible value (all 65,536
16-bit samples, all 256 code bytes), so the bytes are exactly aiortp's; what we save is
the per-frame conversions (int16 array -> bytes -> array -> bytes). A frame of silence
(most frames of a quiet or held call) is encoded once per codec.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from aiortp.codecs import get_codec

PCMU, PCMA = 0, 8
Pcm = npt.NDArray[np.int16]


def _tables(payload_type: int) -> tuple[npt.NDArray[np.uint8], Pcm]:
    codec = get_codec(payload_type)
    every_sample = np.arange(-32768, 32768, dtype="<i2")
    by_value = np.frombuffer(codec.encode(every_sample.tobytes()), dtype=np.uint8)
    # indexed by the sample's bits read as an unsigned 16-bit number: 0..32767 are the
    # non-negative samples, 32768..65535 the negative ones
    encode = np.ascontiguousarray(np.concatenate([by_value[32768:], by_value[:32768]]))
    decode = np.frombuffer(codec.decode(bytes(range(256))), dtype="<i2").astype(np.int16)
    return encode, decode


_ENCODE: dict[int, npt.NDArray[np.uint8]] = {}
_DECODE: dict[int, Pcm] = {}
_SILENT: dict[tuple[int, int], bytes] = {}
for _pt in (PCMU, PCMA):
    _ENCODE[_pt], _DECODE[_pt] = _tables(_pt)


def encode(payload_type: int, samples: Pcm) -> bytes:
    """One frame of int16 samples as G.711 bytes (``payload_type`` PCMU or PCMA)."""
    if not samples.any():
        silent = _SILENT.get((payload_type, len(samples)))
        if silent is None:
            silent = _SILENT[(payload_type, len(samples))] = _ENCODE[payload_type][0:1].tobytes() * len(samples)
        return silent
    return _ENCODE[payload_type].take(np.ascontiguousarray(samples, dtype=np.int16).view(np.uint16)).tobytes()


def decode(payload_type: int, payload: bytes) -> Pcm:
    """G.711 bytes as int16 samples."""
    return _DECODE[payload_type].take(np.frombuffer(payload, dtype=np.uint8))
