"""The one monitor loop: it outlives any exception, says what is wrong, backs off, and a wake-up
cuts a backoff short. Every monitor (orders, rentals, balance) runs on it."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.api.client import SMSPoolClient
from smspool_tui.api.errors import AuthError, ServerError, TransportError
from smspool_tui.clock import FakeClock
from smspool_tui.core.events import KEY_REJECTED, MonitorHealth
from smspool_tui.core.loop import MonitorLoop
from tests.harness import open_session, start_sim, wait_until


class Script:
    """A poller whose cycles raise the scripted errors, then succeed."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.cycles = 0

    async def cycle(self) -> None:
        self.cycles += 1
        if self.errors:
            raise self.errors.pop(0)

    def next_delay(self) -> float:
        return 30.0


async def _run(loop: MonitorLoop, events: list[object]) -> asyncio.Task[None]:
    task = asyncio.create_task(loop.run(events.append))
    await wait_until(lambda: loop.asleep_until is not None)
    return task


def _health(events: list[object]) -> list[str]:
    return [e.message for e in events if isinstance(e, MonitorHealth)]


async def test_survives_any_exception_and_says_what_it_is() -> None:
    clock = FakeClock()
    poller = Script(sqlite3.OperationalError("database is locked"), AuthError("bad key"))
    loop = MonitorLoop("rentals", poller, clock, base_delay=5, rng=random.Random(1))
    events: list[object] = []
    task = await _run(loop, events)
    try:
        assert _health(events)[-1].startswith("monitor error (OperationalError) - retrying in")
        clock.advance(10)
        await wait_until(lambda: poller.cycles == 2 and loop.asleep_until is not None)
        assert _health(events)[-1].startswith(KEY_REJECTED)
        clock.advance(20)
        await wait_until(lambda: poller.cycles == 3 and loop.asleep_until is not None)
        assert _health(events)[-1] == "online" and loop.online
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_a_wake_up_cuts_the_backoff_short() -> None:
    clock = FakeClock()
    poller = Script(TransportError("down"), TransportError("down"), TransportError("down"))
    loop = MonitorLoop("orders", poller, clock, base_delay=5, rng=random.Random(1))
    events: list[object] = []
    task = await _run(loop, events)
    try:
        for _ in range(2):  # back off twice: 5 s, then 10 s
            clock.advance(60)
            await wait_until(lambda n=poller.cycles: poller.cycles > n)
            await wait_until(lambda: loop.asleep_until is not None)
        assert "offline - retrying in" in _health(events)[-1]
        cycles = poller.cycles
        loop.wake()  # e.g. a purchase: try now, not at the end of the backoff
        await wait_until(lambda: poller.cycles == cycles + 1)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_a_dead_server_costs_one_request_per_cycle(tmp_path: Path) -> None:
    """The client's read retries do not stack under the monitor's own backoff."""
    sim = start_sim(seed=5)
    session = open_session(sim, tmp_path)
    try:
        await session.orders.reconcile()
        sim.engine.force_fault("500", count=1, path="request/active")
        before = sim.engine.count("request/active")
        with pytest.raises(ServerError):
            await session.orders.poll_once()
        assert sim.engine.count("request/active") - before == 1
        # A command the user asked for still gets the client's read retries.
        assert isinstance(session.client, SMSPoolClient) and session.client.retries > 0
        sim.engine.force_fault("500", count=1, path="request/active")
        before = sim.engine.count("request/active")
        assert await session.client.active_orders() == []
        assert sim.engine.count("request/active") - before == 2
    finally:
        await session.aclose()
        sim.stop()


async def test_balance_monitor_runs_on_the_loop(tmp_path: Path) -> None:
    sim = start_sim(seed=5, balance=Decimal("12.34"))
    session = open_session(sim, tmp_path)
    events: list[object] = []
    task = asyncio.create_task(session.account.run(events.append))
    try:
        await wait_until(lambda: session.account.balance == Decimal("12.34"))
        assert _health(events) == ["online"]
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await session.aclose()
        sim.stop()
