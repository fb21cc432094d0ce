"""One order in full: every field and the whole SMS text, as a modal over the board.

It stays live while open: it follows the core events for its order (a code that lands, a status
that changes) and repaints its countdowns from the App's clock every second.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from smspool_tui.core import events as ev
from smspool_tui.core.order_model import Order
from smspool_tui.ui.protocol import SmsApp
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.text import copy_number, local_time, money, phone, plain
from smspool_tui.ui.widgets.countdown import cancel_text, time_left_text


def _when(value: datetime | None, *, zone: bool = False) -> str:
    return local_time(value, "%Y-%m-%d %H:%M:%S", zone=zone)


def detail_table(order: Order, now: datetime) -> Table:
    """The fields as a two-column grid; every server string goes in as plain Text."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    rows: list[tuple[str, str]] = [
        ("Order", order.order_id),
        ("Service", plain(order.service)),
        ("Country", plain(order.country)),
        ("Number", phone(order.number)),
        ("Status", order.status.label),
        ("Code", plain(order.code) if order.code else "—"),
        ("Cost", money(order.cost, exact=True)),
        ("Purchased", _when(order.purchased_at, zone=True)),  # the zone, once
        ("Expires", _when(order.expires_at)),
        ("Time left", time_left_text(order, now)),
        ("Cancel", cancel_text(order, now) or "—"),
        ("Pool", "—" if order.pool is None else str(order.pool)),
        ("Ended", _when(order.ended_at)),
    ]
    if order.share_url:  # a token order: the link is where its code shows
        rows.append(("Share link", plain(order.share_url)))
    if order.note:
        rows.append(("Note", plain(order.note)))
    for label, value in rows:
        grid.add_row(Text(label), Text(value))
    return grid


class OrderDetailScreen(ModalScreen[None]):
    """Enter on a board row. `c`/`n` copy from here too; escape or enter closes."""

    CSS_PATH = tcss("order_detail")
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="detail.close"),
        Binding("c", "copy_code", "Copy code", id="detail.copy_code"),
        Binding("n", "copy_number", "Copy number", id="detail.copy_number"),
    ]

    def __init__(self, order: Order, now: datetime, *, history: Sequence[str] = ()) -> None:
        super().__init__()
        self.order = order
        self.now = now
        self.history = tuple(history)  # the autopilot run this order was an attempt of

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-box"):
            yield Static(
                Text(f"{plain(self.order.service)} · {phone(self.order.number)}"), id="detail-title"
            )
            yield Static(detail_table(self.order, self.now), id="detail-fields")
            yield Static(Text("Full SMS", style="bold"), id="detail-sms-label")
            yield Static(self._sms_text(), id="detail-sms")
            if self.history:
                yield Static(Text("Autopilot attempts", style="bold"), id="detail-autopilot-label")
                yield Static(Text("\n".join(self.history)), id="detail-autopilot")
            yield Static(
                Text("c copy code · n copy number · esc close", style="dim"), id="detail-keys"
            )

    def on_mount(self) -> None:
        app = cast(SmsApp, self.app)
        app.core_events.subscribe(self, self._on_core_event)
        self.set_interval(1.0, self._tick, name="detail-countdown")

    def _sms_text(self) -> Text:
        body = plain(self.order.full_sms, one_line=False) if self.order.full_sms else ""
        return Text(body or "No SMS yet.")

    def _on_core_event(self, event: object) -> None:
        """The board's events for this order: a new code, a status, a queued cancel."""
        oid = self.order.order_id
        if isinstance(event, ev.OrdersChanged):
            found = next((o for o in event.orders if o.order_id == oid), None)
            if found is not None:
                self.follow(found)
        elif isinstance(event, ev.CodeArrived) and event.order.order_id == oid:
            self.follow(event.order)

    def follow(self, order: Order) -> None:
        """Show this newer state of the order (no-op if nothing changed)."""
        if order == self.order:
            return
        self.order = order
        self._paint()
        self.query_one("#detail-sms", Static).update(self._sms_text())

    def _tick(self) -> None:
        self._paint()

    def _paint(self) -> None:
        self.now = cast(SmsApp, self.app).clock.now()
        self.query_one("#detail-fields", Static).update(detail_table(self.order, self.now))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy_code(self) -> None:
        if self.order.code:
            self.app.copy_to_clipboard(self.order.code)
            self.app.notify(f"Copied code {plain(self.order.code)}", markup=False)

    def action_copy_number(self) -> None:
        if self.order.number:
            self.app.copy_to_clipboard(
                copy_number(self.order.number, self.app.settings.display.copy_number)
            )  # type: ignore[attr-defined]
            self.app.notify(f"Copied number {plain(self.order.number)}", markup=False)
