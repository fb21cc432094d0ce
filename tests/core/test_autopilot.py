"""The autopilot on the simulator over loopback HTTP, one test per branch, on a FakeClock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smspool_tui.core.autopilot import (
    AttemptBought,
    AttemptEnded,
    AttemptStarted,
    AutopilotFinished,
    AutopilotNotice,
    HealthLimits,
    Plan,
    as_json,
)
from smspool_tui.core.autopilot import model as m
from tests.core.autopilot_rig import DELTA, FOXTROT, OSCAR, TELEGRAM, US, PilotRig, telegram_us
from tests.harness import open_session, start_sim, wait_until

Factory = Callable[..., "Any"]


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    rigs: list[PilotRig] = []

    async def build(**engine: Any) -> PilotRig:
        engine.setdefault("sms_delay", 8.0)
        sim = start_sim(**engine)
        root = tmp_path / f"home{len(rigs)}"
        rig = PilotRig(sim, root, open_session(sim, root))
        rigs.append(rig)
        await rig.start_orders()
        return rig

    yield build
    for rig in rigs:
        await rig.close()
        rig.sim.stop()


def purchases(rig: PilotRig) -> list[dict[str, str]]:
    return [r.params for r in rig.engine.requests if r.path.endswith("purchase/sms")]


async def test_code_on_the_first_attempt(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.launch(telegram_us())
    result = await rig.finish()
    assert result.kind == "code"
    [attempt] = result.attempts
    server = rig.engine.orders[attempt.order_id]
    assert result.order is not None and result.order.code == server.sms[0].code
    assert result.order.full_sms == server.sms[0].text
    assert attempt.state == m.CODE and attempt.pool == DELTA
    assert result.spent == server.cost and result.held == 0
    assert rig.engine.balance == Decimal("50.00") - server.cost
    assert len(purchases(rig)) == 1
    kinds = [
        type(e)
        for e in rig.events
        if type(e) in (AttemptStarted, AttemptBought, AttemptEnded, AutopilotFinished)
    ]
    assert kinds == [AttemptStarted, AttemptBought, AttemptEnded, AutopilotFinished]
    started = rig.of(AttemptStarted)[0]
    assert (started.n, started.of, started.price) == (1, 3, Decimal("0.38"))
    line = as_json(rig.of(AutopilotFinished)[0])
    assert line["result"]["kind"] == "code" and line["result"]["spent"] == str(server.cost)


async def test_no_code_is_cancelled_then_the_next_candidate(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0, pool=DELTA)
    rig.launch(telegram_us())
    result = await rig.finish()
    assert result.kind == "code"
    first, second = result.attempts
    assert (first.pool, first.state) == (DELTA, m.CANCELLED)
    assert "no code within 60s" in first.why
    assert rig.engine.orders[first.order_id].cancelled_at is not None
    assert (second.pool, second.state) == (FOXTROT, m.CODE)
    # The refund came back before the second number was bought.
    assert (
        rig.engine.orders[first.order_id].cancelled_at <= rig.engine.orders[second.order_id].created
    )
    assert rig.engine.balance == Decimal("50.00") - rig.engine.orders[second.order_id].cost
    assert result.held == 0 and len(purchases(rig)) == 2


async def test_out_of_stock_is_skipped_without_spending(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_stock("US", "Telegram", 0, pool=DELTA)  # known before: never sent
    pilot = rig.launch(telegram_us(), paused=True)
    await rig.until(lambda: bool(pilot.candidates))
    assert [c.pool for c in pilot.candidates] == [FOXTROT, OSCAR]
    rig.engine.set_stock("US", "Telegram", 0, pool=FOXTROT)  # runs out after the ranking
    pilot.resume()
    result = await rig.finish()
    assert result.kind == "code"
    refused, won = result.attempts
    assert (refused.pool, refused.state, refused.order_id) == (FOXTROT, m.REFUSED, None)
    assert (won.pool, won.state) == (OSCAR, m.CODE)
    assert [p.get("pool") for p in purchases(rig)] == [str(FOXTROT), str(OSCAR)]
    assert rig.engine.balance == Decimal("50.00") - Decimal("0.41")


async def test_nothing_to_buy(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.launch(telegram_us(max_price=Decimal("0.20")))
    result = await rig.finish()
    assert result.kind == "nothing_to_buy" and "over the cap" in result.reason
    rig.launch(telegram_us(budget=Decimal("0.30")))
    result = await rig.finish()
    assert result.kind == "nothing_to_buy" and "budget" in result.reason
    assert purchases(rig) == [] and result.attempts == ()


async def test_unknown_outcome_stops_until_settled(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.force_fault("500", 1, "purchase/sms")  # no clear answer (nothing was made)
    rig.launch(telegram_us())
    result = await rig.finish()
    assert result.kind == "unknown"
    [attempt] = result.attempts
    assert attempt.state == m.UNKNOWN and result.held == Decimal("0.38")
    assert rig.session.journal.get_autopilot(result.run_id).state == "blocked"
    assert await rig.resume() is not None  # still unknown: it stops again, buying nothing
    assert (await rig.finish()).kind == "unknown" and len(purchases(rig)) == 1
    # The poller settles it (not on the server after 10 minutes); then the run goes on.
    await rig.until(lambda: rig.session.orders.ledger.open() == [], step=30)
    assert await rig.resume() is not None
    result = await rig.finish()
    assert result.kind == "code" and len(purchases(rig)) == 2 and len(rig.engine.orders) == 1
    assert [a.state for a in result.attempts] == [m.NOT_BOUGHT, m.CODE]


async def test_a_lost_answer_matched_by_the_poller_is_the_attempt(
    make: Callable[..., Any],
) -> None:
    rig = await make()
    rig.engine.force_fault("wrongtype", 1, "purchase/sms")  # bought, answer unreadable
    rig.launch(telegram_us())
    result = await rig.finish()
    assert len(purchases(rig)) == 1 and len(rig.engine.orders) == 1
    assert result.kind in ("code", "unknown")
    if result.kind == "unknown":  # the answer came before the poller saw the order
        await rig.until(lambda: rig.session.orders.ledger.open() == [])
        await rig.resume()
        result = await rig.finish()
    assert result.kind == "code" and len(purchases(rig)) == 1
    [attempt] = result.attempts
    assert attempt.order_id in rig.engine.orders


async def test_unknown_elsewhere_blocks_the_start(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.force_fault("500", 1, "purchase/sms")
    with pytest.raises(Exception, match="No clear answer"):
        await rig.session.orders.purchase(
            US, TELEGRAM, country_name="United States", service_name="Telegram"
        )
    rig.launch(telegram_us())
    result = await rig.finish()
    assert result.kind == "unknown" and len(purchases(rig)) == 1 and result.attempts == ()


async def test_late_code_on_an_earlier_attempt_wins(make: Callable[..., Any]) -> None:
    rig = await make(cancel_lock=120.0)  # the cancel at 60 s is refused, then queued
    rig.engine.set_no_sms(1.0)
    pilot = rig.launch(telegram_us())
    await rig.until(lambda: any(a.state == m.CANCELLING for a in pilot.attempts))
    first = pilot.attempts[0]
    rig.engine.deliver_sms(first.order_id, "Telegram code 55123")
    result = await rig.finish()
    assert result.kind == "code" and result.order is not None
    assert result.order.order_id == first.order_id and result.order.code == "55123"
    assert len(purchases(rig)) == 1


async def test_budget_is_never_passed_and_waits_for_refunds(make: Callable[..., Any]) -> None:
    rig = await make(cancel_lock=90.0)  # each cancel waits ~30 s behind the lock: still held
    rig.engine.set_no_sms(1.0, pool=DELTA)
    rig.engine.set_no_sms(1.0, pool=FOXTROT)
    budget = Decimal("0.50")  # room for one number at a time, though race asks for two
    seen: list[int] = []

    def check() -> None:
        assert rig.charged_not_refunded() <= budget
        seen.append(rig.pending_on_server())

    rig.checks.append(check)
    rig.launch(telegram_us(budget=budget, race=2))
    result = await rig.finish()
    assert result.kind == "code"
    assert [a.state for a in result.attempts] == [m.CANCELLED, m.CANCELLED, m.CODE]
    assert max(seen) == 1
    assert result.spent == Decimal("0.41") and result.held == 0
    assert any("until its cancel is confirmed" in n.text for n in rig.of(AutopilotNotice))


async def test_budget_used_up(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0, pool=DELTA)
    rig.engine.set_no_sms(1.0, pool=FOXTROT)
    rig.launch(telegram_us(budget=Decimal("0.40")))  # Oscar ($0.41) never fits
    result = await rig.finish()
    assert result.kind == "exhausted" and "more than the budget" in result.reason
    assert [a.pool for a in result.attempts] == [DELTA, FOXTROT]
    assert rig.engine.balance == Decimal("50.00") and result.held == 0


async def test_attempts_exhausted(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0)
    rig.launch(telegram_us(max_attempts=2))
    result = await rig.finish()
    assert result.kind == "exhausted"
    assert [a.state for a in result.attempts] == [m.CANCELLED, m.CANCELLED]
    assert len(purchases(rig)) == 2 and rig.engine.balance == Decimal("50.00")


async def test_account_health_stop(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0)
    rig.launch(telegram_us(max_attempts=6), health=HealthLimits(in_row=2, per_hour=10))
    result = await rig.finish()
    assert result.kind == "health" and "2 failed purchases or cancels in a row" in result.reason
    assert len(purchases(rig)) == 2
    # The journal remembers: a new run an hour later is allowed, one now is not.
    rig.launch(telegram_us(max_attempts=6), health=HealthLimits(in_row=2, per_hour=10))
    again = await rig.finish()
    assert again.kind == "health" and len(purchases(rig)) == 2


async def test_race_mode_two_live_and_the_loser_is_cancelled(make: Callable[..., Any]) -> None:
    rig = await make(sms_delay=30.0)
    rig.engine.set_no_sms(1.0, pool=DELTA)
    live: list[int] = []
    rig.checks.append(lambda: live.append(rig.pending_on_server()))
    rig.launch(telegram_us(race=2))
    result = await rig.finish()
    assert result.kind == "code"
    loser, winner = result.attempts
    assert (loser.pool, winner.pool, winner.state) == (DELTA, FOXTROT, m.CODE)
    assert max(live) == 2
    assert result.held == Decimal("0.38")  # the loser's cancel waits behind the lock
    settling = asyncio.get_running_loop().create_task(rig.pilot.settle())  # type: ignore[union-attr]
    await rig.until(settling.done)
    assert settling.result() == 0
    assert rig.engine.orders[loser.order_id].cancelled_at is not None
    assert rig.engine.balance == Decimal("50.00") - Decimal("0.38")
    states = {a.n: a.state for a in rig.session.journal.attempts(result.run_id)}
    assert states == {1: m.CANCELLED, 2: m.CODE}


async def test_stop_and_skip(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0)
    pilot = rig.launch(telegram_us(wait=600.0))
    await rig.until(lambda: len(pilot.attempts) == 1 and pilot.attempts[0].state == m.LIVE)
    await rig.step(65)  # past the cancel lock
    pilot.skip()
    await rig.until(lambda: len(pilot.attempts) == 2 and pilot.attempts[1].state == m.LIVE)
    assert pilot.attempts[0].state == m.CANCELLED and "skipped" in pilot.attempts[0].why
    pilot.stop()
    result = await rig.finish()
    assert result.kind == "stopped"
    await rig.until(lambda: rig.engine.balance == Decimal("50.00"))


async def test_wait_is_clamped_to_the_cancel_lock(make: Callable[..., Any]) -> None:
    rig = await make()
    pilot = rig.launch(telegram_us(wait=10.0))
    assert pilot.plan.wait == 60.0 and "cancel lock" in pilot.notes[0]
    await rig.finish()


async def test_the_demo_discord_autopilot_wins_on_the_third_attempt(
    make: Callable[..., Any],
) -> None:
    rig = await make(sms_delay=6.0, cancel_lock=45.0)
    rig.engine.seed_demo()
    plan = Plan(service_id=263, service_name="Discord", budget=Decimal("1.00"), wait=60.0)
    pilot = rig.launch(plan)  # no countries given: the server's suggestions, ranked
    result = await rig.finish()
    assert result.kind == "code", result.reason
    assert [a.state for a in result.attempts] == [m.CANCELLED, m.CANCELLED, m.CODE]
    assert len({(a.country_id, a.pool) for a in result.attempts}) == 3
    scores = [c.score for c in pilot.candidates]
    assert scores == sorted(scores, reverse=True) and len(pilot.candidates) > 3
    assert "chance" in pilot.candidates[0].parts.explain()


async def test_own_record_counts_in_the_ranking(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0, pool=DELTA)
    rig.launch(telegram_us(max_attempts=2))
    first = await rig.finish()
    assert [a.pool for a in first.attempts] == [DELTA, FOXTROT]
    pilot = rig.launch(telegram_us(max_attempts=1))
    await rig.finish()
    best, *_, worst = pilot.candidates
    assert best.pool == FOXTROT and best.parts.own_codes == 1  # 1 of 1 here
    assert worst.pool == DELTA and worst.parts.own_purchases == 1 and worst.parts.own_codes == 0


async def test_killed_mid_purchase_resumes_with_that_order(make: Callable[..., Any]) -> None:
    rig = await make()
    pilot = rig.launch(telegram_us(budget=Decimal("0.40")), paused=True)
    await rig.until(lambda: bool(pilot.candidates))
    rig.engine.set_faults(latency=0.5)  # the order is made at once, its answer comes late
    pilot.resume()
    await wait_until(lambda: bool(rig.engine.orders))
    await rig.crash()  # the purchase's answer never reaches us
    rig.engine.set_faults(latency=0.0)
    [attempt] = rig.session.journal.attempts(1)
    assert attempt.state == m.BUYING and attempt.price == Decimal("0.38")
    await rig.start_orders()  # the reconcile finds the order and matches its intent
    again = await rig.resume()
    assert again is not None and again.held == Decimal("0.38")
    assert again.attempts[0].state == m.LIVE and "before the restart" in again.attempts[0].why
    result = await rig.finish()
    assert result.kind == "code" and len(purchases(rig)) == 1
    assert result.order is not None and result.order.order_id in rig.engine.orders


async def test_resumed_and_stopped_cancels_what_it_holds(make: Callable[..., Any]) -> None:
    rig = await make()
    rig.engine.set_no_sms(1.0)
    pilot = rig.launch(telegram_us())
    await rig.until(lambda: bool(pilot.attempts) and pilot.attempts[0].state == m.LIVE)
    await rig.crash()
    await rig.start_orders()
    again = await rig.resume()
    assert again is not None
    again.stop()
    result = await rig.finish()
    assert result.kind == "stopped" and len(purchases(rig)) == 1
    await rig.until(lambda: rig.engine.balance == Decimal("50.00"))
    assert await rig.resume() is None  # finished: nothing to resume
