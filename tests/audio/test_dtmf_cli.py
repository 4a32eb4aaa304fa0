"""``phone-sim dtmf decode FILE.wav``: digits on stdout, exit 0; exit 2 on a bad file."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from phone_sim.audio import cli, tones
from phone_sim.audio.wavio import write_wav


@pytest.fixture
def keys_wav(tmp_path: Path) -> Path:
    path = tmp_path / "keys.wav"
    write_wav(path, tones.dtmf_sequence("0601*#", 80, 80, 16000), 16000)
    return path


def test_decode_prints_the_keys(keys_wav: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["dtmf", "decode", str(keys_wav)]) == 0
    assert capsys.readouterr().out == "0601*#\n"


def test_decode_with_times(keys_wav: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["dtmf", "decode", "--times", str(keys_wav)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1] for line in lines] == list("0601*#")
    assert [int(line.split("\t")[0]) for line in lines] == [pytest.approx(160 * i, abs=2) for i in range(6)]


@pytest.mark.parametrize("content", [None, b"", b"RIFF....WAVEjunk"], ids=["missing", "empty", "garbage"])
def test_a_bad_file_exits_2_naming_the_file(
    tmp_path: Path, content: bytes | None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.wav"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["dtmf", "decode", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}: ") and captured.err.count("\n") == 1


def test_add_commands_plugs_into_another_parser(keys_wav: Path) -> None:
    parser = argparse.ArgumentParser(prog="phone-sim")
    cli.add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["dtmf", "decode", str(keys_wav)])
    assert args.handler is cli.run_decode and args.file == keys_wav


def test_runs_as_a_module(keys_wav: Path, tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "phone_sim.audio.cli", "dtmf", "decode", str(keys_wav)],
        capture_output=True,
        text=True,
    )
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "0601*#\n", "")
    missing = tmp_path / "nope.wav"
    bad = subprocess.run(
        [sys.executable, "-m", "phone_sim.audio.cli", "dtmf", "decode", str(missing)],
        capture_output=True,
        text=True,
    )
    assert (bad.returncode, bad.stdout, bad.stderr) == (2, "", f"{missing}: no such file\n")
