"""Rentals the app did not buy itself (another device, or before a restart): the board shows
their country by name, price, service and days from rental/info; the refund question reads."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.widgets.rental_table import MyRentalsTable
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
        assert cell(mine, code, "days") == "30"
        assert cell(mine, code, "service") == "Acorns"
        await pilot.press("X")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question
        number = app.session.rentals.get(code).number
        assert question.startswith(f"Ask SMSPool to refund the rental of {number} (paid $10.00)?")
        assert "(—)" not in question
