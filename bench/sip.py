"""Benchmark of the SIP gateway on loopback, driven by SIPp (a script, not a test).

- registrations: 100 lines register (digest: 401 then 200), timed;
- call set-ups per second: SIPp places calls from those 100 lines to a group's voice
  menu (the network answers at once): INVITE, 401, INVITE with digest, 100, 200, ACK, BYE,
  200 - each call one set-up and one release through the gateway, its digest check, the
  network's dial and the log line of each transaction (formatted, then dropped). SIPp
  offers a rate above the target with a cap on calls in flight, so the figure is what the
  gateway sustains (target: >= 200 call set-ups/s);
- RTP: 20 calls held up at once, the gateway sending each line's earpiece every 20 ms
  (SIPp sends none back: its scenario plays no pcap); how late each frame leaves the gateway
  (the moment its sendto returns, after its 20 ms slot began) is recorded (target:
  >= 99.9 % of frames within 5 ms of their slot).

Usage: python bench/sip.py [--calls N] [--rate R] [--rtp-seconds S]
The machine's load average is printed beside the figures: they are noisy under load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from phone_sim.network.company import CompanySpec, GroupSpec, LineSpec  # noqa: E402
from phone_sim.network.switch import Network  # noqa: E402
from phone_sim.sip.auth import FileCredentials  # noqa: E402
from phone_sim.sip.gateway import Gateway, Options  # noqa: E402
from phone_sim.sip.transport import Limits  # noqa: E402

HERE = Path(__file__).parent
SCENARIOS = HERE / "sip"
REGISTER = HERE.parent / "tests" / "sip" / "scenarios" / "register.xml"
MENU = "*0609000000"


def company(lines: int) -> CompanySpec:
    specs = tuple(LineSpec(f"L{i:03d}", f"Ligne {i}", f"06{i:08d}", options=frozenset({"pabx", "double_appel"}),
                           sip_secret=f"secret-{i:03d}") for i in range(lines))
    group = GroupSpec("G", "0609000000", "Bench", "1234", "4321", members=(specs[0].id,))
    return CompanySpec("Bench", specs, groups=(group,))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def users(path: Path, lines: int) -> Path:
    rows = [f"L{i:03d};[authentication username=L{i:03d} password=secret-{i:03d}]" for i in range(lines)]
    path.write_text("SEQUENTIAL\n" + "\n".join(rows) + "\n")
    return path


async def sipp(port: int, scenario: Path, inf: Path, *args: str, timeout_s: float = 300) -> tuple[int, float, str]:
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        "sipp", f"127.0.0.1:{port}", "-sf", str(scenario), "-inf", str(inf), "-i", "127.0.0.1", "-p", str(free_port()),
        "-nostdin", "-nd", "-timeout", f"{int(timeout_s)}s", "-recv_timeout", "8000", *args, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, cwd=tempfile.gettempdir())
    out, _ = await asyncio.wait_for(process.communicate(), timeout_s + 30)
    return process.returncode or 0, time.perf_counter() - start, out.decode(errors="replace")


async def bench(args: argparse.Namespace) -> None:
    spec = company(100)
    net = Network(spec)
    logged = [0]

    def log(line: str) -> None:  # what `phone-sim sip` prints, formatted then dropped
        logged[0] += 1

    gateway = Gateway(net, FileCredentials(spec.lines), Options("127.0.0.1", 0, lang="en",
                      limits=Limits(rate=50_000.0, burst=100_000.0)), transaction_log=log)
    await gateway.start()
    work = Path(tempfile.mkdtemp(prefix="phone-sim-bench-"))
    try:
        inf = users(work / "users.csv", 100)
        rc, elapsed, out = await sipp(gateway.port, REGISTER, inf, "-m", "100", "-r", "200", "-l", "50")
        print(f"registrations: 100 lines in {elapsed:.2f} s (sipp exit {rc}; {len(gateway.registrar.bindings)} bound)")

        cpu = time.process_time()
        rc, elapsed, out = await sipp(gateway.port, SCENARIOS / "call_menu.xml", inf, "-s", MENU, "-d", "0",
                                      "-m", str(args.calls), "-r", str(args.rate), "-l", "100")
        cpu = time.process_time() - cpu  # the gateway's own CPU (SIPp is another process)
        failed = _stat(out, "Failed call")
        print(f"call set-ups: {args.calls} calls in {elapsed:.2f} s = {args.calls / elapsed:.0f} calls/s "
              f"(offered {args.rate}/s, sipp exit {rc}, failed {failed}; target >= 200/s); "
              f"{logged[0]} log lines")
        print(f"  gateway CPU: {cpu * 1000 / args.calls:.2f} ms a call set-up and release, i.e. "
              f"{args.calls / cpu:.0f} calls/s for one whole core")

        gateway.ticker.lateness.clear()
        extra = ("-d", str(int(args.rtp_seconds * 1000) + 4000))
        task = asyncio.get_running_loop().create_task(
            sipp(gateway.port, SCENARIOS / "call_menu.xml", inf, "-s", MENU, *extra, "-m", "20", "-r", "20",
                 "-l", "20", timeout_s=args.rtp_seconds + 60))
        deadline = time.monotonic() + 30
        while len(gateway.calls.by_sip) < 20 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        up = len(gateway.calls.by_sip)
        gateway.ticker.record = True
        sent_before = sum(call.rtp.stats.sent for call in gateway.calls.by_sip.values())
        await asyncio.sleep(args.rtp_seconds)
        gateway.ticker.record = False
        sent = sum(call.rtp.stats.sent for call in gateway.calls.by_sip.values()) - sent_before
        late = gateway.ticker.lateness
        within = sum(1 for x in late if abs(x) <= 0.005) / max(1, len(late))
        worst = max(late, default=0.0)
        late.sort()
        p99 = late[int(len(late) * 0.99)] if late else 0.0
        print(f"RTP: {up} calls up, {len(late)} frames timed, {sent} sent; {within * 100:.2f} % within 5 ms of their slot "
              f"(target >= 99.9 %); 99th percentile {p99 * 1000:.2f} ms, worst {worst * 1000:.1f} ms")
        rc, elapsed, out = await task
    finally:
        await gateway.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")


def _stat(out: str, name: str) -> str:
    for line in out.splitlines():
        if line.strip().startswith(name):
            parts = [p.strip() for p in line.split("|")]
            return parts[-1] if len(parts) > 2 else line
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rate", type=int, default=300, help="calls per second SIPp offers")
    parser.add_argument("--rtp-seconds", type=float, default=10.0)
    if shutil.which("sipp") is None:
        print("SIPp (Debian package sip-tester) is needed: apt-get install sip-tester")
        raise SystemExit(2)
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
