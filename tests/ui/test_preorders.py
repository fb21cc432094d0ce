"""Pre-orders in the UI, with real keys against the simulator: the prices screen offers a
pre-order where stock is out, a bid below the minimum is explained and the minimum set, the
bid is placed and listed, it fills when stock returns and its number is on the board; the list
cancels a bid (refunded). Snapshots of the list and the modal at 80x24."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from smspool_tui.core.preorders import for_session
from smspool_tui.ui.screens.preorders import PreordersScreen
from smspool_tui.ui.screens.preorders_bid import BidRequest, PreorderBidScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_prices, settle

INSTAGRAM = 457


def sold_out(sim: SimHandle, service: str = "Instagram") -> None:
    cat = sim.engine.catalog
    svc = cat.service(service)
    assert svc is not None
    for country in cat.countries:
        if cat.offers(country, svc):
            sim.engine.set_stock(country.id, service, 0)


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector).render())


async def open_bid_modal(pilot: Pilot) -> PreorderBidScreen:  # type: ignore[type-arg]
    await open_prices(pilot, "instagram")
    prices = pilot.app.screen
    await wait_until(lambda: prices.highlighted_country_id in prices.pools)
    await settle(pilot)
    assert "Out of stock here: p bids" in text_of(prices, "#prices-pools-note")
    await pilot.press("p")
    await wait_until(lambda: isinstance(pilot.app.screen, PreorderBidScreen))
    await settle(pilot)
    return pilot.app.screen  # type: ignore[return-value]


async def test_bid_refused_then_placed_then_filled_on_the_board(
    sim: SimHandle, tmp_path: Path
) -> None:
    sold_out(sim)
    app = make_test_app(sim, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_bid_modal(pilot)
        country_id = modal.request.country_id
        assert text_of(modal, "#bid-stock") == "out of stock"
        assert text_of(modal, "#bid-highest") == "no bids yet"
        field = modal.query_one("#bid-amount", Input)
        suggested = Decimal(field.value)
        assert suggested > 0
        field.value = "0.01"
        await pilot.press("y")
        await wait_until(lambda: "minimum" in text_of(modal, "#bid-message"))
        minimum = Decimal(field.value)
        assert minimum > Decimal("0.01")
        assert f"${minimum:.2f}" in text_of(modal, "#bid-message")
        assert sim.engine.preorder_desk.preorders == {}  # nothing placed, nothing charged
        before = sim.engine.balance
        await pilot.press("y", "y")  # a double press bids once
        await wait_until(lambda: isinstance(app.screen, PreordersScreen))
        listing = app.screen
        await wait_until(lambda: listing.loaded)
        await settle(pilot)
        assert sim.engine.count("preorder/create") == 2  # the refused one and this one
        assert sim.engine.balance == before - minimum
        (key,) = listing.table.keys
        assert listing.table.cell_text(key, "state") == "waiting for stock"
        assert listing.table.cell_text(key, "bid") == f"${minimum:.2f}"

        sim.engine.set_stock(country_id, "Instagram", 3)
        await pilot.press("f5")
        await wait_until(lambda: listing.table.cell_text(key, "state") == "filled: on the board")
        bid = for_session(app.session).get(int(key))  # type: ignore[arg-type]
        assert bid is not None and bid.row.order_id
        await pilot.press("o")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        await wait_until(lambda: app.session.orders.get(bid.row.order_id) is not None)  # type: ignore[union-attr]


async def test_the_list_cancels_a_bid_and_it_is_refunded(sim: SimHandle, tmp_path: Path) -> None:
    sold_out(sim)
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        svc = for_session(app.session)  # type: ignore[arg-type]
        bid = await svc.bid(
            1, INSTAGRAM, country_name="United States", service_name="Instagram",
            max_price=Decimal("2.00"),
        )  # fmt: skip
        held = sim.engine.balance
        await pilot.press("ctrl+p")
        await pilot.press(*"pre-orders")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, PreordersScreen))
        listing = app.screen
        await wait_until(lambda: listing.loaded)
        await settle(pilot)
        assert listing.table.keys == [str(bid.id)]
        await pilot.press("x")
        await wait_until(
            lambda: listing.table.cell_text(str(bid.id), "state") != "waiting for stock"
        )
        await settle(pilot)
        assert listing.table.cell_text(str(bid.id), "state") == "cancelled, refunded"
        assert sim.engine.balance == held + Decimal("2.00")
        await pilot.press("x")  # nothing left to cancel: says why, sends nothing
        await pilot.pause()
        assert "nothing to cancel" in text_of(listing, "#preorders-status")
        assert sim.engine.count("preorder/cancel") == 1


async def test_the_palette_and_help_name_pre_orders(sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.commands import binding_rows

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)):
        rows = binding_rows(app)
        assert any(r.where == "Prices" and r.key == "p" and "Pre-order" in r.description
                   for r in rows)  # fmt: skip
        assert any(r.where == "Pre-orders" and "Cancel bid" in r.description for r in rows)


def test_snapshot_preorders_list_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sold_out(sim)
    sim.engine.set_rival_bid("GB", "Instagram", Decimal("3.00"))
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot: Pilot) -> None:  # type: ignore[type-arg]
        svc = for_session(app.session)  # type: ignore[arg-type]
        await svc.bid(1, INSTAGRAM, country_name="United States", service_name="Instagram",
                      max_price=Decimal("1.50"))  # fmt: skip
        await svc.bid(2, INSTAGRAM, country_name="United Kingdom", service_name="Instagram",
                      max_price=Decimal("3.00"))  # fmt: skip
        sim.engine.set_rival_bid("GB", "Instagram", Decimal("3.25"))
        app.push_screen(PreordersScreen())
        await wait_until(lambda: isinstance(app.screen, PreordersScreen) and app.screen.loaded)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_bid_modal_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sold_out(sim)
    sim.engine.set_rival_bid("US", "Instagram", Decimal("0.80"))
    app = make_test_app(sim, tmp_path, monitors=False)
    request = BidRequest(INSTAGRAM, "Instagram", 1, "United States", price=Decimal("0.50"), stock=0)

    async def run_before(pilot: Pilot) -> None:  # type: ignore[type-arg]
        app.push_screen(PreorderBidScreen(request))
        await wait_until(lambda: isinstance(app.screen, PreorderBidScreen))
        await settle(pilot)
        await wait_until(lambda: app.screen.highest_known)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_bid_under_the_highest_offer_is_explained_and_raised(
    sim: SimHandle, tmp_path: Path
) -> None:
    sold_out(sim)
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_bid_modal(pilot)
        field = modal.query_one("#bid-amount", Input)
        rival = Decimal(field.value) + Decimal("1.00")
        sim.engine.set_rival_bid(modal.request.country_id, "Instagram", rival)  # outbid meanwhile
        await pilot.press("y")
        await wait_until(lambda: "someone bids" in text_of(modal, "#bid-message"))
        assert f"${rival:.2f}" in text_of(modal, "#bid-message")
        assert Decimal(field.value) == rival
        assert text_of(modal, "#bid-highest") == f"${rival:.2f}"
        assert sim.engine.preorder_desk.preorders == {}
        await pilot.press("y")
        await wait_until(lambda: isinstance(app.screen, PreordersScreen))
        (placed,) = sim.engine.preorder_desk.preorders.values()
        assert placed.bid == rival
