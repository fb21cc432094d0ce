"""The orders monitor loop, mixed into OrdersService: one request/active per cycle for all
orders, sms/check only for an order that left that list before we knew how it ended, queued
cancels when due, a linger with one late check, and the start-up reconcile.

Kept apart from orders.py (the commands) so each file reads on its own; the state it works on
(`_board`, `_put`, the journal) belongs to OrdersService.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError, AuthError, NotFound
from smspool_tui.api.models import ActiveOrder, SmsCheck
from smspool_tui.core.events import KEY_REJECTED, MonitorHealth
from smspool_tui.core.journal import Intent
from smspool_tui.core.monitor import (
    Backoff,
    adopt_row,
    as_int,
    check_code,
    check_state,
    merge_row,
    sleep_or_wake,
)
from smspool_tui.core.order_model import INTENT_ROW_PREFIX, Order, OrderState

if TYPE_CHECKING:
    from smspool_tui.clock import Clock
    from smspool_tui.core.journal import Journal
    from smspool_tui.core.orders import OrdersClient

Emit = Callable[[object], None]
MIN_DELAY = 1.0  # floor between cycles, so a stuck due time can never hammer the API
# How far a server order's timestamp may sit from our intent's time and still be "that purchase".
INTENT_MATCH_WINDOW = timedelta(minutes=5)
UNMATCHED_NOTE = (
    "purchase outcome unknown - not found on the server; check the SMSPool dashboard "
    "before buying again"
)


class OrdersMonitor:
    """Monitor half of OrdersService (see orders.py for the state and the commands)."""

    # Set by OrdersService.__init__.
    client: OrdersClient
    journal: Journal
    clock: Clock
    poll_interval: float
    idle_interval: float
    linger: float
    cancel_lock_guess: float
    cycles: int
    asleep_until: float | None
    _emit: Emit | None
    _backoff: Backoff
    _wake: asyncio.Event
    _board: dict[str, Order]
    _keep_until: dict[str, datetime]
    _inflight: set[int]
    _reconciled: bool
    _online: bool | None
    country_name: Callable[[str], str | None] | None

    if TYPE_CHECKING:  # provided by OrdersService

        def _put(self, new: Order, *, why: str = "") -> bool: ...
        def _end(self, order: Order, state: OrderState, now: datetime, why: str) -> Order: ...
        def _send(self, event: object) -> None: ...
        def _changed(self) -> None: ...
        async def _send_cancel(self, order: Order, *, queued: bool) -> Order: ...

    def _mark_asleep(self, deadline: float) -> None:
        self.asleep_until = deadline

    async def run(self, emit: Emit) -> None:
        """The monitor loop: one request/active per cycle, adaptive interval, backoff offline."""
        self._emit = emit
        while True:
            try:
                if not self._reconciled:
                    await self.reconcile()
                else:
                    await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a monitor must outlive any failure
                delay = self._backoff.delay(exc)
                self._online = False
                prefix = KEY_REJECTED if isinstance(exc, AuthError) else "offline"
                self._send(
                    MonitorHealth("orders", False, f"{prefix} - retrying in {round(delay)}s", delay)
                )
            else:
                if self._online is not True:
                    self._send(MonitorHealth("orders", True, "online", None))
                self._online = True
                self.last_ok_at = self.clock.now()
                self._backoff.reset()
                delay = self._next_delay()
            self.cycles += 1
            await sleep_or_wake(self.clock, delay, self._wake, self._mark_asleep)
            self.asleep_until = None

    def _next_delay(self) -> float:
        now = self.clock.now()
        fresh = now - INTENT_MATCH_WINDOW
        waiting = any(
            (o.status is OrderState.PENDING and o.ended_at is None)
            or (o.status is OrderState.UNKNOWN and (o.purchased_at or now) > fresh)
            for o in self._board.values()
        )
        delay = self.poll_interval if waiting else self.idle_interval
        for due in self._due_times():
            delay = min(delay, (due - now).total_seconds())
        return max(delay, MIN_DELAY)  # a floor, so a stuck due time can never hammer the API

    def _due_times(self) -> Iterable[datetime]:
        linger = timedelta(seconds=self.linger)
        for order in self._board.values():
            pending = order.status is OrderState.PENDING and order.ended_at is None
            if pending and order.cancel_queued and order.cancel_opens_at is not None:
                yield order.cancel_opens_at
            if order.ended_at is not None:
                yield self._keep_until.get(order.order_id, order.ended_at + linger)

    async def poll_once(self) -> None:
        """One cycle: request/active, merge, settle orders that left it, due cancels, lingering."""
        rows = await self.client.active_orders()
        changed = self._merge_rows(rows)
        changed |= await self._settle_missing({r.order_code for r in rows})
        changed |= await self._send_due_cancels()
        changed |= await self._linger()
        if changed:
            self._changed()

    def _merge_rows(self, rows: Iterable[ActiveOrder]) -> bool:
        changed = False
        now = self.clock.now()
        for row in rows:
            known = self._board.get(row.order_code) or self.journal.get_order(row.order_code)
            if known is None:
                changed |= self._adopt(row, now)
                continue
            if row.order_code not in self._board:
                changed = True  # back on the board (e.g. journal row of an earlier session)
            changed |= self._put(self._named(merge_row(known, row)))
        return changed

    def _named(self, order: Order) -> Order:
        """Swap an ISO code ("GB") for the country name once the catalog knows it."""
        code = order.country
        if self.country_name is None or len(code) != 2 or not code.isupper():
            return order
        name = self.country_name(code)
        return replace(order, country=name) if name else order

    def _adopt(self, row: ActiveOrder, now: datetime, *, board: bool = True) -> bool:
        """A server order we did not know: match it to an open intent, else adopt it as is."""
        order = adopt_row(row, now, self.cancel_lock_guess, self.country_name)
        intent = self._match_intent(order)
        why = "adopted from the server"
        if intent is not None:
            p = intent.params
            order = replace(
                order,
                service_id=as_int(p.get("service_id")),
                country_id=as_int(p.get("country_id")),
                country=str(p.get("country_name") or order.country),
                intent_id=intent.id,
            )
            self.journal.complete_intent(intent.id, order_id=order.order_id)
            self._board.pop(f"{INTENT_ROW_PREFIX}{intent.id}", None)
            why = f"matched purchase intent {intent.id}"
        if order.status.is_final:
            order = replace(order, ended_at=now)
        self._put(order, why=why)
        if not board:
            self._board.pop(order.order_id, None)  # journal/history only
        return True

    def _match_intent(self, order: Order) -> Intent | None:
        """The open purchase intent this server order most likely came from (same service,
        bought within a few minutes of the intent), or None.

        Two clocks say "when": the server's timestamp (its zone is not documented, so it may be
        off by hours) and, once the monitor has a full view, the moment the order first showed
        up on request/active by our own clock, which needs no zone at all."""
        now = self.clock.now()
        best: tuple[float, Intent] | None = None
        for intent in self.journal.open_intents("sms"):
            if intent.id in self._inflight:
                continue  # its own answer will say which order it is
            p = intent.params
            names = {str(p.get("service_name", "")).strip().lower(), str(p.get("service_id"))}
            if order.service.strip().lower() not in names:
                continue
            gaps = []
            if order.purchased_at is not None:
                gaps.append(abs((order.purchased_at - intent.created_at).total_seconds()))
            if self._reconciled and now >= intent.created_at:
                gaps.append((now - intent.created_at).total_seconds())  # new since last poll
            gap = min(gaps, default=float("inf"))
            if gap > INTENT_MATCH_WINDOW.total_seconds():
                continue
            if best is None or gap < best[0]:
                best = (gap, intent)
        return best[1] if best else None

    async def _settle_missing(self, listed: set[str]) -> bool:
        """Orders that left request/active while not final: ask sms/check how they ended."""
        changed = False
        for oid in [o.order_id for o in self._board.values()]:
            order = self._board.get(oid)
            if order is None or order.is_intent_row or oid in listed or order.ended_at:
                continue
            now = self.clock.now()
            if order.status is OrderState.RECEIVED or order.status.is_final:
                # Final state already known (code in hand / cancel confirmed): no request needed.
                changed |= self._put(self._end(order, order.status, now, ""), why="left the list")
                continue
            try:
                check = await self.client.check_sms(oid)
            except NotFound:
                # Not "waiting" forever: without a code it is over for the user either way.
                final = order.status if order.code else OrderState.EXPIRED
                gone = self._end(
                    order, final, self.clock.now(), "the server no longer knows this order"
                )
                changed |= self._put(gone, why="sms/check: not found")
                continue
            changed |= self._apply_check(oid, check, ending=True)
        return changed

    def _apply_check(self, oid: str, check: SmsCheck, *, ending: bool) -> bool:
        order = self._board[oid]
        now = self.clock.now()
        code, full = check_code(check)
        state = check_state(check, order, now)
        if code:
            order = replace(order, code=code, full_sms=full, status=OrderState.RECEIVED)
            if order.ended_at is not None:  # a late code: keep it visible a while
                self._keep_until[oid] = now + timedelta(seconds=self.linger)
        if state is OrderState.PENDING:
            expired = order.expires_at is not None and now >= order.expires_at
            if not (ending and expired):
                return self._put(order)  # the list lagged; look again next cycle
            state = OrderState.EXPIRED
        if order.ended_at is None:
            order = self._end(order, state, now, "")
        elif not code:
            order = replace(order, status=state if order.code is None else order.status)
        return self._put(order, why="sms/check")

    async def _send_due_cancels(self) -> bool:
        now = self.clock.now()
        due = [
            o
            for o in self._board.values()
            if o.cancel_queued
            and o.ended_at is None
            and o.status is OrderState.PENDING
            and (o.cancel_opens_at is None or o.cancel_opens_at <= now)
        ]
        for order in due:
            await self._send_cancel(order, queued=True)
        return bool(due)

    async def _linger(self) -> bool:
        """Ended orders stay `linger` s; one without a code gets one last sms/check first."""
        changed = False
        now = self.clock.now()
        for order in list(self._board.values()):
            if order.ended_at is None or order.is_intent_row:
                continue
            until = self._keep_until.get(order.order_id)
            if until is None:
                until = order.ended_at + timedelta(seconds=self.linger)
            if now < until:
                continue
            wants_late_check = (
                not order.code
                and not order.late_check_done
                and order.status is not OrderState.CANCELLED
            )
            if wants_late_check:
                try:
                    check: SmsCheck | None = await self.client.check_sms(order.order_id)
                except NotFound:
                    check = None
                self._put(replace(self._board[order.order_id], late_check_done=True))
                if check is not None:
                    self._apply_check(order.order_id, check, ending=False)
                if self._board[order.order_id].code:
                    changed = True
                    continue  # caught a late code: `_keep_until` shows it a while longer
            self._board.pop(order.order_id, None)
            self._keep_until.pop(order.order_id, None)
            changed = True
        return changed

    async def reconcile(self) -> None:
        """After a start (or crash): line the journal up with request/active and request/history.
        Unfinished intents are matched to server orders; server orders we never saw are adopted;
        nothing is shown twice."""
        for intent in self.journal.open_intents("sms"):
            if intent.state == "sent" and intent.id not in self._inflight:
                self.journal.mark_intent_unknown(intent.id, "the app stopped before the answer")
        rows = await self.client.active_orders()
        changed = self._merge_rows(rows)
        listed = {r.order_code for r in rows}
        try:
            past = await self.client.history(length=100)
        except ApiError:
            past = []  # history only sharpens the picture; sms/check covers the rest
        for row in past:
            if row.order_code in listed:
                continue
            known = self._board.get(row.order_code) or self.journal.get_order(row.order_code)
            if known is None:
                # Bought before a crash or elsewhere: into the journal (history); on the board
                # only if it may still be running, so sms/check below settles it.
                still_open = adopt_row(row, self.clock.now(), 0).status is OrderState.PENDING
                changed |= self._adopt(row, self.clock.now(), board=still_open)
                continue
            if known.ended_at is None and row.order_code in self._board:
                merged = merge_row(known, row)
                if merged.status is not OrderState.PENDING:
                    changed |= self._put(self._end(merged, merged.status, self.clock.now(), ""))
        changed |= await self._settle_missing(listed)
        for oid, order in list(self._board.items()):
            if order.is_intent_row:
                self._board[oid] = replace(order, note=UNMATCHED_NOTE)
        self._reconciled = True
        changed |= await self._send_due_cancels()
        if changed or self._board:
            self._changed()
