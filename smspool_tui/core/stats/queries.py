"""The SQL behind the stats: a few GROUP BY queries over the journal, folded into a Report.

Money never passes through SQL arithmetic (SUM over TEXT would be a float): each query groups by
the cost string and counts, and the sums are made here with Decimal, exactly. Runs in a thread on
its own read-only connection (see service.py); nothing here touches the event loop.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from smspool_tui.core.journal.values import iso
from smspool_tui.core.stats.model import (
    TIME_BUCKETS,
    ZERO,
    Bucket,
    Figures,
    Filters,
    Health,
    LedgerRow,
    RentalFigures,
    Report,
    TimeBucket,
)

REFUNDED_STATES = ("expired", "cancelled", "refunded")
_BACK = "o.status IN ('expired', 'cancelled', 'refunded')"
_CHARGE = re.compile(r"charge=(-?\d+(?:\.\d+)?)\s*$")
_SECONDS = "(julianday(o.code_at) - julianday(o.purchased_at)) * 86400.0"


def where(filters: Filters, now: datetime) -> tuple[str, list[Any]]:
    """The orders a report covers: real orders (not unknown purchases) inside the filters."""
    # unknown purchases ("intent:" rows) are never journaled as orders, and are 'unknown' if so
    clauses = ["o.status != 'unknown'"]
    args: list[Any] = []
    since = filters.period.since(now)
    if since is not None:
        clauses.append("o.purchased_at >= ?")
        args.append(iso(since))
    if filters.service:
        clauses.append("o.service = ?")
        args.append(filters.service)
    if filters.country:
        clauses.append("o.country = ?")
        args.append(filters.country)
    return " WHERE " + " AND ".join(clauses), args


def resend_charge(detail: str) -> Decimal:
    """The charge a resend event recorded ("... charge=0.05"); nothing readable is 0."""
    found = _CHARGE.search(detail or "")
    if not found:
        return ZERO
    try:
        return Decimal(found.group(1))
    except InvalidOperation:
        return ZERO


def _dec(text: str | None) -> Decimal:
    try:
        return Decimal(text) if text else ZERO
    except InvalidOperation:
        return ZERO


@dataclass
class _Acc:
    orders: int = 0
    codes: int = 0
    spent: Decimal = ZERO
    refunded: Decimal = ZERO
    seconds: list[tuple[int, int]] = field(default_factory=list)  # (whole seconds, codes)

    def figures(self, name: str) -> Figures:
        timed = sum(n for _, n in self.seconds)
        median = p90 = None
        if timed:
            ordered = sorted(self.seconds)
            middle = (_nth(ordered, (timed - 1) // 2) + _nth(ordered, timed // 2)) / 2
            median = float(middle)
            p90 = float(_nth(ordered, max(0, -(-timed * 9 // 10) - 1)))  # nearest rank
        return Figures(name, self.orders, self.codes, self.spent, self.refunded, timed, median, p90)


def _nth(histogram: list[tuple[int, int]], index: int) -> int:
    """The index-th smallest value (0-based) of a sorted (value, count) histogram."""
    seen = 0
    for value, count in histogram:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


class _Groups:
    """One accumulator for the total and one per service, country and pool."""

    def __init__(self) -> None:
        self.total = _Acc()
        self.keyed: tuple[dict[str, _Acc], ...] = tuple(defaultdict(_Acc) for _ in range(3))

    def each(self, service: str, country: str, pool: int | None) -> Iterable[_Acc]:
        yield self.total
        yield self.keyed[0][service or "?"]
        yield self.keyed[1][country or "?"]
        yield self.keyed[2]["-" if pool is None else str(pool)]

    def keyed_acc(self, dimension: int, key: Any) -> _Acc:
        """The accumulator of one service (0), country (1) or pool (2), named as `each` does."""
        if dimension == 2:
            return self.keyed[2]["-" if key is None else str(key)]
        return self.keyed[dimension][key or "?"]

    def tables(self) -> tuple[tuple[Figures, ...], ...]:
        return tuple(
            tuple(
                sorted(
                    (acc.figures(name) for name, acc in table.items()),
                    key=lambda f: (-f.orders, f.name),
                )
            )
            for table in self.keyed
        )


def compute(db: sqlite3.Connection, filters: Filters, now: datetime) -> Report:
    clause, args = where(filters, now)
    groups = _Groups()
    rows = db.execute(
        "SELECT o.service, o.country, o.pool, o.cost, o.status, COUNT(*), SUM(o.code IS NOT NULL) "
        f"FROM orders o INDEXED BY orders_stats{clause} "
        "GROUP BY o.service, o.country, o.pool, o.cost, o.status",
        args,
    )
    for service, country, pool, cost, status, n, codes in rows:
        amount = _dec(cost) * n
        for acc in groups.each(service, country, pool):
            acc.orders += n
            acc.codes += codes
            if status in REFUNDED_STATES:
                acc.refunded += amount
            else:
                acc.spent += amount
    days: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO, ZERO])
    rows = db.execute(
        "SELECT substr(o.purchased_at, 1, 10), o.cost, o.status, COUNT(*) "
        f"FROM orders o INDEXED BY orders_days{clause} "
        "GROUP BY substr(o.purchased_at, 1, 10), o.cost, o.status",
        args,
    )
    for day, cost, status, n in rows:
        bucket = days[day or "?"]
        bucket[0] += n
        bucket[2 if status in REFUNDED_STATES else 1] += _dec(cost) * n
    rows = db.execute(
        "SELECT o.service, o.country, o.pool, substr(o.purchased_at, 1, 10), e.detail "
        f"FROM order_events e JOIN orders o ON o.order_id = e.order_id{clause} "
        "AND e.kind = 'resend'",
        args,
    )
    for service, country, pool, day, detail in rows:
        charge = resend_charge(detail)
        for acc in groups.each(service, country, pool):
            acc.spent += charge
        days[day or "?"][1] += charge
    time_to_code = timing(db, clause, args, groups)
    by_service, by_country, by_pool = groups.tables()
    by_day = tuple(Bucket(label, n, s, r) for label, (n, s, r) in sorted(days.items()))
    return Report(
        computed_at=now,
        filters=filters,
        total=groups.total.figures("all"),
        by_service=by_service,
        by_country=by_country,
        by_pool=by_pool,
        by_day=by_day,
        by_week=_rebucket(by_day, _week),
        by_month=_rebucket(by_day, lambda day: day[:7]),
        health=health(db, now),
        time_to_code=time_to_code,
        rentals=rentals(db, filters.period.since(now)),
        services=_distinct(db, "service"),
        countries=_distinct(db, "country"),
    )


def timing(
    db: sqlite3.Connection, clause: str, args: list[Any], groups: _Groups
) -> tuple[TimeBucket, ...]:
    """Seconds to code as histograms of whole seconds, one pass over a covering index: the
    orders' histogram per (service, country, pool), folded by SQL into the total's and each
    service's, country's and pool's. Medians and p90s are read off them (exact to the second),
    and the total's into the time-to-code buckets."""
    rows = db.execute(
        "WITH h AS (SELECT o.service, o.country, o.pool, o.code_seconds AS s, COUNT(*) AS n "
        f"FROM orders o INDEXED BY orders_code_seconds{clause} "
        "AND o.code_seconds IS NOT NULL AND o.code_seconds >= 0 "
        "GROUP BY o.service, o.country, o.pool, o.code_seconds) "
        "SELECT -1, NULL, s, SUM(n) FROM h GROUP BY s "
        "UNION ALL SELECT 0, service, s, SUM(n) FROM h GROUP BY service, s "
        "UNION ALL SELECT 1, country, s, SUM(n) FROM h GROUP BY country, s "
        "UNION ALL SELECT 2, pool, s, SUM(n) FROM h GROUP BY pool, s",
        args,
    )
    for dimension, key, seconds, n in rows:
        acc = groups.total if dimension < 0 else groups.keyed_acc(dimension, key)
        acc.seconds.append((int(seconds), int(n)))
    counts = [0] * len(TIME_BUCKETS)
    for seconds, n in groups.total.seconds:
        counts[_bucket(seconds)] += n
    return tuple(
        TimeBucket(label, upto, c) for (upto, label), c in zip(TIME_BUCKETS, counts, strict=True)
    )


