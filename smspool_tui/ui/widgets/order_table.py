"""The orders board table: rows keyed by order id, reconciled in place, never rebuilt per poll.

`show(orders, now)` removes gone keys, updates only the cells whose text changed and adds new
rows, inside one `batch_update`, then restores the cursor on the same order. `tick(now)` repaints
only the time cells (a cheap, network-free 1 s timer drives it). Columns drop by priority when
the terminal is narrow (`fit(width)`), which is the only time the table is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.widgets.countdown import cancel_text, plain, time_left_text

CODE_MARK = "✔ "  # visible with NO_COLOR too
FLASH_FOR = timedelta(seconds=8)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    drop: int  # higher drops first when narrow; 0 never drops


COLUMNS: tuple[Column, ...] = (
    Column("service", "Service", 16, 3),
    Column("country", "Country", 14, 5),
    Column("number", "Number", 15, 0),
    Column("status", "Status", 13, 0),
    Column("code", "Code", 12, 0),
    Column("left", "Left", 7, 0),
    Column("cancel", "Cancel window", 16, 4),
)
TIME_COLUMNS = ("left", "cancel")
CELL_PADDING = 2  # DataTable pads each cell by one column either side


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit `width`, dropping the highest `drop` first."""
    shown = list(COLUMNS)
    droppable = sorted((c for c in COLUMNS if c.drop), key=lambda c: -c.drop)
    while sum(c.width + CELL_PADDING for c in shown) > width and droppable:
        shown.remove(droppable.pop(0))
    return tuple(shown)


