"""What every screen shares (BaseScreen): the footer is recomposed only when the enabled
actions change, tickers stop while the screen is hidden, and a hidden screen does no work on
core events but is up to date when it comes back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from smspool_tui.core.events import OrdersChanged
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.widgets.order_table import OrderTable
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import board_orders

SIZE = (120, 40)


def footer_key(screen: OrdersScreen, key: str) -> FooterKey:
    return next(k for k in screen.query(FooterKey) if k.key == key)


async def test_cursor_moves_refresh_the_footer_only_when_enabled_actions_change(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        app.emit(OrdersChanged(board_orders(sim.clock.now())))
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        table = screen.query_one(OrderTable)
        await wait_until(lambda: table.row_count == 5)
        table.focus()
        await pilot.pause()
        calls: list[int] = []
        refresh = screen.refresh_bindings
        screen.refresh_bindings = lambda: (calls.append(1), refresh())[1]  # type: ignore[method-assign]
        assert table.selected_order is not None
        assert table.selected_order.order_id == "P1WAIT"
        await pilot.press("down")  # P2QUEUE: pending too, the same keys apply
        await pilot.pause()
        assert table.selected_order.order_id == "P2QUEUE"
        assert calls == []
        assert footer_key(screen, "c").has_class("-disabled")  # no code to copy
        await pilot.press("down")  # R3CODE has a code: "c" becomes available
        await pilot.pause()
        assert len(calls) == 1
        assert not footer_key(screen, "c").has_class("-disabled")


async def test_hidden_board_skips_core_events_and_catches_up_on_return(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        orders = app.screen
        assert isinstance(orders, OrdersScreen)
        table = orders.query_one(OrderTable)
        shows: list[int] = []
        show = table.show
        table.show = lambda *a, **k: (shows.append(1), show(*a, **k))[1]  # type: ignore[method-assign]
        await pilot.press("b")
        await wait_until(lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.pause()
        assert all(not timer._active.is_set() for timer in orders._tickers), "ticker paused"
        order = await app.session.orders.purchase(
            "US", "Telegram", country_name="US", service_name="Telegram"
        )  # the service emits OrdersChanged
        await pilot.pause()
        assert shows == [] and table.row_count == 0  # nobody sees it: no work
        await pilot.press("escape", "o")  # leave the (empty) filter, then the global key
        await wait_until(lambda: app.screen is orders)
        await pilot.pause()
        assert all(timer._active.is_set() for timer in orders._tickers), "ticker resumed"
        assert table.row_count == 1 and table.cell_text(order.order_id, "service") == "Telegram"
