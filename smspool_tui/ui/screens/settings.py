"""Settings (`s`): every change applies at once to the live Settings model and is saved 0600.

A value pydantic refuses is shown under its field with the reason and nothing is saved. The key
is never shown: at most its last four characters. A replacement key is checked with a balance
call before it replaces anything; removing it asks first.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from pydantic import SecretStr, ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.validation import Number
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from smspool_tui.config import PricingChoice, check_api_key, save_settings
from smspool_tui.core.onboarding import DEFAULT_TIMEOUT as CHECK_TIMEOUT
from smspool_tui.core.onboarding import SETTINGS_URL, KeyCheckError, check_key
from smspool_tui.ui.screens.base import BaseScreen
from smspool_tui.ui.screens.confirm import ConfirmScreen, quit_warning
from smspool_tui.ui.secret_input import SecretInput
from smspool_tui.ui.widgets.desktop_settings import DesktopSettings
from smspool_tui.ui.widgets.header import format_money
from smspool_tui.ui.widgets.shaped import OnOffBox

PRICING_LABELS = {
    PricingChoice.CHEAPEST: "Cheapest pool",
    PricingChoice.HIGHEST_SUCCESS: "Highest success rate",
}
NOTIFY_LABELS = {
    "toast": "Toast when a code arrives",
    "bell": "Ring the terminal bell",
    "auto_copy": "Copy each new code to the clipboard",
}


def show_error(label: Static, message: str) -> None:
    """Error lines take no room until there is something to say."""
    label.update(Text(message))
    label.set_class(bool(message), "-shown")


def key_hint(secret: Any) -> str:
    """The last four characters at most; a key is 32 long, so that leaves 28 unknown."""
    if secret is None:
        return "none"
    return "…" + secret.get_secret_value()[-4:]


def reason_of(error: ValidationError) -> str:
    first = error.errors()[0]
    return str(first["msg"]).removeprefix("Value error, ")


class SettingsScreen(BaseScreen):
    TITLE = "Settings"
    AUTO_FOCUS = "#set-body"  # no field on arrival: the screen keys work; tab reaches the fields
    CSS_PATH = "../tcss/settings.tcss"
    BINDINGS = [
        Binding("ctrl+k", "focus_key", "Replace key", id="settings.key"),
        Binding("ctrl+t", "remove_key", "Remove key", id="settings.remove_key"),
    ]
    # Not offered in the demo's palette: the demo's key is the simulator's.
    HIDDEN_IN_DEMO: ClassVar[frozenset[str]] = frozenset({"focus_key", "remove_key"})

    def __init__(self) -> None:
        super().__init__()
        self._pending: SecretStr | None = None  # the replacement key being checked

    def compose_body(self) -> ComposeResult:
        s = self.smsapp.settings
        with VerticalScroll(id="set-body"):
            yield Static("API key", classes="set-section")
            yield Static(Text(f"From {SETTINGS_URL}", style="dim"))
            yield Static("", id="set-key-status")
            with Horizontal(classes="set-row"):
                yield SecretInput(
                    placeholder="paste a new key",
                    compact=True,
                    id="set-key-new",
                )
                yield Button("Replace", id="set-key-replace", compact=True)
                yield Button("Remove", id="set-key-remove", compact=True, variant="error")
            yield Static("", id="set-key-error", classes="set-error")

            yield Static("Monitoring and buying", classes="set-section")
            with Horizontal(classes="set-row"):
                yield Label("Poll interval (s, 2–60)", classes="set-label")
                yield Input(
                    str(_plain(s.poll_interval)),
                    type="number",
                    compact=True,
                    validators=[Number(minimum=2, maximum=60)],
                    id="set-poll_interval",
                )
            yield Static("", id="set-poll_interval-error", classes="set-error")
            with Horizontal(classes="set-row -menu"):
                yield Label("Default pricing", classes="set-label")
                yield Select(
                    [(label, choice.value) for choice, label in PRICING_LABELS.items()],
                    value=s.pricing_option.value,
                    allow_blank=False,
                    compact=True,
                    id="set-pricing_option",
                )
            with Horizontal(classes="set-row"):
                yield Label("Default max price ($)", classes="set-label")
                yield Input(
                    "" if s.max_price is None else str(s.max_price),
                    placeholder="no limit",
                    type="number",
                    compact=True,
                    validators=[Number(minimum=0.01, failure_description="must be more than 0")],
                    valid_empty=True,
                    id="set-max_price",
                )
            yield Static("", id="set-max_price-error", classes="set-error")

            yield Static("When a code arrives", classes="set-section")
            for name, label in NOTIFY_LABELS.items():
                yield OnOffBox(
                    label, getattr(s.notifications, name), compact=True, id=f"set-notify-{name}"
                )

            yield Static("Look", classes="set-section")
            with Horizontal(classes="set-row -menu"):
                yield Label("Theme", classes="set-label")
                yield Select(
                    [(name, name) for name in sorted(self.app.available_themes)],
                    value=self.app.theme,
                    allow_blank=False,
                    compact=True,
                    id="set-theme",
                )
            yield Static("", id="set-saved", classes="set-note")
            yield DesktopSettings(s.desktop_notifications)  # last: the others keep their rows

    def on_mount(self) -> None:
        super().on_mount()
        self.show_key_status()

    def on_screen_resume(self) -> None:
        self.show_key_status()
        theme = self.query_one("#set-theme", Select)
        if theme.value != self.app.theme:  # chosen in the palette meanwhile (saved by the app)
            with theme.prevent(Select.Changed):
                theme.value = self.app.theme

    # ---- saving ----------------------------------------------------------------------------

    def apply(self, field: str, value: Any, *, target: Any = None) -> bool:
        """Set one field on the live settings and save; False (and the reason shown) if refused."""
        app = self.smsapp
        error = self._error_label(field)
        try:
            setattr(target if target is not None else app.settings, field, value)
        except ValidationError as exc:
            if error is not None:
                show_error(error, f"Not saved: {reason_of(exc)}")
            return False
        if error is not None:
            show_error(error, "")
        self.save()
        return True

    def save(self) -> None:
        app = self.smsapp
        note = self.query_one("#set-saved", Static)
        try:
            save_settings(app.loaded)
        except OSError as exc:
            note.update(Text(f"Could not save to {app.loaded.path}: {exc.strerror or exc}"))
            note.add_class("-error")
            return
        note.remove_class("-error")
        note.update(Text(f"Saved to {app.loaded.path}", style="dim"))

    def _error_label(self, field: str) -> Static | None:
        found = self.query(f"#set-{field}-error")
        return found.first(Static) if found else None

    @on(Input.Changed)
    def _editing(self, event: Input.Changed) -> None:
        """While typing: a valid value clears the old refusal; any edit is not saved yet, so
        the "Saved to ..." note of an earlier value goes."""
        field = (event.input.id or "").removeprefix("set-")
        if field not in ("poll_interval", "max_price"):
            return
        result = event.input.validate(event.value.strip())
        if result is None or result.is_valid:
            show_error(self.query_one(f"#set-{field}-error", Static), "")
        self.query_one("#set-saved", Static).update("")

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _input_done(self, event: Input.Submitted | Input.Blurred) -> None:
        field = (event.input.id or "").removeprefix("set-")
        if field not in ("poll_interval", "max_price"):
            return
        event.stop()
        value = event.input.value.strip()
        result = event.input.validate(value)
        if result is not None and not result.is_valid:
            message = "; ".join(result.failure_descriptions)
            show_error(self.query_one(f"#set-{field}-error", Static), f"Not saved: {message}")
            return
        current = getattr(self.smsapp.settings, field)
        if field == "poll_interval":
            if self._number(value) == current:
                return
            if self.apply(field, value):
                self._follow_poll_interval(self.smsapp.settings.poll_interval)
        else:
            if (self._decimal(value) if value else None) == current:
                show_error(self.query_one("#set-max_price-error", Static), "")
                return
            self.apply(field, value or None)

    @staticmethod
    def _number(value: str) -> float | None:
        try:
            return float(value)
        except ValueError:
            return None

    @staticmethod
    def _decimal(value: str) -> Decimal | None:
        try:
            return Decimal(value)
        except InvalidOperation:
            return None

    def _follow_poll_interval(self, seconds: float) -> None:
        session = self.smsapp.session
        for service in (getattr(session, "orders", None), getattr(session, "rentals", None)):
            if service is not None and hasattr(service, "poll_interval"):
                service.poll_interval = seconds
                wake = getattr(service, "wake", None)
                if callable(wake):
                    wake()  # start the new rhythm now, not after the old sleep

    @on(Select.Changed, "#set-pricing_option")
    def _pricing(self, event: Select.Changed) -> None:
        if event.value != self.smsapp.settings.pricing_option.value:
            self.apply("pricing_option", event.value)

    @on(Select.Changed, "#set-theme")
    def _theme(self, event: Select.Changed) -> None:
        name = str(event.value)
        if name == self.smsapp.settings.theme or name not in self.app.available_themes:
            return
        self.apply("theme", name)  # first: the app's watcher then finds it saved already
        self.app.theme = name

    @on(Checkbox.Changed)
    def _notify(self, event: Checkbox.Changed) -> None:
        name = (event.checkbox.id or "").removeprefix("set-notify-")
        if name in NOTIFY_LABELS:
            notes = self.smsapp.settings.notifications
            if getattr(notes, name) != event.value:
                self.apply(name, event.value, target=notes)

    # ---- the key ---------------------------------------------------------------------------

    def show_key_status(self) -> None:
        app = self.smsapp
        key, source = app.settings.api_key, app.loaded.key_source
        if app.demo:
            text = "Demo key for the built-in simulator. Nothing here touches your account."
        elif key is None:
            text = "No key."
        elif source == "env":
            text = f"Key {key_hint(key)} from SMSPOOL_API_KEY; it is not stored in any file."
        elif source == "flag":
            text = f"Key {key_hint(key)} from the command line; not stored in any file."
        else:
            text = f"Key {key_hint(key)} saved in {app.loaded.path} (readable by you only)."
        self.query_one("#set-key-status", Static).update(Text(text))
        locked = app.demo or source in ("env", "flag")
        for widget_id in ("#set-key-new", "#set-key-replace", "#set-key-remove"):
            self.query_one(widget_id).disabled = locked
        if key is None:
            self.query_one("#set-key-remove").disabled = True

    def key_message(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#set-key-error", Static)
        show_error(label, ("Error: " if error else "") + text if text else "")
        label.set_class(error, "-error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the demo the key is the simulator's: no Replace/Remove key in the footer."""
        return not (self.smsapp.demo and action in self.HIDDEN_IN_DEMO)

    def why_not(self, action: str) -> str | None:
        if action in self.HIDDEN_IN_DEMO:
            return "The demo uses the simulator's key: there is no key to replace or remove."
        return None

    def action_focus_key(self) -> None:
        self.query_one("#set-key-new", Input).focus()

    @on(Input.Submitted, "#set-key-new")
    @on(Button.Pressed, "#set-key-replace")
    def _replace(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        raw = self.query_one("#set-key-new", Input).value
        try:
            check_api_key(raw)
        except ValueError as exc:
            self.key_message(f"That does not look like a key: {exc}.", error=True)
            return
        busy = quit_warning(self.smsapp)
        if busy:
            self.key_message("Not now: " + busy.removesuffix(" Quit anyway?"), error=True)
            return
        self.key_message("Checking the new key with SMSPool…")
        # An attribute, not a worker argument: worker descriptions reach TEXTUAL_LOG.
        self._pending = SecretStr(raw)
        self.check_new_key()

    @work(
        name="settings-key-check",
        group="settings-key",
        description="check the new API key",
        exclusive=True,
        exit_on_error=False,
    )
    async def check_new_key(self) -> None:
        settings = self.smsapp.settings
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            key, balance = await check_key(
                settings.base_url, pending, timeout=min(settings.read_timeout, CHECK_TIMEOUT)
            )
        except KeyCheckError as exc:
            self.key_message(str(exc), error=True)
            return
        self.query_one("#set-key-new", Input).value = ""
        self.app.call_later(self._replace_key, key, balance)

    async def _replace_key(self, key: SecretStr, balance: Decimal) -> None:
        app = self.smsapp
        opened = await app.replace_key(key, balance)
        self.save()  # saved already; this shows where, or why not, under the fields as before
        if opened:
            self.key_message(f"New key saved. Balance {format_money(balance)}.")
        else:
            self.key_message("New key saved, but the session could not open (see why).", error=True)
        self.show_key_status()

    @on(Button.Pressed, "#set-key-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_remove_key()

    def action_remove_key(self) -> None:
        app = self.smsapp
        if app.demo or app.settings.api_key is None or app.loaded.key_source in ("env", "flag"):
            self.key_message("There is no saved key to remove.", error=True)
            return
        self.app.push_screen(
            ConfirmScreen(
                f"Remove the key from {app.loaded.path}? The app stops monitoring and asks "
                "for a key again.",
                title="Remove the API key?",
                yes="Remove",
                no="Keep",
            ),
            self._remove_answer,
        )

    def _remove_answer(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        app = self.smsapp
        app.settings.api_key = None
        app.loaded.key_source = "removed"
        self.save()
        self.key_message("Key removed.")
        self.app.call_later(app.sign_out)


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
