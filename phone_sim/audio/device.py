"""PortAudio through PyAudio, opened quietly: the one module that touches an audio device.

Owns loading PyAudio, opening output and input streams, and keeping PortAudio's own
chatter off the terminal: ALSA reports through ``snd_lib_error_set_handler`` (replaced
by a handler that says nothing) and JACK prints straight to file descriptor 2, which is
pointed at /dev/null while PortAudio starts, opens or closes a stream. Every failure
becomes ``AudioUnavailable`` with a notice code (see ``notices``).

PortAudio can also abort the whole process on an odd ALSA set-up (an assertion in its
device scan) or hang on a stuck sound server, so a child process tries first
(``probe``): only if it finds a device does this process start PortAudio.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Lock
from types import ModuleType
from typing import Any

from phone_sim.audio.notices import notice_text

_ALSA_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_alsa_handler: Any = None  # kept referenced: ALSA calls it for the life of the process
_stderr_lock = Lock()


class AudioUnavailable(Exception):
    """No sound: ``code`` names the notice to show, ``detail`` what PortAudio said."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    def notice(self, lang: str = "fr") -> str:
        """The one-line notice to show for this problem."""
        return notice_text(self.code, lang, self.detail)


def silence_alsa() -> bool:
    """Replace ALSA's error printer with a silent one, once; False without libasound."""
    global _alsa_handler
    if _alsa_handler is not None:
        return True
    name = ctypes.util.find_library("asound")
    if name is None:
        return False
    try:
        library = ctypes.CDLL(name)
        handler = _ALSA_HANDLER_TYPE(lambda *_: None)
        library.snd_lib_error_set_handler(handler)
    except (OSError, AttributeError):
        return False
    _alsa_handler = handler
    return True


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (C libraries write there)."""
    with _stderr_lock:
        sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no descriptor 2 at all: nothing to hide it from
            yield
            return
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 2)
            finally:
                os.close(null)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def load_pyaudio(importer: Callable[[str], ModuleType] = importlib.import_module) -> ModuleType:
    """The pyaudio module, or AudioUnavailable("no_pyaudio" | "no_portaudio")."""
    try:
        return importer("pyaudio")
    except ModuleNotFoundError as error:
        if error.name == "pyaudio":
            raise AudioUnavailable("no_pyaudio") from None
        raise AudioUnavailable("no_portaudio", str(error)) from None
    except (ImportError, OSError) as error:  # libportaudio.so.2 missing or broken
        raise AudioUnavailable("no_portaudio", str(error)) from None


PROBE_TIMEOUT_S = 8.0
_PROBE = """
import sys
try:
    import pyaudio
except ModuleNotFoundError as error:
    print("no_pyaudio" if error.name == "pyaudio" else "no_portaudio")
    raise SystemExit
except Exception:
    print("no_portaudio")
    raise SystemExit
audio = pyaudio.PyAudio()
try:
    if sys.argv[1] == "output":
        audio.get_default_output_device_info()
    else:
        audio.get_default_input_device_info()
except Exception:
    print("no_device" if sys.argv[1] == "output" else "no_microphone")
    raise SystemExit
print("ok")
"""


def probe(output: bool = True, timeout_s: float = PROBE_TIMEOUT_S) -> AudioUnavailable | None:
    """Start PortAudio in a child process: None if it found a device, else why not."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, "output" if output else "input"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout_s,
            env={**os.environ, "JACK_NO_START_SERVER": "1"},
        )
    except subprocess.TimeoutExpired:
        return AudioUnavailable("device_error", f"PortAudio did not answer in {timeout_s:.0f} s")
    except OSError as error:
        return AudioUnavailable("device_error", str(error))
    answer = done.stdout.strip().splitlines()[-1:] or [""]
    if done.returncode == 0 and answer[0] == "ok":
        return None
    if done.returncode == 0 and answer[0]:
        return AudioUnavailable(answer[0])
    if done.returncode < 0:
        return AudioUnavailable(
            "device_error", f"PortAudio crashed looking for devices (signal {-done.returncode})"
        )
    return AudioUnavailable(
        "device_error", f"PortAudio failed looking for devices (status {done.returncode})"
    )


class Stream:
    """A 16-bit mono PortAudio stream, output or input, opened quietly.

    ``pyaudio`` replaces the real module (tests); the child-process probe runs only for
    the real one.
    """

    def __init__(
        self, rate: int, frames: int, output: bool = True, pyaudio: ModuleType | None = None
    ) -> None:
        if pyaudio is None:
            module = load_pyaudio()
            problem = probe(output)
            if problem is not None:
                raise problem
        else:
            module = pyaudio
        silence_alsa()
        os.environ.setdefault("JACK_NO_START_SERVER", "1")  # never start a JACK server
        with quiet_stderr():
            try:
                self._portaudio = module.PyAudio()
            except Exception as error:
                raise AudioUnavailable("no_portaudio", str(error)) from None
            try:
                self._stream = self._open(module, rate, frames, output)
            except AudioUnavailable:
                self._portaudio.terminate()
                raise

    def _open(self, module: ModuleType, rate: int, frames: int, output: bool) -> Any:
        try:
            if output:
                self._portaudio.get_default_output_device_info()
            else:
                self._portaudio.get_default_input_device_info()
        except OSError as error:
            raise AudioUnavailable("no_device" if output else "no_microphone", str(error)) from None
        try:
            return self._portaudio.open(
                format=module.paInt16,
                channels=1,
                rate=rate,
                output=output,
                input=not output,
                frames_per_buffer=frames,
            )
        except Exception as error:
            raise AudioUnavailable("device_error", str(error)) from None

    def write(self, pcm: bytes) -> None:
        """Play 16-bit samples; blocks while the device buffer is full."""
        self._stream.write(pcm)

    def read(self, frames: int) -> bytes:
        """Record ``frames`` samples; an overflow loses samples rather than failing."""
        data: bytes = self._stream.read(frames, exception_on_overflow=False)
        return data

    def close(self) -> None:
        with quiet_stderr():
            try:
                self._stream.stop_stream()
                self._stream.close()
            except Exception:  # a device that vanished cannot be closed cleanly
                pass
            self._portaudio.terminate()
