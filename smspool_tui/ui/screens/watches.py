"""Watches (`w`): each watch, what it waits for, its last check and its state; `x` removes one.

A watch is made from a service's prices (`a`) or the palette ("watch telegram in us"). The list
is redrawn from the journal on each WatchesChanged; "ago" times are display-only and tick.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from smspool_tui.core.watches.model import Watch, WatchesChanged, WatchFired
from smspool_tui.ui.screens.base import BaseScreen, tcss
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.text import plain

EMPTY = (
    "No watches yet. On a service's prices press a to watch a country, "
    "or ctrl+p and type: watch telegram in us"
)


def ago(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "never"
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


class WatchesScreen(BaseScreen):
    TITLE = "Watches"
    CSS_PATH = tcss("watches")
    STATUS_ID = "watches-status"
    REDRAW_ON_RESUME = True
    BINDINGS = [
        Binding("x,delete", "remove", "Remove", id="watches.remove"),
        Binding("f5", "refresh", "Check now", id="watches.check"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="watches-title")
        yield DataTable(id="watches-table", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY, id="watches-empty")
        yield Static(id="watches-detail")
        yield Static(id="watches-status")

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#watches-table", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.table
        table.add_column("Watch", key="what", width=24)
        table.add_column("When", key="when", width=13)
        table.add_column("Last check", key="last", width=20)
        table.add_column("State", key="state", width=15)  # the detail line has the rest
        self.ticker(5.0, self.redraw, name="watches-ago")
        self.redraw()
        table.focus()

    @property
    def watches(self) -> tuple[Watch, ...]:
        svc = getattr(self.session, "watches", None)
        return () if svc is None else svc.all()

    def on_core_event(self, event: object) -> None:
        if isinstance(event, WatchesChanged | WatchFired):
            self.redraw()

    def redraw(self) -> None:
        watches = self.watches
        svc = getattr(self.session, "watches", None)
        every = "" if svc is None else f"checked every {int(svc.interval)}s"
        paused = svc is not None and svc.paused
        head = Text.assemble(
            ("Watches", "bold"),
            (f"  {len(watches)} · {every}", "dim"),
            ("  · paused: offline" if paused else "", "bold yellow"),
        )
        self.query_one("#watches-title", Static).update(head)
        self.query_one("#watches-empty").display = not watches
        self.table.display = bool(watches)
        self._fill(watches)
        self._detail()

    @on(DataTable.RowHighlighted, "#watches-table")
    def _detail(self) -> None:
        """The highlighted watch in full: at 80 columns the table cuts the long cells."""
        w = self.selected()
        text = Text()
        if w is not None:
            fired = f" · fired {w.fired_count}×" if w.fired_count else ""
            text = Text(f"{w.what} · {w.condition} · {w.buy_text}{fired}\n{w.state}")
        self.query_one("#watches-detail", Static).update(text)

    def _fill(self, watches: tuple[Watch, ...]) -> None:
        table, now = self.table, self.now()
        keys = {str(w.id) for w in watches}
        with self.app.batch_update():
            for gone in [k for k in table.rows if k.value not in keys]:
                table.remove_row(gone)
            for w in watches:
                last = ago(w.last_check_at, now) + (f" · {w.last_seen}" if w.last_seen else "")
                cells = (Text(plain(w.what)), w.condition, last, Text(plain(w.state)))
                if str(w.id) in table.rows:
                    for column, value in zip(("what", "when", "last", "state"), cells, strict=True):
                        table.update_cell(str(w.id), column, value)
                else:
                    table.add_row(*cells, key=str(w.id))

    def selected(self) -> Watch | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((w for w in self.watches if str(w.id) == key), None)

    def action_remove(self) -> None:
        watch = self.selected()
        if watch is None:
            self.say("No watch to remove.", "warning")
            return
        self.app.push_screen(
            ConfirmScreen(
                f"Stop watching {watch.what} ({watch.condition})?",
                title="Remove the watch?",
                yes="Remove",
                no="Keep",
            ),
            lambda ok: self._remove(watch) if ok else None,
        )

    def _remove(self, watch: Watch) -> None:
        svc = getattr(self.session, "watches", None)
        if svc is not None and svc.remove(watch.id):
            self.say(f"Removed the watch on {watch.what}.")
        self.redraw()

    def action_refresh(self) -> None:
        svc = getattr(self.session, "watches", None)
        if svc is not None:
            svc.wake()
            self.say("Checking due watches now (each at most once a minute).")
