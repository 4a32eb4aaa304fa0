"""One shared ``transitions`` Machine per kind of model, at a cost that does not grow.

``SharedMachine`` is a ``transitions.Machine`` subclass made only of transitions' own
extension points (``event_cls``, ``state_cls``, ``transition_cls`` and overridden
methods): the states, the transition table, the check of a trigger's source state and its
``MachineError``, conditions, callbacks and queued processing all stay transitions'. What
it changes is what they cost:

- **Models bound once, per class.** ``bind(cls)`` puts the trigger methods (``connect()``,
  ``may_connect()``, ``trigger(name)``, ``is_<state>()``) on the model *class*, so
  attaching a model binds nothing (a stock Machine sets a partial per trigger and per
  state on every model it attaches: ~14 KiB and a fraction of a millisecond each).
- **A model registry in O(1).** ``models`` is an insertion-ordered set: a stock Machine
  tests ``model not in self.models`` on ``add_model`` and calls ``list.remove`` on
  ``remove_model``, two scans of every attached model, so a pool of 40,000 legs cost
  seconds to grow.
- **The plain path of a trigger.** When transitions would do nothing but check conditions
  and set the state (no callback on the transition, on its two states or on the machine,
  nothing queued), ``Event.trigger`` does that directly: the same outcome, without
  the eight debug-log calls, the ``EventData``, the queue and the five ``get_state``
  look-ups of the general path. Every other trigger takes transitions' general path. The
  table of plain transitions is rebuilt whenever states, transitions or callbacks
  change: ``add_states``, ``add_transition``, ``remove_transition``, and every callback
  list (of a transition, a state or the machine) is a ``CallbackList`` that reports any
  change made to it, through transitions' API (``add_callback``, ``on_enter_<state>``,
  ``before_<trigger>``, the machine's properties) or in place (``transition.after
  .append(f)``). ``tests/property/test_sharedmachine.py`` checks it against a stock
  Machine on random definitions and trigger sequences.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from transitions import Event, Machine, State, Transition
from transitions.core import listify

MACHINE_CALLBACKS = ("prepare_event", "before_state_change", "after_state_change", "finalize_event",
                     "on_exception", "on_final")
_GENERAL = object()  # "take transitions' general path"


class ModelSet:
    """The models of a machine: what ``Machine`` does with its list (append, remove, in,
    iterate, index), each in O(1) but indexing."""

    __slots__ = ("_models",)

    def __init__(self, models: Any = ()) -> None:
        self._models: dict[int, Any] = {id(m): m for m in models}

    def append(self, model: Any) -> None:
        self._models[id(model)] = model

    def remove(self, model: Any) -> None:
        if self._models.get(id(model)) is not model:
            raise ValueError("the model is not attached to this machine")
        del self._models[id(model)]

    def __contains__(self, model: object) -> bool:
        return self._models.get(id(model)) is model

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._models.values()))  # a copy: callers may attach or detach meanwhile

    def __len__(self) -> int:
        return len(self._models)

    def __getitem__(self, index: int) -> Any:
        return list(self._models.values())[index]


class CallbackList(list[Any]):
    """A list of callbacks that tells its owner of every change made to it."""

    def __init__(self, items: Any, owner: Any) -> None:
        super().__init__(items)
        self.owner = owner  # something with ``changed()``

    def _changed(self) -> None:
        self.owner.changed()

    def append(self, item: Any) -> None:
        super().append(item)
        self._changed()

    def extend(self, items: Any) -> None:
        super().extend(items)
        self._changed()

    def insert(self, index: Any, item: Any) -> None:
        super().insert(index, item)
        self._changed()

    def remove(self, item: Any) -> None:
        super().remove(item)
        self._changed()

    def pop(self, index: Any = -1) -> Any:
        item = super().pop(index)
        self._changed()
        return item

    def clear(self) -> None:
        super().clear()
        self._changed()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def __iadd__(self, items: Any) -> CallbackList:  # type: ignore[misc]
        super().__iadd__(items)
        self._changed()
        return self


class _Owned:
    """A state or transition whose callback lists report changes to its machine."""

    owner: SharedMachine | None = None
    _lists: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._lists and not isinstance(value, CallbackList):
            value = CallbackList(value, self)
        object.__setattr__(self, name, value)
        if name in self._lists:
            self.changed()

    def changed(self) -> None:
        if self.owner is not None:
            self.owner.definitions_changed()


class OwnedState(_Owned, State):
    _lists = ("on_enter", "on_exit")


class OwnedTransition(_Owned, Transition):
    _lists = ("prepare", "before", "after", "conditions")


class PlainEvent(Event):
    """An event whose plain transitions set the state without the general path."""

    machine: SharedMachine

    def __init__(self, name: str, machine: Machine) -> None:
        super().__init__(name, machine)
        self.plain: dict[Any, Any] | None = None  # source value -> destination value; None = to compute

    def trigger(self, model: object, *args: Any, **kwargs: Any) -> bool:
        machine = self.machine
        plain = self.plain
        if plain is None:
            plain = self.plain = machine.plain_row(self)
        if not machine._transition_queue:
            attribute = machine.model_attribute
            dest = plain.get(getattr(model, attribute), _GENERAL)
            if dest is not _GENERAL:
                if type(dest) is Guarded:
                    return dest.fire(model, attribute, args, kwargs)
                setattr(model, attribute, dest)
                return True
        return super().trigger(model, *args, **kwargs)


class _Model:
    """What ``Machine.resolve_callable`` reads of an event's data: the model."""

    __slots__ = ("model",)

    def __init__(self, model: object) -> None:
        self.model = model


