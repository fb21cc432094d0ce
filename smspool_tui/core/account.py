"""AccountService: the balance, refreshed every minute and at once after money moved."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from smspool_tui.api.errors import AuthError
from smspool_tui.clock import Clock
from smspool_tui.core.events import KEY_REJECTED, BalanceChanged, MonitorHealth
from smspool_tui.core.monitor import Backoff, sleep_or_wake

Emit = Callable[[object], None]


class BalanceClient(Protocol):
    async def balance(self) -> Decimal: ...


class AccountService:
    def __init__(
        self,
        client: BalanceClient,
        clock: Clock,
        *,
        interval: float = 60.0,
        on_event: Emit | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.clock = clock
        self.interval = interval
        self.balance: Decimal | None = None
        self._emit = on_event
        self._wake = asyncio.Event()
        self._backoff = Backoff(5.0, rng=rng)
        self._online: bool | None = None
        # Diagnostics (and what tests synchronise on): finished cycles, and the monotonic time
        # the loop sleeps until (None while it works).
        self.cycles = 0
        self.asleep_until: float | None = None

    async def refresh(self) -> Decimal:
        """Ask the server now; emits BalanceChanged when the amount differs from the last one."""
        value = await self.client.balance()
        if value != self.balance:
            self.balance = value
            if self._emit is not None:
                self._emit(BalanceChanged(value))
        return value

    def spent(self) -> None:
        """Money moved (purchase, refund, paid resend): refresh at the next chance, not in 60 s."""
        self._wake.set()

    def _mark_asleep(self, deadline: float) -> None:
        self.asleep_until = deadline

    async def run(self, emit: Emit) -> None:
        self._emit = emit
        while True:
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the loop must survive; the badge shows it's stale
                delay = self._backoff.delay(exc)
                self._online = False
                what = KEY_REJECTED if isinstance(exc, AuthError) else "offline"
                text = f"{what} - retrying in {round(delay)}s"
                emit(MonitorHealth("balance", False, text, delay))
            else:
                if self._online is not True:
                    emit(MonitorHealth("balance", True, "online", None))
                self._online = True
                self._backoff.reset()
                delay = self.interval
            self.cycles += 1
            await sleep_or_wake(self.clock, delay, self._wake, self._mark_asleep)
            self.asleep_until = None
