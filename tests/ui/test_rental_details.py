"""Rentals the app did not buy itself (another device, or before a restart): the board shows
their country by name, price, service and days from rental/info; the refund question reads."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.text import phone
from smspool_tui.ui.widgets.rental_table import CatalogTable, MyRentalsTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until
from tests.ui.test_rentals import SIZE, cell, screen


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


def bought_elsewhere(sim: SimHandle) -> str:
    desk = sim.engine.rental_desk
    acorns = sim.engine.catalog.service("Acorns")
    now = sim.clock.now().timestamp()
    return desk.create(desk.offers[7], 30, Decimal(10), now - 3600, acorns).code


async def test_adopted_rental_shows_name_price_service_and_days(
    rsim: SimHandle, tmp_path: Path
) -> None:
    code = bought_elsewhere(rsim)
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.session.catalog.countries()  # the cached country list names "US"
        await pilot.press("r")
        await pilot.press("t", "f5")  # My rentals, reload from the server
        mine = screen(app).query_one(MyRentalsTable)
        await wait_until(lambda: code in mine.rentals and mine.rentals[code].cost is not None)
        await pilot.pause()
        assert cell(mine, code, "country") == "United States"
        assert cell(mine, code, "days") == "30 left"  # its length is not known
        assert cell(mine, code, "service") == "Acorns"
        await pilot.press("X")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question
        number = phone(app.session.rentals.get(code).number)
        assert question.startswith(f"Ask SMSPool to refund the rental of {number} (paid $10.00)?")
        assert "(—)" not in question


async def test_buy_and_refund_state_the_same_rules_and_extension_is_not_refunded(
    rsim: SimHandle, tmp_path: Path
) -> None:
    from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen

    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        app.balance = Decimal("100.00")
        await pilot.press("r")
        table = screen(app).query_one(CatalogTable)
        await wait_until(lambda: table.row_count > 0)
        assert cell(table, "9", "refund") == "2 h · 28d+"
        table.move_cursor(row=table.get_row_index("9"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        buy_rules = app.screen.details.splitlines()[-1]
        assert buy_rules.startswith("Refund: within 2 h of purchase")
        await pilot.press("down", "down", "y")  # 30 days
        await wait_until(lambda: bool(app.session.rentals.rentals()))
        await app.workers.wait_for_complete()
        [rental] = app.session.rentals.rentals()
        await app.session.rentals.extend(rental.code, 7)
        await pilot.pause()
        await pilot.press("X")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question
        assert buy_rules in question  # word for word the same rules
        assert "Time left to ask: 2 h 00 min" in question
        assert "You paid to extend it: that payment is not refunded" in question
        await pilot.press("y")
        await app.workers.wait_for_complete()
        assert app.session.rentals.get(rental.code).state == "refunded"
