"""Idle CPU of the open Orders board with 20 orders (goal: < 2% of one core).

The parent starts a child process that runs the whole app headless (monitors on, real clock,
simulator on loopback in the same process), waits until the board shows 20 orders, then measures
its own CPU time (resource.getrusage: user + system, all threads) over a wall-clock window.
Run: python benchmarks/bench_idle_cpu.py [seconds] [poll_interval]
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import time

from _common import Bench, verdict

ORDERS = 20


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def child(seconds: float, interval: float) -> dict[str, float]:
    from smspool_tui.ui.widgets.order_table import OrderTable

    bench = Bench(seed=3, sms_delay=3.0, no_sms_rate=0.5)
    try:
        for i in range(ORDERS):
            bench.buy_elsewhere(("Telegram", "WhatsApp", "Discord")[i % 3])
        app = bench.app(poll_interval=interval)
        async with app.run_test(size=(120, 40)):
            table = app.screen.query_one(OrderTable)
            while len(table.orders) < ORDERS:
                await asyncio.sleep(0.05)
            await asyncio.sleep(5)  # let the codes land and the first paints settle
            requests = len(bench.engine.requests)
            cpu0, wall0 = cpu_seconds(), time.perf_counter()
            await asyncio.sleep(seconds)
            cpu, wall = cpu_seconds() - cpu0, time.perf_counter() - wall0
            received = sum(1 for o in table.orders.values() if o.code)
            return {
                "cpu": cpu,
                "wall": wall,
                "requests": len(bench.engine.requests) - requests,
                "rows": len(table.orders),
                "received": received,
            }
    finally:
        bench.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        result = asyncio.run(child(float(sys.argv[2]), float(sys.argv[3])))
        print(json.dumps(result))
        return
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(seconds), str(interval)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    share = 100.0 * result["cpu"] / result["wall"]
    print(
        f"Idle CPU, Orders board open with {result['rows']} orders "
        f"({result['received']} with a code), poll interval {interval:.0f} s, "
        f"{result['wall']:.1f} s window"
    )
    print(
        f"  CPU {result['cpu'] * 1000:.0f} ms = {share:.2f}% of one core   goal < 2%  "
        f"{verdict(share < 2.0)}"
    )
    print(
        f"  requests to the server in the window: {result['requests']} "
        f"(orders, balance and rentals monitors)"
    )
    print(
        "  includes the in-process simulator and pilot; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other load inflates CPU time)"
    )


if __name__ == "__main__":
    main()
