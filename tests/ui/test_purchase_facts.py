"""Purchase modal facts: pools by name (never a bare id) and the stock before buying."""

from __future__ import annotations

from pathlib import Path

from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle


def fact(app, key: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(f"#purchase-{key}").render())


async def test_pool_is_named_and_stock_is_shown_before_buying(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await wait_until(lambda: app.screen.stock_state != "checking")
        await settle(pilot)
        offer = app.screen.request.offer
        name = {p.id: p.name for p in sim.engine.catalog.pools}[offer.pool]
        assert f"suggested: {name}" in fact(app, "pool")
        stocks = [r for r in sim.engine.requests if r.path == "sms/stock"]
        assert stocks and stocks[-1].params["country"] == str(offer.country_id)
        assert f"{app.screen.stock:,} numbers across pools" in fact(app, "stock")
    assert sim.engine.count("purchase/sms") == 0  # looking costs nothing


async def test_a_request_without_pool_names_still_shows_the_name(
    sim: SimHandle, tmp_path: Path
) -> None:
    """ "Buy again" and the palette open the modal with only a pool id: it must not show "3"."""
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        request = PurchaseRequest.simple(907, "Telegram", 1, "United States", pool=7)
        await app.push_screen(PurchaseScreen(request))
        await wait_until(lambda: app.screen.stock_state != "checking")
        await settle(pilot)
        assert "suggested: Foxtrot" in fact(app, "pool")
        assert "suggested: 7" not in fact(app, "pool")


async def test_out_of_stock_is_said_before_buying(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        sim.engine.set_stock("US", "Telegram", 0)
        request = PurchaseRequest.simple(907, "Telegram", 1, "United States", pool=7)
        await app.push_screen(PurchaseScreen(request))
        await wait_until(lambda: app.screen.stock_state != "checking")
        await settle(pilot)
        assert "none across pools" in fact(app, "stock")
