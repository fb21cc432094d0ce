"""What each core event says as a desktop notification (or None: nothing to say).

Stateful where the event alone does not tell: an order that ended without a code is seen as a
change between two OrdersChanged snapshots, and "offline for more than a minute" needs the time
the monitor first failed (read from the injected clock on each event and each `tick`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from smspool_tui.clock import Clock
from smspool_tui.core import events as ev
from smspool_tui.core.notify.kinds import Kind, Notice
from smspool_tui.core.order_model import OrderState
from smspool_tui.core.watches.model import WatchFired

OFFLINE_AFTER = timedelta(minutes=1)
_AUTOPILOT_DONE = {"code"}
# Ran out without a code; a cancel is the user's own doing and is not announced.
_ENDED_EMPTY = {OrderState.EXPIRED, OrderState.REFUNDED}


class NoticeSource:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._states: dict[str, OrderState] | None = None  # None until the first snapshot
        self._offline_since: dict[str, datetime] = {}
        self._told_offline: set[str] = set()

    def notices(self, event: object) -> list[Notice]:
        if isinstance(event, ev.CodeArrived):
            o = event.order
            return [
                Notice(
                    Kind.CODE,
                    "Code received",
                    f"{o.service} · {o.country}: a code arrived",
                    private_body=f"{o.service} · {o.country}: {o.code}",
                )
            ]
        if isinstance(event, ev.RentalMessageArrived):
            text = event.messages[0].text
            return [
                Notice(
                    Kind.RENTAL_MESSAGE,
                    "Rental message",
                    f"{event.number}: a new message",
                    private_body=f"{event.number}: {text}",
                )
            ]
        if isinstance(event, WatchFired):
            w = event.watch
            tail = f" · {event.action}" if event.action else ""
            return [Notice(Kind.WATCH, "Watch fired", f"{w.what}: {event.seen}{tail}")]
        # imported here: the autopilot package (runner, ranking, api models) must not load with
        # the App's first frame, which imports this module
        from smspool_tui.core.autopilot.events import AutopilotFinished

        if isinstance(event, AutopilotFinished):
            r = event.result
            title = "Autopilot finished" if r.kind in _AUTOPILOT_DONE else "Autopilot stopped"
            return [Notice(Kind.AUTOPILOT, title, r.reason or r.kind)]
        if isinstance(event, ev.OrdersChanged):
            return self._expired(event)
        if isinstance(event, ev.MonitorHealth):
            return self._health(event)
        return []

    def _expired(self, event: ev.OrdersChanged) -> list[Notice]:
        states = {o.order_id: o.status for o in event.orders}
        before, self._states = self._states, states
        if before is None:  # the board painted from the journal: nothing new happened
            return []
        found = []
        for o in event.orders:
            was = before.get(o.order_id)
            ended = o.status in _ENDED_EMPTY and was is not None and not was.is_final
            if ended and not o.code:
                body = f"{o.service} · {o.country}: no code (refunded)"
                found.append(Notice(Kind.EXPIRED, "Order expired", body))
        return found

    def _health(self, event: ev.MonitorHealth) -> list[Notice]:
        if event.online:
            self._offline_since.pop(event.name, None)
            self._told_offline.discard(event.name)
            return []
        self._offline_since.setdefault(event.name, self.clock.now())
        return self.tick()

    def tick(self) -> list[Notice]:
        """Called every few seconds: a monitor offline for over a minute is said once."""
        now = self.clock.now()
        late = [
            name
            for name, since in self._offline_since.items()
            if now - since >= OFFLINE_AFTER and name not in self._told_offline
        ]
        if not late:
            return []
        self._told_offline.update(late)
        if len(self._told_offline) > len(late):  # already said the connection is down
            return []
        body = "SMSPool unreachable for over a minute"
        return [Notice(Kind.OFFLINE, "smspool-tui offline", body)]
