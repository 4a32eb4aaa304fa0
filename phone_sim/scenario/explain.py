"""Scenario steps as sentences, French or English: what a reviewer reads instead of YAML.

``Explainer(company).sentence(step, lang)`` names people as the company does ("Madame B")
and uses the catalogue's words for states, tones and reasons. A step kind without a
sentence of its own (a later addition to the format) is still told, as its action and
arguments. ``phone-sim run --explain FILE`` and ``--list-steps`` print these; the ladders
use them as step captions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from phone_sim.network.catalogue import reason_text, text
from phone_sim.network.company import CompanySpec
from phone_sim.scenario.model import ACTIONS, Scenario, Step

FUNCTION_KEY_TEXT = {"call": "tui.key.call", "end": "tui.key.end", "hold": "tui.key.hold", "conf": "tui.key.conf"}
# one example per action, in the format's own words (scenario-format.md), for --list-steps
EXAMPLES: dict[str, str] = {
    "dial": '{from: B, to: "0601020301"}',
    "keys": '{A: "**61*0601020309#<call>"}',
    "answer": "A",
    "reject": "A",
    "hangup": "B",
    "hold": "A",
    "swap": "A",
    "conference": "A",
    "transfer": "A",
    "switch_off": "C",
    "switch_on": "C",
    "move": "{A: abroad}",
    "wait": "25s",
    "portal": '{as: manager, do: set_forwarding, line: A, type: no_answer, to: "0601020309"}',
    "expect": "{A: {active: B, tone: none}, B: {active: A}, C: idle}",
    "say": '{from: B, text: "Bonjour, je voudrais un renseignement"}',
    "talk": "{from: C, for: 2s}",
    "play": "{from: B, file: clip.wav}",
}
# examples that name a file: their step is built here, the file need not exist
UNCHECKED: dict[str, dict[str, Any]] = {"play": {"from": "B", "file": "clip.wav", "ms": 0}}


def duration(ms: int, lang: str = "fr") -> str:
    """``25 s``, ``1 min 30 s``, ``500 ms``."""
    if ms < 1000 or ms % 1000:
        return f"{ms} ms"
    minutes, seconds = divmod(ms // 1000, 60)
    parts = ([f"{minutes} min"] if minutes else []) + ([f"{seconds} s"] if seconds or not minutes else [])
    return " ".join(parts)


def keys_text(keys: Iterable[str], lang: str) -> str:
    """Keys as typed: digits together, function keys by their name (APPEL, FIN…)."""
    out: list[str] = []
    for key in keys:
        if key in FUNCTION_KEY_TEXT:
            out.append(f" {text(FUNCTION_KEY_TEXT[key], lang).upper()} ")
        else:
            out.append(key)
    return " ".join("".join(out).split())


class Explainer:
    def __init__(self, company: CompanySpec) -> None:
        self.names: dict[str, str] = {}
        self.ids = {p.id for p in (*company.lines, *company.externals, *company.groups)}
        for party in (*company.lines, *company.externals, *company.groups):
            name = party.name or party.id
            for key in (party.id, party.number, getattr(party, "short", None)):
                if key:
                    self.names.setdefault(key, name)

    def name(self, ident: Any) -> str:
        if isinstance(ident, (list, tuple)):
            return ", ".join(self.name(i) for i in ident)
        return self.names.get(str(ident), str(ident))

    # ------------------------------------------------------------------ one step
    def sentence(self, step: Step, lang: str = "fr") -> str:
        action, args = step.action, step.args
        if action == "expect":
            said = self._expect(args.get("checks", ()), lang)
        else:
            said = self._action(action, args, lang)
        if step.fails is not None:
            said += text("explain.fails", lang, reason=reason_text(step.fails, lang), code=step.fails)
        return said

    def _action(self, action: str, args: Mapping[str, Any], lang: str) -> str:
        values: dict[str, Any] = {k: self.name(v) if k in ("party", "from", "line", "group", "as") else v
                                  for k, v in args.items()}
        party = args.get("party", args.get("from"))
        values.setdefault("party", self.name(party))
        values.setdefault("from", self.name(party))
        if action == "dial":
            target = str(args.get("to", ""))
            shown = self.name(target)
            values["to"] = shown if shown == target or target in self.ids else f"{shown} ({target})"
        elif action == "keys":
            values["keys"] = keys_text(args.get("keys", ()), lang)
        elif action == "move":
            values["location"] = text("location." + str(args.get("location")), lang)
        elif action in ("wait", "talk", "play"):
            values["duration"] = duration(int(args.get("ms", 0)), lang)
            if "file" in args:
                values["file"] = os.path.basename(str(args["file"]))
        elif action == "say" and lang == "en" and args.get("text_en"):
            values["text"] = args["text_en"]
        elif action == "portal":
            return self._portal(args, lang)
        return self._format("explain." + action, lang, values) or self._generic(action, args)

    def _portal(self, args: Mapping[str, Any], lang: str) -> str:
        who = args.get("as")
        actor = text("portal.role.manager", lang) if who == "manager" else self.name(who)
        params = {k: v for k, v in args.items() if k not in ("as", "do")}
        values: dict[str, Any] = {k: self._value(k, v, lang) for k, v in params.items()}
        what = self._format("explain.do." + str(args.get("do")), lang, values)
        if what is None:
            what = f"{args.get('do')} " + ", ".join(f"{k}={values[k]}" for k in values)
        else:
            extra = [f"{k}={values[k]}" for k in ("delay", "step") if k in values]
            what += f" ({', '.join(extra)})" if extra else ""
        return text("explain.portal", lang, who=actor, what=what)

    def _value(self, key: str, value: Any, lang: str) -> str:
        if key == "type":
            kinds = value if isinstance(value, (list, tuple)) else [value]
            return ", ".join(text("tui.forwarding." + str(k), lang) for k in kinds)
        if key == "mode":
            return text("ring_list." + str(value), lang)
        if key == "option":
            return text("option." + str(value), lang)
        if key == "numbers" and isinstance(value, (list, tuple)):
            return ", ".join(self.name(v) for v in value)
        if key in ("delay", "step"):
            return f"{value} s"
        return self.name(value)

    def _expect(self, checks: Iterable[tuple[str, Any]], lang: str) -> str:
        said = [f"{self.name(ident)} {self._state(exp, lang)}" for ident, exp in checks]
        return text("explain.expect", lang, checks=" ; ".join(said) if lang == "fr" else "; ".join(said))

    def _state(self, exp: Any, lang: str) -> str:
        parts = []
        if exp.plain is not None:
            parts.append(text("explain.plain." + exp.plain, lang))
        elif not exp.calls:
            parts.append(text("explain.plain.idle", lang))
        for state, parties in exp.calls:
            parts.append(text("explain.state." + state, lang, parties=self.name(list(parties))))
        if exp.tone is not None:
            parts.append(text("explain.tone", lang, tone=text("tone." + exp.tone, lang)))
        if exp.display is not None:
            parts.append(text("explain.display", lang, text=exp.display))
        if exp.forwarded_from is not None:
            parts.append(text("explain.forwarded_from", lang, who=self.name(exp.forwarded_from)))
        hears = getattr(exp, "hears", None)
        if hears is not None:
            heard = self.name(list(hears)) if hears else text("none", lang)
            parts.append(text("explain.hears", lang, parties=heard))
        return ", ".join(parts)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _format(key: str, lang: str, values: Mapping[str, Any]) -> str | None:
        template = text(key, lang)
        if template == key:
            return None
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return None

    def _generic(self, action: str, args: Mapping[str, Any]) -> str:
        shown = ", ".join(f"{k}: {self.name(v)}" for k, v in args.items())
        return f"{action}: {shown}" if shown else action

    # ------------------------------------------------------------------ a whole scenario
    def lines(self, scenario: Scenario, lang: str = "fr") -> list[str]:
        out = [scenario.name]
        if scenario.description:
            out.append(scenario.description)
        width = len(str(len(scenario.steps)))
        for index, step in enumerate(scenario.steps, 1):
            where = f"  ({text('explain.line', lang, line=step.line)})" if step.line else ""
            out.append(f"{index:>{width}}. {self.sentence(step, lang)}{where}")
        return out


def list_steps(company: CompanySpec, lang: str = "fr") -> list[str]:
    """Every step kind: an example as written in a file, then its sentence.

    The examples are parsed with the scenario rules, so a wrong example fails here."""
    import yaml

    from phone_sim.scenario.stepparser import parse_steps
    from phone_sim.scenario.yamlnodes import Lines, Where

    explainer = Explainer(company)
    out = []
    for action in ACTIONS:
        example = EXAMPLES.get(action)
        if example is None:  # a step kind added to the format without an example yet
            out.append(f"- {action}")
            continue
        if action in UNCHECKED:
            step = Step(action, UNCHECKED[action])
        else:
            data = yaml.safe_load(f"steps:\n  - {action}: {example}\n")
            step = parse_steps(Where("<example>", Lines()), data["steps"], company)[0]
        out.append(f"- {action}: {example}")
        out.append(f"    {explainer.sentence(step, lang)}")
    return out
