"""Resend shows its cost and what is left before anything is sent, says plainly when a number
cannot be resent, and a pool-7 number can be kept for resends after a no-refund confirm."""

from __future__ import annotations

from pathlib import Path

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.sim.orders import MAX_RESENDS
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import SIZE, board, poll, started


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def bought(app, pool: int | None = None) -> Order:
    order = await app.session.orders.purchase(
        "US", "Telegram", country_name="US", service_name="Telegram", pool=pool
    )
    await wait_until(lambda: order.order_id in board(app).orders)
    return order


async def received(app, sim: SimHandle, pilot, pool: int | None = None) -> Order:
    order = await bought(app, pool)
    sim.engine.deliver_sms(order.order_id)
    await poll(sim, 2)
    await wait_until(lambda: board(app).orders[order.order_id].status is OrderState.RECEIVED)
    await pilot.pause()
    return order


def question(app) -> str:
    return str(app.screen.query_one("#confirm-question").render())


async def test_resend_confirm_states_cost_resends_left_and_time(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await received(app, sim, pilot)
        await pilot.press("R")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        text = question(app)
        assert order.number in text
        assert f"Cost: free · {MAX_RESENDS} resends left · resends possible for under an hour" in (
            text
        )
        assert sim.engine.count("sms/check_resend") == 1 and sim.engine.count("sms/resend") == 0
        await pilot.press("n")


async def test_a_number_that_cannot_be_resent_says_so_plainly(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await received(app, sim, pilot)
        sim.engine.orders[order.order_id].resends = MAX_RESENDS  # none left
        await pilot.press("R")
        await wait_until(lambda: any("cannot be resent now" in t for t in toasts(app)))
        assert isinstance(app.screen, OrdersScreen)  # no confirm for what cannot happen
        assert sim.engine.count("sms/resend") == 0


async def test_keep_for_resends_only_on_pool_7_and_after_a_no_refund_confirm(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        other = await bought(app, pool=13)
        await pilot.pause()
        assert board(app).selected_order.order_id == other.order_id
        await pilot.press("A")
        await wait_until(lambda: any("Only pool 7 numbers" in t for t in toasts(app)))
        assert sim.engine.count("sms/activate") == 0
        sim.clock.advance(1)
        order = await bought(app, pool=7)  # newest: on top, the cursor stays on `other`
        await pilot.pause()
        await pilot.press("up")
        await wait_until(lambda: board(app).selected_order.order_id == order.order_id)
        await pilot.press("A")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        assert "can no longer be cancelled or refunded" in question(app)
        assert sim.engine.count("sms/activate") == 0
        await pilot.press("y")
        await wait_until(lambda: sim.engine.orders[order.order_id].activated)
        await wait_until(lambda: any("kept for resends" in t for t in toasts(app)))
        await pilot.pause()
        assert app.screen.check_action("cancel_order", ()) is None  # not refundable any more
        assert board(app).cell_text(order.order_id, "cancel") == "kept, no refund"
        await pilot.press("x")
        await wait_until(lambda: any("no longer cancels or refunds" in t for t in toasts(app)))
        assert sim.engine.count("sms/cancel") == 0
