"""Past orders for the History screen and exports: search, count, and a chunked iterator.

A thin reader over the journal, so screens ask a service and never the journal itself. The
calls block (sqlite): the UI runs them in thread workers. It needs only the two journal
queries below, so a rewritten journal only has to keep their signatures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from smspool_tui.core.order_model import Order

EXPORT_CHUNK = 1000


class HistoryJournal(Protocol):
    def history(
        self, search: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Order]: ...

    def count_history(self, search: str | None = None) -> int: ...


class HistoryService:
    def __init__(self, journal: HistoryJournal) -> None:
        self._journal = journal

    def search(self, search: str | None, *, limit: int, offset: int = 0) -> list[Order]:
        """One page of orders, newest first; `search` matches id, service, country, number,
        code or status (a blank search matches all)."""
        return self._journal.history(_query(search), limit=limit, offset=offset)

    def count(self, search: str | None) -> int:
        return self._journal.count_history(_query(search))

    def iter_orders(self, search: str | None, chunk: int = EXPORT_CHUNK) -> Iterator[Order]:
        """Every matching order, read `chunk` rows at a time (for exports)."""
        offset = 0
        while True:
            rows = self._journal.history(_query(search), limit=chunk, offset=offset)
            yield from rows
            if len(rows) < chunk:
                return
            offset += chunk


def _query(search: str | None) -> str | None:
    return search.strip() or None if search else None
