"""An order whose time ran out is not active: the header does not count it, its row shows a dash."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from smspool_tui.core import events as ev
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.widgets.order_table import OrderTable
from tests.harness import SimHandle, make_test_app, wait_until


def _order(oid: str, now, left: float) -> Order:
    return Order(
        order_id=oid,
        service="Telegram",
        country="GB",
        number="44" + oid.rjust(9, "0"),
        status=OrderState.PENDING,
        purchased_at=now - timedelta(minutes=20),
        expires_at=now + timedelta(seconds=left),
    )


async def test_expired_by_time_is_not_active_and_shows_a_dash(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        now = app.clock.now()
        # The server has not said "expired" yet; the clock says its time is over.
        app.emit(ev.OrdersChanged((_order("1", now, -5), _order("2", now, 300))))
        table = app.screen.query_one(OrderTable)
        await wait_until(lambda: len(table.rows) == 2)
        await pilot.pause()
        header = str(app.screen.query_one("#hdr-active").render())
        assert header == "Active 1"
        assert table.cell_text("1", "left") == "—"
        assert table.cell_text("2", "left") == "5:00"


async def test_the_header_count_drops_when_time_runs_out_between_polls(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)):
        now = app.clock.now()
        app.emit(ev.OrdersChanged((_order("1", now, 30),)))
        await wait_until(lambda: app.active_count == 1)
        sim.clock.advance(31)  # no new OrdersChanged: the display tick recounts
        await wait_until(lambda: app.active_count == 0)
