"""The journal's transactions: a failed COMMIT or body leaves nothing behind and does not swallow
the next write; two Journals (the TUI and the command line) share one file without losing or
doubling a row."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.core.journal import Journal
from smspool_tui.core.journal.connection import BUSY_TIMEOUT_MS, Connection
from smspool_tui.core.order_model import Order
from tests.journal_tools import pragma

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class FailingOnce:
    """The journal's sqlite3 connection, except that the next statements named in `fail` raise
    (once each) as a full disk or a lost lock would."""

    def __init__(self, db: sqlite3.Connection, *fail: str) -> None:
        self._db = db
        self.fail = set(fail)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        verb = sql.strip().upper()
        if verb in self.fail:
            self.fail.discard(verb)
            raise sqlite3.OperationalError(f"{verb} failed (injected)")
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def other_view(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """What a second process sees: only committed rows."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Journal:
    j = Journal(path, now=FakeClock(T0).now)
    yield j
    j.close()


def test_failed_commit_rolls_back_and_the_next_write_commits_alone(
    journal: Journal, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = journal._conn._db
    monkeypatch.setattr(journal._conn, "_db", FailingOnce(raw, "COMMIT"))
    with pytest.raises(sqlite3.OperationalError, match="COMMIT failed"):
        journal.record_intent("sms", {"n": 1})
    assert not raw.in_transaction
    assert journal.open_intents() == []  # not even this connection still sees it
    second = journal.record_intent("sms", {"n": 2})
    assert not raw.in_transaction
    assert other_view(path, "SELECT id, params, state FROM intents") == [
        (second, '{"n": 2}', "sent")
    ]


def test_failed_commit_and_rollback_leftovers_never_join_the_next_write(
    journal: Journal, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = journal._conn._db
    monkeypatch.setattr(journal._conn, "_db", FailingOnce(raw, "COMMIT", "ROLLBACK"))
    with pytest.raises(sqlite3.OperationalError, match="COMMIT failed") as failed:
        journal.record_intent("sms", {"n": 1})
    assert any("ROLLBACK failed" in note for note in failed.value.__notes__)
    journal.record_intent("sms", {"n": 2})
    assert not raw.in_transaction
    assert other_view(path, "SELECT params FROM intents") == [('{"n": 2}',)]
    assert [i.params for i in journal.open_intents()] == [{"n": 2}]


@dataclass
class Msg:
    id: int | None
    message: str
    sender: str | None = "Bank"
    timestamp: Any = T0


def test_a_failing_body_leaves_nothing_half_done(journal: Journal, path: Path) -> None:
    # The second message cannot be stored, after the first was inserted in the same transaction.
    with pytest.raises(AttributeError):
        journal.add_rental_messages("RNT1", [Msg(1, "code 1111"), Msg(2, "x", timestamp="?")])
    assert journal.rental_messages("RNT1") == []
    assert [m.text for m in journal.add_rental_messages("RNT1", [Msg(1, "code 1111")])] == [
        "code 1111"
    ]
    assert other_view(path, "SELECT text FROM rental_messages") == [("code 1111",)]


def test_nested_transactions_commit_or_roll_back_as_one(path: Path) -> None:
    conn = Connection(path)
    try:
        with conn.tx() as db:
            db.execute("CREATE TABLE t (x INTEGER)")
        with pytest.raises(ValueError), conn.tx() as db:
            db.execute("INSERT INTO t VALUES (1)")
            with conn.tx() as inner:
                inner.execute("INSERT INTO t VALUES (2)")
            raise ValueError("the outer body fails after the inner one finished")
        assert other_view(path, "SELECT x FROM t") == []
        with conn.tx() as db:
            db.execute("INSERT INTO t VALUES (3)")
            with conn.tx() as inner:
                inner.execute("INSERT INTO t VALUES (4)")
            # the inner block must not have committed: a second process cannot see 4 yet
            assert other_view(path, "SELECT x FROM t") == []
        assert other_view(path, "SELECT x FROM t ORDER BY x") == [(3,), (4,)]
    finally:
        conn.close()


def test_waits_for_the_other_process_instead_of_failing(journal: Journal) -> None:
    assert pragma(journal, "busy_timeout") == BUSY_TIMEOUT_MS
    assert pragma(journal, "journal_mode") == "wal"


def make_order(order_id: str, intent_id: int | None = None) -> Order:
    return Order(
        order_id=order_id,
        service="Telegram",
        country="US",
        number="1555",
        purchased_at=T0,
        intent_id=intent_id,
    )


def test_two_journals_on_one_file_lose_nothing_and_double_nothing(path: Path) -> None:
    clock = FakeClock(T0)
    tui, cli = Journal(path, now=clock.now), Journal(path, now=clock.now)
    rounds = 150
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(journal: Journal, tag: str) -> None:
        try:
            start.wait()
            for i in range(rounds):
                intent = journal.record_intent("sms", {"writer": tag, "i": i})
                journal.upsert_order(make_order(f"{tag}{i}", intent))
                journal.upsert_order(make_order(f"shared{i}"))  # both write it: one row
                journal.add_event(f"{tag}{i}", "status", f"{tag} {i}")
                journal.complete_intent(intent, order_id=f"{tag}{i}")
        except BaseException as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=(tui, "T")),
        threading.Thread(target=writer, args=(cli, "C")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert errors == []
        assert not any(t.is_alive() for t in threads)
        intents = other_view(path, "SELECT params, state, order_id FROM intents")
        assert len(intents) == 2 * rounds
        assert {state for _, state, _ in intents} == {"done"}
        assert len({params for params, _, _ in intents}) == 2 * rounds
        orders = other_view(path, "SELECT order_id FROM orders")
        assert len(orders) == len(set(orders)) == 3 * rounds
        events = other_view(path, "SELECT order_id, detail FROM order_events")
        assert sorted(events) == sorted(
            (f"{tag}{i}", f"{tag} {i}") for tag in "TC" for i in range(rounds)
        )
        for tag in "TC":  # each order points at its own writer's intent
            order = cli.get_order(f"{tag}7")
            assert order is not None and order.intent_id is not None
            intent = tui.get_intent(order.intent_id)
            assert intent is not None and intent.params == {"writer": tag, "i": 7}
    finally:
        tui.close()
        cli.close()
