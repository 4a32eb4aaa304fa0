"""The WAV recorder follows virtual time: a session replayed in milliseconds gives files
as long as the virtual session, with each tone's cadence where the events put it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from sound_helpers import peak_frequencies, window_levels

from phone_sim.audio.dtmf import decode_wav, dtmf_keys_from_wav
from phone_sim.audio.speech import Speech
from phone_sim.audio.system import SoundSystem
from phone_sim.audio.wavio import read_wav
from phone_sim.network.events import Announcement, EventBus, HandsetDidChange, KeyWasPressed

ON = 0.05


class Phones:
    def __init__(self) -> None:
        self.tone = {"A": "none", "B": "none", "C": "none"}
        self.ringing = {"A": False, "B": False, "C": False}


def session(tmp_path: Path, speech: Speech | None = None) -> tuple[SoundSystem, EventBus, Phones]:
    sound = SoundSystem("wav", record_dir=tmp_path, rate=16000, speech=speech or Speech(16000, engine=None))
    bus, phones = EventBus(), Phones()
    sound.attach(bus, phones.tone.__getitem__, phones.ringing.__getitem__, ["A", "B", "C"])
    return sound, bus, phones


def levels(path: Path) -> np.ndarray:
    samples, rate = read_wav(path)
    assert rate == 16000
    return window_levels((samples * 32767).astype(np.int16), rate, 100)


def test_thirty_virtual_seconds_of_ringback(tmp_path: Path) -> None:
    sound, bus, phones = session(tmp_path)
    phones.tone["A"] = "ringback"
    bus.publish(HandsetDidChange(2000, "A"))  # A dials at 2 s
    phones.tone["A"] = "none"
    bus.publish(HandsetDidChange(27000, "A"))  # and gives up at 27 s
    sound.close(end_ms=30_000)
    assert sound.notice == f"Son enregistré en WAV dans {tmp_path} (pas de lecture)"
    for party in "ABC":
        samples, rate = read_wav(tmp_path / f"{party}.wav")
        assert len(samples) == 30 * rate
    sounding = levels(tmp_path / "A.wav") > ON
    # 1.5 s on / 3.5 s off from 2 s to 27 s, silence before and after
    expected = [2000 <= ms < 27000 and (ms - 2000) % 5000 < 1500 for ms in range(0, 30_000, 100)]
    assert sounding.tolist() == expected
    assert not (levels(tmp_path / "B.wav") > ON).any()


def test_keys_ringer_and_busy_land_on_their_handsets(tmp_path: Path) -> None:
    sound, bus, phones = session(tmp_path)
    for i, key in enumerate("0601"):
        bus.publish(KeyWasPressed(1000 + 300 * i, "B", key))
    phones.ringing["C"] = True
    bus.publish(HandsetDidChange(3000, "C"))
    phones.ringing["C"], phones.tone["B"] = False, "busy"
    bus.publish(HandsetDidChange(9000, "C"))
    bus.publish(HandsetDidChange(9000, "B"))
    sound.close(end_ms=12_000)
    assert [(ms, key) for ms, key in dtmf_keys_from_wav(tmp_path / "B.wav")] == [
        (pytest.approx(1000 + 300 * i, abs=2), key) for i, key in enumerate("0601")
    ]
    busy = levels(tmp_path / "B.wav")[90:120] > ON
    assert busy.tolist() == [(i // 5) % 2 == 0 for i in range(30)]  # 0.5 s on, 0.5 s off
    ringer = levels(tmp_path / "C.wav") > ON
    assert not ringer[:30].any() and ringer[30:34].all() and not ringer[90:].any()
    assert decode_wav(tmp_path / "C.wav") == ""


def test_keys_pressed_at_one_instant_are_spaced_so_they_stay_keys(tmp_path: Path) -> None:
    sound, bus, _ = session(tmp_path)
    for key in "123#":
        bus.publish(KeyWasPressed(500, "A", key))  # a scenario step dials all at once
    sound.close()
    assert decode_wav(tmp_path / "A.wav") == "123#"


def test_an_announcement_without_speech_is_the_special_information_tone(tmp_path: Path) -> None:
    sound, bus, _ = session(tmp_path)
    bus.publish(Announcement(4000, "C", "number_not_allocated", "Numéro non attribué", "Not allocated"))
    sound.close(end_ms=6000)
    samples, rate = read_wav(tmp_path / "C.wav")
    pcm = (samples * 32767).astype(np.int16)
    at = 4 * rate
    assert not pcm[:at].any()
    notes = [
        peak_frequencies(pcm[at + i * rate * 33 // 100 : at + (i + 1) * rate * 33 // 100], rate, 1)[0]
        for i in range(3)
    ]
    assert notes == [pytest.approx(f, abs=5) for f in (950, 1400, 1800)]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_an_announcement_is_spoken_with_espeak(tmp_path: Path) -> None:
    sound, bus, _ = session(tmp_path, Speech(16000, "fr"))
    bus.publish(Announcement(1000, "A", "busy", "Votre correspondant est occupé", "Busy"))
    sound.close(end_ms=5000)
    sounding = levels(tmp_path / "A.wav") > 0.01
    assert not sounding[:10].any() and sounding[10:20].sum() >= 5
    samples, rate = read_wav(tmp_path / "A.wav")
    spectrum_peaks = peak_frequencies((samples[rate : 2 * rate] * 32767).astype(np.int16), rate, 3)
    assert not all(abs(p - f) < 10 for p, f in zip(spectrum_peaks, (950, 1400, 1800), strict=True))


def test_a_directory_that_cannot_be_made_gives_a_notice(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    sound = SoundSystem("wav", record_dir=blocker / "wav", speech=Speech(16000, engine=None))
    assert sound.notice_code == "record_error"
    assert sound.notice is not None and sound.notice.startswith("Enregistrement WAV impossible : ")
    sound.attach(EventBus(), lambda p: "busy", lambda p: False, ["A"])
    sound.close()


def test_wav_backend_without_a_directory_records_into_phone_sim_audio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sound = SoundSystem("wav", speech=Speech(16000, engine=None))
    sound.attach(EventBus(), lambda p: "dial", lambda p: False, ["A"])
    sound.close(end_ms=1000)
    assert sound.notice_in("en") == "Sound recorded as WAV in phone-sim-audio (not played)"
    samples, rate = read_wav(tmp_path / "phone-sim-audio" / "A.wav")
    assert len(samples) == rate
