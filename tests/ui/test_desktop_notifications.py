"""Desktop notifications through the real App: the escape goes out through the App's driver
(between frames, on the App's thread), the code stays out of it until the user turns on "show
the code" in Settings, a watch that fires toasts, and with no terminal or OS notifier (this
headless run) nothing fails."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from smspool_tui.config import load_settings
from smspool_tui.core import events as ev
from smspool_tui.core.notify import Notifier
from smspool_tui.core.notify.terminal import Escape
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.core.watches.model import Watch, WatchFired, WatchKind, WatchSpec
from smspool_tui.ui.app import SmsPoolApp
from tests.harness import SimHandle, make_test_app, wait_until

CODE = ev.CodeArrived(
    Order("1", "Telegram", "United States", "+15550001", status=OrderState.RECEIVED, code="4417")
)
WATCH = Watch(
    1, WatchSpec(WatchKind.STOCK, 907, "Telegram", 1, "United States"), datetime(2026, 1, 1)
)


def fake_terminal(app: SmsPoolApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The App believes it has a terminal; its driver's writes are kept."""
    written: list[str] = []
    monkeypatch.setattr(SmsPoolApp, "has_terminal", property(lambda self: True))
    monkeypatch.setattr(app._driver, "write", written.append)
    prefs = app.settings.desktop_notifications
    app.alerts.notifier = Notifier(
        lambda: prefs, escape=Escape.OSC777, write=app.write_escape, os_notifier=None, spawn=None
    )
    return written


async def test_a_code_goes_out_through_the_driver_without_the_code_until_allowed(
    sim: SimHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 60)) as pilot:
        written = fake_terminal(app, monkeypatch)
        app.emit(CODE)
        await wait_until(lambda: any("777;notify" in w for w in written))
        [escape] = [w for w in written if "777;notify" in w]
        assert escape == "\x1b]777;notify;Code received;Telegram · United States: a code arrived\a"

        await pilot.press("s")
        await wait_until(lambda: type(app.screen).__name__ == "SettingsScreen")
        await pilot.pause()
        box = app.screen.query_one("#set-desktop-show_code")
        box.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#set-desktop-show_code")
        await wait_until(lambda: app.settings.desktop_notifications.show_code)
        saved = load_settings(app.loaded.path, environ={}).settings
        assert saved.desktop_notifications.show_code is True
        assert app.settings.notifications.toast is True  # the code-toast settings untouched

        app.emit(CODE)
        await wait_until(lambda: any("4417" in w for w in written))


async def test_a_kind_turned_off_in_settings_sends_nothing(
    sim: SimHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 60)) as pilot:
        written = fake_terminal(app, monkeypatch)
        await pilot.press("s")
        await wait_until(lambda: type(app.screen).__name__ == "SettingsScreen")
        await pilot.pause()
        app.screen.query_one("#set-desktop-watch").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#set-desktop-watch")
        await wait_until(lambda: not app.settings.desktop_notifications.watch)
        app.emit(WatchFired(WATCH, "5 in stock", ""))
        await wait_until(lambda: app.alerts.routes[-1:] == ["off"])
        assert not any("777;notify" in w for w in written)
        # The toast still says it.
        assert any(n.title == "Watch fired" for n in app._notifications)


async def test_with_nowhere_to_send_the_toast_still_shows_and_nothing_fails(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "toast and bell only" in app.alerts.notifier.available()
        app.emit(WatchFired(WATCH, "5 in stock", "bought +15550001 for $1.27"))
        await wait_until(lambda: app.alerts.routes == ["none"])
        await pilot.pause()
        [toast] = [n for n in app._notifications if n.title == "Watch fired"]
        assert "Telegram · United States: 5 in stock · bought" in str(toast.message)
