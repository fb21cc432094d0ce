"""Fixtures for the core services: a fake SMSPool, a FakeClock and a helper to drive the monitor."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.core.events import CodeArrived, MonitorHealth, OrderNotice, OrdersChanged
from smspool_tui.core.journal import Journal
from smspool_tui.core.orders import OrdersService
from tests.core.fakes import FakeClient
from tests.harness import wait_until


@dataclass
class Rig:
    clock: FakeClock
    client: FakeClient
    journal: Journal
    svc: OrdersService
    events: list[object] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def codes(self) -> list[CodeArrived]:
        return self.of(CodeArrived)

    @property
    def notices(self) -> list[OrderNotice]:
        return self.of(OrderNotice)

    @property
    def health(self) -> list[MonitorHealth]:
        return self.of(MonitorHealth)

    @property
    def boards(self) -> list[OrdersChanged]:
        return self.of(OrdersChanged)

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.svc.run(self.events.append))

    async def started(self) -> None:
        """Start the monitor and wait for its first cycle (the reconcile) to finish."""
        self.start()
        await self.idle()

    async def idle(self) -> None:
        """Wait until the monitor sleeps with a deadline still in the future."""
        await wait_until(
            lambda: (
                self.svc.asleep_until is not None
                and self.svc.asleep_until > self.clock.monotonic()
                and not self.svc.loop.woken
            )
        )

    async def run_for(self, seconds: float, step: float = 1.0) -> None:
        """Move the fake clock forward in steps, letting every due cycle finish."""
        end = self.clock.monotonic() + seconds
        while self.clock.monotonic() < end - 1e-9:
            self.clock.advance(min(step, end - self.clock.monotonic()))
            await self.idle()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def make_rig(journal_path: Path) -> Iterator[Callable[..., Rig]]:
    rigs: list[Rig] = []

    def make(clock: FakeClock | None = None, client: FakeClient | None = None, **kw: object) -> Rig:
        clock = clock or FakeClock()
        client = client or FakeClient(clock)
        journal = Journal(journal_path, now=clock.now)
        svc = OrdersService(client, journal, clock, rng=random.Random(7), **kw)  # type: ignore[arg-type]
        rig = Rig(clock, client, journal, svc)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        if rig.task is not None and not rig.task.done():
            rig.task.cancel()
        rig.journal.close()


@pytest.fixture
async def rig(make_rig: Callable[..., Rig]) -> AsyncIterator[Rig]:
    r = make_rig()
    yield r
    await r.stop()
