"""After a purchase the new order gets the board's cursor, so `n` and `c` act on it."""

from __future__ import annotations

from pathlib import Path

from smspool_tui.ui.text import copy_number
from smspool_tui.ui.widgets.order_table import OrderTable
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle


async def test_the_new_order_gets_the_cursor(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=True)
    async with app.run_test(size=(120, 40)) as pilot:
        old = await app.session.orders.purchase(
            "US", "WhatsApp", country_name="US", service_name="WhatsApp"
        )
        table = app.screen.query_one(OrderTable)
        await wait_until(lambda: old.order_id in table.orders)
        assert table.selected_order is not None
        assert table.selected_order.order_id == old.order_id
        await open_purchase(pilot)
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        await wait_until(lambda: len(table.orders) == 2)
        await settle(pilot)
        new = table.selected_order
        assert new is not None and new.order_id != old.order_id
        assert new.service == "Telegram"
        await pilot.press("n")
        assert app.clipboard == copy_number(new.number)  # the national digits, by default
