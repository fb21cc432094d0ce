"""Autopilot against the manual strategy, on the simulator with 40% of numbers never getting an
SMS, over many seeded runs on a FakeClock (minutes pass in milliseconds).

Manual: buy the cheapest number, wait the full expiry (20 min; SMSPool refunds it), buy the next.
Autopilot: the default plan (wait 180 s per number, then cancel through the lock, next one).
Figures: time to a code (median, mean, 90th percentile) and money held while waiting (time-
weighted mean of charged-not-refunded in the sim's own wallet, until the code).

Goal: mean and p90 time to code at most half the manual strategy's, the median never worse,
and no more than 1.5x the money held.   Run: python benchmarks/bench_autopilot.py [runs]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from _common import verdict

from smspool_tui.core.autopilot import Plan
from smspool_tui.core.order_model import OrderState
from tests.core.autopilot_rig import HEALTH_OFF, TELEGRAM, PilotRig
from tests.harness import open_session, start_sim

STEP = 5.0
MAX_ATTEMPTS = 10
TTL = 1200


class Meter:
    """Time to code and the time-weighted money held, sampled once per clock step."""

    def __init__(self, rig: PilotRig) -> None:
        self.rig = rig
        self.start = rig.sim.clock.monotonic()
        self.held_seconds = Decimal(0)

    def sample(self) -> None:
        self.held_seconds += self.rig.charged_not_refunded() * Decimal(str(STEP))

    def done(self) -> tuple[float, float]:
        took = self.rig.sim.clock.monotonic() - self.start
        return took, float(self.held_seconds) / max(took, STEP)


async def _rig(seed: int, root: Path) -> PilotRig:
    sim = start_sim(seed=seed, no_sms_rate=0.4, sms_delay=8.0, order_ttl=TTL, cancel_lock=60.0)
    rig = PilotRig(sim, root, open_session(sim, root, poll_interval=5))
    await rig.start_orders()
    return rig


async def autopilot_run(seed: int, root: Path) -> tuple[float, float] | None:
    rig = await _rig(seed, root)
    try:
        meter = Meter(rig)
        rig.checks.append(meter.sample)
        rig.launch(
            Plan(service_id=TELEGRAM, service_name="Telegram", max_attempts=MAX_ATTEMPTS),
            health=HEALTH_OFF,
        )
        result = await rig.finish(limit=TTL * MAX_ATTEMPTS, step=STEP)
        return meter.done() if result.kind == "code" else None
    finally:
        await rig.close()
        rig.sim.stop()


async def manual_run(seed: int, root: Path) -> tuple[float, float] | None:
    rig = await _rig(seed, root)
    try:
        meter = Meter(rig)
        catalog, orders = rig.session.catalog, rig.session.orders
        assert catalog is not None
        cheapest = (await catalog.suggested(TELEGRAM))[0]  # cheapest first
        for _ in range(MAX_ATTEMPTS):
            order = await orders.purchase(
                cheapest.country_id, TELEGRAM, country_name=cheapest.name, service_name="Telegram"
            )
            oid = order.order_id

            def over(oid: str = oid) -> bool:
                o = orders.get(oid)
                return o is not None and (bool(o.code) or o.status is OrderState.EXPIRED)

            rig.checks.append(meter.sample)
            await rig.until(over, limit=TTL * 2, step=STEP)
            rig.checks.remove(meter.sample)
            if orders.get(oid).code:  # type: ignore[union-attr]
                return meter.done()
        return None
    finally:
        await rig.close()
        rig.sim.stop()


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


async def main(runs: int) -> None:
    auto: list[tuple[float, float]] = []
    manual: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="smspool-bench-") as tmp:
        for seed in range(runs):
            a = await autopilot_run(seed, Path(tmp) / f"a{seed}")
            b = await manual_run(seed, Path(tmp) / f"m{seed}")
            if a:
                auto.append(a)
            if b:
                manual.append(b)
    at, mt = [t for t, _ in auto], [t for t, _ in manual]
    ah, mh = [h for _, h in auto], [h for _, h in manual]
    print(f"autopilot vs manual, {runs} seeded runs each, 40% of numbers never get an SMS")
    print(f"  runs with a code: autopilot {len(auto)}/{runs}, manual {len(manual)}/{runs}")
    for name, fn in (("median", statistics.median), ("mean", statistics.mean), ("p90", _p90)):
        ratio = fn(at) / fn(mt)
        goal = 1.0 if name == "median" else 0.5
        print(
            f"  time to code {name}: autopilot {fn(at):.0f} s, manual {fn(mt):.0f} s, "
            f"ratio {ratio:.2f}x   goal <= {goal:.1f}x  {verdict(ratio <= goal)}"
        )
    held = statistics.mean(ah) / statistics.mean(mh)
    print(
        f"  money held while waiting (time-weighted mean): autopilot ${statistics.mean(ah):.2f}, "
        f"manual ${statistics.mean(mh):.2f}, ratio {held:.2f}x   "
        f"goal <= 1.5x  {verdict(held <= 1.5)}"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 24))
