"""Missed SMS: messages that reached the account's one-time numbers without completing an order,
with the code (or the sign-in link) picked out; `c` copies it. A modal over the board (`m`), also
in the palette."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from smspool_tui.ui.protocol import SmsApp
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.screens.order_words import plural
from smspool_tui.ui.text import error_text, plain

if TYPE_CHECKING:
    from smspool_tui.core.orders.missed import MissedMessage

LIMIT = 100
KEYS = "c copy code/link · n copy number · f5 reload · esc close"


def pick(message: MissedMessage) -> str:
    """What the user came for: the code, else the link, else the e-mail."""
    return message.code or message.link or message.email or ""


class MissedScreen(ModalScreen[None]):
    CSS_PATH = tcss("missed")
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="missed.close"),
        Binding("c", "copy_code", "Copy code/link", id="missed.copy_code"),
        Binding("n", "copy_number", "Copy number", id="missed.copy_number"),
        Binding("f5", "reload", "Reload", id="missed.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[MissedMessage] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="missed-box"):
            yield Static(Text("Missed SMS"), id="missed-title")
            yield Static(Text("Loading…"), id="missed-note")
            table: DataTable[Text] = DataTable(id="missed-table", cursor_type="row")
            # Fixed widths that fit 80 columns; the whole text of the highlighted one is below.
            table.add_column("Received", key="when", width=11)
            table.add_column("Number", key="number", width=15)
            table.add_column("Code / link", key="pick", width=20)
            table.add_column("Message", key="text", width=16)
            yield table
            yield Static(Text(""), id="missed-full")
            yield Static(Text(KEYS), id="missed-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_reload()

    def _note(self, text: str) -> None:
        self.query_one("#missed-note", Static).update(Text(text))

    @work(name="missed-load", group="missed", exclusive=True, exit_on_error=False)
    async def action_reload(self) -> None:
        session = cast(SmsApp, self.app).session
        if session is None:
            self._note("Not signed in.")
            return
        self._note("Loading…")
        try:
            messages = await session.orders.missed(limit=LIMIT)
        except Exception as exc:  # shown, never fatal
            self._note(f"Could not load missed SMS: {error_text(exc)}")
            return
        self.show(messages)

    def show(self, messages: list[MissedMessage]) -> None:
        self.messages = messages
        table = self.query_one(DataTable)
        table.clear()
        for index, m in enumerate(messages):
            when = m.received_at.strftime("%m-%d %H:%M") if m.received_at else "—"
            table.add_row(
                Text(when, style="dim"),
                Text(plain(m.number)),
                Text(plain(pick(m)), style="bold", no_wrap=True, overflow="ellipsis"),
                Text(plain(m.text), no_wrap=True, overflow="ellipsis"),
                key=str(index),
            )
        self._show_full()
        if messages:
            self._note(f"{plural(len(messages), 'message')} that completed no order (times UTC)")
        else:
            self._note("No missed SMS: every message that reached your numbers completed an order.")

    @on(DataTable.RowHighlighted)
    def _show_full(self) -> None:
        message = self.selected
        text = plain(message.text, one_line=False) if message is not None else ""
        self.query_one("#missed-full", Static).update(Text(text))

    @property
    def selected(self) -> MissedMessage | None:
        table = self.query_one(DataTable)
        if not self.messages or table.cursor_row >= len(self.messages):
            return None
        return self.messages[table.cursor_row]

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy_code(self) -> None:
        message = self.selected
        value = pick(message) if message is not None else ""
        if not value:
            self.app.notify("Nothing picked out of this message to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(value)
        self.app.notify(f"Copied {plain(value)}", markup=False)

    def action_copy_number(self) -> None:
        message = self.selected
        if message is not None and message.number:
            self.app.copy_to_clipboard(message.number)
            self.app.notify(f"Copied number {plain(message.number)}", markup=False)
