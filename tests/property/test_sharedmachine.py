"""SharedMachine against a stock transitions Machine: the same definitions and the same
triggers give the same states, results, errors and callback calls.

Definitions are random: states, transitions (some with conditions, callbacks, several
per source), machine callbacks and state callbacks added before or after models attach,
queued or not; models are bound per class (SharedMachine) or by partials (stock); a
condition may fire another trigger.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transitions import Machine, MachineError

from phone_sim.network.sharedmachine import ModelSet, SharedMachine

STATES = ["a", "b", "c", "d"]
TRIGGERS = ["go", "back", "jump", "stop"]

transition = st.fixed_dictionaries({
    "trigger": st.sampled_from(TRIGGERS),
    "source": st.one_of(st.sampled_from(STATES), st.lists(st.sampled_from(STATES), min_size=1, max_size=3),
                        st.just("*")),
    "dest": st.sampled_from(STATES + ["="]),
    "guard": st.sampled_from([None, "ok", "no", "unless_ok", "kick"]),
    "after": st.booleans(),
})
EXTRAS = ["on_enter", "before", "machine_before", "prepare", "after_in_place", "machine_in_place", "state_in_place"]
late = st.sampled_from([None, *EXTRAS])  # a callback added later on


class Recorder:
    def __init__(self, log: list[Any], name: int) -> None:
        self.log = log
        self.name = name
        self.state = ""

    def ok(self) -> bool:
        self.log.append((self.name, "ok", self.state))
        return True

    def no(self) -> bool:
        self.log.append((self.name, "no", self.state))
        return False

    def kick(self) -> bool:
        """A condition that fires another trigger (once): queued or run at once, as transitions does."""
        self.log.append((self.name, "kick", self.state))
        if not getattr(self, "kicked", False):
            self.kicked = True
            self.log.append((self.name, "kicked", fire(self, "stop")))
        return True

    def noted(self, *args: Any, **kwargs: Any) -> None:
        self.log.append((self.name, "noted", self.state))


def build(kind: type, definitions: list[dict[str, Any]], queued: bool, models: int,
          log: list[Any], extra: str | None, extra_first: bool) -> tuple[Any, list[Any], Any]:
    transitions = []
    for d in definitions:
        t: dict[str, Any] = {"trigger": d["trigger"], "source": d["source"], "dest": d["dest"]}
        if d["guard"] == "unless_ok":
            t["unless"] = "ok"
        elif d["guard"]:
            t["conditions"] = d["guard"]
        if d["after"]:
            t["after"] = "noted"
        transitions.append(t)
    machine = kind(model=None, states=STATES, transitions=transitions, initial="a",
                   auto_transitions=False, queued=queued)
    cls: type = type("Model", (Recorder,), {})
    if isinstance(machine, SharedMachine):
        machine.bind(cls)

    def add_extra() -> None:
        if extra == "on_enter":
            machine.on_enter_b("noted")
        elif extra == "before" and "go" in machine.events:
            machine.before_go("noted")
        elif extra == "machine_before":
            machine.before_state_change = "noted"
        elif extra == "prepare":
            machine.prepare_event = ["noted"]
        elif extra == "after_in_place":  # as a coverage hook does
            for event in machine.events.values():
                for transitions in event.transitions.values():
                    for transition in transitions:
                        transition.after.append("noted")
        elif extra == "machine_in_place":
            machine.after_state_change.append("noted")
        elif extra == "state_in_place":
            machine.get_state("b").on_enter.append("noted")

    if extra_first:
        add_extra()
    instances = [cls(log, i) for i in range(models)]
    for m in instances:
        machine.add_model(m)
    return machine, instances, (lambda: None) if extra_first else add_extra


def fire(model: Any, trigger: str) -> Any:
    try:
        return ("ok", getattr(model, trigger)())
    except MachineError as exc:
        return ("MachineError", str(exc))
    except AttributeError:
        return ("AttributeError",)


@settings(max_examples=300, deadline=None)
@given(definitions=st.lists(transition, min_size=1, max_size=8), queued=st.booleans(),
       extra=late, extra_first=st.booleans(), extra_at=st.integers(0, 30), models=st.integers(1, 3),
       steps=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(TRIGGERS)), max_size=30))
def test_same_outcome_as_a_stock_machine(definitions: list[dict[str, Any]], queued: bool, extra: str | None,
                                         extra_first: bool, extra_at: int, models: int,
                                         steps: list[tuple[int, str]]) -> None:
    """``extra``: a callback added before the models attach, or after ``extra_at`` triggers."""
    stock_log: list[Any] = []
    shared_log: list[Any] = []
    _, stock, stock_extra = build(Machine, definitions, queued, models, stock_log, extra, extra_first)
    machine, shared, shared_extra = build(SharedMachine, definitions, queued, models, shared_log, extra,
                                          extra_first)
    extra_at %= len(steps) + 1
    for step, (index, trigger) in enumerate(steps):
        if step == extra_at:
            stock_extra()
            shared_extra()
        i = index % models
        assert fire(shared[i], trigger) == fire(stock[i], trigger)
        assert [m.state for m in shared] == [m.state for m in stock]
        assert shared_log == stock_log
    for trigger in TRIGGERS:
        if trigger in machine.events:
            assert [getattr(m, f"may_{trigger}")() for m in shared] == [getattr(m, f"may_{trigger}")() for m in stock]
    assert [m.is_a() for m in shared] == [m.is_a() for m in stock]


def test_models_attach_and_detach_in_constant_time() -> None:
    """The registry is a set: the n-th model costs what the first did (no scan)."""
    machine = SharedMachine(model=None, states=STATES, initial="a", auto_transitions=False,
                            transitions=[{"trigger": "go", "source": "a", "dest": "b"}])
    cls = machine.bind(type("Model", (), {}))
    models = [cls() for _ in range(5000)]
    for m in models:
        machine.add_model(m)
    machine.add_model(models[10])  # attaching twice keeps one
    assert isinstance(machine.models, ModelSet) and len(machine.models) == 5000
    assert models[10] in machine.models and object() not in machine.models
    for m in models[:4999]:
        machine.remove_model(m)
    assert list(machine.models) == [models[4999]] and machine.model is models[4999]
    assert "go" not in vars(models[4999])  # bound on the class, nothing per model
    models[4999].go()
    assert models[4999].state == "b" and models[4999].is_b()


def test_remove_transition_unbinds_the_class() -> None:
    machine = SharedMachine(model=None, states=STATES, initial="a", auto_transitions=False,
                            transitions=[{"trigger": "go", "source": "a", "dest": "b"},
                                         {"trigger": "back", "source": "b", "dest": "a"}])
    cls = machine.bind(type("Model", (), {}))
    model = cls()
    machine.add_model(model)
    machine.remove_transition("go")
    assert not hasattr(model, "go")
    machine.add_transition("jump", "a", "c")
    model.jump()
    assert model.state == "c"


@pytest.mark.parametrize("extra", EXTRAS)
@pytest.mark.parametrize("queued", [False, True])
def test_callbacks_added_after_triggers_are_run(extra: str, queued: bool) -> None:
    """The plain table is rebuilt when a callback is added after it was used."""
    definitions = [{"trigger": "go", "source": "*", "dest": "b", "guard": None, "after": False}]
    logs: list[list[Any]] = []
    for kind in (Machine, SharedMachine):
        log: list[Any] = []
        _, (model,), add_extra = build(kind, definitions, queued, 1, log, extra, False)
        model.go()
        add_extra()
        model.go()
        logs.append(log)
    assert logs[0] == logs[1] != []