class Guarded:
    """A source state whose transitions have conditions and no callback: transitions tries
    them in order, checking each condition in order (``result == target``), and the first
    whose conditions all hold sets the state; none holding, the trigger returns False. It
    runs through the machine's own ``_process``, so a queued machine queues what a
    condition triggers, and returns True, as transitions does."""

    __slots__ = ("choices", "machine")

    def __init__(self, choices: tuple[tuple[tuple[tuple[Any, bool], ...], Any], ...], machine: Machine) -> None:
        self.choices = choices  # ((func, target), ...), destination value
        self.machine = machine

    def fire(self, model: object, attribute: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        return bool(self.machine._process(partial(self._apply, model, attribute, args, kwargs)))

    def _apply(self, model: object, attribute: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        data: Any = _Model(model)
        for conditions, dest in self.choices:
            for func, target in conditions:
                if Machine.resolve_callable(func, data)(*args, **kwargs) != target:
                    break
            else:
                setattr(model, attribute, dest)
                return True
        return False


class SharedMachine(Machine):
    """A Machine shared by every model of one kind (see the module doc)."""

    event_cls = PlainEvent
    state_cls = OwnedState
    transition_cls = OwnedTransition

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._bound: set[type] = set()
        self._ready = False
        super().__init__(*args, **kwargs)
        self.models = ModelSet(self.models)  # type: ignore[assignment]
        self._ready = True
        self.definitions_changed()

    # ------------------------------------------------------------------ models
    def bind(self, cls: type) -> type:
        """Put this machine's triggers on ``cls`` itself; its instances attach in O(1)."""
        for name, event in self.events.items():
            setattr(cls, name, _trigger_method(event))
            setattr(cls, f"may_{name}", _may_method(self, name))
        for state in self.states.values():
            self._bind_state(cls, state)
        cls.trigger = _named_trigger(self)  # type: ignore[attr-defined]
        cls.may_trigger = _named_may(self)  # type: ignore[attr-defined]
        self._bound.add(cls)
        return cls

    def _bind_state(self, cls: type, state: State) -> None:
        setattr(cls, f"is_{state.name}", _is_method(self, state.value))
        for callback in self.state_cls.dynamic_methods:  # on_enter_<state> methods, as transitions does
            method = f"{callback}_{state.name}"
            if inspect.isfunction(getattr(cls, method, None)) and method not in getattr(state, callback):
                state.add_callback(callback[3:], method)

    def add_model(self, model: Any, initial: Any = None) -> None:
        if initial is None and type(model) in self._bound:  # one model of a bound class: the short way
            if model not in self.models:
                setattr(model, self.model_attribute, self._initial_value)
                self.models.append(model)
            return
        for mod in listify(model):
            mod = self if mod is self.self_literal else mod
            if type(mod) not in self._bound:
                super().add_model(mod, initial)
            elif mod not in self.models:
                self.set_state(initial if initial is not None else self.initial or "", model=mod)
                self.models.append(mod)

    def remove_model(self, model: Any) -> None:
        if type(model) in self._bound and not self._transition_queue:  # nothing queued to filter out
            self.models.remove(model)
            return
        super().remove_model(model)

    @property
    def _initial_value(self) -> Any:
        return self.states[self.initial or ""].value

    def _add_model_to_state(self, state: State, model: Any) -> None:
        if type(model) in self._bound:
            self._bind_state(type(model), state)
        else:
            super()._add_model_to_state(state, model)

    def _add_trigger_to_model(self, trigger: str, model: Any) -> None:
        if type(model) in self._bound:
            self.bind(type(model))
        else:
            super()._add_trigger_to_model(trigger, model)

    # ------------------------------------------------------------------ the plain table
    def plain_row(self, event: Event) -> dict[Any, Any]:
        """Source state value -> destination value (or ``Guarded`` choices), for this event's
        plain transitions."""
        if any(getattr(self, name) for name in MACHINE_CALLBACKS) or self.send_event:
            return {}
        row: dict[Any, Any] = {}
        for source, transitions in event.transitions.items():
            src = self.states.get(source)
            if src is None or src.on_exit:
                continue
            choices: list[tuple[tuple[tuple[Any, bool], ...], Any]] = []
            for transition in transitions:  # transitions tries them in order
                dst = self.states.get(transition.dest) if transition.dest else None
                if dst is None or dst.on_enter or transition.prepare or transition.before or transition.after:
                    choices = []
                    break
                choices.append((tuple((c.func, c.target) for c in transition.conditions), dst.value))
                if not transition.conditions:
                    break  # the later ones are never tried
            if len(choices) == 1 and not choices[0][0]:
                row[src.value] = choices[0][1]
            elif choices:
                row[src.value] = Guarded(tuple(choices), self)
        return row

    def definitions_changed(self) -> None:
        for event in self.events.values():
            if isinstance(event, PlainEvent):
                event.plain = None

    def add_states(self, *args: Any, **kwargs: Any) -> None:
        super().add_states(*args, **kwargs)
        for state in self.states.values():
            if isinstance(state, OwnedState):
                state.owner = self
        self.definitions_changed()

    def add_transition(self, trigger: str, *args: Any, **kwargs: Any) -> None:
        super().add_transition(trigger, *args, **kwargs)
        for transitions in self.events[trigger].transitions.values():
            for transition in transitions:
                if isinstance(transition, OwnedTransition):
                    transition.owner = self
        self.definitions_changed()

    def remove_transition(self, trigger: str, source: Any = "*", dest: Any = "*") -> None:
        attached, self.models = self.models, ModelSet(m for m in self.models  # type: ignore[assignment]
                                                      if type(m) not in self._bound)
        try:
            super().remove_transition(trigger, source, dest)
        finally:
            self.models = attached
        if trigger not in self.events:
            for cls in self._bound:
                for name in (trigger, f"may_{trigger}"):
                    if name in cls.__dict__:
                        delattr(cls, name)
        self.definitions_changed()

    def __setattr__(self, name: str, value: Any) -> None:
        if name.lstrip("_") in MACHINE_CALLBACKS and isinstance(value, list) \
                and not isinstance(value, CallbackList):
            value = CallbackList(value, self)  # the lists behind the callback properties
        super().__setattr__(name, value)
        if name.lstrip("_") in MACHINE_CALLBACKS and self.__dict__.get("_ready"):
            self.definitions_changed()

    def changed(self) -> None:  # a machine callback list changed in place
        if self.__dict__.get("_ready"):
            self.definitions_changed()


def _trigger_method(event: Event) -> Callable[..., bool]:
    trigger = event.trigger
    if not isinstance(event, PlainEvent):
        def fire(model: Any, *args: Any, **kwargs: Any) -> bool:
            return trigger(model, *args, **kwargs)
        fire.__name__ = event.name
        return fire
    machine = event.machine

    def fire_plain(model: Any, *args: Any, **kwargs: Any) -> bool:
        """``PlainEvent.trigger``'s plain path inline (one call less on every trigger)."""
        plain = event.plain
        if plain is not None and not machine._transition_queue:
            attribute = machine.model_attribute
            dest = plain.get(getattr(model, attribute), _GENERAL)
            if dest is not _GENERAL:
                if type(dest) is Guarded:
                    return dest.fire(model, attribute, args, kwargs)
                setattr(model, attribute, dest)
                return True
        return trigger(model, *args, **kwargs)
    fire_plain.__name__ = event.name
    return fire_plain


def _may_method(machine: Machine, name: str) -> Callable[..., bool]:
    def may(model: Any, *args: Any, **kwargs: Any) -> bool:
        return bool(machine._can_trigger(model, name, *args, **kwargs))
    may.__name__ = f"may_{name}"
    return may


def _is_method(machine: Machine, value: Any) -> Callable[[Any], bool]:
    def is_state(model: Any) -> bool:
        return bool(getattr(model, machine.model_attribute) == value)
    return is_state


def _named_trigger(machine: Machine) -> Callable[..., bool]:
    def trigger(model: Any, name: str, *args: Any, **kwargs: Any) -> bool:
        return bool(machine._get_trigger(model, name, *args, **kwargs))
    return trigger


def _named_may(machine: Machine) -> Callable[..., bool]:
    def may_trigger(model: Any, name: str, *args: Any, **kwargs: Any) -> bool:
        return bool(machine._can_trigger(model, name, *args, **kwargs))
    return may_trigger
