"""Single-service lines: the buyer picks the service (rental/retrieve_services), sees each
one's own price and the difference to "any service" (rental/service_price), and buys it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen
from smspool_tui.ui.screens.rental_service import ServicePickScreen
from smspool_tui.ui.widgets.rental_table import CatalogTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until
from tests.ui.test_rentals import SIZE, screen


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


async def open_picker(pilot) -> ServicePickScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    app.balance = Decimal("100.00")
    await pilot.press("r")
    table = app.screen.query_one(CatalogTable)
    await wait_until(lambda: table.row_count > 0)
    table.move_cursor(row=table.get_row_index("7"))  # United States (Single service)
    await pilot.press("enter")
    await wait_until(lambda: isinstance(app.screen, ServicePickScreen))
    await pilot.pause()
    return app.screen


def detail(picker: ServicePickScreen) -> str:
    return str(picker.query_one("#svc-detail", Static).render())


async def test_pick_a_service_see_the_difference_and_buy_it(
    rsim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot)
        listing = picker.query_one(OptionList)
        names = [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]
        assert names[0].startswith("Any service") and "30d $30.00" in names[0]
        assert "WhatsApp" in names and "Acorns" in names
        await pilot.press(*"whats")
        await wait_until(lambda: "WhatsApp only" in detail(picker))
        assert "30d $15.00" in detail(picker)
        assert "30d: $15.00 less than any service" in detail(picker)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.pause()
        confirm = app.screen
        assert "For WhatsApp only (30d: $15.00 less than any service)." in confirm.details
        days = confirm.query_one(OptionList)
        assert "$15.00" in days.get_option_at_index(0).prompt.plain
        await pilot.press("y")
        await wait_until(lambda: rsim.engine.count("purchase/rental") == 1)
        await app.workers.wait_for_complete()
        [bought] = rsim.engine.rentals.values()
        assert bought.service is not None and bought.service.name == "WhatsApp"
        assert rsim.engine.balance == Decimal("85.00")
        rental = app.session.rentals.get(bought.code)
        assert rental.cost == Decimal(15) and rental.service_name == "WhatsApp"
        sent = [q.params for q in rsim.engine.requests if q.path == "purchase/rental"]
        assert [p["service_id"] for p in sent] == ["1012"]
        stock = [q.params for q in rsim.engine.requests if q.path == "rental/stock"]
        assert [p["service_id"] for p in stock] == ["1012"]  # that service's stock


async def test_any_service_buys_the_general_line(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_picker(pilot)
        await pilot.press("enter")  # "Any service" is highlighted first
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        assert "For any service." in app.screen.details
        await pilot.press("y")
        await wait_until(lambda: rsim.engine.count("purchase/rental") == 1)
        await app.workers.wait_for_complete()
        assert rsim.engine.balance == Decimal("70.00")
        [bought] = rsim.engine.rentals.values()
        assert bought.service is None


async def test_escape_in_the_picker_buys_nothing(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_picker(pilot)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert screen(app) is app.screen and rsim.engine.count("purchase/rental") == 0


def test_snapshot_service_picker_80x24(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        picker = await open_picker(pilot)
        await pilot.press("down", "down")  # Discord... the second service
        await wait_until(lambda: " only: " in detail(picker))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
