"""AccountService: balance every minute, at once after spending, health when offline."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from smspool_tui.api.errors import AuthError, TransportError
from smspool_tui.clock import FakeClock
from smspool_tui.core.account import AccountService
from smspool_tui.core.events import BalanceChanged, MonitorHealth
from tests.core.fakes import FakeClient
from tests.harness import wait_until


class AccountRig:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.client = FakeClient(self.clock)
        self.svc = AccountService(self.client, self.clock, rng=random.Random(1))
        self.events: list[object] = []
        self.task: asyncio.Task[None] | None = None

    async def idle(self) -> None:
        await wait_until(
            lambda: (
                self.svc.asleep_until is not None and self.svc.asleep_until > self.clock.monotonic()
            )
        )

    async def run_for(self, seconds: float, step: float = 1.0) -> None:
        end = self.clock.monotonic() + seconds
        while self.clock.monotonic() < end - 1e-9:
            self.clock.advance(step)
            await self.idle()

    def balances(self) -> list[Decimal]:
        return [e.balance for e in self.events if isinstance(e, BalanceChanged)]

    def health(self) -> list[MonitorHealth]:
        return [e for e in self.events if isinstance(e, MonitorHealth)]


@pytest.fixture
async def acc() -> AsyncIterator[AccountRig]:
    rig = AccountRig()
    rig.task = asyncio.get_running_loop().create_task(rig.svc.run(rig.events.append))
    await rig.idle()
    yield rig
    rig.task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await rig.task


async def test_refresh_emits_only_on_change() -> None:
    clock = FakeClock()
    client = FakeClient(clock)
    seen: list[object] = []
    svc = AccountService(client, clock, on_event=seen.append)
    assert await svc.refresh() == Decimal("50.00")
    assert await svc.refresh() == Decimal("50.00")
    client.balance_value = Decimal("49.76")
    await svc.refresh()
    assert seen == [BalanceChanged(Decimal("50.00")), BalanceChanged(Decimal("49.76"))]


async def test_polls_every_minute(acc: AccountRig) -> None:
    assert acc.balances() == [Decimal("50.00")]
    assert acc.health()[0].online
    await acc.run_for(180)
    assert acc.client.calls["balance"] == 4  # t=0, 60, 120, 180


async def test_spent_refreshes_at_once(acc: AccountRig) -> None:
    acc.client.balance_value = Decimal("49.76")
    acc.svc.spent()
    await wait_until(lambda: acc.client.calls["balance"] == 2)  # no clock movement needed
    await acc.idle()
    assert acc.balances() == [Decimal("50.00"), Decimal("49.76")]


async def test_offline_backoff_then_online(acc: AccountRig) -> None:
    acc.client.fail_always["balance"] = TransportError("connection refused")
    await acc.run_for(200)
    offline = [h for h in acc.health() if not h.online]
    assert offline and all(h.name == "balance" for h in offline)
    waits = [h.retry_in for h in offline]
    assert len(waits) >= 5 and waits[:4] == sorted(waits[:4])  # type: ignore[type-var]
    assert all(w is not None and w <= 60 for w in waits)  # capped
    assert offline[0].message.startswith("offline - retrying in")
    del acc.client.fail_always["balance"]
    await acc.run_for(61)
    assert acc.health()[-1].online


async def test_rejected_key_is_named(acc: AccountRig) -> None:
    acc.client.fail_always["balance"] = AuthError("Invalid API key", status=403)
    await acc.run_for(60)
    assert acc.health()[-1].message.startswith("API key rejected")
