"""End to end through the real PortAudio path, with ALSA writing to and reading from files.

A child process gets ``ALSA_CONFIG_PATH`` pointing at a configuration in tmp_path (it must
be set before PortAudio starts, and the developer's own ALSA set-up is never read):

- playback: the default PCM is ALSA's ``file`` plugin over a ``null`` device, so what
  PortAudio plays lands in a raw file. A handset keys digits through the listener and
  the live player; ``multimon-ng`` (not our decoder) must hear the same digits.
- capture: the same plugin's ``infile`` feeds our DTMF tones to the microphone source.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from phone_sim.audio import tones

try:
    import pyaudio  # noqa: F401

    HAVE_PYAUDIO = True
except ImportError:
    HAVE_PYAUDIO = False

needs_pyaudio = pytest.mark.skipif(
    not HAVE_PYAUDIO, reason="PyAudio is not installed: no PortAudio path to test"
)
KEYS = "0601*#59"


def file_pcm(tmp_path: Path, out: Path, infile: Path | None = None) -> Path:
    config = tmp_path / "asound.conf"
    capture = f'\n    infile "{infile}"' if infile else ""
    config.write_text(
        "pcm.!default {\n"
        "    type file\n"
        "    slave.pcm { type null }\n"
        f'    file "{out}"{capture}\n'
        '    format "raw"\n'
        "}\n"
    )
    return config


def run_child(script: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = {"ALSA_CONFIG_PATH": str(config), "PATH": "/usr/bin:/bin", "HOME": str(config.parent)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env, timeout=60
    )


KEY_PRESSES = f"""
    from phone_sim.audio.system import SoundSystem
    from phone_sim.network.events import EventBus, KeyWasPressed
    sound = SoundSystem("pyaudio", rate=16000, lang="fr")
    print(sound.notice_code)
    bus = EventBus()
    sound.attach(bus, lambda party: "none", lambda party: False, ["A", "B"])
    sound.select("A")
    for i, key in enumerate({KEYS!r}):
        bus.publish(KeyWasPressed(100 * i, "A", key))
    bus.publish(KeyWasPressed(0, "B", "9"))  # B is not selected: not heard
    print(sound.wait_idle(20))
    sound.close()
"""


@needs_pyaudio
@pytest.mark.skipif(shutil.which("multimon-ng") is None, reason="multimon-ng is not installed")
@pytest.mark.skipif(
    shutil.which("sox") is None, reason="sox is not installed: needed to resample for multimon-ng"
)
def test_keys_played_through_pyaudio_are_heard_by_multimon(tmp_path: Path) -> None:
    raw = tmp_path / "played.raw"
    child = run_child(KEY_PRESSES, file_pcm(tmp_path, raw))
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["None", "True"]
    assert child.stderr == ""  # neither ALSA nor JACK reached the terminal
    resampled = tmp_path / "played-22050.raw"
    subprocess.run(
        ["sox", "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", str(raw),
         "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", str(resampled)],
        check=True,
    )  # fmt: skip
    decoded = subprocess.run(
        ["multimon-ng", "-q", "-a", "DTMF", "-t", "raw", str(resampled)],
        capture_output=True,
        text=True,
        check=True,
    )
    digits = [
        line.split(":", 1)[1].strip() for line in decoded.stdout.splitlines() if line.startswith("DTMF:")
    ]
    assert "".join(digits) == KEYS


MICROPHONE = """
    import threading
    from phone_sim.audio.keysource import dtmf_key_source
    stop = threading.Event()
    heard = []
    for time_ms, key in dtmf_key_source("mic", stop):
        heard.append(key)
        print(time_ms, key)
        if len(heard) == {count}:
            stop.set()
"""


@needs_pyaudio
def test_keys_from_the_microphone(tmp_path: Path) -> None:
    spoken = tmp_path / "mic.raw"
    spoken.write_bytes(tones.dtmf_sequence("7#3", 80, 80, 8000).astype("<i2").tobytes())
    config = file_pcm(tmp_path, Path("/dev/null"), infile=spoken)
    child = run_child(MICROPHONE.format(count=3), config)
    assert child.returncode == 0, child.stderr
    lines = [line.split() for line in child.stdout.splitlines()]
    assert [key for _, key in lines] == ["7", "#", "3"]
    assert [int(ms) for ms, _ in lines] == [pytest.approx(160 * i, abs=2) for i in range(3)]
    assert child.stderr == ""
