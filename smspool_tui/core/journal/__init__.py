"""The journal: a small SQLite file (WAL) that remembers every purchase intent, order, code,
rental code, rental message, autopilot run and pre-order bid, so nothing bought is ever lost to
a crash or a kill.

Writes are committed at once (each method is one short transaction). WAL + synchronous=NORMAL
means a killed process loses nothing committed; only a power cut could drop the last
transactions. The TUI and the command line may hold the same file open at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from smspool_tui.core.journal.autopilot import (
    AttemptRow,
    AutopilotRow,
    AutopilotTables,
    RecordRow,
)
from smspool_tui.core.journal.connection import Connection
from smspool_tui.core.journal.intents import Intent, IntentKind, IntentState, IntentTables
from smspool_tui.core.journal.migrations import SCHEMA_VERSION, migrate
from smspool_tui.core.journal.orders import OrderEvent, OrderTables
from smspool_tui.core.journal.preorders import BidRow, BidState, PreorderTables
from smspool_tui.core.journal.rentals import (
    MessageLike,
    RentalEvent,
    RentalRecord,
    RentalTables,
    StoredMessage,
    message_key,
)
from smspool_tui.core.journal.watches import WatchTables

__all__ = [
    "SCHEMA_VERSION",
    "AttemptRow",
    "AutopilotRow",
    "BidRow",
    "BidState",
    "Intent",
    "IntentKind",
    "IntentState",
    "Journal",
    "MessageLike",
    "OrderEvent",
    "RecordRow",
    "RentalEvent",
    "RentalRecord",
    "StoredMessage",
    "message_key",
]


class Journal(
    IntentTables, OrderTables, RentalTables, AutopilotTables, PreorderTables, WatchTables
):
    """SQLite journal. Every public method is thread-safe and commits before returning.

    Opening raises OSError (the folder cannot be made or written) or sqlite3.DatabaseError (the
    file is not a journal), never leaving a connection open; session.open_journal turns both
    into JournalUnavailable, which is raised here directly for a schema newer than this app's."""

    def __init__(self, path: Path | str, *, now: Callable[[], datetime]) -> None:
        self.path = Path(path)
        self._now = now  # the session's Clock.now: the journal and the services share one clock
        conn = Connection(self.path)
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
