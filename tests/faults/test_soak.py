"""Soak: the board open with 50 orders under a 20% fault rate and a fast poll. No crash, the
board keeps all 50 rows, memory stays flat after warm-up. ~10 s by default; pass
`--soak-minutes N` for a longer run."""

from __future__ import annotations

import asyncio
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.widgets.order_table import OrderTable
from tests.harness import make_test_app, start_sim, wait_until

ORDERS = 50
RSS_GROWTH_LIMIT_MB = 25.0


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def test_board_soak_under_faults(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    # The option lives in this directory's conftest: known when pytest is pointed at tests/faults.
    minutes = float(request.config.getoption("--soak-minutes", default=0) or 0)
    duration = minutes * 60 if minutes > 0 else 8.0
    sim = start_sim(seed=9, balance=Decimal("100000"), order_ttl=10**7, sms_delay=30)
    try:
        for _ in range(ORDERS):  # bought on the "website": the board adopts them
            resp = sim.engine.handle(
                "POST", "purchase/sms", {"country": "US", "service": "Telegram"}, sim.key
            )
            assert resp.status == 200
        app = make_test_app(sim, tmp_path, poll_interval=2, read_timeout=0.5)
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.screen.query_one(OrderTable)
            await wait_until(lambda: len(table.orders) == ORDERS, timeout=10)
            sim.engine.set_faults(error_rate=0.10, html_rate=0.05, malformed_rate=0.05)
            start = time.monotonic()
            warm, base, cycles = start + min(3.0, duration / 3), None, 0
            before = sim.engine.count("request/active")
            # The soak lasts `duration`, and at least until 30 polls have gone through faults
            # (a loaded machine runs fewer loop turns per second), within a hard deadline.
            while time.monotonic() - start < duration or (
                sim.engine.count("request/active") - before < 30
                and time.monotonic() - start < duration * 6
            ):
                sim.clock.advance(3)  # past the 2 s poll, and past short backoffs
                await asyncio.sleep(0.02)
                cycles += 1
                if base is None and time.monotonic() > warm:
                    base = rss_mb()
                if cycles % 50 == 0:
                    await pilot.pause()
            polls = sim.engine.count("request/active") - before
            faults = sum(1 for r in sim.engine.requests if r.fault)
            sim.engine.set_faults(error_rate=0.0, html_rate=0.0, malformed_rate=0.0)
            assert base is not None
            growth = rss_mb() - base
            print(f"soak: {duration:.0f} s, {polls} polls, {faults} faults, RSS +{growth:.1f} MB")
            assert polls > 20 and faults > 5  # it really polled through faults
            assert app.is_running and isinstance(app.screen, OrdersScreen)
            assert len(table.orders) == ORDERS  # nothing dropped while offline
            assert growth < RSS_GROWTH_LIMIT_MB
            await pilot.press("h")  # still answers keys
            await wait_until(lambda: type(app.screen).__name__ == "HistoryScreen")
    finally:
        sim.stop()
