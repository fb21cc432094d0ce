"""Time to code lives on the order row (journal step 4): when the first code was journaled and
the seconds from purchase, kept by every write and backfilled on an older journal."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from smspool_tui.clock import FakeClock
from smspool_tui.core.journal import Journal
from smspool_tui.core.journal.connection import Connection
from smspool_tui.core.journal.migrations import MIGRATIONS, migrate
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.core.stats import StatsService

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def order(order_id: str, seconds_after_t0: float = 0.0, **changes: object) -> Order:
    base = Order(
        order_id, "Telegram", "United States", "15550001", cost=Decimal("0.25"),
        purchased_at=T0 + timedelta(seconds=seconds_after_t0), pool=1,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def code_time(journal: Journal, order_id: str) -> tuple[str | None, int | None]:
    with journal._conn.read() as db:
        row = db.execute(
            "SELECT code_at, code_seconds FROM orders WHERE order_id=?", (order_id,)
        ).fetchone()
    return row["code_at"], row["code_seconds"]


def test_the_first_code_event_is_kept_on_the_row(tmp_path: Path) -> None:
    clock = FakeClock(start=T0)
    journal = Journal(tmp_path / "j.sqlite3", now=clock.now)
    journal.upsert_order(order("A"))
    assert code_time(journal, "A") == (None, None)
    clock.advance(42)
    journal.upsert_order(order("A", status=OrderState.RECEIVED, code="123456"))
    journal.add_event("A", "code", "123456")
    at, seconds = code_time(journal, "A")
    assert seconds == 42 and at is not None
    clock.advance(100)  # a resend's second code: the arrival of the first one stays
    journal.add_event("A", "code", "654321")
    journal.add_event("A", "notice", "something else")
    assert code_time(journal, "A") == (at, 42)
    report = StatsService(journal, clock).report_now()
    assert (report.total.timed, report.total.median_seconds_to_code) == (1, 42.0)
    [row] = StatsService(journal, clock).ledger_now()
    assert row.seconds_to_code is not None and abs(row.seconds_to_code - 42) < 0.01
    journal.close()


def test_a_code_event_before_the_row_and_a_corrected_purchase_time(tmp_path: Path) -> None:
    clock = FakeClock(start=T0 + timedelta(seconds=30))
    journal = Journal(tmp_path / "j.sqlite3", now=clock.now)
    journal.add_event("B", "code", "111111")  # the order's own write failed and is retried
    journal.upsert_order(order("B", status=OrderState.RECEIVED, code="111111"))
    assert code_time(journal, "B")[1] == 30
    journal.upsert_order(order("B", 10, status=OrderState.RECEIVED, code="111111"))
    assert code_time(journal, "B")[1] == 20  # seconds follow the purchase time
    journal.close()


def test_an_older_journal_is_backfilled_from_its_code_events(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = Connection(path)
    migrate(conn, MIGRATIONS[:3])  # a journal from before step 4
    with conn.tx() as db:
        for order_id, state in (("X", "received"), ("Y", "expired")):
            db.execute(
                "INSERT INTO orders (order_id, status, cost, purchased_at, updated_at) "
                "VALUES (?, ?, '0.25', ?, ?)",
                (order_id, state, T0.isoformat(), T0.isoformat()),
            )
        db.executemany(
            "INSERT INTO order_events (order_id, at, kind) VALUES (?, ?, ?)",
            [
                ("X", (T0 + timedelta(seconds=75)).isoformat(), "code"),
                ("X", (T0 + timedelta(seconds=15)).isoformat(), "code"),
                ("X", (T0 + timedelta(seconds=5)).isoformat(), "added"),
                ("Y", (T0 + timedelta(seconds=9)).isoformat(), "status"),
            ],
        )
    conn.close()
    clock = FakeClock(start=T0 + timedelta(hours=1))
    journal = Journal(path, now=clock.now)
    assert code_time(journal, "X")[1] == 15
    assert code_time(journal, "Y") == (None, None)
    with journal._conn.read() as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "orders_code_seconds" in names and "orders_code_time" not in names
    report = StatsService(journal, clock).report_now()
    assert report.total.median_seconds_to_code == 15.0
    assert [b.codes for b in report.time_to_code] == [1, 0, 0, 0, 0, 0]
    journal.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_median_p90_and_buckets_over_whole_seconds(tmp_path: Path) -> None:
    clock = FakeClock(start=T0)
    journal = Journal(tmp_path / "j.sqlite3", now=clock.now)
    # codes after 10, 20, 40, 70, 200, 400 and 900 seconds, and one that never came
    waits = (10, 20, 40, 70, 200, 400, 900)
    for n, wait in enumerate(waits):
        clock.advance(wait - (waits[n - 1] if n else 0))
        journal.upsert_order(order(f"O{n}", status=OrderState.RECEIVED, code="1"))
        journal.add_event(f"O{n}", "code", "1")
    journal.upsert_order(order("none", status=OrderState.EXPIRED))
    report = StatsService(journal, clock).report_now()
    t = report.total
    assert (t.orders, t.timed, t.median_seconds_to_code, t.p90_seconds_to_code) == (
        8, 7, 70.0, 900.0,
    )  # fmt: skip
    assert [(b.label, b.codes) for b in report.time_to_code] == [
        ("<30s", 2), ("<1m", 1), ("<2m", 1), ("<5m", 1), ("<10m", 1), ("more", 1),
    ]  # fmt: skip
    journal.close()
