"""A DataTable whose rows are keyed (order id, rental code) and reconciled, never rebuilt.

`reconcile(rows)` removes gone keys, updates only the cells whose text or style changed, adds
new rows and sorts once, inside one `batch_update`, then puts the cursor back on the same key.
`patch(cells)` is the 1 s countdown path: it rewrites cells and re-renders only their rows.

This is the one place that knows DataTable internals (Textual 8.2.8, pinned): the row data
(`_data`) and the render caches that `patch` drops. If they ever change shape, `patch` falls
back to a full refresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

Cells = Mapping[str, Text]  # column key -> cell
Signature = tuple[str, str]


def signature(text: Text) -> Signature:
    return (text.plain, str(text.style))


class KeyedTable(DataTable[Text]):
    """Rows keyed by a string; `columns` (set by `set_columns`) fixes the cell order."""

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
        self._keys: list[str] = []
        self._column_keys: tuple[str, ...] = ()
        self._rendered: dict[str, dict[str, Signature]] = {}

    # ---- columns and keys ------------------------------------------------------------------

    def set_columns(self, columns: Sequence[tuple[str, str, int]]) -> None:
        """(label, key, width) per column; drops every row (only a resize needs this)."""
        self.clear(columns=True)
        self._keys = []
        self._rendered.clear()
        self._column_keys = tuple(key for _, key, _ in columns)
        for label, key, width in columns:
            self.add_column(label, width=width, key=key)

    @property
    def column_keys(self) -> tuple[str, ...]:
        return self._column_keys

    @property
    def keys(self) -> list[str]:
        """Row keys in display order."""
        return list(self._keys)

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row."""
        if not self._keys or self.cursor_row < 0 or self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
        except CellDoesNotExist:
            return None
        return None if key.value is None else str(key.value)

    def select_key(self, key: str) -> None:
        if key in self.rows:
            self.move_cursor(row=self.get_row_index(RowKey(key)), animate=False)

    def cell_text(self, key: str, column: str) -> str:
        try:
            return self.get_cell(key, column).plain
        except CellDoesNotExist:
            return ""

    # ---- updates ---------------------------------------------------------------------------

    def reconcile(
        self,
        rows: Sequence[tuple[str, Cells]],
        *,
        keep: str | None = None,
        fallback: Literal["same", "first"] = "same",
    ) -> None:
        """Show exactly `rows` in this order. The cursor stays on `keep` (default: the key it
        is on); if that row is gone it stays at the same index ("same") or goes to the top."""
        selected = keep or self.cursor_key
        old_row = self.cursor_row
        wanted = {key for key, _ in rows}
        with self.app.batch_update():
            for gone in [k for k in self._keys if k not in wanted]:
                self.remove_row(gone)
                self._rendered.pop(gone, None)
            present = set(self._keys)
            for key, cells in rows:
                if key in present:
                    for column, text in cells.items():
                        self._set(key, column, text)
                else:
                    ordered = [cells.get(c, Text("")) for c in self._column_keys]
                    self.add_row(*ordered, key=key)
                    self._rendered[key] = {
                        c: signature(t) for c, t in zip(self._column_keys, ordered, strict=True)
                    }
            keys = [key for key, _ in rows]
            if keys != [str(r.key.value) for r in self.ordered_rows]:
                first = self._column_keys[0]
                rank = {id(self.get_cell(k, first)): i for i, k in enumerate(keys)}
                self.sort(key=lambda row: rank.get(id(row[0]), len(rank)))
            self._keys = keys
            self._restore_cursor(selected, 0 if fallback == "first" else old_row)

    def _set(self, key: str, column: str, text: Text) -> None:
        row = self._rendered.setdefault(key, {})
        if row.get(column) == (sig := signature(text)):
            return
        row[column] = sig
        self.update_cell(key, column, text)

    def patch(self, cells: Mapping[tuple[str, str], Text]) -> None:
        """Rewrite these cells (row key, column) and re-render only their rows.

        DataTable.update_cell bumps a table-wide counter that is part of every cache key, so one
        changed cell re-renders every cell of every row (a few percent of a core per second with
        20 rows). Unchanged cells are skipped."""
        dirty: set[tuple[str, str]] = set()
        for (key, column), text in cells.items():
            if key not in self.rows or column not in self._column_keys:
                continue
            row = self._rendered.setdefault(key, {})
            if row.get(column) != (sig := signature(text)):
                row[column] = sig
                self._data[RowKey(key)][ColumnKey(column)] = text
                dirty.add((key, column))
        if dirty:
            self._invalidate(dirty)

    def _invalidate(self, cells: set[tuple[str, str]]) -> None:
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

    def _restore_cursor(self, selected: str | None, fallback_row: int) -> None:
        if self.row_count == 0:
            return
        if selected is not None and selected in self.rows:
            row = self.get_row_index(RowKey(selected))
        else:
            row = min(max(fallback_row, 0), self.row_count - 1)
        if row != self.cursor_row:
            self.move_cursor(row=row, animate=False)
