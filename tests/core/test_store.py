"""The journal: durability, privacy, idempotence, search speed, rental message dedupe."""

from __future__ import annotations

import stat
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.core.journal import SCHEMA_VERSION, Journal, RentalRecord
from smspool_tui.core.order_model import Order, OrderState
from tests.journal_tools import insert_orders_bulk, pragma, set_code

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def make_order(i: int = 1, **kw: object) -> Order:
    base = Order(
        order_id=f"ORD{i:05d}",
        service="Telegram" if i % 2 else "WhatsApp",
        country="United States" if i % 3 else "United Kingdom",
        number=f"1555010{i:04d}",
        cost=Decimal("0.24"),
        purchased_at=T0 + timedelta(seconds=i),
        expires_at=T0 + timedelta(seconds=i + 1200),
        service_id=1,
        country_id=1,
        pool=7,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "data" / "journal.sqlite3", now=FakeClock().now)
    yield j
    j.close()


def test_file_is_private_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "journal.sqlite3"
    j = Journal(path, now=FakeClock().now)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert pragma(j, "journal_mode") == "wal"
        assert pragma(j, "synchronous") == 1  # NORMAL
        assert pragma(j, "user_version") == SCHEMA_VERSION
        j.upsert_order(make_order(1))
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        j.close()


def test_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal(path, now=FakeClock().now).close()
    import sqlite3

    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(JournalUnavailable, match="newer"):
        Journal(path, now=FakeClock().now)


def test_order_roundtrip_and_idempotent(journal: Journal) -> None:
    order = make_order(1, full_sms=None)
    journal.upsert_order(order)
    journal.upsert_order(order)
    assert journal.count_history() == 1
    got = journal.get_order(order.order_id)
    assert got == order
    assert isinstance(got.cost, Decimal) and got.cost == Decimal("0.24")
    assert got.purchased_at is not None and got.purchased_at.tzinfo is not None


def test_upsert_never_erases_a_code(journal: Journal) -> None:
    order = make_order(1)
    journal.upsert_order(order)
    assert set_code(journal, order.order_id, "482913", "Your code: 482913") is True
    assert set_code(journal, order.order_id, "482913", "Your code: 482913") is False
    journal.upsert_order(order)  # a stale copy without the code
    got = journal.get_order(order.order_id)
    assert got is not None
    assert got.code == "482913" and got.full_sms == "Your code: 482913"
    assert got.status is OrderState.RECEIVED


def test_reopen_after_close_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    j = Journal(path, now=FakeClock().now)
    intent = j.record_intent("sms", {"country": 1, "service": 2, "key": "SECRET"})
    j.upsert_order(make_order(1, intent_id=intent))
    j.complete_intent(intent, order_id="ORD00001")
    j.close()
    with pytest.raises(RuntimeError):
        j.record_intent("sms", {})
    j2 = Journal(path, now=FakeClock().now)
    try:
        assert j2.get_order("ORD00001") is not None
        rec = j2.get_intent(intent)
        assert rec is not None and rec.state == "done" and rec.order_id == "ORD00001"
        assert "key" not in rec.params and rec.params == {"country": 1, "service": 2}
    finally:
        j2.close()
    assert b"SECRET" not in path.read_bytes()


def test_intent_states(journal: Journal) -> None:
    a = journal.record_intent("sms", {"n": 1})
    b = journal.record_intent("sms", {"n": 2})
    c = journal.record_intent("rental", {"n": 3})
    d = journal.record_intent("sms", {"n": 4})
    journal.fail_intent(a, "out of stock")
    journal.mark_intent_unknown(b, "timeout")
    journal.complete_intent(d, order_id="X")
    assert [i.id for i in journal.open_intents()] == [b, c]
    assert [i.id for i in journal.open_intents("sms")] == [b]
    assert journal.get_intent(b).error == "timeout"  # type: ignore[union-attr]


def test_active_only(journal: Journal) -> None:
    journal.upsert_order(make_order(1))
    journal.upsert_order(make_order(2, ended_at=T0, status=OrderState.EXPIRED))
    assert [o.order_id for o in journal.orders(active_only=True)] == ["ORD00001"]
    assert len(journal.orders()) == 2


