"""The Rentals screen against the simulator over loopback: catalog, buying with a confirm,
my rentals with countdowns, refund and extend behind confirms; snapshots on a FakeClock."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import OptionList, Static, TabbedContent

from smspool_tui.core.rental_model import REFUNDED
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.inbox import InboxScreen
from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen
from smspool_tui.ui.screens.rentals import RentalsScreen
from smspool_tui.ui.widgets.rental_table import CatalogTable, MyRentalsTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


def screen(app) -> RentalsScreen:
    assert isinstance(app.screen, RentalsScreen), app.screen
    return app.screen


def cell(table, row: str, col: str) -> str:
    value = table.get_cell(row, col)
    return value.plain if isinstance(value, Text) else str(value)


async def offer(app, rental_id: int, extendable: bool = True):
    offers = await app.session.rentals.catalog(extendable)
    return next(o for o in offers if o.id == rental_id)


async def open_catalog(app, pilot) -> CatalogTable:
    await pilot.press("r")
    table = screen(app).query_one(CatalogTable)
    await wait_until(lambda: table.row_count > 0)
    await pilot.pause()
    return table


async def test_no_rentals_opens_on_the_catalog_and_e_switches_kind(
    rsim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_catalog(app, pilot)
        assert screen(app).query_one(TabbedContent).active == "rentals-catalog"
        assert set(table.offers) == {"6", "7", "9", "10"}
        assert cell(table, "9", "prices") == "7d $12.00, 14d $18.00, 30d $28.00"
        assert cell(table, "9", "refund") == "2 h · 28d+"
        await pilot.press("e")
        await wait_until(lambda: "4" in table.offers)
        assert set(table.offers) == {"4", "8", "11", "12"}
        assert cell(table, "8", "ext") == "no"
        kind = screen(app).query_one("#rentals-kind", Static)
        assert "Non-extendable" in str(kind.render())


async def test_buy_with_confirm_buys_exactly_once(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        app.balance = Decimal("100.00")
        table = await open_catalog(app, pilot)
        table.move_cursor(row=table.get_row_index("9"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.pause()
        days = app.screen.query_one(OptionList)
        shown = [days.get_option_at_index(i).prompt.plain for i in range(days.option_count)]
        assert "7 days" in shown[0] and "$12.00" in shown[0] and "balance after $88.00" in shown[0]
        assert "30 days" in shown[2] and "balance after $72.00" in shown[2]
        await pilot.press("down", "y", "y")
        await wait_until(lambda: rsim.engine.count("purchase/rental") >= 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.count("purchase/rental") == 1
        [code] = rsim.engine.rentals
        assert [r.rental_code for r in app.session.journal.rentals()] == [code]
        assert app.session.rentals.get(code).days == 14
        s = screen(app)
        assert s.query_one(TabbedContent).active == "rentals-mine"
        mine = s.query_one(MyRentalsTable)
        assert mine.selected is not None and mine.selected.code == code
        assert cell(mine, code, "expires") == "14d 00:00:00"
        status = str(s.query_one("#rentals-status", Static).render())
        assert code in status and "14 days" in status


async def test_declined_confirm_buys_nothing(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_catalog(app, pilot)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert rsim.engine.count("purchase/rental") == 0
        assert app.session.journal.open_intents("rental") == []


async def test_countdown_repaints_from_the_clock_without_requests(
    rsim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        rental = await app.session.rentals.purchase(await offer(app, 9), 7)
        await pilot.press("r")
        mine = screen(app).query_one(MyRentalsTable)
        assert cell(mine, rental.code, "expires") == "7d 00:00:00"
        requests = len(rsim.engine.requests)
        rsim.clock.advance(3661)
        await wait_until(lambda: cell(mine, rental.code, "expires") == "6d 22:58:59")
        assert len(rsim.engine.requests) == requests


async def test_refund_explains_rules_and_shows_refusal(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        svc = app.session.rentals
        used = await svc.purchase(await offer(app, 9), 30)
        rsim.engine.add_rental_message(used.code, "Your code is 1234")
        await svc.refresh_rental(used.code)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("X")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question
        rules = (
            "Refund: within 2 h of purchase, before any message arrives, for rentals of 28+ days."
        )
        assert rules in question and "12 h" not in question
        assert "A message has already arrived" in question
        assert question.count("refuse") == 1  # said once
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen(app).query_one("#rentals-status", Static).render())
        assert "Refund refused" in status and "after receiving one message" in status
        assert svc.get(used.code).state == ""


async def test_refund_of_a_fresh_rental(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        fresh = await app.session.rentals.purchase(await offer(app, 9), 30)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("X")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        assert "Time left to ask: 2 h 00 min" in app.screen.question
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.rentals.get(fresh.code).state == REFUNDED
        mine = screen(app).query_one(MyRentalsTable)
        assert cell(mine, fresh.code, "status") == "refunded"
        assert rsim.engine.balance == Decimal("100.00")


async def test_extend_shows_prices_and_new_expiry(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        app.balance = Decimal("72.00")
        rental = await app.session.rentals.purchase(await offer(app, 9), 30)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("E")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.pause()
        days = app.screen.query_one(OptionList)
        first = days.get_option_at_index(0).prompt.plain
        assert "7 days" in first and "$12.00" in first and "until 2027-01-02" in first
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.count("rental/extend") == 1
        mine = screen(app).query_one(MyRentalsTable)
        assert cell(mine, rental.code, "expires") == "37d 00:00:00"
        assert cell(mine, rental.code, "days") == "37"


async def test_enter_opens_inbox_and_escape_comes_back(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        rental = await app.session.rentals.purchase(await offer(app, 9), 7)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, InboxScreen))
        assert app.screen.rental_code == rental.code
        assert app.session.rentals.watched == {rental.code}
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, RentalsScreen))
        await pilot.pause()
        # back on the board: the highlighted rental is the one watched
        assert app.session.rentals.watched == {rental.code}
        await pilot.press("o")
        await pilot.pause()
        assert app.session.rentals.watched == frozenset()


async def _bought(pilot, rsim: SimHandle) -> None:
    app = pilot.app
    svc = app.session.rentals
    nl = await svc.purchase(await offer(app, 9), 7)
    rsim.clock.advance(60)
    await svc.purchase(await offer(app, 8, extendable=False), 3)
    rsim.engine.add_rental_message(nl.code, "Your Acorns verification code is 4417", "22395")
    await svc.refresh_rental(nl.code)
    app.balance = await app.session.client.balance()
    await pilot.pause()
    app.clear_notifications()  # the setup's own message toast is not what the shot is about


def test_snapshot_my_rentals_120x40(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        await _bought(pilot, rsim)
        await pilot.press("r")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_snapshot_my_rentals_80x24(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        await _bought(pilot, rsim)
        await pilot.press("r")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_catalog_120x40(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        await pilot.press("r")
        table = pilot.app.screen.query_one(CatalogTable)
        await wait_until(lambda: table.row_count > 0)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_snapshot_buy_confirm_120x40(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        pilot.app.balance = Decimal("100.00")
        await pilot.press("r")
        table = pilot.app.screen.query_one(CatalogTable)
        await wait_until(lambda: table.row_count > 0)
        table.move_cursor(row=table.get_row_index("9"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(pilot.app.screen, RentalConfirmScreen))

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


async def test_unclear_purchase_warns_and_never_retries(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_catalog(app, pilot)
        rsim.engine.force_fault("wrongtype", path="purchase/rental")  # bought, answer garbled
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen(app).query_one("#rentals-status", Static).render())
        assert "not confirmed" in status and "do not buy again" in status
        assert rsim.engine.count("purchase/rental") == 1
        [intent] = app.session.journal.open_intents("rental")
        assert intent.state == "unknown"
        mine = screen(app).query_one(MyRentalsTable)
        # Shown like an SMS purchase of unknown outcome, until the server settles it.
        await wait_until(lambda: f"intent:{intent.id}" in mine.rentals)
        # the next reload settles it from rental/retrieve: the rental is on the board
        await pilot.press("t", "f5")
        [code] = rsim.engine.rentals
        await wait_until(lambda: code in mine.rentals)
        assert app.session.journal.open_intents("rental") == []
        assert f"intent:{intent.id}" not in mine.rentals


async def test_outage_shows_on_the_board_then_clears(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=True, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        rental = await app.session.rentals.purchase(await offer(app, 9), 7)
        await pilot.press("r")
        await pilot.pause()
        health = screen(app).query_one("#rentals-health", Static)
        # the monitor's reads are not retried by the client: 8 failed cycles, then it ends
        rsim.engine.force_fault("500", count=8, path="rental/retrieve_messages")
        deadline = 200
        while not health.display and deadline:
            rsim.clock.advance(2)
            await pilot.pause(0.02)
            deadline -= 1
        assert health.display and "offline - retrying in" in str(health.render())
        deadline = 400
        while health.display and deadline:
            rsim.clock.advance(5)
            await pilot.pause(0.02)
            deadline -= 1
        assert not health.display
        assert app.session.rentals.get(rental.code).available
