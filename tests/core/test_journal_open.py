"""Opening the journal: a corrupt file, an unwritable folder or a newer schema fail cleanly (no
connection left open, the file kept as it was), and migrations run step by step."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.core.journal import SCHEMA_VERSION, Journal
from smspool_tui.core.journal.connection import Connection
from smspool_tui.core.journal.migrations import MIGRATIONS, migrate
from smspool_tui.core.session import open_journal

GARBAGE = bytes(range(256)) * 64


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[sqlite3.Connection]:
    """Every sqlite3 connection made while the test runs."""
    made: list[sqlite3.Connection] = []
    real = sqlite3.connect

    def recording(*args: object, **kwargs: object) -> sqlite3.Connection:
        db = real(*args, **kwargs)  # type: ignore[arg-type]
        made.append(db)
        return db

    monkeypatch.setattr(sqlite3, "connect", recording)
    return made


def assert_all_closed(made: list[sqlite3.Connection]) -> None:
    assert made, "the journal never connected: the test proves nothing"
    for db in made:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            db.execute("SELECT 1")


def test_garbage_file_raises_database_error_and_closes(
    tmp_path: Path, opened: list[sqlite3.Connection]
) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(GARBAGE)
    with pytest.raises(sqlite3.DatabaseError):
        Journal(path, now=FakeClock().now)
    assert_all_closed(opened)
    assert path.read_bytes() == GARBAGE  # kept for the user to move aside, not overwritten


def test_garbage_file_becomes_journal_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(GARBAGE)
    with pytest.raises(JournalUnavailable, match="not a readable journal") as caught:
        open_journal(path, FakeClock())
    assert caught.value.path == path


def test_folder_that_is_a_file_raises_os_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        Journal(blocker / "journal.sqlite3", now=FakeClock().now)
    with pytest.raises(JournalUnavailable, match="writable"):
        open_journal(blocker / "journal.sqlite3", FakeClock())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_raises_os_error(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(OSError):
            Journal(folder / "journal.sqlite3", now=FakeClock().now)
    finally:
        folder.chmod(0o700)


def test_newer_schema_closes_the_connection(
    tmp_path: Path, opened: list[sqlite3.Connection]
) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path, now=FakeClock().now).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    opened.clear()
    with pytest.raises(JournalUnavailable, match="newer"):
        Journal(path, now=FakeClock().now)
    assert_all_closed(opened)


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def tables(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    finally:
        db.close()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def test_new_file_gets_every_step(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path, now=FakeClock().now).close()
    assert user_version(path) == SCHEMA_VERSION == len(MIGRATIONS)
    assert tables(path) == {
        "intents",
        "orders",
        "order_events",
        "rentals",
        "rental_messages",
        "rental_events",
        "autopilots",
        "autopilot_attempts",
        "preorders",
        "watches",
    }


def test_a_later_step_runs_once_on_an_older_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path, now=FakeClock().now).close()
    steps = (*MIGRATIONS, ("ALTER TABLE rentals ADD COLUMN label TEXT NOT NULL DEFAULT ''",))
    conn = Connection(path)
    try:
        assert migrate(conn, steps) == SCHEMA_VERSION
        assert migrate(conn, steps) == SCHEMA_VERSION + 1  # nothing left to run: no error
    finally:
        conn.close()
    assert user_version(path) == SCHEMA_VERSION + 1


def test_a_failing_step_leaves_the_journal_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path, now=FakeClock().now).close()
    steps = (*MIGRATIONS, ("CREATE TABLE half (x INTEGER)", "THIS IS NOT SQL"))
    conn = Connection(path)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, steps)
    finally:
        conn.close()
    assert user_version(path) == SCHEMA_VERSION
    assert "half" not in tables(path)
    Journal(path, now=FakeClock().now).close()  # still opens as the released version


def test_a_current_journal_opens_while_the_other_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path, now=FakeClock().now).close()
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # the command line mid-write
    try:
        journal = Journal(path, now=FakeClock().now)
        try:
            assert journal.open_intents() == []
        finally:
            journal.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
