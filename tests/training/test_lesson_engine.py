"""The lesson engine on the bundled lessons: goals reached by the trainee's own moves only,
cues on their conditions, hints, refusals and time counted per goal, restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lesson_helpers import bundled_by_id

from phone_sim.training.engine import LessonEngine
from phone_sim.training.loader import load_lesson


class FakeWall:
    """Wall time that moves only when told (tests never read the real clock)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def engine_for(ident: str, wall: Callable[[], float] = lambda: 0.0) -> LessonEngine:
    return LessonEngine(bundled_by_id(ident), wall=wall)


def press(engine: LessonEngine, keys: str) -> None:
    names = {"C": "call", "E": "end", "H": "hold", "F": "conf"}
    for key in keys:
        engine.press(names.get(key, key))


def test_transfer_lesson_by_its_keys() -> None:
    engine = engine_for("1-transfert-d-appel")
    assert engine.index == 0 and engine.why_not() is not None  # B is calling, A rings
    press(engine, "C")
    assert engine.index == 1
    press(engine, "H")
    assert engine.index == 2
    press(engine, "303C")
    assert engine.index == 2  # Monsieur C rings; he answers two seconds later
    engine.advance(1999)
    assert engine.index == 2
    engine.advance(1)
    assert engine.index == 3
    press(engine, "#1")
    assert engine.finished
    assert all(record.done for record in engine.records)


def test_wrong_number_does_not_mark_the_goal() -> None:
    engine = engine_for("1-transfert-d-appel")
    press(engine, "CH304C")  # Monsieur D instead of Monsieur C
    engine.advance(60_000)
    assert engine.index == 2
    assert "A's calls differ" in (engine.why_not() or "")
    press(engine, "E303C")  # give up on D, call C
    engine.advance(2000)
    assert engine.index == 3


def test_wrong_key_is_a_refusal_counted_on_the_goal() -> None:
    engine = engine_for("1-transfert-d-appel")
    press(engine, "CF")  # CONF with a single call
    assert engine.index == 1
    record = engine.records[1]
    assert (record.refusals, record.reasons) == (1, ["conference_needs_two_calls"])
    assert engine.last_refusal is not None and engine.last_refusal.goal == 1
    assert "Conférence" in engine.last_refusal.message_fr
    press(engine, "H")
    assert engine.index == 2 and engine.records[1].done


def test_cue_plays_again_when_its_condition_comes_back() -> None:
    engine = engine_for("1-transfert-d-appel")
    press(engine, "E")  # reject Madame B
    assert engine.session.net.parties["B"].legs == []
    engine.advance(2999)
    assert engine.net.view("A").calls == ()
    engine.advance(1)  # she calls back three seconds later
    assert [c.state for c in engine.net.view("A").calls] == ["ringing"]
    assert engine.records[0].refusals == 0  # her call meeting busy is not the trainee's refusal
    press(engine, "C")
    assert engine.index == 1


def test_hint_counted_once_per_goal_and_time_per_goal() -> None:
    wall = FakeWall()
    engine = engine_for("1-transfert-d-appel", wall)
    assert engine.hint("en") == "Press Enter, the CALL key (green)."
    assert engine.hint("fr") is not None
    wall.now += 4
    engine.advance(5000)
    press(engine, "C")
    record = engine.records[0]
    assert (record.hints, record.virtual_ms, record.wall_ms, record.done) == (1, 5000, 4000, True)
    assert engine.records[1].hints == 0


def test_restart_starts_over_on_a_fresh_network() -> None:
    engine = engine_for("1-transfert-d-appel")
    first_net = engine.net
    press(engine, "CH")
    engine.hint()
    engine.restart()
    assert engine.net is not first_net
    assert engine.index == 0 and engine.attempt == 2
    assert [r.done or r.hints for r in engine.records] == [False] * 4
    assert [c.state for c in engine.net.view("A").calls] == ["ringing"]


def test_forwarding_by_mmi_code_is_an_accepted_path() -> None:
    engine = engine_for("3-renvoi-sur-non-reponse")
    press(engine, "**61*0601020309#C")
    assert engine.index == 1
    engine.advance(26_999)  # B calls 2 s into the goal; forwarding after 25 s of ringing
    assert engine.index == 1
    assert [c.state for c in engine.net.view("MME_C").calls] == ["ringing"]
    engine.advance(1)
    assert engine.finished


