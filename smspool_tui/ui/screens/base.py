"""The frame every top-level screen shares: status header, body, footer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from smspool_tui.ui.widgets.header import StatusHeader

if TYPE_CHECKING:
    from smspool_tui.ui.protocol import SmsApp


NARROW_FOOTER = 110


class BaseScreen(Screen[None]):
    """Subclasses implement `compose_body`; core events arrive through `on_core_event`."""

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def smsapp(self) -> SmsApp:
        """The App as screens may use it (ui/protocol.py), not its private fields."""
        return cast("SmsApp", self.app)

    def now(self) -> datetime:
        return self.smsapp.clock.now()

    def on_mount(self) -> None:
        self.smsapp.core_events.subscribe(self, self.on_core_event)

    def on_resize(self, event: events.Resize) -> None:
        # Below ~110 columns the roomy footer hides the global keys (? help, q quit).
        for footer in self.query(Footer):
            footer.compact = event.size.width < NARROW_FOOTER

    def on_core_event(self, event: object) -> None:
        """Override to react to core events (OrdersChanged, CodeArrived, ...)."""
