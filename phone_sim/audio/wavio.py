"""WAV files in and out: PCM reading to mono floats, and 16-bit mono writing.

Owns the stdlib ``wave`` handling and its error messages, so the detector, the CLI and
the WAV recorder say the same thing about a bad file.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


class WavError(ValueError):
    """A file that cannot be read as a PCM WAV; the message says why."""


def as_floats(samples: npt.ArrayLike) -> Floats:
    """Samples as floats in [-1, 1]: integers are scaled from 16 bits, floats kept."""
    array = np.asarray(samples)
    if array.dtype.kind in "iu":
        return array.astype(np.float64) / 32768.0
    return array.astype(np.float64)


def read_wav(path: str | Path | BinaryIO) -> tuple[Floats, int]:
    """A PCM WAV file as mono floats in [-1, 1] and its rate; WavError when unreadable.

    ``path`` may be an open binary file, such as the WAV espeak-ng writes to stdout
    (whose header gives no length: what is there is read).
    """
    try:
        with wave.open(path if not isinstance(path, str | Path) else str(path), "rb") as wav:
            rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
            raw = wav.readframes(wav.getnframes())
    except FileNotFoundError:
        raise WavError("no such file") from None
    except IsADirectoryError:
        raise WavError("is a directory, not a WAV file") from None
    except PermissionError:
        raise WavError("permission denied") from None
    except (wave.Error, EOFError) as error:
        raise WavError(f"not a PCM WAV file ({str(error) or 'truncated'})") from None
    return pcm_to_floats(raw, width, channels), rate


def pcm_to_floats(raw: bytes, width: int, channels: int) -> Floats:
    """Little-endian PCM frames (8, 16, 24 or 32 bits) mixed down to mono floats."""
    if width == 1:
        values = (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128) / 128
    elif width in (2, 4):
        dtype = np.dtype(f"<i{width}")
        values = np.frombuffer(raw, dtype=dtype).astype(np.float64) / 2 ** (8 * width - 1)
    elif width == 3:
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = np.where(ints >= 1 << 23, ints - (1 << 24), ints) / float(1 << 23)
    else:
        raise WavError(f"unsupported sample width: {width} bytes")
    frames = len(values) // max(channels, 1)
    mono: Floats = values[: frames * channels].reshape(frames, channels).mean(axis=1)
    return mono


def write_wav(path: str | Path, samples: npt.NDArray[np.int16], rate: int) -> None:
    """A whole 16-bit mono WAV file at once."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
