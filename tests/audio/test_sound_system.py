"""The sound system without sound: null backend, no PyAudio, no PortAudio, no device.

Each case must give one clear notice and no exception; the real-PortAudio cases run in a
child process whose ALSA configuration is a file in tmp_path, and check that nothing
from ALSA or JACK reaches the terminal.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from phone_sim.audio.backends import NullBackend, _LiveMix
from phone_sim.audio.commands import PlayKey, SetRinger, SetTone
from phone_sim.audio.device import AudioUnavailable, Stream, load_pyaudio
from phone_sim.audio.speech import Speech
from phone_sim.audio.system import SoundSystem
from phone_sim.network.events import EventBus, HandsetDidChange, KeyWasPressed

try:
    import pyaudio  # noqa: F401

    HAVE_PYAUDIO = True
except ImportError:
    HAVE_PYAUDIO = False

QUIET = Speech(8000, engine=None)


def use_all_of(sound: SoundSystem) -> None:
    """What the TUI does with a sound system, start to end."""
    bus = EventBus()
    sound.attach(bus, lambda party: "ringback", lambda party: True, ["A", "B"], now_ms=0)
    sound.select("B")
    sound.set_hear_all(True)
    sound.set_muted(True)
    bus.publish(KeyWasPressed(10, "A", "5"))
    bus.publish(HandsetDidChange(20, "B"))
    sound.close(end_ms=100)


def test_null_backend_is_silent_and_says_so() -> None:
    sound = SoundSystem("null", speech=QUIET)
    assert isinstance(sound.live, NullBackend) and sound.recorder is None
    assert sound.notice == "Son désactivé (--sound null)"
    assert sound.notice_in("en") == "Sound off (--sound null)"
    use_all_of(sound)


def test_an_unknown_backend_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown sound backend 'jack'"):
        SoundSystem("jack")


def failing_import(error: Exception):  # type: ignore[no-untyped-def]
    def importer(name: str) -> ModuleType:
        raise error

    return lambda rate, frames: Stream(rate, frames, pyaudio=load_pyaudio(importer))


@pytest.mark.parametrize(
    ("error", "code", "french"),
    [
        (
            ModuleNotFoundError("No module named 'pyaudio'", name="pyaudio"),
            "no_pyaudio",
            "Son désactivé : PyAudio n'est pas installé (pip install 'phone-sim[audio]')",
        ),
        (
            ImportError("libportaudio.so.2: cannot open shared object file: No such file or directory"),
            "no_portaudio",
            "Son désactivé : aucun périphérique audio (PortAudio introuvable)",
        ),
    ],
    ids=["no-pyaudio", "no-portaudio"],
)
def test_missing_pyaudio_or_portaudio_gives_a_notice(error: Exception, code: str, french: str) -> None:
    sound = SoundSystem("auto", speech=QUIET, open_stream=failing_import(error))
    assert isinstance(sound.live, NullBackend)
    assert (sound.notice_code, sound.notice) == (code, french)
    assert "\n" not in (sound.notice_in("en") or "\n")
    use_all_of(sound)


def test_a_device_lost_while_playing_gives_a_notice() -> None:
    class Vanishing:
        def write(self, pcm: bytes) -> None:
            raise OSError("[Errno -9981] Input overflowed")

        def close(self) -> None:
            pass

    sound = SoundSystem("pyaudio", rate=8000, speech=QUIET, open_stream=lambda rate, frames: Vanishing())
    sound.wait_idle(5)
    assert sound.notice_code == "device_lost"
    assert (
        sound.notice_in("en") == "Sound stopped: the audio device went away ([Errno -9981] Input overflowed)"
    )
    use_all_of(sound)


def test_live_mix_plays_the_selected_handset_all_of_them_or_nothing() -> None:
    mix = _LiveMix(8000)
    mix.mixer.apply(SetTone(0, "A", "dial"))
    mix.mixer.apply(SetRinger(0, "B", True))
    mix.mixer.apply(PlayKey(0, "C", "1"))
    mix.selected = "A"
    dial = mix.render(800)
    assert np.abs(dial).max() == pytest.approx(0.3, abs=0.01)  # the dial tone only
    mix.hear_all = True
    everything = mix.render(800)
    assert np.abs(everything).max() > 0.5
    mix.muted = True
    assert not mix.render(800).any()
    mix.muted, mix.hear_all, mix.selected = False, False, "nobody"
    assert not mix.render(800).any()


def run_child(script: str, alsa_config: Path) -> subprocess.CompletedProcess[str]:
    env = {"ALSA_CONFIG_PATH": str(alsa_config), "PATH": "/usr/bin:/bin", "HOME": str(alsa_config.parent)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env, timeout=60
    )


SHOW_NOTICE = """
    from phone_sim.audio.system import SoundSystem
    sound = SoundSystem("auto")
    print(sound.notice_code)
    print(sound.notice)
    sound.attach(__import__("phone_sim.network.events").network.events.EventBus(),
                 lambda p: "dial", lambda p: False, ["A"])
    sound.close()
"""


@pytest.mark.skipif(not HAVE_PYAUDIO, reason="PyAudio is not installed")
def test_no_output_device_is_a_notice_and_nothing_on_stderr(tmp_path: Path) -> None:
    config = tmp_path / "asound.conf"
    config.write_text("pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n")
    child = run_child(SHOW_NOTICE, config)
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[0] in ("no_device", "device_error")
    assert child.stdout.splitlines()[1].startswith("Son désactivé : ")
    assert child.stderr == ""  # no "ALSA lib ...", no "jack server is not running"


@pytest.mark.skipif(not HAVE_PYAUDIO, reason="PyAudio is not installed")
def test_portaudio_aborting_on_a_broken_alsa_setup_does_not_crash_us(tmp_path: Path) -> None:
    config = tmp_path / "asound.conf"
    config.write_text("")  # PortAudio's device scan asserts and aborts on this one
    child = run_child(SHOW_NOTICE, config)
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[0] == "device_error"
    assert child.stderr == ""


def test_pyaudio_hidden_in_a_real_process_gives_the_notice(tmp_path: Path) -> None:
    script = "import sys\nsys.modules['pyaudio'] = None\n" + textwrap.dedent(SHOW_NOTICE)
    child = run_child(script, tmp_path / "unused.conf")
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[:2] == [
        "no_pyaudio",
        "Son désactivé : PyAudio n'est pas installé (pip install 'phone-sim[audio]')",
    ]


def test_audio_unavailable_carries_its_code() -> None:
    problem = AudioUnavailable("no_microphone", "[Errno -9996] Invalid input device")
    assert (problem.code, problem.detail) == ("no_microphone", "[Errno -9996] Invalid input device")
    assert problem.notice() == "Micro indisponible : aucun périphérique d'entrée audio"
    assert problem.notice("en") == "No microphone: no audio input device"


@pytest.mark.skipif(not HAVE_PYAUDIO, reason="PyAudio is not installed")
def test_portaudio_started_in_process_keeps_alsa_and_jack_quiet(tmp_path: Path) -> None:
    # without the child-process probe: PortAudio itself starts here, and JACK and ALSA
    # would print to the terminal but for the silenced descriptor and ALSA handler
    config = tmp_path / "asound.conf"
    config.write_text("pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n")
    script = """
        import pyaudio
        from phone_sim.audio.device import AudioUnavailable, Stream
        try:
            Stream(16000, 320, pyaudio=pyaudio)
        except AudioUnavailable as problem:
            print(problem.code)
    """
    child = run_child(script, config)
    assert (child.returncode, child.stdout, child.stderr) == (0, "no_device\n", "")