class OrderTable(DataTable[Text]):
    """A DataTable of orders. Holds the last snapshot it was shown, nothing else."""

    DEFAULT_CSS = """
    OrderTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.orders: dict[str, Order] = {}
        self._order_ids: list[str] = []
        self._rendered: dict[str, dict[str, tuple[str, str]]] = {}
        self._flash_until: dict[str, datetime] = {}
        self._columns: tuple[Column, ...] = ()
        self._now: datetime | None = None

    # ---- public ----------------------------------------------------------------------------

    @property
    def visible_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self._columns)

    @property
    def selected_order(self) -> Order | None:
        if not self._order_ids or self.cursor_row < 0 or self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
        except CellDoesNotExist:
            return None
        return self.orders.get(str(key.value))

    def cell_text(self, order_id: str, column: str) -> str:
        """The text a cell shows (tests and benchmarks read the board through this)."""
        try:
            return self.get_cell(order_id, column).plain
        except CellDoesNotExist:
            return ""

    def fit(self, width: int) -> None:
        """Choose columns for `width`; rebuild only when the set changes (a resize, not a poll)."""
        wanted = columns_for(width)
        if wanted == self._columns:
            return
        selected = self.selected_order
        self._columns = wanted
        with self.app.batch_update():
            self.clear(columns=True)
            self._rendered.clear()
            for col in wanted:
                self.add_column(col.label, width=col.width, key=col.key)
            ordered = [self.orders[i] for i in self._order_ids]
            self._order_ids = []
            self.orders = {}
            if self._now is not None:
                self.show(ordered, self._now, keep=selected.order_id if selected else None)

    def flash(self, order_id: str, now: datetime, *, paint: bool = True) -> None:
        """Make a freshly arrived code stand out for a few seconds (from the next `show` on,
        if not `paint`)."""
        self._flash_until[order_id] = now + FLASH_FOR
        if paint and order_id in self.orders:
            self._update_row(self.orders[order_id], now)

    def show(self, orders: Sequence[Order], now: datetime, *, keep: str | None = None) -> None:
        """Reconcile the rows with this snapshot (already sorted for display)."""
        self._now = now
        if not self._columns:
            return
        selected = keep or (o.order_id if (o := self.selected_order) else None)
        old_row = self.cursor_row
        wanted = {o.order_id: o for o in orders}
        with self.app.batch_update():
            for gone in [k for k in self.orders if k not in wanted]:
                self.remove_row(gone)
                self._rendered.pop(gone, None)
                self._flash_until.pop(gone, None)
            for order in orders:
                if order.order_id in self.orders:
                    self._update_row(order, now)
                else:
                    self._add(order, now)
            self.orders = wanted
            ids = [o.order_id for o in orders]
            if ids != [str(r.key.value) for r in self.ordered_rows]:
                rank = {id(self.get_cell(k, self._columns[0].key)): i for i, k in enumerate(ids)}
                self.sort(key=lambda row: rank.get(id(row[0]), len(rank)))
            self._order_ids = ids
            self._restore_cursor(selected, old_row)

    def tick(self, now: datetime) -> None:
        """Repaint the countdowns (and end flashes); touches no other cell, re-renders only
        the rows whose text changed (this runs every second all day long)."""
        self._now = now
        shown = [c for c in TIME_COLUMNS if c in self.visible_columns]
        dirty: set[tuple[str, str]] = set()
        for order_id, order in self.orders.items():
            cells = {col: self._cell(order, col, now) for col in shown}
            if order_id in self._flash_until and now >= self._flash_until[order_id]:
                del self._flash_until[order_id]
                cells["code"] = self._cell(order, "code", now)
            row = self._rendered.setdefault(order_id, {})
            for col, text in cells.items():
                if row.get(col) != (sig := _sig(text)):
                    row[col] = sig
                    self._data[RowKey(order_id)][ColumnKey(col)] = text
                    dirty.add((order_id, col))
        if dirty:
            self._invalidate_rows(dirty)

    def _invalidate_rows(self, cells: set[tuple[str, str]]) -> None:
        """Drop only these rows' render caches and repaint them.

        DataTable.update_cell bumps a table-wide counter that is part of every cache key, so one
        changed cell re-renders every cell of every row (a few percent of a core per second with
        20 orders). The caches below are Textual 8.2.8 internals (the version is pinned); if they
        ever change shape, fall back to a full refresh."""
        keys = {RowKey(row) for row, _ in cells}
        pairs = {(RowKey(row), ColumnKey(col)) for row, col in cells}
        try:
            indexes = {self.get_row_index(k) for k in keys}
            for cache, matches in (
                (self._cell_render_cache, lambda k: (k[0], k[1]) in pairs),
                (self._row_render_cache, lambda k: k[0] in keys),
                (self._row_renderable_cache, lambda k: k[1] in indexes),
            ):
                for key in [k for k in list(cache.keys()) if matches(k)]:
                    cache.discard(key)
            self._line_cache.clear()  # cheap: lines re-join the cached rows
        except (AttributeError, IndexError, TypeError, KeyError):
            self._update_count += 1
            self.refresh()
            return
        for index in indexes:
            self.refresh_row(index)

    # ---- rendering -------------------------------------------------------------------------

    def _add(self, order: Order, now: datetime) -> None:
        cells = [self._cell(order, c.key, now) for c in self._columns]
        self.add_row(*cells, key=order.order_id)
        self._rendered[order.order_id] = {
            c.key: _sig(t) for c, t in zip(self._columns, cells, strict=True)
        }

    def _update_row(self, order: Order, now: datetime) -> None:
        self.orders[order.order_id] = order
        for col in self._columns:
            self._set(order.order_id, col.key, self._cell(order, col.key, now))

    def _set(self, order_id: str, column: str, text: Text) -> None:
        sig = _sig(text)
        row = self._rendered.setdefault(order_id, {})
        if row.get(column) == sig:
            return
        row[column] = sig
        self.update_cell(order_id, column, text)

    def _cell(self, order: Order, column: str, now: datetime) -> Text:
        final = order.status.is_final
        dim = Style(dim=True) if final else Style()
        if column == "service":
            return Text(plain(order.service), style=dim, overflow="ellipsis", no_wrap=True)
        if column == "country":
            return Text(plain(order.country), style=dim, overflow="ellipsis", no_wrap=True)
        if column == "number":
            return Text(plain(order.number), style=dim)
        if column == "status":
            return self._status(order)
        if column == "code":
            return self._code(order, now)
        if column == "left":
            return Text(time_left_text(order, now), style=dim)
        if column == "cancel":
            text = cancel_text(order, now)
            style = Style(italic=True) if order.cancel_queued else Style(dim=True)
            return Text(text, style=style)
        return Text("")

    def _status(self, order: Order) -> Text:
        label = order.status.label
        if (
            order.cancel_queued
            and order.status is OrderState.PENDING
            and "cancel" not in self.visible_columns
        ):
            label = "cancel queued"  # narrow board: the cancel column is hidden
        if order.status is OrderState.UNKNOWN:
            label = "⚠ unknown"  # the reason (order.note) is in the detail view
        styles = {
            OrderState.PENDING: Style(color=self._theme_color("warning")),
            OrderState.RECEIVED: Style(color=self._theme_color("success"), bold=True),
            OrderState.UNKNOWN: Style(color=self._theme_color("error"), bold=True),
        }
        return Text(label, style=styles.get(order.status, Style(dim=True)), no_wrap=True)

    def _code(self, order: Order, now: datetime) -> Text:
        if not order.code:
            return Text("")
        style = Style(bold=True, color=self._theme_color("accent"))
        until = self._flash_until.get(order.order_id)
        if until is not None and now < until:
            style += Style(reverse=True)
        return Text(CODE_MARK + plain(order.code), style=style, no_wrap=True)

    def _theme_color(self, name: str) -> str | None:
        try:
            theme = self.app.current_theme
        except Exception:
            return None
        return getattr(theme, name, None) or None

    def _restore_cursor(self, selected: str | None, old_row: int) -> None:
        if self.row_count == 0:
            return
        if selected is not None and selected in self.orders:
            row = self.get_row_index(RowKey(selected))
        else:
            row = min(max(old_row, 0), self.row_count - 1)
        if row != self.cursor_row:
            self.move_cursor(row=row, animate=False)


def _sig(text: Text) -> tuple[str, str]:
    return (text.plain, str(text.style))
