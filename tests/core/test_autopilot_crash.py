"""Kill the autopilot at random moments (its task and the orders monitor cancelled mid-step,
a new session on the same journal, as after a SIGKILL), resume it from the journal, many seeds.
Checked against the simulator's own ledger on every step: the budget is never passed, never
more numbers live than asked, never more purchases than allowed, every number bought belongs to
exactly one attempt."""

from __future__ import annotations

import asyncio
import os
import random
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.core.autopilot import RESULT_KINDS, AttemptStarted, AutopilotResult
from tests.core.autopilot_rig import HEALTH_OFF, PilotRig, telegram_us
from tests.harness import open_session, start_sim

SEEDS = int(os.environ.get("AUTOPILOT_SEEDS", "12"))


async def _resume_until_done(rig: PilotRig) -> AutopilotResult | None:
    """Resume whatever is open; an unclear purchase is waited out (the poller settles it)."""
    for _ in range(4):
        pilot = await rig.resume(health=HEALTH_OFF)
        if pilot is None:
            return None
        result = await rig.finish(limit=6000)
        if result.kind != "unknown":
            return result
        await rig.until(lambda: rig.session.orders.ledger.open() == [], limit=2000, step=30)
    raise AssertionError("still unknown after the poller settled it")


async def _into_a_purchase(rig: PilotRig, rng: random.Random) -> None:
    """Move on until the autopilot starts a purchase; the server answers slowly (after it made
    the order), so the kill lands before, during or after the request."""
    rig.sim.engine.set_faults(latency=0.03)
    started = len(rig.of(AttemptStarted))
    for _ in range(400):
        if rig.task is None or rig.task.done() or len(rig.of(AttemptStarted)) > started:
            break
        rig.sim.clock.advance(5.0)
        await asyncio.sleep(0.002)  # a random moment to die at, not a wait for a state
    for _ in range(rng.randint(0, 3)):
        await asyncio.sleep(rng.choice([0.0, 0.01, 0.04]))


@pytest.mark.parametrize("seed", range(SEEDS))
async def test_crash_and_resume_never_buys_twice_nor_passes_the_budget(
    seed: int, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    lock = rng.choice([60.0, 90.0, 120.0])  # above the wait, a cancel is queued: still held
    sim = start_sim(seed=seed, no_sms_rate=0.5, sms_delay=rng.uniform(5, 70), cancel_lock=lock)
    rig = PilotRig(sim, tmp_path, open_session(sim, tmp_path))
    engine = sim.engine
    cheapest = engine.catalog.offers(engine.catalog.country("US"), engine.catalog.service("907"))
    budget = cheapest[0].price * rng.choice([1, 2, 3]) + Decimal("0.01")
    plan = telegram_us(budget=budget, race=rng.choice([1, 1, 2]), max_attempts=4)

    def check() -> None:
        assert rig.charged_not_refunded() <= budget
        assert rig.pending_on_server() <= plan.race
        assert len(sim.engine.orders) <= plan.max_attempts  # type: ignore[operator]

    rig.checks.append(check)
    try:
        await rig.start_orders()
        rig.launch(plan, health=HEALTH_OFF)
        result: AutopilotResult | None = None
        for _ in range(rng.randint(1, 3)):
            for _ in range(rng.randint(0, 40)):
                if rig.task is None or rig.task.done():
                    break
                await rig.step(rng.choice([1.0, 5.0, 17.0]))
            if rng.random() < 0.5:
                await _into_a_purchase(rig, rng)
            else:
                sim.clock.advance(rng.choice([0.0, 1.0, 5.0]))
                for _ in range(rng.randint(0, 6)):  # anywhere: mid-cancel, mid-poll, asleep
                    await asyncio.sleep(0)
            await rig.crash()
            engine.set_faults(latency=0.0)
            check()
            await rig.start_orders()
            if (result := await _resume_until_done(rig)) is not None:
                break
            if rig.task is None:
                break
        if rig.task is not None and not rig.task.done():
            result = await rig.finish(limit=6000)
        if result is not None and result.kind == "unknown":
            await rig.until(lambda: rig.session.orders.ledger.open() == [], step=30)
            result = await _resume_until_done(rig) or result
        check()
        runs = [r for r in (rig.session.journal.get_autopilot(1),) if r is not None]
        if not runs:  # killed while ranking, before the run was journaled: nothing bought
            assert sim.engine.orders == {} and sim.engine.count("purchase/sms") == 0
            return
        assert len(runs) == 1 and runs[0].state == "finished", runs
        assert runs[0].kind in RESULT_KINDS
        attempts = rig.session.journal.attempts(1)
        owned = [a.order_id for a in attempts if a.order_id]
        assert sorted(owned) == sorted(sim.engine.orders), "every number bought is one attempt's"
        if runs[0].kind == "code":
            with_code = [a for a in attempts if a.state == "code"]
            assert with_code and all(sim.engine.orders[a.order_id].sms for a in with_code)
    finally:
        await rig.close()
        sim.stop()
