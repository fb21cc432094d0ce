"""The journal's one SQLite connection: opening the file privately, the lock, transactions.

The TUI and the command-line script share one file, so writers must queue rather than fail:
WAL lets readers run beside the single writer, `busy_timeout` makes a writer wait for the other
process's short BEGIN IMMEDIATE transaction instead of raising "database is locked" at once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


class Connection:
    """One connection guarded by an RLock, shared by the event loop and thread workers.

    Nesting is counted here, not read from `sqlite3.Connection.in_transaction`: after a failed
    COMMIT SQLite keeps the transaction open, and a flag read from the driver would let the next
    write silently join (and later lose) it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._closed = False
        create_private_file(path)
        db = sqlite3.connect(
            path,
            check_same_thread=False,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        try:
            db.row_factory = sqlite3.Row
            # Set before journal_mode: switching to WAL takes a lock the other process may hold.
            db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # The first statement that reads the file: garbage bytes fail here, not later.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            db.close()  # a half-open connection would keep the file (and its locks) busy
            raise
        self._db = db

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection, locked, for queries that need no transaction."""
        with self._lock:
            self._check_open()
            yield self._db

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One locked write transaction, committed on leaving. If the body or the COMMIT fails,
        everything is rolled back and the error re-raised. A nested use joins the outer one."""
        with self._lock:
            self._check_open()
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            if self._db.in_transaction:
                # Only a failed ROLLBACK leaves this; its writer was told, so drop its leftovers.
                self._db.execute("ROLLBACK")
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                self._rollback(exc)
                raise
            finally:
                self._depth = 0

    def _rollback(self, exc: BaseException) -> None:
        if not self._db.in_transaction:
            return  # SQLite already rolled back (some errors do that themselves)
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error as failed:
            # The caller must see the first error; the next tx() retries the ROLLBACK.
            exc.add_note(f"ROLLBACK failed too: {failed}")

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("journal is closed")

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._db.close()


def create_private_file(path: Path) -> None:
    """The journal holds phone numbers and codes: owner-only from the first byte."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # O_CREAT's mode does not change a file that already existed
