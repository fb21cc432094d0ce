"""WatchesService: the watches in the journal, checked on MonitorLoop("watches").

Each watch is checked when its interval (a minute or more) has passed: one request, through
the session's client, so the same rate limit covers it. While another monitor says the
connection is down nothing is sent; when every check of a cycle fails for the connection's
sake the loop backs off like the others. A firing is journaled (disarmed) before anything is
bought for it, so neither a crash nor a restart can buy twice for one firing; it re-arms only
when a check finds the condition false again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError
from smspool_tui.clock import Clock
from smspool_tui.core.errors import DuplicateRisk
from smspool_tui.core.loop import Isolation, MonitorLoop, describe
from smspool_tui.core.orders.types import PurchaseOutcomeUnknown
from smspool_tui.core.watches.checks import WatchClient, check
from smspool_tui.core.watches.model import (
    Watch,
    WatchesChanged,
    WatchFired,
    WatchKind,
    WatchSpec,
)

if TYPE_CHECKING:
    from smspool_tui.core.journal import Journal
    from smspool_tui.core.order_model import Order
    from smspool_tui.core.orders import OrdersService

log = logging.getLogger(__name__)
Emit = Callable[[object], None]
MIN_INTERVAL = 60
PAUSE_RECHECK = 5.0


class WatchesService:
    def __init__(
        self,
        client: WatchClient,
        journal: Journal,
        clock: Clock,
        orders: OrdersService | None,
        *,
        interval: float = MIN_INTERVAL,
        offline: Callable[[], bool] = lambda: False,
    ) -> None:
        self.client = client
        self.journal = journal
        self.clock = clock
        self.orders = orders
        self.interval = max(float(MIN_INTERVAL), interval)
        self.offline = offline  # another monitor's verdict: True pauses every check
        self.paused = False
        # Backoff starts at the interval or later (its jitter takes up to 20% off), so a retry
        # after a dead cycle finds every watch due and still asks at most once a minute.
        backoff = self.interval / 0.8
        self.loop = MonitorLoop("watches", self, clock, base_delay=backoff, cap=backoff * 4)
        self._emit: Emit = lambda _e: None

    # ---- commands ---------------------------------------------------------------------------

    def attach(self, emit: Emit) -> None:
        self._emit = emit

    def all(self) -> tuple[Watch, ...]:
        return tuple(self.journal.watches())

    def add(self, spec: WatchSpec) -> Watch:
        """Store a new watch (ValueError with the reason for a spec that cannot be one); its
        first check runs at once."""
        problem = spec.problem()
        if problem:
            raise ValueError(problem)
        watch = self.journal.add_watch(spec)
        self._changed()
        self.loop.wake()
        return watch

    def remove(self, watch_id: int) -> bool:
        removed = self.journal.remove_watch(watch_id)
        self._changed()
        return removed

    def wake(self) -> None:
        self.loop.wake()

    async def run(self, emit: Emit) -> None:
        self.attach(emit)
        await self.loop.run(emit)

    # ---- the poller -------------------------------------------------------------------------

    def _due(self, watch: Watch, now: datetime) -> bool:
        last = watch.last_check_at  # set by a failed check too: never more than one a minute
        return last is None or now - last >= timedelta(seconds=self.interval)

    async def cycle(self) -> None:
        watches = self.journal.watches()
        if self.offline():
            if not self.paused:
                self.paused = True
                self._changed()
            return
        if self.paused:
            self.paused = False
            self._changed()
        now = self.clock.now()
        due = [w for w in watches if self._due(w, now)]
        isolation = Isolation()
        for watch in due:
            await isolation.run(f"watch {watch.id}", self._check(watch))
        if due:
            self._changed()
        isolation.raise_if_all_unreachable()

    def next_delay(self) -> float:
        if self.paused:  # nothing is sent while paused: look again soon, resume promptly
            return PAUSE_RECHECK
        now = self.clock.now()
        waits = [
            self.interval - (now - w.last_check_at).total_seconds()
            for w in self.journal.watches()
            if w.last_check_at is not None
        ]
        return max(1.0, min(waits, default=self.interval))

    async def _check(self, watch: Watch) -> bool:
        try:
            met, seen = await check(self.client, watch.spec)
        except ApiError as exc:
            self.journal.record_watch_check(
                watch.id, self.clock.now(), seen=watch.last_seen, error=describe(exc)
            )
            raise
        now = self.clock.now()
        if not met:
            self.journal.record_watch_check(watch.id, now, seen=seen, armed=True)
            return False
        if not watch.armed:
            self.journal.record_watch_check(watch.id, now, seen=seen)
            return False
        if not self.journal.fire_watch(watch.id, now, seen=seen):
            return False
        fired = self.journal.get_watch(watch.id) or watch
        action, order = await self._act(fired)
        if action:
            self.journal.record_watch_action(watch.id, action)
        self._emit(WatchFired(self.journal.get_watch(watch.id) or fired, seen, action, order))
        return True

    async def _act(self, watch: Watch) -> tuple[str, Order | None]:
        """The purchase the user asked for, through the money-safe path; never retried."""
        spec = watch.spec
        if not spec.auto_buy or spec.kind is WatchKind.RENTAL:
            return "", None
        if self.orders is None:
            return "not bought: buying is not available", None
        try:
            order = await self.orders.purchase(
                spec.country_id,
                spec.service_id,
                country_name=spec.country_name,
                service_name=spec.service_name,
                pool=spec.pool,
                max_price=spec.buy_cap,
            )
        except DuplicateRisk:
            return "not bought: an earlier purchase of it has no answer yet", None
        except PurchaseOutcomeUnknown:
            return "purchase sent, answer unknown: see the Orders board", None
        except ApiError as exc:
            return f"not bought: {describe(exc)}", None
        except Exception as exc:  # the firing stays spent: never a second purchase for it
            log.exception("watch %s purchase failed", watch.id)
            return f"not bought: {describe(exc)}", None
        cost = "" if order.cost is None else f" for ${order.cost}"
        return f"bought {order.number or order.order_id}{cost}", order

    def _changed(self) -> None:
        self._emit(WatchesChanged(self.all()))
