"""The board says what happened in its own words: money as the app formats it, counts with
plurals, never the server's sentence ("you have been refunded 0.34 dollars.")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from smspool_tui.core.order_model import OrderState
from smspool_tui.ui.screens.confirm import quit_warning
from smspool_tui.ui.text import money
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import SIZE, board, buy, poll, quiet_sim, started  # noqa: F401


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_cancel_archive_and_quit_are_said_in_the_apps_words(
    quiet_sim: SimHandle,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        await pilot.press("x")  # inside the lock: queued
        await wait_until(lambda: board(app).orders[order.order_id].cancel_queued)
        assert "1 queued cancel will not be sent" in (quit_warning(app) or "")
        assert "(s)" not in (quit_warning(app) or "")
        await wait_until(lambda: any("too early to cancel: queued" in t for t in toasts(app)))
        await poll(quiet_sim, 61)  # past the sim's lock: the queued cancel goes out
        await wait_until(lambda: board(app).orders[order.order_id].status is OrderState.CANCELLED)
        cost = quiet_sim.engine.orders[order.order_id].cost
        said = f"cancelled, {money(Decimal(cost))} refunded to your balance"
        await wait_until(lambda: any(said in t for t in toasts(app)))
        assert not any("dollars" in t or "you have been" in t for t in toasts(app))
        await pilot.pause()
        await pilot.press("a")
        await wait_until(lambda: any("Archived 1 finished order:" in t for t in toasts(app)))
        assert not any("All your inactive orders" in t for t in toasts(app))
