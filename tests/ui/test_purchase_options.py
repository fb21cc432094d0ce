"""Purchase modal options, pressed as a user would: the code by voice call, several numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle


def text(app, key: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(f"#purchase-{key}").render())


def purchases(sim: SimHandle) -> list[dict[str, str]]:
    return [r.params for r in sim.engine.requests if r.path == "purchase/sms"]


async def open_us(pilot, app) -> None:  # type: ignore[no-untyped-def]
    request = PurchaseRequest.simple(
        907, "Telegram", 1, "United States", pool=7, price=Decimal("0.30")
    )
    await app.push_screen(PurchaseScreen(request))
    await wait_until(lambda: app.screen.stock_state != "checking")
    await settle(pilot)


async def test_voice_call_is_asked_for(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_us(pilot, app)
        await pilot.click("#act-voice")
        assert app.screen.form.activation == "VOICE"
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    assert [p.get("activation_type") for p in purchases(sim)] == ["VOICE"]


async def test_three_numbers_show_the_total_and_three_rows(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.balance = Decimal("50.00")
        await open_us(pilot, app)
        await pilot.click("#purchase-quantity")
        await pilot.press("3")
        await settle(pilot)
        each = app.screen.expected_price()
        assert each is not None
        assert f"× 3 numbers = ≈ ${each * 3:,.2f}" in text(app, "price")
        assert f"≈ ${Decimal('50.00') - each * 3:,.2f}" in text(app, "after")
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        await settle(pilot)
        rows = [o for o in app.session.orders.orders_snapshot() if o.service == "Telegram"]
        assert len(rows) == 3 and len({o.number for o in rows}) == 3
    assert len(purchases(sim)) == 1 and purchases(sim)[0]["quantity"] == "3"


async def test_a_bad_quantity_is_explained_and_nothing_sent(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await pilot.click("#purchase-quantity")
        await pilot.press("9", "9")
        await pilot.press("y")
        await settle(pilot)
        assert "quantity is 1 to 20" in text(app, "message")
    assert not purchases(sim)


def test_snapshot_purchase_options_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.balance = Decimal("50.00")
        await open_us(pilot, pilot.app)
        await pilot.click("#purchase-quantity")
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_share_link_is_shown_copied_and_on_the_board(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_us(pilot, app)
        await pilot.click("#purchase-token")
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        await settle(pilot)
        [row] = [o for o in app.session.orders.orders_snapshot() if o.is_token]
        assert row.share_url and app.clipboard == row.share_url
        table = app.screen.query_one("OrderTable")
        cells = [str(c) for c in table.get_row(row.order_id)]
        assert "token link" in cells and "link: c copies" in cells
        app.copy_to_clipboard("")
        await pilot.press("c")
        assert app.clipboard == row.share_url
    assert purchases(sim)[0]["create_token"] == "1"


async def test_a_share_link_is_one_number(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_us(pilot, app)
        await pilot.click("#purchase-token")
        await pilot.click("#purchase-quantity")
        await pilot.press("2", "y")
        await settle(pilot)
        assert "share link is for one number" in text(app, "message")
    assert not purchases(sim)


async def open_foxtrot(pilot, app) -> None:  # type: ignore[no-untyped-def]
    from smspool_tui.core.catalog import CountryOffer, PoolOffer

    offer = CountryOffer(1, "United States", "US", Decimal("0.30"), 7, None)
    pool = PoolOffer(7, "Foxtrot", Decimal("0.30"), True)
    request = PurchaseRequest(907, "Telegram", offer, pool=pool, custom_area=True)
    await app.push_screen(PurchaseScreen(request))
    await wait_until(lambda: bool(app.screen.valid_areas))
    await settle(pilot)


async def test_area_codes_are_checked_against_the_valid_list(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_foxtrot(pilot, app)
        field = app.screen.query_one("#purchase-area")
        assert "valid (e.g. 201" in str(field.placeholder)
        await pilot.click("#purchase-area")
        await pilot.press(*"212, 999", "y")
        await settle(pilot)
        assert "999: not an area code SMSPool offers here" in text(app, "message")
        assert not purchases(sim)
        field.value = ""
        await pilot.press(*"212")
        await pilot.click("#purchase-exclude")
        await pilot.click("#carrier-2")
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    [sent] = purchases(sim)
    assert (sent["areacode"], sent["exclude"], sent["carrier"]) == ("[212]", "1", "2")
    assert [r for r in sim.engine.requests if r.path == "request/areacodes"]
    [order] = sim.engine.orders.values()
    assert not order.national.startswith("212")


async def test_no_carrier_choice_outside_the_us(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)  # Poland, the cheapest Telegram country
        assert not app.screen.query_one("#purchase-carrier-row").display
        await open_us(pilot, app)
        assert app.screen.query_one("#purchase-carrier-row").display


def test_snapshot_area_codes_and_carrier_80x24(
    snap_compare, sim: SimHandle, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.balance = Decimal("50.00")
        await open_foxtrot(pilot, pilot.app)
        await pilot.click("#purchase-area")
        await pilot.press(*"212")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_detail_view_shows_the_share_link() -> None:
    from datetime import UTC, datetime

    from rich.console import Console

    from smspool_tui.core.order_model import Order
    from smspool_tui.ui.screens.order_detail import detail_table

    url = "https://api.smspool.net/token/TESTTOKEN0000000000000000000000A"
    order = Order("token:TESTTOKEN", "Telegram", "United States", "15550100104", share_url=url)
    console = Console(width=120, record=True)
    console.print(detail_table(order, datetime(2026, 1, 1, tzinfo=UTC)))
    text = console.export_text()
    assert "Share link" in text and url in text and "+1 555-010-0104" in text
