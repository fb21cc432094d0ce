"""The one-line header: product, account state (DEMO / LIVE), balance, active orders, health."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from smspool_tui.ui.text import money

format_money = money  # the one money formatter (ui/text.py), by the name settings use


class StatusHeader(Horizontal):
    """Reads the App's reactives (balance, active_count, health, demo); owns no state."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $text; }
    StatusHeader > Static { width: auto; padding: 0 1; }
    StatusHeader #hdr-title { text-style: bold; }
    StatusHeader #hdr-mode { text-style: bold; }
    StatusHeader #hdr-mode.-demo { background: $warning; color: $text; }
    StatusHeader #hdr-mode.-live { background: $success; color: $text; }
    StatusHeader #hdr-health { color: $error; text-style: bold; }
    StatusHeader #hdr-spacer { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("smspool-tui", id="hdr-title")
        yield Static("", id="hdr-mode")
        yield Static("", id="hdr-screen")
        yield Static("", id="hdr-spacer")
        yield Static("", id="hdr-health")
        yield Static("", id="hdr-active")
        yield Static("", id="hdr-balance")

    def on_mount(self) -> None:
        app = self.app
        mode = self.query_one("#hdr-mode", Static)
        demo = bool(getattr(app, "demo", False))
        mode.update(" DEMO · fake money " if demo else " LIVE ")
        mode.set_class(demo, "-demo")
        mode.set_class(not demo, "-live")
        self.query_one("#hdr-screen", Static).update(Text(self.screen.title or "", style="dim"))
        self.watch(app, "balance", self._balance)
        self.watch(app, "active_count", self._active)
        self.watch(app, "health", self._health)

    def _balance(self, value: Decimal | None) -> None:
        self.query_one("#hdr-balance", Static).update(f"Balance {format_money(value)}")

    def _active(self, value: int) -> None:
        self.query_one("#hdr-active", Static).update(f"Active {value}")

    def _health(self, value: str) -> None:
        self.query_one("#hdr-health", Static).update(Text(value))
