"""Clocks: the system one, and a fake one that tests and the simulator can drive."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""

    async def sleep(self, seconds: float) -> None:
        """Wait this long on this clock."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """A clock that moves only when told to; thread-safe so the simulator's thread can read it.

    `sleep` waits (on the real loop) until `advance` has moved the clock past the deadline, so a
    test drives a monitor by advancing time instead of sleeping.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
        self._mono = 1000.0
        self._lock = threading.Lock()
        self._waiters: list[tuple[float, asyncio.Event, asyncio.AbstractEventLoop]] = []

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds
            due = [w for w in self._waiters if w[0] <= self._mono]
            self._waiters = [w for w in self._waiters if w[0] > self._mono]
        for _, event, loop in due:
            loop.call_soon_threadsafe(event.set)

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        event = asyncio.Event()
        with self._lock:
            self._waiters.append((self._mono + seconds, event, asyncio.get_running_loop()))
        await event.wait()

    @property
    def sleepers(self) -> int:
        with self._lock:
            return len(self._waiters)
