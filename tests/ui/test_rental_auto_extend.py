"""Auto-extend per rental: shown in the list, toggled with A behind a confirm that states what
each renewal costs; the API only flips it, so a rental already as wanted is not flipped."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.text import phone
from smspool_tui.ui.widgets.rental_table import MyRentalsTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until
from tests.ui.test_rentals import SIZE, cell, offer, screen


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


async def test_a_toggles_auto_extend_with_its_cost_stated(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        rental = await app.session.rentals.purchase(await offer(app, 9), 30)
        await pilot.press("r")
        await pilot.pause()
        mine = screen(app).query_one(MyRentalsTable)
        assert cell(mine, rental.code, "auto") == "off"
        await pilot.press("A")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question
        assert "charges your balance $12.00 per 7 days each time" in question
        assert "Nothing is charged now" in question
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.rentals[rental.code].auto_extend == 1
        assert cell(mine, rental.code, "auto") == "on"
        assert "Auto-extend is on" in str(screen(app).query_one("#rentals-status").render())
        await pilot.press("A")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.question.startswith(f"Turn auto-extend off for {phone(rental.number)}?")
        await pilot.press("n")  # kept: nothing sent
        await pilot.pause()
        assert rsim.engine.count("rental/auto_extend") == 1
        await pilot.press("A")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.rentals[rental.code].auto_extend == 0
        assert cell(mine, rental.code, "auto") == "off"


async def test_a_rental_already_as_wanted_is_not_flipped(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE):
        svc = app.session.rentals
        rental = await svc.purchase(await offer(app, 9), 30)
        rsim.engine.rentals[rental.code].auto_extend = 1  # turned on on the website
        updated = await svc.set_auto_extend(rental.code, True)
        assert updated.auto_extend and rsim.engine.count("rental/auto_extend") == 0
        assert rsim.engine.rentals[rental.code].auto_extend == 1


async def test_non_extendable_rental_has_no_auto_extend(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        rental = await app.session.rentals.purchase(await offer(app, 4, extendable=False), 3)
        await pilot.press("r")
        await pilot.pause()
        mine = screen(app).query_one(MyRentalsTable)
        assert cell(mine, rental.code, "auto") == "—"
        await pilot.press("A")
        assert "non-extendable" in str(screen(app).query_one("#rentals-status").render())
        assert rsim.engine.count("rental/auto_extend") == 0
