"""Cancel all (ctrl+x): one confirm listing what will be cancelled, then each waiting order
through the normal cancel (queued where SMSPool's lock still holds), and the board shows it."""

from __future__ import annotations

from pathlib import Path

from smspool_tui.core.order_model import OrderState
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import SIZE, board, buy, poll, quiet_sim, started  # noqa: F401


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_cancel_all_lists_then_cancels_or_queues_each(
    quiet_sim: SimHandle,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, quiet_sim)
        await pilot.press("ctrl+x")  # nothing waiting yet
        await wait_until(lambda: any("Nothing to cancel" in t for t in toasts(app)))
        old = await buy(app)
        await poll(quiet_sim, 61)  # past the sim's lock for this one
        young = await buy(app, service="WhatsApp")
        await pilot.pause()
        await pilot.press("ctrl+x")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Cancel 2 waiting orders?" in question
        assert old.number in question and young.number in question
        assert quiet_sim.engine.count("sms/cancel") == 0  # nothing before the yes
        await pilot.press("y")
        await wait_until(lambda: isinstance(app.screen, OrdersScreen))
        table = board(app)
        await wait_until(lambda: table.orders[old.order_id].status is OrderState.CANCELLED)
        await wait_until(lambda: table.orders[young.order_id].cancel_queued)
        said = "Cancel all: 1 order cancelled and refunded; 1 queued until SMSPool allows"
        await wait_until(lambda: any(said in t for t in toasts(app)))
        assert quiet_sim.engine.count("sms/cancel") == 2
        assert quiet_sim.engine.count("sms/cancel_all") == 0  # each through its own lock
        await pilot.pause()
        assert table.cell_text(young.order_id, "status") == "to cancel"  # 80 columns
