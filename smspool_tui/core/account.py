"""AccountService: the balance, refreshed every minute and at once after money moved."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from smspool_tui.clock import Clock
from smspool_tui.core.events import BalanceChanged
from smspool_tui.core.loop import MonitorLoop

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
        self.loop = MonitorLoop("balance", self, clock, base_delay=5.0, rng=rng)

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
        self.loop.wake()

    # ---- the Poller the loop runs --------------------------------------------------------------

    async def cycle(self) -> None:
        await self.refresh()

    def next_delay(self) -> float:
        return self.interval

    def attach(self, emit: Emit) -> None:
        """Where events go (also set by `run`)."""
        self._emit = emit

    async def run(self, emit: Emit) -> None:
        self._emit = emit
        await self.loop.run(emit)

    @property
    def cycles(self) -> int:
        return self.loop.cycles

    @property
    def asleep_until(self) -> float | None:
        return self.loop.asleep_until
