"""The Settings screen's "Desktop notifications" section: one checkbox per kind, the privacy
switch for the code, and where notifications would go on this machine. Each change applies at
once to the live settings; the screen's own `save()` writes the file."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Static

from smspool_tui.config import DesktopNotifications
from smspool_tui.ui.widgets.shaped import OnOffBox

LABELS = {
    "code": "A code arrived",
    "rental_message": "A rental message arrived",
    "watch": "A watch fired",
    "autopilot": "An autopilot finished or stopped",
    "expired": "An order expired with no code",
    "offline": "Offline for more than a minute",
    "show_code": "Show the code itself (lock screens show it too)",
}


class DesktopSettings(Vertical):
    DEFAULT_CSS = """
    DesktopSettings { height: auto; }
    DesktopSettings .desk-title { text-style: bold underline; margin-top: 1; }
    """

    def __init__(self, prefs: DesktopNotifications) -> None:
        super().__init__(id="set-desktop")
        self.prefs = prefs

    def compose(self) -> ComposeResult:
        yield Static("Desktop notifications", classes="desk-title")
        yield Static("", id="set-desktop-where")
        for name, label in LABELS.items():
            yield OnOffBox(label, getattr(self.prefs, name), compact=True, id=f"set-desktop-{name}")

    def on_mount(self) -> None:
        alerts = getattr(self.app, "alerts", None)
        where = alerts.notifier.available() if alerts is not None else ""
        self.query_one("#set-desktop-where", Static).update(Text(where, style="dim"))

    @on(Checkbox.Changed)
    def _changed(self, event: Checkbox.Changed) -> None:
        event.stop()  # the screen's own checkbox handler is for the code-toast settings
        name = (event.checkbox.id or "").removeprefix("set-desktop-")
        if name in LABELS and getattr(self.prefs, name) != event.value:
            setattr(self.prefs, name, event.value)
            save: Any = getattr(self.screen, "save", None)
            if callable(save):
                save()
