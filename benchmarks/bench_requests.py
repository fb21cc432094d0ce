"""Requests per poll cycle with 1, 10 and 50 active orders: the app's one request/active per
cycle stays flat, where a naive poller (one sms/check per order) grows with the board.

Goal: at most 2 requests per cycle at any board size.   Run: python benchmarks/bench_requests.py
"""

from __future__ import annotations

import asyncio
import tempfile
from decimal import Decimal
from pathlib import Path

from _common import verdict

from smspool_tui.sim.engine import SimEngine
from tests.harness import open_session, start_sim

SIZES = (1, 10, 50)
CYCLES = 5
GOAL = 2.0


async def per_cycle(size: int) -> tuple[float, float]:
    sim = start_sim(seed=5, balance=Decimal("100000"), no_sms_rate=1.0, order_ttl=10**6)
    engine: SimEngine = sim.engine
    try:
        for _ in range(size):
            engine.handle("POST", "purchase/sms", {"country": "US", "service": "Telegram"}, sim.key)
        with tempfile.TemporaryDirectory() as root:
            session = open_session(sim, Path(root), poll_interval=2)
            try:
                await session.orders.reconcile()
                await session.orders.poll_once()  # settle: adopted rows are known now
                start = session.client.request_count
                for _ in range(CYCLES):
                    sim.clock.advance(2)
                    await session.orders.poll_once()
                app_rate = (session.client.request_count - start) / CYCLES
                start = session.client.request_count
                for _ in range(CYCLES):  # the naive way: ask about every order, every cycle
                    for oid in list(engine.orders):
                        await session.client.check_sms(oid)
                naive = (session.client.request_count - start) / CYCLES
            finally:
                await session.aclose()
    finally:
        sim.stop()
    return app_rate, naive


def main() -> None:
    rows = [(size, *asyncio.run(per_cycle(size))) for size in SIZES]
    worst = max(rate for _, rate, _ in rows)
    print("requests per poll cycle (mean of 5 cycles)")
    for size, rate, naive in rows:
        print(f"  {size:>2} orders: app {rate:4.1f}   naive per-order poller {naive:4.1f}")
    print(
        f"  worst {worst:.1f} requests/cycle at {SIZES[-1]} orders   goal <= {GOAL:.0f} (flat)  "
        f"{verdict(worst <= GOAL)}"
    )


if __name__ == "__main__":
    main()
