"""One place says each thing: events are toasts; the line under the board is the selected
order's live state (a queued cancel counting down on the clock), never a stale copy of a toast."""

from __future__ import annotations

from pathlib import Path

from smspool_tui.ui.widgets.countdown import format_duration
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import SIZE, board, buy, quiet_sim, started  # noqa: F401


def status_line(app) -> str:
    return str(app.screen.query_one("#orders-status").render())


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_queued_cancel_counts_down_and_toasts_are_not_repeated(
    quiet_sim: SimHandle,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert any("Copied number" in t for t in toasts(app))
        assert "Copied" not in status_line(app)  # the toast says it, once
        await pilot.press("x")
        table = board(app)
        await wait_until(lambda: table.orders[order.order_id].cancel_queued)
        queued = table.orders[order.order_id]
        assert queued.cancel_opens_at is not None

        def left() -> str:
            seconds = (queued.cancel_opens_at - quiet_sim.clock.now()).total_seconds()
            return format_duration(seconds)

        first = left()
        await wait_until(lambda: table.cell_text(order.order_id, "cancel") == f"queued · {first}")
        await wait_until(lambda: f"next try in {first}" in status_line(app))
        quiet_sim.clock.advance(3)  # the display ticks; nothing is re-sent yet
        later = left()
        assert later != first
        await wait_until(lambda: table.cell_text(order.order_id, "cancel") == f"queued · {later}")
        await wait_until(lambda: f"next try in {later}" in status_line(app))
        assert all("~" not in t for t in toasts(app))  # no frozen "in ~56s" anywhere
