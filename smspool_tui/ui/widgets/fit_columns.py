"""DataTable columns that use the width they have: each starts at its minimum, and the room
left goes to the columns in priority order up to their maximum. Cells cut with "…" (the
screens make their cells `Text(..., overflow="ellipsis", no_wrap=True)`), so nothing is cut
mid-word at 200 columns and nothing scrolls sideways at 80.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

SCROLLBAR = 2  # the vertical scrollbar's columns, kept free so no sideways scrollbar appears


@dataclass(frozen=True, slots=True)
class Fit:
    key: str
    least: int
    most: int
    priority: int = 0  # lower gets the room first


def fit_widths(specs: Sequence[Fit], room: int) -> dict[str, int]:
    widths = {s.key: s.least for s in specs}
    extra = room - sum(widths.values())
    for spec in sorted(specs, key=lambda s: s.priority):
        if extra <= 0:
            break
        add = min(extra, spec.most - spec.least)
        widths[spec.key] += add
        extra -= add
    return widths


def fit_columns(table: DataTable[Any], specs: Sequence[Fit], tries: int = 5) -> dict[str, int]:
    """Set the widths of `table`'s columns for its current width; returns them. Before its
    first layout the table has no width yet: it tries again after the next refreshes."""
    padding = 2 * table.cell_padding * len(specs)
    room = table.size.width - SCROLLBAR - padding
    if table.size.width == 0 or not table.columns:
        if tries > 0 and table.is_mounted:
            table.call_after_refresh(fit_columns, table, specs, tries - 1)
        return {}
    if room <= 0:
        return {}
    widths = fit_widths(specs, room)
    changed = False
    for key, width in widths.items():
        column = table.columns.get(ColumnKey(key))
        if column is not None and column.width != width:
            column.width, column.auto_width = width, False
            changed = True
    if changed:
        # DataTable has no public "set width": these are what add_column sets (Textual 8.2.8).
        table._require_update_dimensions = True
        table._clear_caches()
        table.refresh()
    return widths
