"""A simulator on loopback, a session on its FakeClock with the orders monitor running, and an
autopilot driven by advancing the clock (never by sleeping)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from smspool_tui.core.autopilot import Autopilot, AutopilotResult, HealthLimits, Plan
from smspool_tui.core.autopilot.resume import resume_from_journal
from smspool_tui.core.session import Session
from tests.harness import SimHandle, open_session, wait_until

TELEGRAM = 907
US = 1
DELTA, FOXTROT, OSCAR = 4, 7, 14  # Telegram in the US, seed 0: $0.38, $0.38, $0.41


def telegram_us(**changes: Any) -> Plan:
    fields: dict[str, Any] = {
        "service_id": TELEGRAM,
        "service_name": "Telegram",
        "countries": (US,),
        "wait": 60.0,
    }
    fields.update(changes)
    return Plan(**fields)


@dataclass
class PilotRig:
    sim: SimHandle
    root: Path
    session: Session
    events: list[object] = field(default_factory=list)
    orders_task: asyncio.Task[None] | None = None
    pilot: Autopilot | None = None
    task: asyncio.Task[AutopilotResult] | None = None
    checks: list[Callable[[], None]] = field(default_factory=list)

    @property
    def engine(self) -> Any:
        return self.sim.engine

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def _orders_event(self, event: object) -> None:
        self.events.append(event)
        if self.pilot is not None:
            self.pilot.on_event(event)

    async def start_orders(self) -> None:
        orders = self.session.orders
        self.orders_task = asyncio.get_running_loop().create_task(orders.run(self._orders_event))
        await wait_until(lambda: orders.poller.reconciled)
        await self.orders_idle()

    def _orders_idle(self) -> bool:
        o = self.session.orders
        return bool(
            o.asleep_until is not None
            and o.asleep_until > self.sim.clock.monotonic()
            and not o.loop.woken
        )

    async def orders_idle(self) -> None:
        await wait_until(self._orders_idle)

    def _pilot_idle(self) -> bool:
        if self.task is None or self.task.done():
            return True
        p = self.pilot
        return bool(
            p and p.asleep_until is not None and p.asleep_until > self.sim.clock.monotonic()
        )

    async def idle(self) -> None:
        try:
            await wait_until(lambda: self._orders_idle() and self._pilot_idle())
        except AssertionError:
            o, p = self.session.orders, self.pilot
            raise AssertionError(
                f"not idle: orders asleep_until={o.asleep_until} woken={o.loop.woken} "
                f"pilot task={self.task} asleep_until={p and p.asleep_until} "
                f"now={self.sim.clock.monotonic()}"
            ) from None

    def launch(self, plan: Plan, *, paused: bool = False, **kw: Any) -> Autopilot:
        s = self.session
        assert s.catalog is not None
        self.pilot = Autopilot(
            s.orders, s.catalog, s.journal, s.clock, plan, emit=self.events.append, **kw
        )
        if paused:
            self.pilot.pause()
        self.task = asyncio.get_running_loop().create_task(self.pilot.run())
        return self.pilot

    async def resume(self, **kw: Any) -> Autopilot | None:
        s = self.session
        assert s.catalog is not None
        pilot = await resume_from_journal(
            s.orders, s.catalog, s.journal, s.clock, emit=self.events.append, **kw
        )
        self.pilot = pilot
        if pilot is not None:
            self.task = asyncio.get_running_loop().create_task(pilot.run())
        return pilot

    async def step(self, seconds: float = 5.0) -> None:
        self.sim.clock.advance(seconds)
        await self.idle()
        for check in self.checks:
            check()

    async def until(
        self, predicate: Callable[[], bool], limit: float = 4000, step: float = 5.0
    ) -> None:
        start = self.sim.clock.monotonic()
        await self.idle()
        while not predicate():
            assert self.sim.clock.monotonic() - start < limit, "not reached on the fake clock"
            await self.step(step)

    async def finish(self, limit: float = 4000, step: float = 5.0) -> AutopilotResult:
        assert self.task is not None
        task = self.task
        await self.until(task.done, limit, step)
        return task.result()

    async def crash(self) -> None:
        """What a SIGKILL leaves: tasks gone mid-step, the journal as written, a new session."""
        for task in (self.task, self.orders_task):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self.session.aclose()
        self.session = open_session(self.sim, self.root)
        self.task = self.orders_task = None
        self.pilot = None

    async def close(self) -> None:
        for task in (self.task, self.orders_task):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self.session.aclose()

    # ---- the simulator's own ledger ------------------------------------------------------------

    def charged_not_refunded(self) -> Decimal:
        """Money out of the sim's wallet right now (settles expiries first)."""
        return self.start_balance - self.engine.balance

    start_balance: Decimal = Decimal("50.00")

    def pending_on_server(self) -> int:
        now = self.sim.clock.now().timestamp()
        return sum(1 for o in self.engine.orders.values() if o.state(now) == "pending")


HEALTH_OFF = HealthLimits(in_row=1000, per_hour=1000)
