"""History: every past order from the journal, searchable, loaded page by page, exportable.

The journal is the source (request/history is merged into it by `OrdersService.sync_history`
in a worker when the screen opens). Queries run in thread workers (sqlite blocks); only one
page (PAGE rows) is in the table at first and the next page is appended when the cursor nears
the end, so 10,000 orders open as fast as 200.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from smspool_tui.atomic import atomic_writer
from smspool_tui.core.history import HistoryService
from smspool_tui.core.order_model import Order
from smspool_tui.ui.exports import export_folder
from smspool_tui.ui.history_search import history_query
from smspool_tui.ui.screens.base import BaseScreen, tcss
from smspool_tui.ui.screens.order_detail import OrderDetailScreen
from smspool_tui.ui.screens.unarchive import unarchive_order
from smspool_tui.ui.text import local_time, money, phone, plain, zone_name
from smspool_tui.ui.widgets.fit_columns import Fit, fit_columns

PAGE = 100  # two screens of rows; more page in as the cursor or the view nears the end
PREFETCH = 20  # rows before the end at which the next page is fetched
CSV_FIELDS = (
    "order_id", "purchased_at", "service", "country", "number", "status", "code",
    "full_sms", "cost", "expires_at", "ended_at", "pool", "share_url",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV-safe cell: server text that starts like a formula is prefixed with a quote, so a
    spreadsheet never runs an SMS body."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(getattr(value, "value", value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(path: Path, orders: Iterator[Order]) -> int:
    """Write owner-only (numbers and codes are private), all or nothing, never over an existing
    file; returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with atomic_writer(path, text=True, exclusive=True) as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        for order in orders:
            writer.writerow([csv_cell(getattr(order, field)) for field in CSV_FIELDS])
            count += 1
    return count


# Cost stays at 80 columns (it is what a user checks); the room left goes to names first.
COLUMNS = (
    Fit("when", 11, 16, 0), Fit("service", 9, 24, 1), Fit("number", 12, 17, 3),
    Fit("status", 8, 13, 4), Fit("code", 8, 12, 5), Fit("cost", 7, 8, 6),
    Fit("country", 7, 24, 2),
)  # fmt: skip
LONG_DATE = 16


