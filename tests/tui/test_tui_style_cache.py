"""Styles parsed at one start are read back at the next: the same screen, the file
private, a damaged or foreign file ignored and written anew."""

from __future__ import annotations

import pickle
import re
import stat
from pathlib import Path

from tuihelp import SIZE, run

from phone_sim.network.snapshot import snapshot
from phone_sim.store import open_network
from phone_sim.tui.app import PhoneSimApp
from phone_sim.tui.style_cache import FILE


def start(data: Path) -> tuple[str, PhoneSimApp]:
    """Open the TUI on the stored company in ``data``: its first screen, as SVG."""

    async def scenario() -> str:
        net, store = open_network(data, lang="fr")
        app = PhoneSimApp(snapshot(net), net=net, store=store, sound=None, data=data, realtime=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.export_screenshot()
        app.finish()
        return re.sub(r"terminal-\d+", "terminal", screen), app

    return run(scenario())


def test_a_warm_start_reads_the_styles_back_and_shows_the_same_screen(tmp_path: Path) -> None:
    data = tmp_path / "data"
    start(data)  # the database created and seeded
    cache = data / FILE
    cache.unlink()
    cold, app = start(data)
    assert app.style_cache.known == {} and app.style_cache.changed
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    warm, app = start(data)
    assert not app.style_cache.changed and app.style_cache.used.keys() == app.style_cache.known.keys()
    assert warm == cold


def test_a_damaged_or_foreign_cache_is_ignored_and_written_anew(tmp_path: Path) -> None:
    data = tmp_path / "data"
    start(data)
    cache = data / FILE
    reference, _ = start(data)
    for damage in (b"not a pickle", pickle.dumps(((1, "0.0.1"), {"x": []})), pickle.dumps("odd"), b""):
        cache.write_bytes(damage)
        screen, app = start(data)
        assert screen == reference and app.style_cache.known == {}
        header, entries = pickle.loads(cache.read_bytes())
        assert entries.keys() == app.style_cache.used.keys() and entries
