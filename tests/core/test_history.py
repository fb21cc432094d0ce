"""HistoryService: the History screen's reader over the journal (search, count, export)."""

from __future__ import annotations

from smspool_tui.core.history import HistoryService
from smspool_tui.core.order_model import Order


class FakeJournal:
    def __init__(self, orders: list[Order]) -> None:
        self.orders = orders
        self.calls: list[tuple[str | None, int, int]] = []

    def _match(self, search: str | None) -> list[Order]:
        if not search:
            return self.orders
        return [o for o in self.orders if search.lower() in o.service.lower()]

    def history(self, search: str | None = None, limit: int = 100, offset: int = 0) -> list[Order]:
        self.calls.append((search, limit, offset))
        return self._match(search)[offset : offset + limit]

    def count_history(self, search: str | None = None) -> int:
        return len(self._match(search))


def _orders(n: int) -> list[Order]:
    return [
        Order(f"o{i}", "Telegram" if i % 2 else "WhatsApp", "US", f"+1555{i:04d}") for i in range(n)
    ]


def test_search_and_count_pass_a_trimmed_query_and_blank_means_all() -> None:
    journal = FakeJournal(_orders(10))
    history = HistoryService(journal)
    assert history.count("  tele ") == 5
    assert history.count("   ") == 10
    page = history.search(" tele", limit=3, offset=1)
    assert [o.order_id for o in page] == ["o3", "o5", "o7"]
    assert journal.calls[-1] == ("tele", 3, 1)


def test_iter_orders_reads_in_chunks_until_a_short_one() -> None:
    journal = FakeJournal(_orders(25))
    orders = list(HistoryService(journal).iter_orders(None, chunk=10))
    assert [o.order_id for o in orders] == [f"o{i}" for i in range(25)]
    assert [offset for _, _, offset in journal.calls] == [0, 10, 20]
