"""A stuck line: R resets its port (free, the server's words shown, a refusal shown as is);
the buy confirm shows how many numbers each day count has left (rental/stock)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import OptionList

from smspool_tui.ui.screens.inbox import InboxScreen
from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen
from smspool_tui.ui.widgets.rental_table import CatalogTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until
from tests.ui.test_rentals import SIZE, offer, screen


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


def status(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(f"#{app.screen.STATUS_ID}").render())


async def test_r_resets_the_port_or_shows_the_refusal(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        svc = app.session.rentals
        ru = await svc.purchase(await offer(app, 4, extendable=False), 3)
        rsim.clock.advance(60)
        nl = await svc.purchase(await offer(app, 9), 30)  # newest: the cursor starts here
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.rentals[nl.code].resets == 1
        assert "please wait up to 3 minutes" in status(app)
        await pilot.press("down", "R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.rentals[ru.code].resets == 0
        assert "Not reset: You cannot reset the port for this type of rental." in status(app)
        await pilot.press("up", "enter")  # and from the inbox
        await wait_until(lambda: isinstance(app.screen, InboxScreen))
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.rentals[nl.code].resets == 2


async def test_buy_confirm_shows_the_stock_of_each_day_count(
    rsim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        app.balance = Decimal("100.00")
        await pilot.press("r")
        table = screen(app).query_one(CatalogTable)
        await wait_until(lambda: table.row_count > 0)
        table.move_cursor(row=table.get_row_index("10"))  # Germany: sold out
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.pause()
        days = app.screen.query_one(OptionList)
        assert "out of stock" in days.get_option_at_index(0).prompt.plain
        await pilot.press("escape")
        await pilot.pause()
        table.move_cursor(row=table.get_row_index("9"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.pause()
        days = app.screen.query_one(OptionList)
        shown = [days.get_option_at_index(i).prompt.plain for i in range(days.option_count)]
        assert all("250 left" in line for line in shown)
        assert rsim.engine.count("rental/stock") == 4  # one per day count, each line
