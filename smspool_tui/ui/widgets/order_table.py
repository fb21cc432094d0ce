"""The orders board table: rows keyed by order id, reconciled in place, never rebuilt per poll.

`show(orders, now)` reconciles the rows (KeyedTable: gone keys removed, changed cells updated,
new rows added, the cursor kept on its order). `tick(now)` repaints only the time cells (a
cheap, network-free 1 s timer drives it). Columns drop by priority when
the terminal is narrow (`fit(width)`), which is the only time the table is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from rich.style import Style
from rich.text import Text

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.text import phone, plain
from smspool_tui.ui.widgets.countdown import cancel_text, time_left_text
from smspool_tui.ui.widgets.keyed_table import KeyedTable

CODE_MARK = "✔ "  # visible with NO_COLOR too
AUTOPILOT_MARK = "» "  # an autopilot attempt's order
FLASH_FOR = timedelta(seconds=8)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    drop: int  # higher drops first when narrow; 0 never drops
    narrow: int = 0  # the width it shrinks to before anything is dropped (0: its width)


# What a user acts on stays at 80 columns: service, country, number, status, code, time left.
COLUMNS: tuple[Column, ...] = (
    Column("service", "Service", 16, 3, 11),
    Column("country", "Country", 14, 4, 11),
    Column("number", "Number", 17, 0),  # "+33 6 12 34 56 78" (ui.text.phone)
    Column("status", "Status", 13, 0, 10),
    Column("code", "Code", 12, 0, 10),
    Column("left", "Left", 7, 0, 6),
    Column("cancel", "Cancel window", 16, 5, 14),
)
TIME_COLUMNS = ("left", "cancel")
CELL_PADDING = 2  # DataTable pads each cell by one column either side


def _total(columns: list[Column]) -> int:
    return sum(c.width + CELL_PADDING for c in columns)


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit `width`: full widths if they fit, else every column shrunk to its
    narrow width (cut with "…"), then dropping the highest `drop` first."""
    shown = list(COLUMNS)
    if _total(shown) > width:
        shown = [replace(c, width=c.narrow or c.width) for c in shown]
    droppable = sorted((c for c in shown if c.drop), key=lambda c: -c.drop)
    while _total(shown) > width and droppable:
        shown.remove(droppable.pop(0))
    return tuple(shown)


class OrderTable(KeyedTable):
    """A keyed table of orders. Holds the last snapshot it was shown, nothing else."""

    DEFAULT_CSS = """
    OrderTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=False)
        self.orders: dict[str, Order] = {}
        self._flash_until: dict[str, datetime] = {}
        self._columns: tuple[Column, ...] = ()
        self._now: datetime | None = None
        self.marked: frozenset[str] = frozenset()  # the autopilot's orders (a » prefix)

    # ---- public ----------------------------------------------------------------------------

    @property
    def visible_columns(self) -> tuple[str, ...]:
        return self.column_keys

    @property
    def selected_order(self) -> Order | None:
        key = self.cursor_key
        return None if key is None else self.orders.get(key)

    def fit(self, width: int) -> None:
        """Choose columns for `width`; rebuild only when the set changes (a resize, not a poll)."""
        wanted = columns_for(width)
        if wanted == self._columns:
            return
        selected = self.selected_order
        self._columns = wanted
        with self.app.batch_update():
            ordered = [self.orders[i] for i in self.keys]
            self.set_columns([(c.label, c.key, c.width) for c in wanted])
            self.orders = {}
            if self._now is not None:
                self.show(ordered, self._now, keep=selected.order_id if selected else None)

    def flash(self, order_id: str, now: datetime, *, paint: bool = True) -> None:
        """Make a freshly arrived code stand out for a few seconds (from the next `show` on,
        if not `paint`)."""
        self._flash_until[order_id] = now + FLASH_FOR
        if paint and order_id in self.orders:
            self.reconcile(self._rows(list(self.orders.values()), now))

    def show(self, orders: Sequence[Order], now: datetime, *, keep: str | None = None) -> None:
        """Reconcile the rows with this snapshot (already sorted for display)."""
        self._now = now
        if not self._columns:
            return
        wanted = {o.order_id: o for o in orders}
        for gone in [k for k in self._flash_until if k not in wanted]:
            del self._flash_until[gone]
        self.orders = wanted
        self.reconcile(self._rows(orders, now), keep=keep)

    def tick(self, now: datetime) -> None:
        """Repaint the countdowns (and end flashes); touches no other cell, re-renders only
        the rows whose text changed (this runs every second all day long)."""
        self._now = now
        shown = [c for c in TIME_COLUMNS if c in self.visible_columns]
        cells: dict[tuple[str, str], Text] = {}
        for order_id, order in self.orders.items():
            for col in shown:
                cells[(order_id, col)] = self._cell(order, col, now)
            if order_id in self._flash_until and now >= self._flash_until[order_id]:
                del self._flash_until[order_id]
                cells[(order_id, "code")] = self._cell(order, "code", now)
        self.patch(cells)

    def _rows(self, orders: Sequence[Order], now: datetime) -> list[tuple[str, dict[str, Text]]]:
        return [
            (o.order_id, {c.key: self._cell(o, c.key, now) for c in self._columns}) for o in orders
        ]

    # ---- rendering -------------------------------------------------------------------------

    def _cell(self, order: Order, column: str, now: datetime) -> Text:
        final = order.status.is_final
        dim = Style(dim=True) if final else Style()
        if column == "service":
            mark = AUTOPILOT_MARK if order.order_id in self.marked else ""
            return Text(mark + plain(order.service), style=dim, overflow="ellipsis", no_wrap=True)
        if column == "country":
            return Text(plain(order.country), style=dim, overflow="ellipsis", no_wrap=True)
        if column == "number":
            return Text(phone(order.number), style=dim)
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
            label = "to cancel"  # narrow board: the cancel column (its countdown) is hidden
        if order.status is OrderState.UNKNOWN:
            label = "⚠ unknown"  # the reason (order.note) is in the detail view
        if order.is_token:
            label = "token link"  # bought with create_token: the code shows on the link
        styles = {
            OrderState.PENDING: Style(color=self._theme_color("warning")),
            OrderState.RECEIVED: Style(color=self._theme_color("success"), bold=True),
            OrderState.UNKNOWN: Style(color=self._theme_color("error"), bold=True),
        }
        style = styles.get(order.status, Style(dim=True))
        return Text(label, style=style, no_wrap=True, overflow="ellipsis")

    def _code(self, order: Order, now: datetime) -> Text:
        if not order.code:
            return Text("link: c copies" if order.share_url else "", style="dim")
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
