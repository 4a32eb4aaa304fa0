"""Files phone-sim writes are the user's alone, whatever the umask: folders 0700, files
0600; recordings never follow a symbolic link and never replace a file unless forced."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from phone_sim.files import create_private, replace_private, write_private
from phone_sim.network.clock import Clock
from phone_sim.network.switch import Network
from phone_sim.scenario.recorder import Recorder
from phone_sim.scenario.runner import Session
from phone_sim.store.store import Store, demo_company
from phone_sim.tui.errors import ErrorLog


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The worst umask: everything would be world-writable."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_data_folder_and_database_are_private(tmp_path: Path, open_umask: None) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    try:
        net = store.build_network()
        assert net.portal.execute("manager", "set_forwarding",
                                  {"line": "A", "type": "busy", "to": "0601020303"}) is None
        assert mode(data) == 0o700
        files = sorted(p.name for p in data.iterdir())
        assert "phone-sim.sqlite3" in files
        for path in data.iterdir():
            assert mode(path) == 0o600, (path.name, oct(mode(path)))
    finally:
        store.close()


def test_an_existing_data_folder_and_database_are_made_private(tmp_path: Path) -> None:
    data = tmp_path / "old"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    Store.open(data).close()
    os.chmod(data / "phone-sim.sqlite3", 0o644)
    Store.open(data).close()
    assert mode(data) == 0o700 and mode(data / "phone-sim.sqlite3") == 0o600


def test_ls_on_the_data_folder_shows_nothing_world_readable(tmp_path: Path) -> None:
    """As the issue says it: after a real session (CLI, with umask 000)."""
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    for argv in (["company", "export", str(tmp_path / "out.yaml")], ["account", "list"],
                 ["lessons", "report"]):
        subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0); from phone_sim.cli import main; "
                        "sys.exit(main(sys.argv[1:]))", "--data", str(data), *argv],
                       check=True, capture_output=True, env=env, timeout=120)
    listing = subprocess.run(["ls", "-la", str(data)], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines()[1:]:
        permissions, name = line.split()[0], line.split()[-1]
        if name in (".", ".."):
            continue
        assert permissions[4:] == "------", line
    assert mode(tmp_path / "out.yaml") == 0o600


def test_the_error_log_is_private(tmp_path: Path, open_umask: None) -> None:
    log = ErrorLog(tmp_path / "logs" / "tui-errors.log")
    log.log(RuntimeError("boom"))
    assert mode(tmp_path / "logs") == 0o700 and mode(tmp_path / "logs" / "tui-errors.log") == 0o600


def recorder() -> Recorder:
    return Recorder(Session(Network(demo_company(), Clock())), name="private")


def test_a_recording_is_private_and_never_replaces_a_file(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "new" / "session.yaml"
    first = recorder()
    first.save(target)
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    first.checkpoint()
    first.save(target)  # later saves replace our own file
    assert mode(target) == 0o600 and "expect" in target.read_text()
    with pytest.raises(FileExistsError):
        recorder().save(target)  # someone else's (or an older) file: not without force
    recorder().save(target, force=True)
    assert mode(target) == 0o600


def test_a_recording_never_follows_a_symbolic_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "session.yaml"
    link.symlink_to(victim)
    for force in (False, True):
        with pytest.raises(OSError):
            recorder().save(link, force=force)
    assert victim.read_text() == "precious"
    # a link swapped in after the first save is replaced, not written through
    target = tmp_path / "mine.yaml"
    first = recorder()
    first.save(target)
    target.unlink()
    target.symlink_to(victim)
    first.save(target)
    assert victim.read_text() == "precious" and not target.is_symlink()


def test_create_private_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(OSError):
        create_private(tmp_path / "fifo", force=True)
    write_private(tmp_path / "a.txt", "one")
    replace_private(tmp_path / "a.txt", "two")
    assert (tmp_path / "a.txt").read_text() == "two" and mode(tmp_path / "a.txt") == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_wav_recordings_are_private_and_not_replaced_unless_forced(tmp_path: Path, open_umask: None) -> None:
    from phone_sim.audio.recorder import _Tracks

    tracks = _Tracks(tmp_path, 8000)
    tracks.open("A")
    tracks.close()
    assert mode(tmp_path / "A.wav") == 0o600
    with pytest.raises(FileExistsError):
        _Tracks(tmp_path, 8000).open("A")
    forced = _Tracks(tmp_path, 8000, force=True)
    forced.open("A")
    forced.close()
    (tmp_path / "B.wav").symlink_to(tmp_path / "elsewhere.wav")
    with pytest.raises(OSError):
        _Tracks(tmp_path, 8000, force=True).open("B")
    assert not (tmp_path / "elsewhere.wav").exists()
