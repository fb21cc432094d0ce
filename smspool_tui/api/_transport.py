"""Plumbing under the client: rate limiting, backoff, secret handling."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

SleepFn = Callable[[float], Awaitable[object]]

#: Backoff for retried reads: full jitter over base * 2**attempt, capped.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
#: A server asking us to wait longer than this is treated as asking for this long.
RETRY_AFTER_CAP = 60.0


def backoff_delay(attempt: int, rng: random.Random) -> float:
    """Full jitter (AWS style): spreads retries of many clients instead of synchronising them."""
    return rng.uniform(0.0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt))


class Secret:
    """Holds the API key so that repr/str of anything holding it shows only stars."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def redact(self, text: str) -> str:
        return text.replace(self._value, "***") if self._value else text


class TokenBucket:
    """At most `rate` requests per second on average, with a small burst.

    The burst is half a second's worth so any one-second window stays under ~1.5x rate even after
    an idle spell; SMSPool's documented limit (~32/s) is twice our default rate.
    """

    def __init__(
        self,
        rate: float,
        *,
        monotonic: Callable[[], float],
        sleep: SleepFn,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate / 2)
        self._tokens = self.capacity
        self._monotonic = monotonic
        self._sleep = sleep
        self._last = monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        if self.rate <= 0:  # limiter disabled
            return
        async with self._lock:  # FIFO: waiters are served in order
            while True:
                now = self._monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                # The epsilon absorbs float rounding, which could otherwise spin on a 1e-17 s wait.
                if self._tokens >= 1.0 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep((1.0 - self._tokens) / self.rate)
