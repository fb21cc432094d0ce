"""How long SMSPool's cancel lock is, learned per pool from what the server did this session.

The lock is not documented and varies (one live sample: refused past 60 s, accepted at 132 s).
A refusal at age R says the lock is longer than R; an accepted cancel at age A says it is at most
A. The guess for a pool starts at the configured default and follows those facts, so "cancel in
m:ss" on the board (and the next order of that pool) is as right as the server lets us be.
"""

from __future__ import annotations

from collections.abc import Callable

Pool = int | None  # None: orders whose pool we do not know (adopted from the server)


class LockBook:
    def __init__(self, default: Callable[[], float], *, step: float) -> None:
        self._default = default
        self._step = step  # a refusal at R: the lock is at least R + one retry interval
        self._guess: dict[Pool, float] = {}

    def guess(self, pool: Pool) -> float:
        """Seconds after purchase a cancel is expected to be accepted on this pool."""
        return self._guess.get(pool, self._default())

    def learned(self, pool: Pool) -> bool:
        return pool in self._guess

    def refused(self, pool: Pool, age: float) -> bool:
        """A too-early answer `age` s after purchase. True if the guess changed."""
        if self.guess(pool) > age:
            return False
        self._guess[pool] = age + self._step
        return True

    def accepted(self, pool: Pool, age: float, *, refused_at: float | None = None) -> bool:
        """A cancel accepted `age` s after purchase (the lock is at most that); `refused_at`:
        the same order's last refusal, if any (then the lock ended in between, and `age`,
        one retry after it, is the best estimate). True if the guess changed."""
        before = self.guess(pool)
        new = age if refused_at is not None and refused_at < age else min(before, age)
        if new == before and pool in self._guess:
            return False
        self._guess[pool] = new
        return new != before
