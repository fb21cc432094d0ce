"""A rental's inbox: newest first, codes highlighted and copyable, plain text only, live."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from smspool_tui.ui.screens.inbox import InboxScreen
from smspool_tui.ui.screens.rentals import RentalsScreen
from smspool_tui.ui.text import phone
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)


@pytest.fixture
def rsim() -> Iterator[SimHandle]:
    handle = start_sim(seed=5, rental_message_every=0, balance=Decimal("100.00"))
    try:
        yield handle
    finally:
        handle.stop()


async def buy_with_messages(app, sim: SimHandle, *texts: str) -> str:
    svc = app.session.rentals
    offer = next(o for o in await svc.catalog(True) if o.id == 9)
    rental = await svc.purchase(offer, 7)
    for i, text in enumerate(texts):
        sim.clock.advance(30)
        sim.engine.add_rental_message(rental.code, text, f"1000{i}")
    await svc.refresh_rental(rental.code)
    return rental.code


async def open_inbox(app, pilot) -> InboxScreen:
    await pilot.press("r")
    await wait_until(lambda: isinstance(app.screen, RentalsScreen))
    await pilot.pause()
    await pilot.press("enter")
    await wait_until(lambda: isinstance(app.screen, InboxScreen))
    # only the inbox's own check: monitor workers (when on) never complete
    await wait_until(lambda: not [w for w in app.workers if w.group == "inbox-check"])
    await pilot.pause()
    return app.screen


def lines(inbox: InboxScreen) -> list[str]:
    listing = inbox.query_one(OptionList)
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]


async def test_newest_first_new_marked_and_c_copies_the_code(
    rsim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        code = await buy_with_messages(
            app, rsim, "Your Acorns verification code is 4417", "Uber: your code is 8812."
        )
        assert app.session.rentals.get(code).unread == 2
        inbox = await open_inbox(app, pilot)
        shown = lines(inbox)
        assert "8812" in shown[0] and "4417" in shown[1]  # newest first
        assert all(line.startswith(" NEW ") for line in shown)
        # the zone is named once, in the summary line
        assert "from 10001" in shown[0] and "2026-11-26 12:01:00" in shown[0]
        assert app.session.rentals.get(code).unread == 0  # seen in the journal now
        await pilot.press("c")
        assert app.clipboard == "8812"
        assert "Copied code 8812" in str(inbox.query_one("#inbox-status", Static).render())
        await pilot.press("down", "c")
        assert app.clipboard == "4417"
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, RentalsScreen))
        # a second visit: nothing is new any more
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, InboxScreen))
        await pilot.pause()
        assert not any(line.startswith(" NEW ") for line in lines(app.screen))


async def test_server_text_is_plain_text(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await buy_with_messages(app, rsim, "[red]pwn[/red] \x1b[31mcode 5555\x1b[0m\x07 [b]")
        inbox = await open_inbox(app, pilot)
        [line] = lines(inbox)
        assert "[red]pwn[/red] code 5555 [b]" in line
        assert "\x1b" not in line and "\x07" not in line
        await pilot.press("c")
        assert app.clipboard == "5555"


async def test_no_code_says_so(rsim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(rsim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await buy_with_messages(app, rsim, "Welcome to the service, no numbers here")
        inbox = await open_inbox(app, pilot)
        await pilot.press("c")
        assert app.clipboard == ""
        assert "No code found" in str(inbox.query_one("#inbox-status", Static).render())


async def _tick_until(sim: SimHandle, predicate: Callable[[], bool], step: float = 2.0) -> None:
    """Advance the FakeClock one poll at a time until the monitor has made `predicate` true."""
    deadline = time.monotonic() + 10
    while not predicate():
        assert time.monotonic() < deadline, "condition not met"
        sim.clock.advance(step)
        for _ in range(20):
            if predicate():
                return
            await asyncio.sleep(0.01)


async def test_live_message_appears_and_toasts_only_elsewhere(
    rsim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(rsim, tmp_path, monitors=True, poll_interval=2)
    toasts: list[str] = []
    real_notify = app.notify

    def spy(message: str, **kw: object) -> None:
        toasts.append(message)
        real_notify(message, **kw)  # type: ignore[arg-type]

    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        code = await buy_with_messages(app, rsim, "first code 1111")
        inbox = await open_inbox(app, pilot)
        assert len(lines(inbox)) == 1
        rsim.engine.add_rental_message(code, "second code 2222", "777")
        await _tick_until(rsim, lambda: len(lines(inbox)) == 2)
        assert "2222" in lines(inbox)[0] and lines(inbox)[0].startswith(" NEW ")
        assert not [t for t in toasts if "2222" in t]  # looking at it: no toast
        await pilot.press("escape", "o")
        await pilot.pause()
        rsim.engine.add_rental_message(code, "third code 3333", "778")
        # Nobody watches it now: the slow cadence (every 6th cycle) still finds it.
        await _tick_until(rsim, lambda: any("3333" in t for t in toasts))
        [toast] = [t for t in toasts if "3333" in t]
        assert "code 3333" in toast and phone(app.session.rentals.get(code).number) in toast


def test_snapshot_inbox_120x40(snap_compare, rsim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(rsim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        app = pilot.app
        code = await buy_with_messages(
            app,
            rsim,
            "Your Acorns verification code is 4417",
            "G-482913 is your Google verification code.",
        )
        app.session.rentals.mark_seen(code)
        rsim.clock.advance(30)
        rsim.engine.add_rental_message(code, "Uber: your code is 8812. Never share it.", "89203")
        await app.session.rentals.refresh_rental(code)
        await pilot.pause()
        app.clear_notifications()  # the setup's own message toasts are not what the shot is about
        await open_inbox(app, pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
