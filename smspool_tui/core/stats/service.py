"""StatsService: the figures the Stats screen, `smspool-tui stats` and the autopilot read.

Every query runs in a thread (`asyncio.to_thread`) on its own read-only SQLite connection to the
journal file: WAL lets it read beside the app's writer, and the app's shared connection (and its
lock) is never held for the length of an aggregate. Time comes from the injected clock.
"""

from __future__ import annotations

import asyncio
import csv
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from smspool_tui.atomic import atomic_writer
from smspool_tui.core.journal.connection import BUSY_TIMEOUT_MS
from smspool_tui.core.stats.model import Filters, LedgerRow, Report
from smspool_tui.core.stats.queries import compute, ledger_rows

if TYPE_CHECKING:
    from smspool_tui.api.calls.rentals import RentalCalls
    from smspool_tui.clock import Clock
    from smspool_tui.core.journal import Journal

LEDGER_HEADER = (
    "order_id", "purchased_at", "service", "country", "pool", "status", "cost", "charged",
    "refunded", "resend_charges", "code", "seconds_to_code",
)  # fmt: skip


def _cell(text: str) -> str:
    """Server text that starts like a formula gets a quote: a spreadsheet never runs it."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


class HistorySource(Protocol):
    """What importing request/history needs: OrdersService fits."""

    async def sync_history(self, length: int = 100) -> int: ...


class StatsService:
    def __init__(self, journal: Journal, clock: Clock) -> None:
        self.journal = journal  # written only by the imports
        self.path = Path(journal.path)
        self.clock = clock

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
        try:
            yield db
        finally:
            db.close()

    # ---- blocking (call from a thread, or from a script) ---------------------------------------

    def report_now(self, filters: Filters | None = None) -> Report:
        with self._reader() as db:
            return compute(db, filters or Filters(), self.clock.now())

    def ledger_now(self, filters: Filters | None = None) -> list[LedgerRow]:
        with self._reader() as db:
            return ledger_rows(db, filters or Filters(), self.clock.now())

    def export_csv_now(self, path: Path, filters: Filters | None = None) -> int:
        """Write the ledger rows as CSV (atomically: a reader never sees half a file)."""
        rows = self.ledger_now(filters)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_writer(path, text=True) as fh:
            writer = csv.writer(fh)
            writer.writerow(LEDGER_HEADER)
            for r in rows:
                writer.writerow(
                    (
                        r.order_id,
                        r.purchased_at,
                        _cell(r.service),
                        _cell(r.country),
                        "" if r.pool is None else r.pool,
                        r.status,
                        "" if r.cost is None else r.cost,
                        r.charged,
                        r.refunded,
                        r.resend_charges,
                        int(r.code),
                        "" if r.seconds_to_code is None else round(r.seconds_to_code, 1),
                    )
                )
        return len(rows)

    # ---- off the event loop ---------------------------------------------------------------------

    async def report(self, filters: Filters | None = None) -> Report:
        return await asyncio.to_thread(self.report_now, filters)

    async def ledger(self, filters: Filters | None = None) -> list[LedgerRow]:
        return await asyncio.to_thread(self.ledger_now, filters)

    async def export_csv(self, path: Path, filters: Filters | None = None) -> int:
        return await asyncio.to_thread(self.export_csv_now, path, filters)

    async def import_history(self, source: HistorySource, length: int = 1000) -> int:
        """Copy orders bought elsewhere (web dashboard, another machine) from request/history
        into the journal; known orders are skipped, so running it again adds nothing."""
        return await source.sync_history(length=length)

    async def import_rental_history(self, client: RentalCalls) -> int:
        """Merge rental/history (purchases, extensions, refunds, wherever made) into the rental
        ledger; returns the lines new to the journal. Lines the app journaled itself take the
        server's ID and cost, so nothing is counted twice."""
        entries = await client.rental_history()
        return self.journal.merge_rental_history(e for e in entries if e.rental_code)
