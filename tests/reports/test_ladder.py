"""Call-flow ladders from the event stream: columns, rows, renderers."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from report_helpers import GUIDE, TRANSFER, arrows, ladder_of

from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.switch import Network
from phone_sim.scenario.ladder import NETWORK, LadderBuilder
from phone_sim.scenario.ladder_svg import svg_ladder
from phone_sim.scenario.ladder_text import ascii_ladder, mermaid_document, mermaid_ladder
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.reports import new_builder
from phone_sim.scenario.runner import run_scenario

SVG = "{http://www.w3.org/2000/svg}"


def test_the_guide_transfer_reads_as_the_guide_tells_it() -> None:
    ladder = ladder_of(TRANSFER)
    assert [c.key for c in ladder.columns] == ["B", NETWORK, "A", "C"]
    assert [ladder.label(c.title, "fr") for c in ladder.columns] == ["Madame B", "Réseau", "Monsieur A", "Monsieur C"]
    assert arrows(ladder) == [
        ("B", NETWORK, "calls Monsieur A (0601020301)"),  # 1 - the user receives a call
        (NETWORK, "A", "rings (call from Madame B)"),
        ("A", NETWORK, "answers"),
        (NETWORK, "B", "connected to Monsieur A"),
        ("A", NETWORK, "holds (HOLD)"),  # 3 - he puts her on hold (double appel)
        ("A", NETWORK, "calls Monsieur C (303)"),  # 4 - he dials the short number
        (NETWORK, "C", "rings (call from Monsieur A)"),
        ("C", NETWORK, "answers"),  # 5 - the call is established
        (NETWORK, "A", "connected to Monsieur C"),
        ("A", NETWORK, "#1: transfers and withdraws"),  # 6 - he transfers with #1
        (NETWORK, "B", "connected to Monsieur C"),
        (NETWORK, "C", "connected to Madame B"),
        ("B", NETWORK, "hangs up (END)"),
        (NETWORK, "C", "call ended: normal"),
    ]
    captions = [ladder.label(r.caption, "en") for r in ladder.rows if r.caption is not None]
    assert captions[0] == "Step 1: Madame B dials Monsieur A (0601020301) and presses CALL"
    assert "Step 11: Monsieur A keys #1 (transfer)" in captions
    assert not any(r.failed for r in ladder.rows)


def test_groups_forwarding_and_menus_are_hops_of_their_own() -> None:
    queue = ladder_of(GUIDE / "05-group-linear.yaml")
    assert "group:COM" in [c.key for c in queue.columns]
    assert any(src == "group:COM" and label.startswith("rings") for src, _, label in arrows(queue))
    forwarding = ladder_of(GUIDE / "03-forwarding-no-answer.yaml")
    hops = [(src, dst, label) for src, dst, label in arrows(forwarding) if label.startswith("forwarding")]
    assert hops and hops[0][1] == NETWORK and "no answer" in hops[0][2] and "hop 1" in hops[0][2]
    menu = ladder_of(GUIDE.parent / "voice_menu" / "01-member-logs-in-and-out.yaml")
    menu_columns = [c.key for c in menu.columns if c.kind == "menu"]
    assert menu_columns
    assert any(src == menu_columns[0] and label.startswith("announcement") for src, _, label in arrows(menu))
    assert any(dst == menu_columns[0] and label.startswith("DTMF") for _, dst, label in arrows(menu))


@dataclass(frozen=True, slots=True)
class MediaDidSomething(ev.Event):  # an event kind the ladder was never taught
    party: str
    detail: str


def test_an_unknown_event_kind_is_shown_as_a_note() -> None:
    net = Network(load_scenario(TRANSFER).company, Clock())
    builder = LadderBuilder(net).attach()
    net.publish(MediaDidSomething(1500, "A", "loud"))
    net.publish(MediaDidSomething(1600, "nobody", "quiet"))
    rows = builder.ladder().rows
    assert [(r.time, r.marks[0].src, r.marks[0].dst) for r in rows] == [(1500, "A", None), (1600, NETWORK, None)]
    assert "MediaDidSomething" in rows[0].marks[0].label[1] and "loud" in rows[0].marks[0].label[1]
    assert "00:01.500" in ascii_ladder(builder.ladder(), "en")


def test_ascii_arrows_point_the_right_way() -> None:
    lines = ascii_ladder(ladder_of(TRANSFER), "fr").splitlines()
    assert "Madame B" in lines[0] and "Réseau" in lines[0] and "0601020301" in lines[1]
    call = next(line for line in lines if line.endswith("appelle Monsieur A (0601020301)"))
    answer = next(line for line in lines if line.endswith("décroche"))
    assert call.startswith("00:00.000") and "->|" in call and "<-" not in call
    assert "|<-" in answer and "->" not in answer


def test_mermaid_is_a_sequence_diagram_without_hashes() -> None:
    ladder = ladder_of(TRANSFER)
    source = mermaid_ladder(ladder, "en")
    lines = source.splitlines()
    assert lines[0] == "sequenceDiagram"
    assert "    participant P0 as Madame B<br/>0145678900" in lines
    assert "    participant N as Network" in lines
    assert "    P0->>N: 00:00.000 calls Monsieur A (0601020301)" in lines
    assert any("\uff031: transfers" in line for line in lines)  # Mermaid cuts a text at "#"
    assert not any("#" in line for line in lines)
    document = mermaid_document(ladder, "en", "scenarios/guide/01-transfer-guide.yaml")
    assert document.startswith("# Call flow: ") and "```mermaid\nsequenceDiagram" in document


def test_the_svg_is_well_formed_and_escapes_text() -> None:
    ladder = ladder_of(TRANSFER)
    ladder.columns[0] = type(ladder.columns[0])("B", ("Mme <B> & Cie", "Mme <B> & Cie"), "0145678900")
    picture = svg_ladder(ladder, "fr")
    root = ET.fromstring(picture.split("\n", 1)[1])
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "Mme <B> & Cie" in texts
    assert "appelle Monsieur A (0601020301)" in texts and "#1 : transfère et se retire" in texts
    assert len([line for line in root.iter(SVG + "line") if line.get("marker-end")]) == 14


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert (librsvg2-bin) not installed")
def test_the_svg_renders_to_a_picture(tmp_path) -> None:
    source = tmp_path / "ladder.svg"
    source.write_text(svg_ladder(ladder_of(TRANSFER), "en"), encoding="utf-8")
    subprocess.run(["rsvg-convert", str(source), "-o", str(tmp_path / "ladder.png")], check=True, timeout=60)
    png = (tmp_path / "ladder.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_a_live_builder_keeps_a_bounded_tail() -> None:
    net = Network(load_scenario(TRANSFER).company, Clock())
    builder = LadderBuilder(net, limit=3).attach()
    for t in range(10):
        net.publish(ev.PowerDidChange(t, "A", bool(t % 2)))
    assert [r.time for r in builder.ladder().rows] == [7, 8, 9]


def media_notes(media: bool) -> tuple[list[tuple[str, str | None, str]], Network]:
    scenario = load_scenario(TRANSFER)
    box: list[LadderBuilder] = []
    run_scenario(scenario, on_step=lambda i, r: box[0].step(i, r),
                 on_network=lambda net: box.append(new_builder(net, scenario, media).attach()))
    box[0].detach()
    return [m for m in arrows(box[0].ladder()) if m[2].startswith("hears: ")], box[0].net


def test_media_notes_only_when_asked_one_per_earpiece_that_changed() -> None:
    assert media_notes(False)[0] == []
    notes, net = media_notes(True)
    assert ("B", None, "hears: ringback") in notes
    assert ("B", None, "hears: Monsieur C") in notes and ("C", None, "hears: Madame B") in notes
    assert net.media.watchers == 0  # detached: the network stops deriving
