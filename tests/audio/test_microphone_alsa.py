"""The microphone through the real PortAudio path: ALSA's ``file`` plugin reads a WAV of
speech (made by espeak-ng) as the microphone of Monsieur A, in a call with Monsieur C;
C's recording holds that speech, A's does not (nobody hears themself)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from phone_sim.audio.speech import resample
from phone_sim.audio.wavio import read_wav

try:
    import pyaudio  # noqa: F401

    HAVE_PYAUDIO = True
except ImportError:
    HAVE_PYAUDIO = False

RATE = 16000
CHILD = """
    import sys
    from pathlib import Path
    import yaml
    from phone_sim.audio.microphone import Microphone
    from phone_sim.audio.speech import Speech
    from phone_sim.audio.system import SoundSystem
    from phone_sim.handset.handset import Handset
    from phone_sim.network.switch import Network
    from phone_sim.scenario.companyfile import company_from_data

    demo = Path({demo!r})
    net = Network(company_from_data(yaml.safe_load(demo.read_text(encoding="utf-8"))))
    a, c = Handset(net, "A"), Handset(net, "C")
    sound = SoundSystem("wav", record_dir={out!r}, rate=16000, speech=Speech(16000, engine=None))
    sound.attach(net.bus, net.tone, net.ringing, list(net.parties), now_ms=net.now,
                 hears_of=lambda party: net.hears(party).voices, watch=net.media.watch)
    a.press_all(list("303") + ["call"])
    c.press("call")
    net.clock.advance(1000)
    chunks = {chunks}

    def deliver(samples, rate):  # virtual time runs with the voice, 20 ms a chunk
        sound.feed("A", samples, rate, time_ms=net.now)
        net.clock.advance(20)
        if mic.chunks + 1 >= chunks:
            mic.stop(0)

    net.speak("A", "mic")
    mic = Microphone(deliver, rate=16000, paced=False).start()
    mic._thread.join(30)
    net.stop_speaking("A", "mic")
    net.clock.advance(500)
    sound.close(end_ms=net.now)
    print(mic.error, mic.chunks)
"""


def alsa_config(tmp_path: Path, infile: Path) -> Path:
    config = tmp_path / "asound.conf"
    config.write_text(
        "pcm.!default {\n    type file\n    slave.pcm { type null }\n"
        f'    file "/dev/null"\n    infile "{infile}"\n    format "raw"\n}}\n'
    )
    return config


@pytest.mark.skipif(not HAVE_PYAUDIO, reason="PyAudio is not installed: no PortAudio path to test")
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_speech_into_a_s_microphone_is_in_c_s_recording(tmp_path: Path) -> None:
    spoken = subprocess.run(["espeak-ng", "-v", "fr", "--stdout", "Allô Monsieur C, ici Monsieur A."],
                            capture_output=True, check=True).stdout
    speech, rate = read_wav(io.BytesIO(spoken))
    speech = resample(speech, rate, RATE)
    speech = 0.5 * speech / np.abs(speech).max()
    chunks = len(speech) // 320
    speech = speech[: chunks * 320]
    infile = tmp_path / "speech.raw"
    infile.write_bytes((speech * 32767).astype("<i2").tobytes())
    out = tmp_path / "wav"
    demo = Path(__file__).parents[2] / "phone_sim" / "data" / "demo_company.yaml"
    script = textwrap.dedent(CHILD.format(demo=str(demo), out=str(out), chunks=chunks))
    env = {"ALSA_CONFIG_PATH": str(alsa_config(tmp_path, infile)), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["None", str(chunks)]
    assert child.stderr == ""  # neither ALSA nor JACK reached the terminal

    heard_by_c, _ = read_wav(out / "C.wav")
    heard_by_a, _ = read_wav(out / "A.wav")
    start = RATE  # the voice starts when the microphone did, one second into the call
    said = heard_by_c[start : start + len(speech)]
    assert len(said) == len(speech)
    similarity = float(np.dot(said, speech) / (np.linalg.norm(said) * np.linalg.norm(speech)))
    assert similarity > 0.95, similarity  # the same speech, at the same instant
    assert np.abs(said).max() == pytest.approx(0.5, abs=0.02)  # at its own level
    assert np.abs(heard_by_a[start:]).max() < 0.01
