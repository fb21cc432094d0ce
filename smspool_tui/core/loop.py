"""The one monitor loop every poller runs on (orders, rentals, the balance).

It owns what the three loops once each did their own way: backoff with jitter that a wake-up cuts
short, the health text the header shows, and survival: any exception (a database error, a bug, a
shape we could not read) is logged, reported as health and retried; only cancellation stops it.
A poller supplies one cycle and the delay until the next; it isolates its own items.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from smspool_tui.api.errors import ApiError, AuthError, RateLimited
from smspool_tui.clock import Clock
from smspool_tui.core.events import KEY_REJECTED, MonitorHealth

log = logging.getLogger(__name__)

Emit = Callable[[object], None]
BACKOFF_CAP = 60.0
MIN_DELAY = 1.0  # floor between cycles, so a stuck due time can never hammer the API


class Poller(Protocol):
    """What a monitor runs: one cycle, then the seconds until the next one is wanted."""

    async def cycle(self) -> None: ...
    def next_delay(self) -> float: ...


class Backoff:
    """Capped exponential backoff with jitter: `delay()` per failure, `reset()` on success."""

    def __init__(self, base: float, cap: float = BACKOFF_CAP, rng: random.Random | None = None):
        self.base = max(0.5, base)
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def delay(self, error: BaseException | None = None) -> float:
        self.failures += 1
        raw = min(self.cap, self.base * 2 ** (self.failures - 1))
        # Jitter downwards only (0.8x-1x), so the sequence still grows and never passes the cap.
        wait = raw * (0.8 + 0.2 * self._rng.random())
        if isinstance(error, RateLimited) and error.retry_after:
            wait = max(wait, min(self.cap, error.retry_after))
        return wait

    def reset(self) -> None:
        self.failures = 0


def describe(error: BaseException) -> str:
    if isinstance(error, ApiError):
        return error.message or type(error).__name__
    return f"{type(error).__name__}: {error}"


def health_text(error: BaseException, delay: float) -> str:
    """The header's words for a failed cycle; the same for every monitor."""
    if isinstance(error, AuthError):
        what = KEY_REJECTED
    elif isinstance(error, ApiError):
        what = "offline"
    else:  # not the network: say so, so nobody waits for a connection that is fine
        what = f"monitor error ({type(error).__name__})"
    return f"{what} - retrying in {round(delay)}s"


class MonitorLoop:
    """Runs a poller forever: cycle, sleep (woken early by `wake()`), back off on failure."""

    def __init__(
        self,
        name: str,
        poller: Poller,
        clock: Clock,
        *,
        base_delay: float = 5.0,
        cap: float = BACKOFF_CAP,
        rng: random.Random | None = None,
    ) -> None:
        self.name = name
        self.poller = poller
        self.clock = clock
        self.backoff = Backoff(base_delay, cap=cap, rng=rng)
        self.online: bool | None = None
        self.last_ok_at: datetime | None = None  # last good cycle: the board's "updated Ns ago"
        # Diagnostics (and what tests synchronise on): finished cycles, and the monotonic time
        # the loop sleeps until (None while it works).
        self.cycles = 0
        self.asleep_until: float | None = None
        self._wake = asyncio.Event()
        self._emit: Emit = _no_emit

    @property
    def woken(self) -> bool:
        """A wake-up is pending (the next sleep returns at once)."""
        return self._wake.is_set()

    def wake(self) -> None:
        """Run the next cycle now instead of at the end of the current wait (or backoff)."""
        self._wake.set()

    async def run(self, emit: Emit) -> None:
        self._emit = emit
        while True:
            delay = await self.run_once()
            self.cycles += 1
            await self._sleep(delay)

    async def run_once(self) -> float:
        """One cycle with the loop's error handling; returns the delay before the next."""
        try:
            await self.poller.cycle()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a monitor must outlive any failure
            if not isinstance(exc, ApiError):
                log.exception("%s monitor cycle failed", self.name)
            delay = self.backoff.delay(exc)
            self.online = False
            self._emit(MonitorHealth(self.name, False, health_text(exc, delay), delay))
            return delay
        if self.online is not True:
            self._emit(MonitorHealth(self.name, True, "online", None))
        self.online = True
        self.last_ok_at = self.clock.now()
        self.backoff.reset()
        return max(self.poller.next_delay(), MIN_DELAY)

    async def _sleep(self, seconds: float) -> None:
        """Sleep on the clock unless woken first; clears the wake-up."""
        if self._wake.is_set():
            self._wake.clear()
            return
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        waiter = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.sleep(0)  # let the sleeper register with the clock first
            # Published once the clock holds the sleep, so a test advancing a FakeClock sees a
            # deadline the clock really has.
            self.asleep_until = self.clock.monotonic() + seconds
            await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.asleep_until = None
            for task in (sleeper, waiter):
                if not task.done():
                    task.cancel()
        self._wake.clear()


class Isolation:
    """One cycle's per-item error isolation: a failure of one item is logged and skipped, so the
    others still run. A rejected key is nobody's item: it propagates, and the loop says so.

    `all_failed()` tells a cycle whose every item failed for a reason that is the connection's
    (network, 5xx, 429): with no list request of its own in that cycle, the poller raises it so
    the header says offline instead of "online" over a dead server."""

    def __init__(self) -> None:
        self.tried = 0
        self.unreachable = 0
        self.last: BaseException | None = None

    async def run(self, what: str, step: Awaitable[bool]) -> bool | None:
        """The step's "changed", or None when it failed."""
        self.tried += 1
        try:
            return await step
        except (asyncio.CancelledError, AuthError):
            raise
        except ApiError as exc:
            log.warning("%s: %s", what, describe(exc))
            if exc.retryable:
                self.unreachable += 1
                self.last = exc
            return None
        except Exception:
            log.exception("%s failed", what)
            return None

    def raise_if_all_unreachable(self) -> None:
        if self.tried and self.unreachable == self.tried and self.last is not None:
            raise self.last


def _no_emit(_event: object) -> None:
    return None
