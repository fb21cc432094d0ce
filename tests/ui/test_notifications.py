"""What the "When a code arrives" settings do, through the real App: a purchase on the simulator,
an SMS delivered there, the orders monitor polling on the FakeClock, and then the clipboard, the
bell and the toast checked against the settings. Each case waits on the effect that is on (so
the announcement has certainly happened) and then checks the ones that are off."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Checkbox

from smspool_tui.core.order_model import Order
from smspool_tui.ui.app import SmsPoolApp
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.screens.settings import SettingsScreen
from smspool_tui.ui.text import phone
from tests.harness import SimHandle, make_test_app, wait_until

SIZE = (120, 40)
CODE = "731904"


async def advance_until(
    sim: SimHandle, predicate: Callable[[], bool], timeout: float = 8.0
) -> None:
    """Advance the FakeClock a poll at a time until the monitors made `predicate` true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        sim.clock.advance(2)
        for _ in range(10):
            if predicate():
                return
            await asyncio.sleep(0.02)


async def buy_and_deliver(app: SmsPoolApp, sim: SimHandle) -> Order:
    """Buy a number on the board and have its SMS arrive on the server."""
    await wait_until(lambda: getattr(app.session.orders, "last_ok_at", None) is not None)
    assert isinstance(app.screen, OrdersScreen)
    order = await app.session.orders.purchase(
        "US", "Telegram", country_name="US", service_name="Telegram"
    )
    sim.engine.deliver_sms(order.order_id, f"Your code is {CODE}")
    return order


def code_toasts(app: SmsPoolApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Code received"]


def spy_bell(app: SmsPoolApp, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    rings: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    return rings


@pytest.mark.parametrize(
    ("auto_copy", "toast", "bell"),
    [(True, True, True), (False, True, False), (True, False, False), (False, False, True)],
    ids=["all-on", "toast-only", "copy-only", "bell-only"],
)
async def test_a_code_is_announced_as_the_settings_say(
    sim: SimHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    auto_copy: bool,
    toast: bool,
    bell: bool,
) -> None:
    notes = {"auto_copy": auto_copy, "toast": toast, "bell": bell}
    app = make_test_app(sim, tmp_path, poll_interval=2, notifications=notes)
    rings = spy_bell(app, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.clipboard == ""
        order = await buy_and_deliver(app, sim)
        # Whichever effect is on comes first: then the announcement is over.
        await advance_until(
            sim, lambda: app.clipboard == CODE or bool(code_toasts(app)) or bool(rings)
        )
        await pilot.pause()
        assert app.session.journal.get_order(order.order_id).code == CODE
        assert app.clipboard == (CODE if auto_copy else "")
        assert len(rings) == (1 if bell else 0)
        toasts = code_toasts(app)
        if toast:
            assert len(toasts) == 1 and CODE in toasts[0] and phone(order.number) in toasts[0]
            assert ("(copied)" in toasts[0]) is auto_copy, toasts[0]
        else:
            assert toasts == []
            assert not [n for n in app._notifications if CODE in str(n.message)]


async def test_auto_copy_turned_on_in_settings_copies_the_next_code(
    sim: SimHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)  # defaults: toast on, copy and bell off
    rings = spy_bell(app, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")
        await wait_until(lambda: isinstance(app.screen, SettingsScreen))
        box = app.screen.query_one("#set-notify-auto_copy", Checkbox)
        assert not box.value
        box.focus()
        await pilot.press("enter")
        await wait_until(lambda: box.value)
        assert app.settings.notifications.auto_copy is True
        await pilot.press("o")
        await wait_until(lambda: isinstance(app.screen, OrdersScreen))
        await buy_and_deliver(app, sim)
        await advance_until(sim, lambda: app.clipboard == CODE)
        await pilot.pause()
        toasts = code_toasts(app)
        assert len(toasts) == 1 and "(copied)" in toasts[0]
        assert rings == []