def test_history_search_and_paging_on_10000_rows(journal: Journal) -> None:
    insert_orders_bulk(journal, (make_order(i) for i in range(1, 10_001)))
    insert_orders_bulk(journal, (make_order(i) for i in range(1, 101)))  # idempotent
    assert journal.count_history() == 10_000
    started = time.perf_counter()
    page = journal.history(limit=50, offset=100)
    telegram = journal.count_history("telegram")
    found = journal.history("15550109999")
    elapsed = time.perf_counter() - started
    assert [o.order_id for o in page[:2]] == ["ORD09900", "ORD09899"]  # newest first
    assert len(page) == 50
    assert telegram == 5_000
    assert [o.order_id for o in found] == ["ORD09999"]
    assert journal.history("no such thing") == []
    assert journal.count_history("100%_") == 0  # LIKE wildcards are literal
    assert elapsed < 0.5


def test_order_events(journal: Journal) -> None:
    journal.add_event("A", "status", "pending -> received")
    journal.add_event("A", "cancel", "sent")
    assert [e.kind for e in journal.events("A")] == ["status", "cancel"]


@dataclass
class Msg:
    id: int | None
    message: str
    sender: str | None
    timestamp: datetime | None


def test_rental_messages_dedupe(journal: Journal) -> None:
    journal.save_rental(RentalRecord("RNT1", rental_id=7, phonenumber="1555", cost=Decimal("10")))
    journal.save_rental(RentalRecord("RNT1", status="active"))  # partial update keeps the rest
    [rental] = journal.rentals()
    assert rental.phonenumber == "1555" and rental.cost == Decimal("10")
    assert rental.status == "active"
    first = [Msg(1, "code 1111", "Bank", T0), Msg(None, "hello", "Ann", T0 + timedelta(seconds=5))]
    new = journal.add_rental_messages("RNT1", first)
    assert [m.text for m in new] == ["code 1111", "hello"]
    again = [*first, Msg(2, "code 2222", "Bank", T0 + timedelta(seconds=9))]
    new = journal.add_rental_messages("RNT1", again)
    assert [m.text for m in new] == ["code 2222"]
    stored = journal.rental_messages("RNT1")
    assert [m.text for m in stored] == ["code 2222", "hello", "code 1111"]
    assert not any(m.seen for m in stored)
    journal.mark_messages_seen("RNT1", [new[0].msg_key])
    assert [m.seen for m in journal.rental_messages("RNT1")] == [True, False, False]
    journal.mark_messages_seen("RNT1")
    assert all(m.seen for m in journal.rental_messages("RNT1"))
    assert journal.add_rental_messages("RNT2", first)  # another rental: its own messages


def test_thread_safe_reads_while_writing(journal: Journal) -> None:
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(200):
                journal.history("Telegram", limit=20)
        except BaseException as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(200):
        journal.upsert_order(make_order(i))
    thread.join()
    assert errors == []
    assert journal.count_history() == 200


def test_message_counts_total_and_unread_per_rental(journal: Journal) -> None:
    journal.add_rental_messages(
        "RNT1",
        [Msg(1, "a", "Bank", T0), Msg(2, "b", "Bank", T0), Msg(None, "c", "Ann", T0)],
    )
    journal.add_rental_messages("RNT2", [Msg(9, "z", "Bank", T0)])
    journal.save_rental(RentalRecord("RNT3"))  # a rental with no message yet
    [first, *_] = journal.rental_messages("RNT1")
    journal.mark_messages_seen("RNT1", [first.msg_key])
    assert journal.message_counts() == {"RNT1": (3, 2), "RNT2": (1, 1)}
    assert journal.message_counts(["RNT1", "RNT3", "RNT1"]) == {"RNT1": (3, 2), "RNT3": (0, 0)}
    assert journal.message_counts(c for c in ("RNT2",)) == {"RNT2": (1, 1)}
    assert journal.message_counts([]) == {}
    journal.mark_messages_seen("RNT2")
    assert journal.message_counts(["RNT2"]) == {"RNT2": (1, 0)}


def test_message_counts_agree_with_the_messages_and_take_one_query(journal: Journal) -> None:
    codes = [f"RNT{i}" for i in range(2_000)]  # more codes than SQLite's old 999-variable limit
    for i, code in enumerate(codes[:50]):
        journal.add_rental_messages(code, [Msg(n, f"m{n}", "Bank", T0) for n in range(i % 4)])
        if i % 3 == 0:
            journal.mark_messages_seen(code)
    statements: list[str] = []
    journal._conn._db.set_trace_callback(statements.append)
    try:
        counts = journal.message_counts(codes)
    finally:
        journal._conn._db.set_trace_callback(None)
    assert len(statements) == 1 and "GROUP BY rental_code" in statements[0]
    assert len(counts) == len(codes)
    for code in codes[:50]:
        msgs = journal.rental_messages(code)
        assert counts[code] == (len(msgs), sum(1 for m in msgs if not m.seen))
