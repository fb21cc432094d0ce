"""Purchase modal: one confirmation, exactly one request, every outcome explained in place."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle


def message(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#purchase-message").render())


async def failed(pilot, app, *, buy_again: bool = True) -> str:  # type: ignore[no-untyped-def]
    await wait_until(lambda: not app.screen.buying and "Buying" not in message(app))
    await settle(pilot)
    assert type(app.screen).__name__ == "PurchaseScreen"  # the modal stays open
    # After a refusal buy is offered again; after an unclear answer it stays off.
    assert app.screen.query_one("#purchase-buy").disabled is not buy_again
    return message(app)


async def test_y_twice_buys_once_then_shows_the_board(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        modal = app.screen
        assert "Telegram" in str(modal.query_one("#purchase-service").render())
        await wait_until(lambda: modal.balance is not None)
        assert modal.balance == Decimal("50.00")
        await pilot.press("y", "y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        await pilot.press("y")
        await settle(pilot)
        assert sim.engine.count("purchase/sms") == 1
        orders = [o for o in app.session.orders.orders_snapshot() if o.service == "Telegram"]
        assert len(orders) == 1 and len(sim.engine.orders) == 1
        spent = orders[0].cost
        assert spent is not None
        after = Decimal("50.00") - spent
        await wait_until(lambda: app.balance == after)
        await wait_until(lambda: app.active_count == 1)
        header = app.screen.query_one("StatusHeader")
        await settle(pilot)
        assert f"${after:,.2f}" in str(header.query_one("#hdr-balance").render())
        assert "Active 1" in str(header.query_one("#hdr-active").render())


async def test_escape_cancels_without_buying(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await pilot.press("escape")
        await wait_until(lambda: type(app.screen).__name__ == "PricesScreen")
    assert sim.engine.count("purchase/sms") == 0


async def test_out_of_stock_offers_the_next_country(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        first = app.screen.request.offer
        nxt = app.screen.request.alternatives[0]
        sim.engine.set_faults(out_of_stock_services={"Telegram"})
        await pilot.press("y")
        text = await failed(pilot, app)
        assert f"Out of stock in {first.name}" in text and "Press n" in text
        sim.engine.set_faults(out_of_stock_services=set())
        await pilot.press("n")
        assert app.screen.request.offer.country_id == nxt.country_id
        assert nxt.name in str(app.screen.query_one("#purchase-country").render())
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    assert sim.engine.count("purchase/sms") == 2
    bought = [r for r in sim.engine.requests if r.path.endswith("purchase/sms")]
    assert bought[-1].params["country"] == str(nxt.country_id)


async def test_out_of_stock_with_no_other_country_points_to_a_pre_order(
    sim: SimHandle, tmp_path: Path
) -> None:
    from dataclasses import replace

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        app.screen.request = replace(app.screen.request, alternatives=())  # the only country
        sim.engine.set_faults(out_of_stock_services={"Telegram"})
        await pilot.press("y")
        text = await failed(pilot, app)
        assert "Out of stock" in text and "p on Prices bids for the next number" in text
        await pilot.press("escape")
        await wait_until(lambda: type(app.screen).__name__ == "PricesScreen")
        await pilot.press("p")  # what the message said: the pre-order bid opens
        await wait_until(lambda: type(app.screen).__name__ == "PreorderBidScreen")
    assert sim.engine.count("purchase/sms") == 1


async def test_price_not_found(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        sim.engine.force_fault("422_price", path="purchase/sms")
        await pilot.press("y")
        assert "max price" in await failed(pilot, app)


async def test_insufficient_balance_says_how_much_is_missing(
    sim: SimHandle, tmp_path: Path
) -> None:
    sim.engine.set_balance(Decimal("0.05"))
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await wait_until(lambda: app.screen.balance is not None)
        await settle(pilot)
        assert "not enough" in str(app.screen.query_one("#purchase-after").render())
        await pilot.press("y")
        text = await failed(pilot, app)
        assert "Not enough balance" in text and "you have $0.05" in text and "add $" in text
    assert not sim.engine.orders


async def test_a_wrong_key_is_reported(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False, api_key="Z" * 32)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await pilot.press("y")
        assert "invalid key" in await failed(pilot, app)
    assert not sim.engine.orders


async def test_unknown_outcome_is_never_retried(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        sim.engine.force_fault("500", path="purchase/sms")
        await pilot.press("y")
        text = await failed(pilot, app, buy_again=False)
        assert "may or may not exist" in text and "NOT retried" in text
        await pilot.press("y")  # the order may exist: a second y sends nothing
        await settle(pilot)
    assert sim.engine.count("purchase/sms") == 1


async def test_max_price_is_validated_and_sent(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False, max_price="2.50")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        field = app.screen.query_one("#purchase-max-price")
        assert field.value == "2.50" and app.focused is field
        field.value = ""
        await pilot.press(*"0.001")
        await pilot.press("y")
        assert "two decimals" in message(app)
        assert sim.engine.count("purchase/sms") == 0
        field.value = ""
        await pilot.press(*"3.00", "y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    (request,) = [r for r in sim.engine.requests if r.path.endswith("purchase/sms")]
    assert request.params.get("max_price") == "3.00"
    assert request.params.get("pricing_option") == "1"  # highest success rate by default


def test_snapshot_purchase_modal_120x40(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        # As the balance monitor would have; a fetch from inside the modal would repaint the
        # header underneath at a racy moment.
        pilot.app.balance = Decimal("50.00")
        await open_purchase(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