def _cut(text: str, **style: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis", **style)


def _when(order: Order, width: int = LONG_DATE) -> Text:
    pattern = "%Y-%m-%d %H:%M" if width >= LONG_DATE else "%m-%d %H:%M"
    return _cut(local_time(order.purchased_at, pattern), style="dim")


def _row(order: Order, when_width: int = LONG_DATE) -> tuple[Text, ...]:
    code = _cut("✔ " + plain(order.code), style="bold") if order.code else Text("")
    code = Text("share link", style="dim") if order.share_url and not order.code else code
    return (
        _when(order, when_width),
        _cut(plain(order.service)),
        _cut(phone(order.number)),
        _cut(order.status.label),
        code,
        Text("" if order.cost is None else money(order.cost, exact=True), justify="right"),
        _cut(plain(order.country)),
    )


class HistoryScreen(BaseScreen):
    TITLE = "History"
    AUTO_FOCUS = "#history-table"
    CSS_PATH = tcss("history")
    BINDINGS = [
        Binding("slash", "focus_filter", "Search", id="history.search"),
        Binding("e", "export", "Export CSV", id="history.export",
                tooltip="Write the listed orders to a CSV file"),
        Binding("escape", "leave_filter", "Back to table", id="history.table"),
        Binding("u", "unarchive", "Unarchive", id="history.unarchive", show=False,
                tooltip="Put an archived order back in SMSPool's order history"),
        Binding("B", "number_again", "Same number", id="history.number_again",
                tooltip="Buy this number again (SMSPool is asked for the very same number)"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.total = 0
        self.everything = 0  # all orders, whatever the search: "8 of 30 orders match"
        self.loaded: list[Order] = []
        self._synced = False
        self._shown_once = False
        self._sync_note = ""
        self._export_note = ""  # where the last export went: stays until the next one
        self._when_width = LONG_DATE
        self._history: tuple[object, HistoryService] | None = None

    @property
    def history(self) -> HistoryService | None:
        """The session's history reader (rebuilt if the session was replaced)."""
        session = self.session
        if session is None:
            return None
        if self._history is None or self._history[0] is not session:
            self._history = (session, HistoryService(session.journal))
        return self._history[1]

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Search service, country, number, code  ( / )", id="history-filter")
        table: DataTable[Text] = DataTable(id="history-table", cursor_type="row")
        # Most useful first, so an 80-column terminal still shows the code.
        labels = (
            f"Bought {zone_name(self.now())}",  # the zone, once
            "Service", "Number", "Status", "Code", "Cost", "Country",
        )  # fmt: skip
        for label, fit in zip(labels, COLUMNS, strict=True):
            table.add_column(label, key=fit.key, width=fit.most)
        yield table
        yield Static("", id="history-status")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#history-table", DataTable)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)  # once the table has its new size

    def _fit(self) -> None:
        widths = fit_columns(self.table, COLUMNS)
        when = widths.get("when", LONG_DATE)
        if (when >= LONG_DATE) != (self._when_width >= LONG_DATE):  # the date's form changed
            for order in self.loaded:
                self.table.update_cell(order.order_id, "when", _when(order, when))
        self._when_width = when

    def on_mount(self) -> None:
        self.watch(self.table, "scroll_y", self._scrolled, init=False)
        self.reload()
        if not self._synced and self.session is not None:
            self._synced = True
            self._sync()

    def on_screen_resume(self) -> None:
        if self._shown_once:
            self._load(self.search, 0)  # orders finished while we were away (kept if unchanged)
        self._shown_once = True

    # ---- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self.loaded = []
        self._load(self.search, 0)

    @work(
        thread=True, name="history-load", group="history-load", exclusive=True, exit_on_error=False
    )
    def _load(self, search: str, offset: int) -> None:
        history = self.history
        if history is None:
            return
        rows = history.search(search, limit=PAGE, offset=offset)
        total = history.count(search) if offset == 0 else self.total
        if offset == 0:
            self.everything = history.count("") if search else total  # read in _paint_status
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply, search, offset, rows, total)

    def _apply(self, search: str, offset: int, rows: list[Order], total: int) -> None:
        if search != self.search:
            return  # a stale answer (the filter moved on)
        if offset == 0 and total == self.total and rows == self.loaded[: len(rows)] and rows:
            self._paint_status()  # the count of all orders may have moved
            return  # a refresh that found nothing new: keep the table and its cursor
        if offset == 0:
            self.loaded = []
        elif offset != len(self.loaded):
            return
        table = self.table
        with self.app.batch_update():
            if offset == 0:
                table.clear()
            for order in rows:
                if order.order_id not in table.rows:
                    table.add_row(*_row(order, self._when_width), key=order.order_id)
        self.loaded.extend(rows)
        self.total = total
        self._paint_status()

    def _paint_status(self) -> None:
        if self.total == 0:
            text = (
                "No orders match." if self.search else "No orders yet — bought orders appear here."
            )
        else:
            more = " — scroll for more" if len(self.loaded) < self.total else ""
            noun = "order" if self.total == 1 else "orders"
            if self.search:  # how many match out of all, not loaded out of matching
                noun = "order" if self.everything == 1 else "orders"
                text = f"{self.total:,} of {self.everything:,} {noun} match{more}"
                raw = self.query_one("#history-filter", Input).value.strip()
                if raw and raw != self.search:
                    text += f" (searched “{self.search}” for “{raw}”)"
            else:
                text = f"{len(self.loaded):,} of {self.total:,} {noun}{more}"
        if self._sync_note:
            text += f" · {self._sync_note}"
        if self._export_note:
            text += "\n" + self._export_note
        self.query_one("#history-status", Static).update(Text(text))

    @on(DataTable.RowHighlighted, "#history-table")
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= len(self.loaded) - PREFETCH
        if near_end and len(self.loaded) < self.total:
            self._load(self.search, len(self.loaded))

    def _scrolled(self, _old: float, new: float) -> None:
        # The mouse wheel moves the view, not the cursor: page in when the view nears the end.
        table = self.table
        if new >= table.max_scroll_y - PREFETCH and len(self.loaded) < self.total:
            self._load(self.search, len(self.loaded))

    @work(name="history-sync", group="history-sync", exit_on_error=False)
    async def _sync(self) -> None:
        session = self.session
        sync = getattr(session.orders, "sync_history", None) if session else None
        if sync is None:
            return
        self._sync_note = "syncing with SMSPool…"
        self._paint_status()
        try:
            added = await sync()
        except Exception as exc:  # shown, never fatal: the journal is still here
            self._sync_note = f"server history unavailable ({plain(str(exc))})"
        else:
            self._sync_note = ""
            if added:
                self.reload()
        self._paint_status()

    # ---- filter ----------------------------------------------------------------------------

    @on(Input.Changed, "#history-filter")
    def _filter(self, event: Input.Changed) -> None:
        catalog = getattr(self.session, "catalog", None)
        self.search = history_query(event.value, getattr(catalog, "country_name", None))
        self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = self.focused is self.query_one("#history-filter", Input)
        if action == "leave_filter":
            return typing
        return not typing if action in ("focus_filter", "export") else True

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.table.focus()

    def action_number_again(self) -> None:
        from smspool_tui.ui.screens.purchase_again import buy_number_again, selected

        buy_number_again(self, selected(self.table, self.loaded))

    @on(DataTable.RowSelected, "#history-table")
    def _details(self, event: DataTable.RowSelected) -> None:
        event.stop()
        order = next((o for o in self.loaded if o.order_id == event.row_key.value), None)
        if order is not None:
            self.app.push_screen(OrderDetailScreen(order, self.now()))

    def action_unarchive(self) -> None:
        row = self.table.cursor_row
        unarchive_order(self, self.loaded[row] if 0 <= row < len(self.loaded) else None)

    # ---- export ----------------------------------------------------------------------------

    def export_path(self) -> Path:
        """A new file each time: a second export in the same second gets a suffix."""
        stamp = self.now().strftime("%Y%m%d-%H%M%S")
        folder = export_folder(self.app)
        path, n = folder / f"smspool-orders-{stamp}.csv", 1
        while path.exists():
            n += 1
            path = folder / f"smspool-orders-{stamp}-{n}.csv"
        return path

    def action_export(self) -> None:
        if self.history is not None:
            self._export(self.search, self.export_path())

    @work(thread=True, name="history-export", group="history-export", exit_on_error=False)
    def _export(self, search: str, path: Path) -> None:
        history = self.history
        assert history is not None
        try:
            count = write_csv(path, history.iter_orders(search))
        except OSError as exc:
            self.app.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        what = f" matching “{search}”" if search else ""
        note = f"Exported {count:,} order{'' if count == 1 else 's'}{what} to {path}"
        self.app.call_from_thread(self._exported, note)

    def _exported(self, note: str) -> None:
        self._export_note = note  # the status line keeps it; the toast only points there
        self._paint_status()
        self.notify("Its path is on the status line.", title="CSV written", markup=False)
