"""A simulator process making portal changes as fast as it can (run by test_store_kill.py).

Each accepted change is printed ("ack <n> <operation> <value>") only after the portal
returned, that is after the store committed it. The test kills this process with SIGKILL
in the middle of the burst and then checks every acknowledged change is in the database.
"""

from __future__ import annotations

import sys

from phone_sim.store import open_network


def main(data: str, limit: int = 100_000) -> None:
    net, store = open_network(data, announce=lambda _: None)
    print("ready", flush=True)
    for n in range(1, limit):
        if n % 3:
            value = f"06{n:08d}"
            params = {"line": "A", "type": "busy", "to": value}
            operation = "set_forwarding"
        else:
            operation = "connect" if n % 2 else "disconnect"
            params = {"group": "COM", "line": "MME_C"}
            value = operation + "ed"
        params["n"] = n  # ignored by the portal, kept in the audit's parameters
        if net.portal.execute("manager", operation, params) is None:
            print(f"ack {n} {operation} {value}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
