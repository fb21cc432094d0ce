"""History: buy the same number again, with SMSPool's cache rule explained and k to clear it."""

from __future__ import annotations

from pathlib import Path

from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle


def message(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#purchase-message").render())


async def test_buy_this_number_again_from_history(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        [bought] = app.session.orders.orders_snapshot()
        await pilot.press("h")
        await wait_until(lambda: type(app.screen).__name__ == "HistoryScreen")
        await wait_until(lambda: app.screen.table.row_count > 0)
        await settle(pilot)
        await pilot.press("B")
        await wait_until(lambda: type(app.screen).__name__ == "PurchaseScreen")
        await settle(pilot)
        modal = app.screen
        assert modal.request.phonenumber == bought.number
        assert bought.number in str(modal.query_one("#purchase-title").render())
        assert "until the account's order cache is cleared" in message(app)
        assert not modal.query_one("#purchase-quantity-row").display
        await pilot.press("y")  # the account had it: SMSPool refuses, nothing is charged
        await wait_until(lambda: not modal.buying and "already been used" in message(app))
        assert "k clears the cache" in message(app)
        await pilot.press("k")
        await wait_until(lambda: "Orders cleared successfully" in message(app))
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    sent = [r.params for r in sim.engine.requests if r.path == "purchase/sms"]
    assert [p.get("phonenumber") for p in sent] == [None, bought.number, bought.number]
    assert sim.engine.count("sms/clear_cache") == 1
    numbers = [o.phonenumber for o in sim.engine.orders.values()]
    assert numbers == [bought.number, bought.number]


def test_snapshot_number_again_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen

    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.balance = Decimal("50.00")
        request = PurchaseRequest.simple(
            907, "Telegram", 1, "United States", pool=7, price=Decimal("0.30")
        )
        await pilot.app.push_screen(PurchaseScreen(request.again("15550100103")))
        await wait_until(lambda: pilot.app.screen.stock_state != "checking")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
