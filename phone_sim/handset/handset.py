"""The handset device model: keys in, requests to the network out (SPEC 2, 8).

Idle, digits build a number and CALL places the call or runs an MMI code. During a call
digits are DTMF sent in-band and also collected, so CALL can place a second call or run a
call-related code (``0``, ``1``, ``1X``, ``2``, ``2X``, ``3``, ``4``); ``#`` then ``1`` is
always the transfer command, acted on at the ``1`` and never sent as DTMF. Scenario
steps, the TUI's buttons and its keyboard all come through ``press``.
"""

from __future__ import annotations

import re

from phone_sim.handset import mmi
from phone_sim.network.events import KeyWasPressed
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.network.views import HandsetView

DIGITS = frozenset("0123456789*#+")  # "+" is the long press of 0 on a mobile keypad
FUNCTION_KEYS = ("call", "end", "hold", "conf")
KEYS = tuple("123456789*0#") + FUNCTION_KEYS
# what people write between digits and never key
SEPARATORS = frozenset(" .-()/")
CALL_RELATED = re.compile(r"^(?:[0-4]|[12][1-9])$")


def keys_of_number(number: str) -> list[str]:
    """The keys a person presses for a number as written: separators are not keyed."""
    return [char for char in number if char not in SEPARATORS]


class Handset:
    def __init__(self, net: Network, party: str) -> None:
        self.net = net
        self.party = party
        self.buffer = ""
        self._hash_pending = False
        # the buffer was keyed during a call: it dies with the last call (as a phone's
        # in-call keypad closes), so the handset never looks "dialing" after a call
        self._buffer_in_call = False

    @property
    def in_call(self) -> bool:
        return bool(self.net.parties[self.party].legs)

    def _drop_stale_buffer(self) -> None:
        if self._buffer_in_call and not self.in_call:
            self.buffer = ""
            self._hash_pending = False
            self._buffer_in_call = False

    def view(self) -> HandsetView:
        self._drop_stale_buffer()
        return self.net.view(self.party, dialing=bool(self.buffer) and not self.in_call)

    def press(self, key: str) -> Refused | None:
        """Press one key: ``0-9 * #`` or ``call``, ``end``, ``hold``, ``conf``."""
        net = self.net
        if key not in DIGITS and key not in FUNCTION_KEYS:
            return self._refuse(key, Refused("invalid_value", key))
        net.publish(KeyWasPressed(net.now, self.party, key))
        party = net.parties[self.party]
        if not party.power:
            return self._refuse(key, Refused("handset_off"))
        net.clear_notice(self.party)
        self._drop_stale_buffer()
        if key in DIGITS:
            return self._digit(key)
        if key == "call":
            return self._call()
        self._flush_hash(send=False)
        if key == "end":
            if self.buffer and not self.in_call:
                self.buffer = ""
                net.touch(party)
                net.flush()
                return None
            self.buffer = ""
            return net.end(self.party)
        self.buffer = ""
        if key == "hold":
            return net.hold(self.party)
        return net.conference(self.party)

    def press_all(self, keys: str | list[str] | tuple[str, ...]) -> list[Refused]:
        refusals = []
        for key in keys:
            result = self.press(key)
            if isinstance(result, Refused):
                refusals.append(result)
        return refusals

    def _digit(self, key: str) -> Refused | None:
        net = self.net
        if not self.in_call:
            self.buffer += key
            net.touch(net.parties[self.party])
            net.flush()
            return None
        self._buffer_in_call = True
        if self._hash_pending:
            self._hash_pending = False
            if key == "1":
                self.buffer = ""
                return net.transfer(self.party)
            self._send("#")
        if key == "#":
            self._hash_pending = True
            return None
        if key == "+":  # no DTMF tone for "+": it only starts a number for a second call
            self.buffer += key
            net.touch(net.parties[self.party])
            net.flush()
            return None
        self._send(key)
        return None

    def _send(self, key: str) -> None:
        self.buffer += key
        party = self.net.parties[self.party]
        if any(leg.state == "connected" for leg in party.legs):
            self.net.dtmf(self.party, key)

    def _flush_hash(self, send: bool) -> None:
        if self._hash_pending:
            self._hash_pending = False
            if send:
                self._send("#")

    def _call(self) -> Refused | None:
        net = self.net
        self._flush_hash(send=True)
        digits, self.buffer = self.buffer, ""
        if not digits:
            return net.answer(self.party)
        if self.in_call and CALL_RELATED.match(digits):
            return net.call_related(self.party, digits)
        if mmi.is_mmi(digits):
            result = mmi.run(net, self.party, digits)
            if isinstance(result, Refused):
                return self._refuse("mmi", result)
            return None
        result = net.dial(self.party, digits)
        return result if isinstance(result, Refused) else None

    def _refuse(self, what: str, refusal: Refused) -> Refused:
        self.net.report_refusal(self.party, what, refusal)
        self.net.flush()
        return refusal
