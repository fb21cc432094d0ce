"""The rental ledger in the journal: one line per purchase, extension and refund, kept by the
rentals row, the extend path and rental/history, never counted twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from smspool_tui.api.models.rental_history import RentalHistoryEntry
from smspool_tui.clock import FakeClock
from smspool_tui.core.journal import Journal, RentalRecord
from smspool_tui.core.journal.connection import Connection
from smspool_tui.core.journal.migrations import MIGRATIONS, migrate
from smspool_tui.core.stats import Filters, Period, StatsService

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def entry(id: int | None, code: str, action: str, cost: str | None, at: datetime = T0):
    return RentalHistoryEntry.model_validate(
        {"ID": id, "rental": code, "action": action, "cost": cost, "timestamp": at.isoformat()}
    )


def test_the_rentals_row_keeps_one_purchase_and_one_refund(tmp_path: Path) -> None:
    clock = FakeClock(start=T0)
    journal = Journal(tmp_path / "j.sqlite3", now=clock.now)
    for _ in range(3):  # the poller saves the same rental again and again
        journal.save_rental(RentalRecord("R1", cost=Decimal("20"), status=""))
    journal.save_rental(RentalRecord("R1", status="refunded"))
    journal.save_rental(RentalRecord("R1", status="refunded"))
    journal.add_rental_event("R1", "extend", Decimal("18"), days=14)
    assert [(e.action, e.cost, e.days) for e in journal.rental_events()] == [
        ("purchase", Decimal("20"), None),
        ("refund", Decimal("20"), None),
        ("extend", Decimal("18"), 14),
    ]
    rent = StatsService(journal, clock).report_now().rentals
    assert (rent.rentals, rent.extends, rent.refunds) == (1, 1, 1)
    assert (rent.charged, rent.refunded, rent.spent) == (
        Decimal("38"), Decimal("20"), Decimal("18"),
    )  # fmt: skip
    journal.close()


def test_history_fills_what_the_app_did_not_know_and_adds_the_rest(tmp_path: Path) -> None:
    clock = FakeClock(start=T0 + timedelta(hours=2))
    journal = Journal(tmp_path / "j.sqlite3", now=clock.now)
    journal.save_rental(RentalRecord("WEB1"))  # adopted from rental/retrieve: no price known
    journal.add_rental_event("MINE", "extend", None, days=30)  # extended, price not offered
    assert StatsService(journal, clock).report_now().rentals.unpriced == 2
    history = [
        entry(11, "WEB1", "activate", "10.00"),
        entry(12, "MINE", "extend", "20.00"),
        entry(13, "OLD", "activate", "5.00"),
        entry(14, "OLD", "refund", "-5.00"),  # a refund's sign is not known: either counts
        entry(15, "OLD", "port reset", "0.00"),
        entry(None, "NOID", "activate", "3.00"),
    ]
    assert journal.merge_rental_history(history) == 4  # WEB1 and MINE were the app's lines
    assert journal.merge_rental_history(history) == 0
    assert journal.merge_rental_history(reversed(history)) == 0
    rent = StatsService(journal, clock).report_now().rentals
    assert (rent.rentals, rent.extends, rent.refunds, rent.other, rent.unpriced) == (3, 1, 1, 1, 0)
    assert (rent.purchased, rent.extended, rent.refunded) == (
        Decimal("18.00"), Decimal("20.00"), Decimal("5.00"),
    )  # fmt: skip
    # the app saving WEB1 again adds no second purchase over the server's
    journal.save_rental(RentalRecord("WEB1", cost=Decimal("10"), status="active"))
    assert StatsService(journal, clock).report_now().rentals.rentals == 3
    journal.close()


def test_rentals_follow_the_period(tmp_path: Path) -> None:
    clock = FakeClock(start=T0 + timedelta(days=10))
    journal = Journal(tmp_path / "j.sqlite3", now=clock.now)
    journal.merge_rental_history(
        [entry(1, "A", "activate", "7.00", T0), entry(2, "B", "activate", "9.00", clock.now())]
    )
    stats = StatsService(journal, clock)
    assert stats.report_now(Filters(Period.WEEK)).rentals.purchased == Decimal("9.00")
    assert stats.report_now().rentals.purchased == Decimal("16.00")
    journal.close()


def test_an_older_journal_gets_its_rentals_into_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = Connection(path)
    migrate(conn, MIGRATIONS[:3])
    with conn.tx() as db:
        db.executemany(
            "INSERT INTO rentals (rental_code, cost, status, purchased_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                ("K", "20", "", T0.isoformat(), T0.isoformat()),
                ("B", "12", "refunded", T0.isoformat(), T0.isoformat()),
            ],
        )
    conn.close()
    clock = FakeClock(start=T0 + timedelta(days=1))
    journal = Journal(path, now=clock.now)
    rent = StatsService(journal, clock).report_now().rentals
    assert (rent.rentals, rent.refunds, rent.spent) == (2, 1, Decimal("20"))
    journal.save_rental(RentalRecord("B", status="refunded"))  # no second refund
    assert StatsService(journal, clock).report_now().rentals.refunds == 1
    journal.close()
