"""Sound on the real network: the demo company, handsets keyed, a clock advanced in
virtual time; the WAV files tell what each handset heard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from sound_helpers import window_levels

from phone_sim.audio.dtmf import dtmf_keys_from_wav
from phone_sim.audio.speech import Speech
from phone_sim.audio.system import SoundSystem
from phone_sim.audio.wavio import read_wav
from phone_sim.handset.handset import Handset
from phone_sim.network.switch import Network
from phone_sim.scenario.companyfile import company_from_data

DEMO = Path(__file__).parents[2] / "phone_sim" / "data" / "demo_company.yaml"


def sounding(path: Path) -> list[bool]:
    samples, rate = read_wav(path)
    return (window_levels((samples * 32767).astype(np.int16), rate, 100) > 0.05).tolist()


def test_a_call_rings_back_rings_and_a_wrong_number_is_announced(tmp_path: Path) -> None:
    net = Network(company_from_data(yaml.safe_load(DEMO.read_text(encoding="utf-8"))))
    phones = {party: Handset(net, party) for party in ("A", "C", "D")}
    sound = SoundSystem("wav", record_dir=tmp_path, speech=Speech(16000, engine=None))
    sound.attach(net.bus, net.tone, net.ringing, list(phones), now_ms=net.now)

    net.clock.advance(1000)
    for key in "303":  # A calls C by short number
        phones["A"].press(key)
        net.clock.advance(200)
    phones["A"].press("call")  # at 1.6 s
    net.clock.advance(20_000)
    phones["A"].press("end")  # at 21.6 s
    for key in "0999999999":
        phones["D"].press(key)
    phones["D"].press("call")  # not allocated: announced at 21.6 s
    net.clock.advance(8400)
    sound.close(end_ms=net.now)

    assert [key for _, key in dtmf_keys_from_wav(tmp_path / "A.wav")] == ["3", "0", "3"]
    ringback = sounding(tmp_path / "A.wav")
    assert len(ringback) == 300  # 30 virtual seconds
    assert ringback[16:31] == [True] * 15 and ringback[31:66] == [False] * 35  # 1.5 s on, 3.5 s off
    assert ringback[66:81] == [True] * 15 and not any(ringback[217:])
    ringer = sounding(tmp_path / "C.wav")
    assert ringer[16:20] == [True] * 4 and not any(ringer[:16]) and not any(ringer[217:])
    assert [key for _, key in dtmf_keys_from_wav(tmp_path / "D.wav")] == list("0999999999")
    announcement = sounding(tmp_path / "D.wav")
    # after the ten key tones (1.7 s from 21.6 s), the special information tone (0.99 s)
    assert announcement[233:242] == [True] * 9 and not any(announcement[244:])
    assert sound.notice_code == "wav_only"


@pytest.mark.parametrize("party", ["A", "C", "D"])
def test_every_attached_handset_gets_a_file_even_when_silent(tmp_path: Path, party: str) -> None:
    net = Network(company_from_data(yaml.safe_load(DEMO.read_text(encoding="utf-8"))))
    sound = SoundSystem("wav", record_dir=tmp_path, speech=Speech(16000, engine=None))
    sound.attach(net.bus, net.tone, net.ringing, ["A", "C", "D"], now_ms=net.now)
    net.clock.advance(5000)
    sound.close(end_ms=net.now)
    samples, rate = read_wav(tmp_path / f"{party}.wav")
    assert len(samples) == 5 * rate and not samples.any()
