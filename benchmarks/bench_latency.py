"""SMS-to-screen latency on the simulator with the real clock.

Goal: at most the poll interval + 100 ms. Each sample buys a number (no SMS scheduled), waits a
random phase of the poll cycle, delivers an SMS in the simulator and times until the board's
code cell shows it.   Run: python benchmarks/bench_latency.py [samples] [poll_interval]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time

from _common import Bench, verdict

from smspool_tui.ui.widgets.order_table import CODE_MARK, OrderTable


async def measure(samples: int, interval: float) -> list[float]:
    bench = Bench(seed=7, no_sms_rate=1.0)
    rng = random.Random(1)
    out: list[float] = []
    try:
        app = bench.app(poll_interval=interval)
        async with app.run_test(size=(120, 40)):
            orders = app.session.orders
            while getattr(orders, "last_ok_at", None) is None:
                await asyncio.sleep(0.01)
            for _ in range(samples):
                order = await orders.purchase(
                    "US", "Telegram", country_name="US", service_name="Telegram"
                )
                table = app.screen.query_one(OrderTable)
                while order.order_id not in table.orders:
                    await asyncio.sleep(0.005)
                await asyncio.sleep(rng.uniform(0.2, interval + 0.2))  # a random poll phase
                start = time.perf_counter()
                bench.engine.deliver_sms(order.order_id)
                while not table.cell_text(order.order_id, "code").startswith(CODE_MARK):
                    await asyncio.sleep(0.002)
                out.append(time.perf_counter() - start)
    finally:
        bench.close()
    return out


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    lat = asyncio.run(measure(samples, interval))
    goal = interval + 0.1
    print(f"SMS-to-screen latency, poll interval {interval:.1f} s, {len(lat)} samples")
    print(f"  median {statistics.median(lat) * 1000:7.0f} ms")
    print(
        f"  max    {max(lat) * 1000:7.0f} ms   goal <= {goal * 1000:.0f} ms  "
        f"{verdict(max(lat) <= goal)}"
    )
    print("  samples (ms): " + ", ".join(f"{x * 1000:.0f}" for x in lat))


if __name__ == "__main__":
    main()
