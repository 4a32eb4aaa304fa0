"""``phone-sim``, ``--company``, ``play`` and ``serve`` on the command line; a company file
that does not load opens nothing and exits 2 with its file:line message."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_sim.cli import build_parser, main
from phone_sim.tui.app import PhoneSimApp

GUIDE = Path(__file__).parents[2] / "scenarios" / "guide"


@pytest.fixture
def opened(monkeypatch):
    """Apps the command line would open (their run() returns at once)."""
    apps: list[PhoneSimApp] = []

    def fake_run(self, *args, **kwargs):
        apps.append(self)
        self.store_when_run = self.store  # finish() closes them afterwards
        self.player_when_run = self.player
        return 0

    monkeypatch.setattr(PhoneSimApp, "run", fake_run)
    return apps


def test_a_broken_company_file_opens_nothing(tmp_path, opened, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nlines:\n  - {id: A, name: A, number: '0601'}\n")
    assert main(["--company", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3:" in err
    assert opened == []


def test_a_missing_company_file_opens_nothing(tmp_path, opened, capsys):
    assert main(["--company", str(tmp_path / "nowhere.yaml")]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err
    assert opened == []


def test_company_file_and_global_options_reach_the_app(tmp_path, opened):
    record = tmp_path / "rec.yaml"
    assert main(["--company", str(GUIDE / "company.yaml"), "--lang", "en", "--record", str(record),
                 "--sound", "null", "--data", str(tmp_path)]) == 0
    (app,) = opened
    assert "E" in app.live.net.parties and "MME_C" not in app.live.net.parties
    assert app.lang == "en" and app.record_to == record and app.sound.backend == "null"
    assert app.store is None  # a company file runs in memory


def test_without_a_company_the_stored_company_opens(tmp_path, opened):
    assert main(["--data", str(tmp_path), "--sound", "null"]) == 0
    (app,) = opened
    assert "MME_C" in app.live.net.parties and app.live.net.groups.groups["COM"].spec().name == "Com"
    assert app.store_when_run is not None and app.live.net is app._stored_net
    assert (tmp_path / "phone-sim.sqlite3").exists()
    assert app._notes  # the demo credentials, said once on first run
    assert app.store is None  # closed when the app ended
    opened.clear()
    assert main(["--data", str(tmp_path), "--sound", "null"]) == 0
    assert opened[0]._notes == []  # said once only


def test_play_a_broken_scenario_exits_2(tmp_path, opened, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncompany: {lines: []}\nsteps:\n  - dance: A\n")
    assert main(["play", str(bad)]) == 2
    assert f"{bad}:" in capsys.readouterr().err
    assert opened == []


def test_play_opens_the_player_on_the_scenarios_company(opened):
    assert main(["play", "--paused", str(GUIDE / "01-transfer-guide.yaml")]) == 0
    (app,) = opened
    player = app.player_when_run
    assert player is not None and player.paused
    assert player.scenario.name.startswith("Transfer a received call")
    assert player.session is app.live.session  # played on the network shown, from the start


def test_serve_options():
    args = build_parser().parse_args(["serve", "--port", "8123"])
    assert args.port == 8123 and args.host == "127.0.0.1"


@pytest.mark.parametrize("argv", [
    [], ["--lang", "en"], ["--company", "x.yaml", "--sound", "null"], ["--sip"], ["--sip", "127.0.0.1:5070"],
    ["--data", "d", "--record", "r.yaml", "--force"], ["--comp", "x.yaml"],
])
def test_the_tuis_options_read_alone_mean_what_the_whole_parser_says(argv):
    from phone_sim.cli import parse

    assert vars(parse(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["--lang", "de"], ["--bogus"], ["--sound"], ["--s", "x"]])
def test_a_bad_option_is_reported_by_the_whole_parser(argv, capsys):
    from phone_sim.cli import parse

    with pytest.raises(SystemExit) as exit_:
        parse(argv)
    assert exit_.value.code == 2
    assert "COMMAND" in capsys.readouterr().err  # the usage with the commands


def test_the_tui_does_not_import_the_commands_modules():
    import subprocess
    import sys

    code = ("import sys; from phone_sim.cli import parse; parse(['--lang', 'en']); "
            "print(sorted(m for m in sys.modules if m.endswith('.cli') or m.endswith('simulate')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['phone_sim.cli']"
    helped = subprocess.run([sys.executable, "-c", code.replace("['--lang', 'en']", "['-h']")],
                            capture_output=True, text=True).stdout
    assert all(command in helped for command in ("run", "play", "serve", "sip", "company"))  # -h: every command
