"""Stats on 100,000 orders: the whole report (money, success by service/country/pool, time to
code and its distribution, buckets, health), goal < 300 ms. Half the orders have a code event,
one in ten of those a resend with a charge.   Run: python benchmarks/bench_stats.py [orders]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _common import verdict

from smspool_tui.clock import FakeClock
from smspool_tui.core.journal import Journal
from smspool_tui.core.journal.values import iso
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.core.stats import Filters, Period, StatsService
from tests.journal_tools import insert_orders_bulk

GOAL_MS = 300.0
SERVICES = ("Telegram", "WhatsApp", "Discord", "Google", "Uber", "Tinder")
COUNTRIES = ("United States", "Germany", "France", "United Kingdom", "Brazil", "India")
STATES = (OrderState.RECEIVED, OrderState.RECEIVED, OrderState.EXPIRED, OrderState.CANCELLED)
PRICES = tuple(Decimal(p) for p in ("0.18", "0.25", "0.42", "0.77", "1.10"))


def fill(journal: Journal, count: int, t0: datetime) -> None:
    orders = []
    events = []
    for i in range(count):
        state = STATES[i % 4]
        bought = t0 + timedelta(seconds=30 * i)
        got = state is OrderState.RECEIVED
        orders.append(
            Order(
                order_id=f"S{i:07d}", service=SERVICES[i % 6], country=COUNTRIES[i % 7 % 6],
                number=f"1{i:010d}", status=state, code=f"{100000 + i}" if got else None,
                cost=PRICES[i % 5], purchased_at=bought, pool=i % 9 + 1,
                ended_at=bought + timedelta(minutes=20),
            )
        )  # fmt: skip
        if got:
            events.append((f"S{i:07d}", iso(bought + timedelta(seconds=5 + i % 90)), "code", "x"))
            if i % 10 == 0:
                events.append((f"S{i:07d}", iso(bought), "resend", "ok charge=0.05"))
    insert_orders_bulk(journal, orders)
    with journal._conn.tx() as db:
        db.executemany(
            "INSERT INTO order_events (order_id, at, kind, detail) VALUES (?, ?, ?, ?)", events
        )
        # what the journal keeps on the row when it records a code (add_event 'code')
        db.execute(
            "UPDATE orders SET code_at = (SELECT MIN(e.at) FROM order_events e "
            "WHERE e.kind = 'code' AND e.order_id = orders.order_id) "
            "WHERE order_id IN (SELECT order_id FROM order_events WHERE kind = 'code')"
        )
        db.execute(
            "UPDATE orders SET code_seconds = "
            "CAST(round((julianday(code_at) - julianday(purchased_at)) * 86400.0) AS INTEGER) "
            "WHERE code_at IS NOT NULL"
        )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    clock = FakeClock(start=t0 + timedelta(seconds=30 * count))
    with tempfile.TemporaryDirectory(prefix="smspool-bench-") as tmp:
        journal = Journal(Path(tmp) / "journal.sqlite3", now=clock.now)
        fill(journal, count, t0)
        stats = StatsService(journal, clock)
        runs: dict[str, list[float]] = {"all": [], "month, one service": []}
        for _ in range(5):
            for name, filters in (
                ("all", Filters()),
                ("month, one service", Filters(Period.MONTH, service="Telegram")),
            ):
                start = time.perf_counter()
                report = stats.report_now(filters)
                runs[name].append((time.perf_counter() - start) * 1000)
        journal.close()
    print(f"stats on {count:,} orders ({report.total.orders:,} in the last filter)")
    for name, times in runs.items():
        print(f"median {name}: {statistics.median(times):.0f} ms")
    worst = max(statistics.median(t) for t in runs.values())
    print(f"report on {count:,} orders: {worst:.0f} ms  goal < {GOAL_MS:.0f} ms  "
          f"{verdict(worst <= GOAL_MS)}")  # fmt: skip


if __name__ == "__main__":
    main()
