"""Call detail records built from the event stream."""

from __future__ import annotations

import io
from pathlib import Path

from phone_sim.network.cdr import CdrCollector, write_csv
from phone_sim.network.clock import Clock
from phone_sim.network.switch import Network
from phone_sim.scenario.companyfile import load_company

GUIDE = Path(__file__).resolve().parents[2] / "scenarios" / "guide" / "company.yaml"


def network() -> tuple[Network, CdrCollector]:
    net = Network(load_company(GUIDE), Clock())
    cdr = CdrCollector()
    net.bus.subscribe(cdr)
    return net, cdr


def test_an_answered_call_is_recorded_with_its_talk_time() -> None:
    net, cdr = network()
    net.dial("B", "0601020301")
    net.clock.advance(3_000)
    net.answer("A")
    net.clock.advance(10_000)
    net.end("B")
    [record] = cdr.records
    assert (record.caller, record.dialled, record.answered_by) == ("B", "A", "A")
    assert (record.started_ms, record.answered_ms, record.ended_ms) == (0, 3_000, 13_000)
    assert record.talk_ms == 10_000
    assert record.released_by == "B" and record.reason == "normal"
    assert cdr.in_progress == 0


def test_a_refused_call_and_a_forwarded_call() -> None:
    net, cdr = network()
    net.switch_off("A")
    net.dial("B", "0601020301")
    net.portal.execute("manager", "set_forwarding", {"line": "E", "type": "unconditional", "to": "0601020309"})
    net.dial("F", "0601020305")
    net.answer("ASSIST")
    net.end("ASSIST")
    unreachable, forwarded = cdr.records
    assert unreachable.reason == "unreachable" and unreachable.answered_by is None and unreachable.talk_ms == 0
    assert forwarded.dialled == "E" and forwarded.forwarded_via == ("E",) and forwarded.answered_by == "ASSIST"


def test_csv_has_a_header_and_one_row_per_call() -> None:
    net, cdr = network()
    net.dial("B", "0601020301")
    net.answer("A")
    net.end("A")
    out = io.StringIO()
    assert write_csv(cdr.records, out) == 1
    header, row = out.getvalue().splitlines()
    assert header.startswith("call_id,caller,dialled,started_ms,answered_by")
    assert ",B,A,0,A," in row


def test_phone_sim_run_writes_the_records_of_every_scenario(tmp_path: Path) -> None:
    from phone_sim.cli import main

    out = tmp_path / "cdr.csv"
    guide = GUIDE.parent
    assert main(["run", str(guide / "01-transfer-guide.yaml"), str(guide / "03-forwarding-no-answer.yaml"),
                 "--cdr", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("source,call_id,caller")
    assert sum("01-transfer-guide" in line for line in lines) == 2  # the call to A, the call to C
    [forwarded] = [line.split(",") for line in lines if "03-forwarding" in line]
    assert forwarded[2:4] == ["B", "E"] and forwarded[5] == "ASSIST" and forwarded[8] == "in_progress"
    assert forwarded[10] == "E"  # forwarded_via
