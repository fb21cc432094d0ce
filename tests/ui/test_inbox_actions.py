"""The inbox acts on its own rental: E extends and X refunds it (the same confirms as the
board), c is not offered before a message arrives and says why; the extend confirm fits 80x24."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.inbox import InboxScreen
from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen
from tests.harness import SimHandle, make_test_app, start_sim, wait_until
from tests.ui.test_inbox import open_inbox

SIZE = (120, 40)


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


async def bought(app, rental_id: int = 9, days: int = 30, extendable: bool = True) -> str:
    svc = app.session.rentals
    offer = next(o for o in await svc.catalog(extendable) if o.id == rental_id)
    return (await svc.purchase(offer, days)).code


def summary_of(inbox: InboxScreen) -> str:
    return str(inbox.query_one("#inbox-summary", Static).render())


def status(inbox: InboxScreen) -> str:
    return str(inbox.query_one("#inbox-status", Static).render())


async def test_inbox_extend_and_refund_act_on_its_rental(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        app.balance = Decimal("72.00")
        code = await bought(app)
        inbox = await open_inbox(app, pilot)
        assert inbox.check_action("extend", ()) is True
        await pilot.press("E")
        await wait_until(lambda: isinstance(app.screen, RentalConfirmScreen))
        await pilot.pause()
        await pilot.press("y")  # 7 more days
        await wait_until(lambda: rsim.engine.count("rental/extend") == 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is inbox and "Extended" in status(inbox)
        assert app.session.rentals.get(code).days == 37
        # what this rental cost so far, from the rental ledger: the 30 days and the 7 more
        paid = sum((e.cost for e in app.session.journal.rental_events(code) if e.cost), Decimal(0))
        assert paid > 0
        await wait_until(lambda: f"spent ${paid:,.2f} (1 extension)" in summary_of(inbox))
        await pilot.press("X")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        assert "that payment is not refunded" in app.screen.question
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rsim.engine.count("rental/refund") == 1
        assert app.session.rentals.get(code).state == "refunded"
        summary = str(inbox.query_one("#inbox-summary", Static).render())
        assert "refunded" in summary
        await pilot.press("X")  # refunded: nothing to refund, and it says so
        assert "nothing to refund" in status(inbox)
        assert rsim.engine.count("rental/refund") == 1


async def test_inbox_keys_that_cannot_act_say_why(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await bought(app, 4, 3, extendable=False)  # Russia: not extendable
        inbox = await open_inbox(app, pilot)
        assert inbox.check_action("copy_code", ()) is False  # no messages: not offered
        await pilot.press("c")
        assert "No messages yet" in status(inbox) and app.clipboard == ""
        assert inbox.check_action("extend", ()) is None  # greyed
        await pilot.press("E")
        assert "non-extendable" in status(inbox)
        assert not isinstance(app.screen, RentalConfirmScreen)


def test_snapshot_extend_confirm_80x24(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        pilot.app.balance = Decimal("72.00")
        await bought(pilot.app)
        await open_inbox(pilot.app, pilot)
        await pilot.press("E")
        await wait_until(lambda: isinstance(pilot.app.screen, RentalConfirmScreen))
        await wait_until(lambda: pilot.app.screen.query_one(OptionList).option_count == 3)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
