"""Settings, portal operations and who made them, in words (French or English).

The portal service and the audit log keep settings as short technical strings
(``no_answer=0601020309, delay=25``, ``sequential: 0145020301, 0601020301, step=15``,
``double_appel,pabx``): they are the stored, stable form. People read them through
``value_text``, which turns each known form back into catalogue words; a form it does
not know is shown as it is, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from phone_sim.network.catalogue import TEXTS, text
from phone_sim.network.company import (
    DEFAULT_NO_ANSWER_DELAY,
    DEFAULT_RING_STEP,
    FORWARDING_TYPES,
    OPTIONS,
    Forwarding,
    RingList,
)

NONE = "none"
_FORWARDING_OPS = frozenset({"set_forwarding", "clear_forwarding", "deactivate_forwarding", "activate_forwarding"})
_RING_OPS = frozenset({"set_ring_list", "clear_ring_list"})
_OPTION_OPS = frozenset({"grant", "withdraw"})
_MEMBER_LIST_OPS = frozenset({"add_member", "remove_member", "disconnect_all"})
_GROUP_OPS = frozenset({"create_group", "update_group", "delete_group"})


def spaced(number: str) -> str:
    """``0601020309`` -> ``06 01 02 03 09``; other numbers as they are."""
    if len(number) == 10 and number.isdigit():
        return " ".join(number[i:i + 2] for i in range(0, 10, 2))
    return number


def number_text(number: str, names: Mapping[str, str] | None = None) -> str:
    """A number spaced out, with whose it is when ``names`` knows (``Assistante (06 01 …)``)."""
    owner = (names or {}).get(number)
    return f"{owner} ({spaced(number)})" if owner else spaced(number)


def operation_text(operation: str, lang: str) -> str:
    key = "op." + operation
    return text(key, lang) if key in TEXTS else operation


def actor_text(who: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """``manager`` -> the fleet manager, ``store`` -> phone-sim itself, a line -> its name."""
    if who == "manager":
        return text("portal.role.manager", lang)
    if who == "store":
        return text("actor.store", lang)
    return (names or {}).get(who, who)


def via_text(via: str, lang: str) -> str:
    key = "via." + via
    return text(key, lang) if key in TEXTS else via


def forwarding_text(forwarding: Forwarding, lang: str, names: Mapping[str, str] | None = None) -> str:
    """Every active forwarding: type, destination (and the delay on no answer)."""
    parts = []
    for kind in FORWARDING_TYPES:
        number = forwarding.get(kind)
        if number:
            part = text("words.forwarding_to", lang, kind=text("forwarding." + kind, lang),
                        number=number_text(number, names))
            if kind == "no_answer":
                part += " " + text("words.after_seconds", lang, seconds=forwarding.delay)
            parts.append(part)
    return " · ".join(parts) or text("none", lang)


def ring_list_text(ring: RingList | None, lang: str, names: Mapping[str, str] | None = None) -> str:
    if ring is None:
        return text("none", lang)
    numbers = ", ".join(number_text(n, names) for n in ring.numbers)
    words = f"{text('ring_list.' + ring.mode, lang)} : {numbers}" if lang == "fr" else \
        f"{text('ring_list.' + ring.mode, lang)}: {numbers}"
    if ring.mode == "sequential":
        words += " " + text("words.each_seconds", lang, seconds=ring.step)
    return words


def value_text(operation: str, value: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A setting as the audit log and the event log keep it (``before``/``after``), in words."""
    value = value.strip()
    if value in ("", NONE):
        return text("none", lang) if value else ""
    try:
        if operation in _FORWARDING_OPS:
            return forwarding_text(_parse_forwarding(value), lang, names)
        if operation in _RING_OPS:
            return ring_list_text(_parse_ring_list(value), lang, names)
        if operation in _OPTION_OPS:
            return ", ".join(text("option." + o, lang) if o in OPTIONS else o for o in value.split(","))
        if operation == "set_call_waiting":
            return text("words.on" if value == "on" else "words.off", lang) if value in ("on", "off") else value
        if operation in ("connect", "disconnect"):
            group, _, state = value.partition(": ")
            key = "member." + state
            return f"{(names or {}).get(group, group)} : {text(key, lang)}" if key in TEXTS else value
        if operation in _MEMBER_LIST_OPS:
            return ", ".join((names or {}).get(m, m) for m in value.split(","))
        if operation in _GROUP_OPS:
            return _group_text(value, lang, names)
    except ValueError:
        pass
    return value


def _parse_forwarding(value: str) -> Forwarding:
    """``unconditional=0601020309, no_answer=..., delay=25`` (``Forwarding.describe``)."""
    fields = dict(_pair(part) for part in value.split(", "))
    delay = int(fields.pop("delay", str(DEFAULT_NO_ANSWER_DELAY)))
    forwarding = Forwarding(delay=delay)
    for kind, number in fields.items():
        if kind not in FORWARDING_TYPES:
            raise ValueError(value)
        forwarding = forwarding.with_(kind, number)
    return forwarding


def _parse_ring_list(value: str) -> RingList:
    """``sequential: 0145020301, 0601020301, step=15`` (``RingList.describe``)."""
    mode, _, rest = value.partition(": ")
    if mode not in ("simultaneous", "sequential"):
        raise ValueError(value)
    numbers, step = [], DEFAULT_RING_STEP
    for part in rest.split(", "):
        if part.startswith("step="):
            step = int(part[5:])
        elif part:
            numbers.append(part)
    return RingList(mode, tuple(numbers), step)  # type: ignore[arg-type]


_GROUP_KEYS = {"codes": "words.codes", "queue": "portal.col.queue", "switchover": "portal.col.switchover_delay",
               "inter_call": "portal.col.inter_call_delay", "members": "words.members",
               "connected": "words.connected"}


def _group_text(value: str, lang: str, names: Mapping[str, str] | None) -> str:
    """``0609182236 Com codes=1234/5678 queue=3 ... linear members=A,C connected=`` in words."""
    head, words = [], []
    for token in value.split(" "):
        key, sep, setting = token.partition("=")
        if not sep:
            label = "distribution." + token
            head.append(text(label, lang) if label in TEXTS else token)
            continue
        if key not in _GROUP_KEYS:
            raise ValueError(value)
        if key in ("members", "connected"):
            setting = ", ".join((names or {}).get(m, m) for m in setting.split(",") if m) or text("none", lang)
        elif key in ("switchover", "inter_call"):
            setting += " s"
        words.append(f"{text(_GROUP_KEYS[key], lang)} {setting}")
    return " · ".join([" ".join(head), *words])


def _pair(part: str) -> tuple[str, str]:
    key, sep, value = part.partition("=")
    if not sep:
        raise ValueError(part)
    return key, value
