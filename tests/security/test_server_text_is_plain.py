"""Server text (SMS bodies, rental messages, error messages) is drawn as plain text: Rich markup
stays literal and terminal escape sequences (here OSC 52, which would write the clipboard) never
reach the output."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.sim import wire
from smspool_tui.sim.engine import Route
from smspool_tui.ui.screens.inbox import InboxScreen
from smspool_tui.ui.screens.order_detail import OrderDetailScreen
from smspool_tui.ui.screens.rentals import RentalsScreen
from tests.faults.common import screen_text, workers_done
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)
EVIL = "code 4242 [red]x[/red] \x1b]52;c;ZXZpbA==\x07 \x1b[31mred\x1b[0m"


@pytest.fixture
def psim() -> Iterator[SimHandle]:
    handle = start_sim(seed=4, rental_message_every=0, balance=Decimal("100"))
    try:
        yield handle
    finally:
        handle.stop()


def assert_plain(app, svg: str) -> None:  # type: ignore[no-untyped-def]
    text = screen_text(app)
    assert "[red]x" in text  # markup shown literally, not turned into colour
    for blob in (text, svg):
        assert "\x1b" not in blob and "\x07" not in blob and "&#27;" not in blob
        assert "ZXZpbA==\x07" not in blob


async def test_sms_body_is_plain(psim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(psim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        orders = app.session.orders
        order = await orders.purchase("US", "Telegram", country_name="US", service_name="Telegram")
        psim.engine.deliver_sms(order.order_id, text=EVIL)
        psim.clock.advance(3)
        await wait_until(lambda: app.session.journal.get_order(order.order_id).full_sms or "")
        psim.clock.advance(3)  # the board's copy too
        await wait_until(lambda: "4242" in screen_text(app))  # the code toast and the row
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, OrderDetailScreen))
        await pilot.pause()
        assert_plain(app, app.export_screenshot())


async def test_rental_message_and_error_message_are_plain(psim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(psim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        svc = app.session.rentals
        offer = next(o for o in await svc.catalog(True) if o.id == 9)
        rental = await svc.purchase(offer, 7)
        psim.clock.advance(30)
        psim.engine.add_rental_message(rental.code, EVIL, "[b]sender[/b]")
        await svc.refresh_rental(rental.code)
        await pilot.press("r")
        await wait_until(lambda: isinstance(app.screen, RentalsScreen))
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, InboxScreen))
        await workers_done(app)
        await pilot.pause()
        assert_plain(app, app.export_screenshot())

        # Now the server answers with the same text as an error message.
        evil_fail = Route(lambda p, now: wire.fail(EVIL, 400), False, ("rental_code",))
        psim.engine.routes["rental/retrieve_messages"] = evil_fail
        psim.engine.routes["rental/retrieve_status"] = evil_fail
        app.clear_notifications()
        assert "Could not" not in screen_text(app)  # no error shown before the failing check
        await pilot.press("f5")
        await workers_done(app)
        await pilot.pause()
        # The server's error text itself is shown (the message list held "4242" already):
        # in the status line, literally, markup and all.
        status = str(app.screen.query_one("#inbox-status").render())
        assert "Could not" in status and "code 4242 [red]x[/red]" in status, status
        assert "code 4242 [red]x[/red]" in screen_text(app)
        assert_plain(app, app.export_screenshot())