def test_forwarding_to_the_wrong_number_does_not_count() -> None:
    engine = engine_for("3-renvoi-sur-non-reponse")
    press(engine, "**61*0601020303#C")
    assert engine.index == 0
    assert "no_answer forwarding is 0601020303, expected 0601020309" in (engine.why_not() or "")
    assert engine.portal("set_forwarding", {"line": "MME_C", "type": "no_answer", "to": "0601020309"}) is None
    assert engine.index == 1


def test_answering_the_forwarded_call_yourself_is_a_wrong_move() -> None:
    engine = engine_for("3-renvoi-sur-non-reponse")
    engine.portal("set_forwarding", {"line": "MME_C", "type": "no_answer", "to": "0601020309"})
    engine.advance(2000)
    press(engine, "C")  # Madame C answers instead of letting it ring
    engine.advance(30_000)
    assert engine.index == 1
    press(engine, "E")  # hangs up: Madame B calls back and this time it is forwarded
    engine.advance(27_000)
    assert engine.finished


def test_the_refusal_lesson_needs_the_refusal() -> None:
    engine = engine_for("6-transfert-depuis-l-etranger")
    press(engine, "H303C")
    engine.advance(2000)
    assert engine.index == 1
    press(engine, "F")  # straight to the conference: goal 2 wanted the #1 refusal first
    assert engine.index == 1
    assert "A's calls differ" in (engine.why_not() or "")
    engine.restart()
    press(engine, "H303C")
    engine.advance(2000)
    press(engine, "#1")
    assert engine.index == 2
    assert engine.records[1].reasons == ["unavailable_abroad"]
    press(engine, "F")
    assert engine.finished


def test_group_lesson_wrong_code_is_refused_and_counted() -> None:
    engine = engine_for("5-groupe-d-appel")
    press(engine, "*0609182236C")
    assert engine.index == 1
    press(engine, "1111")
    assert engine.index == 1 and engine.records[1].reasons == ["wrong_code"]
    press(engine, "1703")
    assert engine.index == 2
    press(engine, "2")  # log out is not log in
    assert engine.index == 2
    press(engine, "1")
    assert engine.index == 3
    press(engine, "E")
    engine.advance(2000)
    assert [c.state for c in engine.net.view("A").calls] == ["ringing"]
    press(engine, "C")
    assert engine.finished


def test_cascade_lesson_answer_too_early_is_refused() -> None:
    engine = engine_for("4-appels-entrants-en-cascade")
    engine.portal("set_ring_list", {"line": "A", "mode": "sequential",
                                    "numbers": ("0145020301", "0601020301", "0601020309"), "step": 15})
    assert engine.index == 1
    engine.advance(2000)
    assert [c.state for c in engine.net.view("A_FIXE").calls] == ["ringing"]
    press(engine, "C")  # the mobile does not ring yet
    assert engine.records[1].reasons == ["nothing_to_answer"]
    engine.advance(15_000)
    press(engine, "C")
    assert engine.finished


def test_simultaneous_ring_list_is_not_the_cascade() -> None:
    engine = engine_for("4-appels-entrants-en-cascade")
    engine.portal("set_ring_list", {"line": "A", "mode": "simultaneous",
                                    "numbers": ("0145020301", "0601020301", "0601020309")})
    assert engine.index == 0
    assert "ring list is simultaneous, expected sequential" in (engine.why_not() or "")


def test_show_marks_the_goal_and_returns_its_solution() -> None:
    engine = engine_for("2-conference")
    steps = engine.show()
    assert [step.action for step in steps] == ["hold"]
    assert engine.records[0].shown
    for step in steps:
        assert engine.play(step).ok
    assert engine.index == 1 and not engine.records[1].shown


def test_one_move_may_reach_several_goals(write_lesson: Callable[[str], Path]) -> None:
    path = write_lesson("""goals:
  - instruction: {fr: Décrochez, en: Answer}
    hint: {fr: Entrée, en: Enter}
    cue:
      - dial: {from: B, to: A}
    expect: {A: {active: B}}
    solution:
      - answer: A
  - instruction: {fr: Parlez, en: Talk}
    hint: {fr: rien, en: nothing}
    expect: {B: {active: A}}
    solution:
      - keys: {A: "5"}
""")
    engine = LessonEngine(load_lesson(path), wall=lambda: 0.0)
    engine.press("call")
    assert engine.finished
