"""History with 10,000 orders: time to open (goal < 500 ms), to search, and peak RSS.

The journal is filled first; the app runs headless (monitors off, simulator on loopback for the
request/history sync). "Open" is from pressing `h` until the first page is in the table and the
status line counts all orders.   Run: python benchmarks/bench_history.py [orders]
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from _common import Bench, verdict

from smspool_tui.core.order_model import Order, OrderState
from tests.journal_tools import insert_orders_bulk

SERVICES = ("Telegram", "WhatsApp", "Discord", "Google", "Uber", "Tinder")
COUNTRIES = ("United States", "Germany", "France", "United Kingdom", "Brazil")


def orders(count: int) -> list[Order]:
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    out = []
    for i in range(count):
        got = i % 4 != 3
        out.append(
            Order(
                order_id=f"B{i:07d}", service=SERVICES[i % 6], country=COUNTRIES[i % 5],
                number=f"1{i:010d}", status=OrderState.RECEIVED if got else OrderState.EXPIRED,
                code=f"{100000 + i % 900000}" if got else None,
                full_sms=f"Your code is {100000 + i % 900000}. Do not share it." if got else None,
                cost=Decimal("0.42"), purchased_at=t0 + timedelta(minutes=i),
                expires_at=t0 + timedelta(minutes=i + 20), ended_at=t0 + timedelta(minutes=i + 20),
            )
        )  # fmt: skip
    return out


async def wait(pred, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not pred():
        if time.perf_counter() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.001)


async def measure(count: int) -> dict[str, list[float]]:
    from textual.widgets import DataTable

    from smspool_tui.ui.screens.history import PAGE, HistoryScreen

    bench = Bench(monitors=False)
    times: dict[str, list[float]] = {"open": [], "open_cpu": [], "reopen": [], "search": []}
    try:
        app = bench.app()
        insert_orders_bulk(app.session.journal, orders(count))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()

            def ready() -> bool:
                screen = app.screen
                return (
                    isinstance(screen, HistoryScreen)
                    and screen.query_one("#history-table", DataTable).row_count == PAGE
                    and screen.total == count
                )

            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press("h")
            await wait(ready)
            times["open"].append(time.perf_counter() - start)
            times["open_cpu"].append(time.process_time() - cpu)
            await app.workers.wait_for_complete()
            for _ in range(5):
                await pilot.press("o")
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("h")
                await wait(lambda: ready() and len(app.screen.loaded) == PAGE)
                times["reopen"].append(time.perf_counter() - start)
            screen = app.screen
            for needle in ("whatsapp", "1000000042", "100123", "brazil", "nomatch"):
                screen.search = needle
                start = time.perf_counter()
                screen.reload()
                await app.workers.wait_for_complete()
                await wait(lambda n=needle: screen.search == n and screen.total >= 0)
                times["search"].append(time.perf_counter() - start)
    finally:
        bench.close()
    return times


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    times = asyncio.run(measure(count))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    first = times["open"][0]
    print(f"History with {count:,} orders in the journal")
    print(f"  open (first time)  {first * 1000:6.0f} ms   goal < 500 ms  {verdict(first < 0.5)}")
    cpu = times["open_cpu"][0]
    print(
        f"    of which CPU     {cpu * 1000:6.0f} ms   (wall time above includes waiting for "
        f"a core; load average {os.getloadavg()[0]:.1f})"
    )
    reopen = statistics.median(times["reopen"])
    print(f"  reopen (median 5)  {reopen * 1000:6.0f} ms   goal < 500 ms  {verdict(reopen < 0.5)}")
    search = max(times["search"])
    print(f"  search (max of 5)  {search * 1000:6.0f} ms")
    print(f"  peak RSS           {rss:6.0f} MiB (whole process: app, journal, simulator)")


if __name__ == "__main__":
    main()
