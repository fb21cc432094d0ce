"""The autopilot in the TUI, end to end on the simulator over loopback with a FakeClock: started
from the purchase modal (`a`) and the palette, confirmed with `y`, paused / skipped / stopped
from the board with real keys, and an interrupted run offered back after a restart.

Time moves only when `drive` advances the sim's FakeClock, and only once both the orders
monitor and the autopilot are asleep on it (never a fixed sleep)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from smspool_tui.core.autopilot import Autopilot, Plan
from smspool_tui.core.autopilot import model as m
from smspool_tui.core.autopilot.events import AttemptStarted
from smspool_tui.core.events import BalanceChanged, OrdersChanged
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.screens.autopilot_confirm import AutopilotConfirm
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.order_detail import OrderDetailScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen
from smspool_tui.ui.widgets.autopilot_panel import AutopilotPanel
from smspool_tui.ui.widgets.order_table import AUTOPILOT_MARK, OrderTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)
TELEGRAM, US = 907, 1


def purchases(sim: SimHandle) -> int:
    return sim.engine.count("purchase/sms")


def _idle(app, sim: SimHandle) -> bool:
    now = sim.clock.monotonic()
    orders = app.session.orders
    if orders.asleep_until is None or orders.asleep_until <= now or orders.loop.woken:
        return False
    glue = app.autopilot
    if glue.worker is None or glue.worker.is_finished or glue.pilot is None:
        return True
    until = glue.pilot.asleep_until
    return until is not None and until > now


async def drive(app, sim: SimHandle, done: Callable[[], bool], limit: float = 3000) -> None:
    """Advance the FakeClock 5 s at a time, each time once everything sleeps on it."""
    start = sim.clock.monotonic()
    while True:
        await wait_until(lambda: _idle(app, sim) or done())
        if done():
            return
        assert sim.clock.monotonic() - start < limit, "not reached on the fake clock"
        sim.clock.advance(5)


def panel(app) -> str:
    return str(app.screen.query_one(AutopilotPanel).render())


def attempts(app) -> list[m.Attempt]:
    pilot = app.autopilot.pilot
    return list(pilot.attempts) if pilot is not None else []


def live(app, n: int) -> bool:
    return len(attempts(app)) >= n and attempts(app)[n - 1].state == m.LIVE


def _request(sim: SimHandle) -> PurchaseRequest:
    us = next(c for c in sim.engine.catalog.countries if c.short_name == "US")
    tg = next(s for s in sim.engine.catalog.services if s.name == "Telegram")
    return PurchaseRequest.simple(tg.id, "Telegram", us.id, "United States", price=Decimal("0.5"))


async def test_from_the_purchase_modal_to_a_code(tmp_path: Path) -> None:
    sim = start_sim(seed=0, sms_delay=8.0)
    try:
        app = make_test_app(sim, tmp_path, notifications={"auto_copy": True})
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: app.session.orders.poller.reconciled)
            app.push_screen(PurchaseScreen(_request(sim)))
            await wait_until(lambda: isinstance(app.screen, PurchaseScreen))
            await pilot.press("a")
            await wait_until(lambda: isinstance(app.screen, AutopilotConfirm))
            confirm = app.screen
            countries = confirm.query_one("#autopilot-countries", Input).value
            assert countries == "United States"
            await pilot.press("2")  # the budget field has the focus
            worst = str(confirm.query_one("#autopilot-worst", Static).render())
            assert "at most one per candidate numbers" in worst
            assert "at most $0.5 held at once" in worst  # the offer's price, one at a time
            assert purchases(sim) == 0  # nothing bought before `y`
            await pilot.press("y")
            await wait_until(lambda: isinstance(app.screen, OrdersScreen))
            assert app.autopilot.plan is not None and app.autopilot.plan.budget == Decimal("2")
            await drive(app, sim, lambda: app.autopilot.result is not None)
            result = app.autopilot.result
            assert result.kind == "code" and purchases(sim) == 1
            order_id = result.attempts[0].order_id
            code = sim.engine.orders[order_id].sms[0].code
            await wait_until(lambda: app.clipboard == code)  # copied like any code
            titles = [n.title for n in app._notifications]
            assert "Autopilot got a code" in titles and "Code received" in titles
            await wait_until(lambda: "code on attempt 1" in panel(app))
            table = app.screen.query_one(OrderTable)
            await wait_until(lambda: order_id in table.orders)
            assert table.cell_text(order_id, "service") == AUTOPILOT_MARK + "Telegram"
            assert app.screen.check_action("autopilot_stop", ()) is False  # keys gone
            table.move_cursor(row=table.get_row_index(order_id))
            await pilot.press("enter")
            await wait_until(lambda: isinstance(app.screen, OrderDetailScreen))
            assert "1. United States" in "\n".join(app.screen.history)
            assert "code arrived" in app.screen.history[0]
    finally:
        sim.stop()


async def _palette(pilot, text: str, expect: str) -> None:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await wait_until(lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    palette.query_one(Input).value = text

    def first() -> str:
        hits = palette.query(CommandList)
        if not hits or hits.first().option_count == 0:
            return ""
        return str(hits.first().get_option_at_index(0).prompt)

    await wait_until(lambda: expect in first(), 10)
    await pilot.press("enter")


async def test_palette_start_then_pause_skip_stop_from_the_board(tmp_path: Path) -> None:
    sim = start_sim(seed=0, no_sms_rate=1.0)  # no number ever gets a code
    try:
        app = make_test_app(sim, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: app.session.orders.poller.reconciled)
            screen = app.screen
            assert screen.check_action("autopilot_pause", ()) is False  # no run: keys hidden
            await _palette(pilot, "autopilot telegram in united states", "Autopilot: Telegram")
            await wait_until(lambda: isinstance(app.screen, AutopilotConfirm))
            assert app.screen.query_one("#autopilot-countries", Input).value == "United States"
            assert purchases(sim) == 0
            await pilot.press("y")
            await wait_until(lambda: app.screen is screen)
            await drive(app, sim, lambda: live(app, 1))
            assert "attempt 1/" in panel(app) and "United States" in panel(app)
            assert screen.check_action("autopilot_pause", ()) is True
            footer_keys = {b.binding.key for b in screen.active_bindings.values()}
            assert {"p", "N", "X"} <= footer_keys

            await pilot.press("p")  # pause: the live number keeps its wait, nothing new bought
            assert app.autopilot.pilot.paused and "paused" in panel(app)
            await pilot.press("N")  # skip the live number while paused
            await drive(app, sim, lambda: attempts(app)[0].state == m.CANCELLED)
            assert attempts(app)[0].why == "skipped by the user"
            for _ in range(6):  # half a minute more, still paused: no second purchase
                sim.clock.advance(5)
                await wait_until(lambda: _idle(app, sim))
            assert purchases(sim) == 1
            await pilot.press("p")  # resume
            assert not app.autopilot.pilot.paused
            await drive(app, sim, lambda: live(app, 2))
            assert purchases(sim) == 2 and "attempt 2/" in panel(app)
            second = attempts(app)[1].order_id

            await pilot.press("X")  # stop: cancels the live number
            await drive(app, sim, lambda: app.autopilot.worker.is_finished)
            result = app.autopilot.result
            assert result.kind == "stopped" and app.autopilot.pilot.held == 0
            assert sim.engine.orders[second].cancelled_at is not None
            assert purchases(sim) == 2
            assert screen.check_action("autopilot_stop", ()) is False
            assert "ended: stopped by the user" in panel(app)
    finally:
        sim.stop()


@pytest.mark.parametrize("answer", ["n", "y"], ids=["leave-stopped", "resume"])
async def test_an_interrupted_run_is_offered_back_not_resumed(tmp_path: Path, answer: str) -> None:
    sim = start_sim(seed=0, no_sms_rate=1.0)
    try:
        app = make_test_app(sim, tmp_path)
        async with app.run_test(size=SIZE):
            await wait_until(lambda: app.session.orders.poller.reconciled)
            plan = Plan(TELEGRAM, "Telegram", countries=(US,), wait=60.0)
            assert app.start_autopilot(plan)
            await drive(app, sim, lambda: live(app, 1))
            bought = attempts(app)[0].order_id
        # The app went away mid-run (its worker cancelled, as a kill would leave it).
        again = make_test_app(sim, tmp_path)
        async with again.run_test(size=SIZE) as pilot:
            await wait_until(lambda: isinstance(again.screen, ConfirmScreen))
            assert "did not finish" in again.screen.question
            assert "interrupted" in str(again.screen_stack[-2].query_one(AutopilotPanel).render())
            sim.clock.advance(120)  # the question waits for the user: nothing is bought
            await wait_until(lambda: again.session.orders.asleep_until is not None)
            assert purchases(sim) == 1
            run_id = again.autopilot.interrupted_row.id
            await pilot.press(answer)
            if answer == "n":  # leave it stopped: its live number is cancelled
                await drive(again, sim, lambda: again.autopilot.worker is not None and
                            again.autopilot.worker.is_finished)  # fmt: skip
                assert again.autopilot.result.kind == "stopped"
                assert sim.engine.orders[bought].cancelled_at is not None
                assert purchases(sim) == 1
                return
            # Resumed: the same run goes on; its first number is not bought again.
            await drive(again, sim, lambda: live(again, 2))
            assert again.autopilot.pilot.run_id == run_id and purchases(sim) == 2
            assert attempts(again)[0].order_id == bought
            assert sim.engine.orders[bought].cancelled_at is not None
    finally:
        sim.stop()


# ---- the board with a running autopilot, frozen -------------------------------------------------


def snapshot_app(sim: SimHandle, tmp_path: Path):
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        now = sim.clock.now()
        session = app.session
        plan = Plan(TELEGRAM, "Telegram", budget=Decimal("2.00"), max_attempts=8, wait=180.0)
        auto = Autopilot(session.orders, session.catalog, session.journal, session.clock, plan)
        auto.attempts = [
            m.Attempt(1, 7, "Latvia", 4, Decimal("0.28"), m.CANCELLED, "no code within 180s",
                      order_id="LV1GONE", cost=Decimal("0.28")),
            m.Attempt(2, 7, "Latvia", 4, Decimal("0.28"), m.CANCELLED, "skipped by the user",
                      order_id="LV2GONE", cost=Decimal("0.28")),
            m.Attempt(3, 7, "Latvia", 7, Decimal("0.30"), m.LIVE, order_id="LV3LIVE",
                      deadline=now + timedelta(seconds=72)),
        ]  # fmt: skip
        app.autopilot.watch(auto)
        app.autopilot.on_event(
            AttemptStarted(1, 3, 8, 7, "Latvia", 7, "Foxtrot", Decimal("0.30"), "",
                           Decimal("0.30"), Decimal("2.00"))
        )  # fmt: skip
        minute = timedelta(minutes=1)
        orders = (
            Order("LV3LIVE", "Telegram", "Latvia", "37120000003", cost=Decimal("0.30"),
                  purchased_at=now - 1.8 * minute, expires_at=now + 18.2 * minute),
            Order("W1DONE", "WhatsApp", "Germany", "4915123456789", OrderState.RECEIVED,
                  code="643089",
                  purchased_at=now - 4 * minute, expires_at=now + 16 * minute),
        )  # fmt: skip
        app.autopilot.order_ids.update({"LV1GONE": 1, "LV2GONE": 2, "LV3LIVE": 3})
        session.orders.last_ok_at = now - timedelta(seconds=3)
        app.emit(BalanceChanged(Decimal("42.50")))
        app.emit(OrdersChanged(orders))
        await pilot.pause()
        await pilot.pause()

    return app, run_before


def test_board_with_an_autopilot_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app, run_before = snapshot_app(sim, tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_quitting_during_a_run_asks_first(tmp_path: Path) -> None:
    from smspool_tui.ui.screens.confirm import QuitConfirm

    sim = start_sim(seed=0, no_sms_rate=1.0)
    try:
        app = make_test_app(sim, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: app.session.orders.poller.reconciled)
            assert app.start_autopilot(Plan(TELEGRAM, "Telegram", countries=(US,), wait=60.0))
            await drive(app, sim, lambda: live(app, 1))
            await pilot.press("q")
            await wait_until(lambda: isinstance(app.screen, QuitConfirm))
            assert "autopilot is running" in app.screen.question
            await pilot.press("n")
            assert app.autopilot.running and purchases(sim) == 1
    finally:
        sim.stop()
