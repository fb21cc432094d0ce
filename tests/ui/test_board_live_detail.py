"""The order detail stays live while open, and the board behind it keeps updating."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from smspool_tui.core.order_model import OrderState
from smspool_tui.ui.screens.order_detail import OrderDetailScreen, detail_table
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import SIZE, board, buy, poll, started


def fields(app) -> str:
    screen = app.screen
    assert isinstance(screen, OrderDetailScreen)
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(detail_table(screen.order, screen.now))
    return console.file.getvalue()  # type: ignore[attr-defined]


def field(app, label: str) -> str:
    line = next(line for line in fields(app).splitlines() if line.startswith(label))
    return line[len(label) :].strip()


async def test_detail_follows_its_order_and_the_board_keeps_ticking(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await buy(app)
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, OrderDetailScreen))
        detail = app.screen
        assert "No SMS yet." in str(detail.query_one("#detail-sms").render())
        left, row_left = field(app, "Time left"), board_cell(app, order.order_id)
        sim.clock.advance(3)  # less than a poll: only the displays' clocks move
        await wait_until(lambda: field(app, "Time left") != left)
        await wait_until(lambda: board_cell(app, order.order_id) != row_left)
        assert app.screen is detail
        sim.engine.deliver_sms(order.order_id, "Your code is 482913")
        await poll(sim, 2)
        await wait_until(lambda: detail.order.status is OrderState.RECEIVED)
        await pilot.pause()
        assert field(app, "Code") == "482913"
        assert field(app, "Status") == "received"
        assert "Your code is 482913" in str(detail.query_one("#detail-sms").render())
        shown = app.export_screenshot()
        assert "482913" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert board(app).orders[order.order_id].code == "482913"


def board_cell(app, order_id: str) -> str:
    """The Left cell of the board behind the modal (the board is the screen below)."""
    from smspool_tui.ui.widgets.order_table import OrderTable

    table = app.screen_stack[0].query_one(OrderTable)
    return table.cell_text(order_id, "left")
