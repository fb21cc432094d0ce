"""First run: ask for the API key, check it with one balance call, save it only once it works.

The key sits in a masked Input and is never echoed: errors describe the problem, the success
message shows the balance. "Try the demo" starts the in-process simulator with a throwaway
config and journal, so nothing of the user's is touched.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import SecretStr
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Button, Input, LoadingIndicator, Static

from smspool_tui.config import KEY_LENGTH, check_api_key
from smspool_tui.core.onboarding import DEFAULT_TIMEOUT as CHECK_TIMEOUT
from smspool_tui.core.onboarding import SETTINGS_URL, KeyCheckError, check_key
from smspool_tui.ui.screens.base import BaseScreen
from smspool_tui.ui.secret_input import SecretInput
from smspool_tui.ui.widgets.header import format_money


class OnboardingScreen(BaseScreen):
    TITLE = "Welcome"
    CSS_PATH = "../tcss/onboarding.tcss"
    BINDINGS = [
        Binding("ctrl+t", "demo", "Try the demo", id="onboarding.demo"),
        Binding("ctrl+l", "clear_key", "Clear key", id="onboarding.clear"),
    ]

    busy = var(False, toggle_class="-busy")

    def __init__(self) -> None:
        super().__init__()
        # The key being checked: an attribute, not a worker argument (worker descriptions and
        # their reprs reach TEXTUAL_LOG), and a SecretStr, so no repr shows it.
        self._pending: SecretStr | None = None

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
            yield SecretInput(
                placeholder="API key (hidden while you type or paste)",
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
        self._pending = SecretStr(raw)
        self.busy = True  # now, not when the worker starts: a second enter starts nothing
        self.check()

    @work(
        name="onboarding-check",
        group="onboarding",
        description="check the API key",
        exclusive=True,
        exit_on_error=False,
    )
    async def check(self) -> None:
        settings = self.smsapp.settings
        pending, self._pending = self._pending, None
        if pending is None:
            self.busy = False
            return
        try:
            key, balance = await check_key(
                settings.base_url, pending, timeout=min(settings.read_timeout, CHECK_TIMEOUT)
            )
        except KeyCheckError as exc:
            self.say(str(exc), error=True)
            return
        finally:
            self.busy = False
        self.adopt(key, balance)

    def adopt(self, key: SecretStr, balance: Decimal) -> None:
        """The key works: the App keeps it, saves it (0600, atomic) and opens the session.

        Signing in runs on the App (not in this screen's worker), because switching modes
        removes this screen and would cancel its own workers mid-way.
        """
        self.query_one("#onb-key", Input).value = ""
        self.say(f"Key accepted. Balance {format_money(balance)}.")
        self.app.call_later(self.smsapp.sign_in, key, balance)

    # ---- the demo --------------------------------------------------------------------------

    @on(Button.Pressed, "#onb-demo")
    def _demo_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_demo()

    def action_demo(self) -> None:
        if self.busy:
            return
        self.query_one("#onb-key", Input).value = ""
        self.app.call_later(self.smsapp.start_demo)

    def action_clear_key(self) -> None:
        self.query_one("#onb-key", Input).value = ""
        self.say("")

    # ---- display ---------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#onb-message", Static)
        label.update(Text(("Error: " if error else "") + message if message else ""))
        label.set_class(error, "-error")
