"""First run: ask for the API key, check it with one balance call, save it only once it works.

The key sits in a masked Input and is never echoed: errors describe the problem, the success
message shows the balance. "Try the demo" starts the in-process simulator with a throwaway
config and journal, so nothing of the user's is touched.
"""

from __future__ import annotations

import contextlib
import sqlite3
from decimal import Decimal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, UnknownModeError
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Button, Input, LoadingIndicator, Static

from smspool_tui.config import KEY_LENGTH, check_api_key, save_settings
from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.core.onboarding import DEFAULT_TIMEOUT as CHECK_TIMEOUT
from smspool_tui.core.onboarding import SETTINGS_URL, KeyCheckError, check_key
from smspool_tui.ui.screens.base import BaseScreen
from smspool_tui.ui.widgets.header import format_money

ONBOARDING_MODE = "onboarding"


class OnboardingScreen(BaseScreen):
    TITLE = "Welcome"
    CSS_PATH = "../tcss/onboarding.tcss"
    BINDINGS = [
        Binding("ctrl+t", "demo", "Try the demo", id="onboarding.demo"),
        Binding("ctrl+l", "clear_key", "Clear key", id="onboarding.clear"),
    ]

    busy = var(False, toggle_class="-busy")

    def compose_body(self) -> ComposeResult:
        path = self.smsapp.loaded.path
        with Vertical(id="onb-card"):
            yield Static("Welcome to smspool-tui", id="onb-title")
            yield Static(
                Text.assemble(
                    "Paste your SMSPool API key to use your account. You find it on\n",
                    (SETTINGS_URL, "bold underline"),
                    "\n(log in, open Settings, copy the API key: "
                    f"{KEY_LENGTH} letters and digits).",
                ),
                id="onb-where",
            )
            yield Input(
                placeholder="API key (hidden while you type or paste)",
                password=True,
                max_length=128,
                id="onb-key",
            )
            with Horizontal(id="onb-buttons"):
                yield Button("Check key", id="onb-check", variant="primary")
                yield Button("Try the demo (ctrl+t)", id="onb-demo")
            yield LoadingIndicator(id="onb-loading")
            yield Static("", id="onb-message")
            yield Static(
                Text(
                    f"The key is checked with a balance request, then saved to {path} "
                    "(readable by you only). Nothing is saved if the check fails. "
                    "ctrl+q quits.",
                    style="dim",
                ),
                id="onb-note",
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#onb-key", Input).focus()

    # ---- checking the key ------------------------------------------------------------------

    @on(Input.Submitted, "#onb-key")
    @on(Button.Pressed, "#onb-check")
    def _submit(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        if self.busy:
            return
        raw = self.query_one("#onb-key", Input).value
        try:
            check_api_key(raw)  # a wrong shape never leaves the machine
        except ValueError as exc:
            self.say(f"That does not look like a key: {exc}.", error=True)
            return
        self.say("Checking the key with SMSPool…")
        self.check(raw)

    @work(name="onboarding-check", group="onboarding", exclusive=True, exit_on_error=False)
    async def check(self, raw: str) -> None:
        app = self.smsapp
        self.busy = True
        try:
            key, balance = await check_key(
                app.settings.base_url, raw, timeout=min(app.settings.read_timeout, CHECK_TIMEOUT)
            )
        except KeyCheckError as exc:
            self.say(str(exc), error=True)
            return
        finally:
            self.busy = False
        self.adopt(key, balance)

    def adopt(self, key: str, balance: Decimal) -> None:
        """The key works: keep it, save it (0600, atomic), open the session, go to Orders."""
        app = self.smsapp
        app.loaded.settings.api_key = key  # type: ignore[assignment]  # validated to SecretStr
        app.loaded.key_source = "onboarding"
        saved = True
        try:
            save_settings(app.loaded)
        except OSError as exc:
            saved = False
            reason = exc.strerror or exc.__class__.__name__
            app.notify(
                f"Could not save the key to {app.loaded.path} ({reason}); it works for this run.",
                severity="warning",
                markup=False,
            )
        app.balance = balance
        self.query_one("#onb-key", Input).value = ""
        self.say(f"Key accepted. Balance {format_money(balance)}.")
        if saved:
            app.notify(f"Key saved. Balance {format_money(balance)}.", markup=False)
        app.call_later(enter_app, app)

    # ---- the demo --------------------------------------------------------------------------

    @on(Button.Pressed, "#onb-demo")
    def _demo_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_demo()

    def action_demo(self) -> None:
        if self.busy:
            return
        from smspool_tui.cli import demo_environment

        app = self.smsapp
        self.query_one("#onb-key", Input).value = ""
        loaded, paths, server = demo_environment()
        app.loaded, app.paths, app.demo = loaded, paths, True
        app.demo_server = server
        app.call_later(enter_app, app)

    def action_clear_key(self) -> None:
        self.query_one("#onb-key", Input).value = ""
        self.say("")

    # ---- display ---------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#onb-message", Static)
        label.update(Text(("Error: " if error else "") + message if message else ""))
        label.set_class(error, "-error")


async def enter_app(app: object) -> None:
    """Open the session with the settings now on the app and show the Orders board.

    Runs on the App (not in the onboarding screen's worker), because switching modes removes
    the onboarding screen and would cancel its own workers mid-way.
    """
    from smspool_tui.ui.app import SmsPoolApp

    assert isinstance(app, SmsPoolApp)
    try:
        session = app._session_factory(app.loaded, app.paths)
    except (OSError, sqlite3.Error, JournalUnavailable) as exc:  # e.g. an unwritable data dir
        app.notify(
            f"Could not open the order journal: {exc}",
            severity="error",
            markup=False,
            timeout=15,
        )
        return
    app.start_session(session)
    await app.switch_mode("orders")
    with contextlib.suppress(UnknownModeError):
        await app.remove_mode(ONBOARDING_MODE)