def _bucket(seconds: int) -> int:
    return next(i for i, (upto, _) in enumerate(TIME_BUCKETS) if upto is None or seconds < upto)


def _week(day: str) -> str:
    try:
        year, week, _ = date.fromisoformat(day).isocalendar()
    except ValueError:
        return day
    return f"{year}-W{week:02d}"


def _rebucket(days: tuple[Bucket, ...], label: Any) -> tuple[Bucket, ...]:
    merged: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO, ZERO])
    for b in days:
        m = merged[label(b.label)]
        m[0] += b.orders
        m[1] += b.spent
        m[2] += b.refunded
    return tuple(Bucket(k, n, s, r) for k, (n, s, r) in sorted(merged.items()))


def health(db: sqlite3.Connection, now: datetime) -> Health:
    hour, day = iso(now - timedelta(hours=1)), iso(now - timedelta(days=1))
    row = db.execute(
        "SELECT COALESCE(SUM(o.status = 'cancelled' AND o.ended_at >= ?), 0), "
        "COALESCE(SUM(o.status = 'cancelled'), 0), "
        f"COALESCE(SUM(o.code IS NULL AND {_BACK} AND o.ended_at >= ?), 0), "
        f"COALESCE(SUM(o.code IS NULL AND {_BACK}), 0) "
        "FROM orders o WHERE o.ended_at >= ?",
        (hour, hour, day),
    ).fetchone()
    return Health(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def rentals(db: sqlite3.Connection, since: datetime | None) -> RentalFigures:
    """The rental ledger inside the period (rentals have no service filter)."""
    counts: dict[str, int] = defaultdict(int)
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    unpriced = 0
    rows = db.execute(
        "SELECT action, cost, COUNT(*) FROM rental_events WHERE at >= ? GROUP BY action, cost",
        ("" if since is None else iso(since),),
    )
    for action, cost, n in rows:
        kind = action if action in ("purchase", "extend", "refund") else "other"
        counts[kind] += n
        if cost is None:
            unpriced += n if kind != "other" else 0
        else:
            sums[kind] += abs(_dec(cost)) * n  # a refund may be listed as a negative cost
    return RentalFigures(
        counts["purchase"], counts["extend"], counts["refund"], sums["purchase"],
        sums["extend"], sums["refund"], unpriced, counts["other"],
    )  # fmt: skip


def _distinct(db: sqlite3.Connection, column: str) -> tuple[str, ...]:
    """Every value of an indexed column, one index seek per value (a skip scan)."""
    found: list[str] = []
    value = ""
    while True:
        row = db.execute(f"SELECT MIN({column}) FROM orders WHERE {column} > ?", (value,))
        value = row.fetchone()[0]
        if value is None:
            return tuple(found)
        found.append(value)


def ledger_rows(db: sqlite3.Connection, filters: Filters, now: datetime) -> list[LedgerRow]:
    """One row per order inside the filters, oldest first: what the CSV export writes."""
    clause, args = where(filters, now)
    charges: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for order_id, detail in db.execute(
        f"SELECT o.order_id, e.detail FROM order_events e JOIN orders o "
        f"ON o.order_id = e.order_id{clause} AND e.kind = 'resend'",
        args,
    ):
        charges[order_id] += resend_charge(detail)
    out: list[LedgerRow] = []
    for r in db.execute(
        f"SELECT o.order_id, o.purchased_at, o.service, o.country, o.pool, o.status, o.cost, "
        f"{_BACK}, o.code IS NOT NULL, {_SECONDS} FROM orders o{clause} "
        "ORDER BY o.purchased_at, o.order_id",
        args,
    ):
        cost = _dec(r[6]) if r[6] else None
        paid = cost or ZERO
        extra = charges.get(r[0], ZERO)
        out.append(
            LedgerRow(
                r[0],
                r[1] or "",
                r[2],
                r[3],
                r[4],
                r[5],
                cost,
                extra if r[7] else paid + extra,
                paid if r[7] else ZERO,
                extra,
                bool(r[8]),
                r[9] if r[9] is not None and r[9] >= 0 else None,
            )
        )
    return out
