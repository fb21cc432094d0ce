"""Cancels: the user's `x` and the poller's queued cancel go through here, one in flight per
order, so they never race. Too early -> queued and tried again every CANCEL_RETRY s until the
server's lock opens (its length is learned per pool: locks.py); a code that arrives first drops
the queue (the board does that)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError, CancelTooEarly
from smspool_tui.clock import Clock
from smspool_tui.core.loop import describe
from smspool_tui.core.order_model import ACTIVATED_NOTE, Order, OrderState
from smspool_tui.core.orders.board import Board
from smspool_tui.core.orders.facts import CancelAccepted, CancelQueued
from smspool_tui.core.orders.locks import LockBook

if TYPE_CHECKING:
    from smspool_tui.core.orders.types import OrdersClient

# An order activated for resends (after.py) carries this note: SMSPool no longer refunds it.
CANCEL_RETRY = 10.0  # a queued cancel is tried again this often (and never more often)


class CancelQueue:
    def __init__(
        self,
        client: OrdersClient,
        board: Board,
        clock: Clock,
        *,
        locks: LockBook,
        money_moved: Callable[[], None],
        wake: Callable[[], None],
    ) -> None:
        self.client = client
        self.board = board
        self.clock = clock
        self.locks = locks
        self._money_moved = money_moved
        self._wake = wake
        self._sending: set[str] = set()
        self._refused_at: dict[str, float] = {}  # order id -> age at its last too-early answer

    def sending(self, order_id: str) -> bool:
        return order_id in self._sending

    async def request(self, order: Order) -> Order:
        """The user asked: send now, or say it is already queued or under way."""
        oid = order.order_id
        if order.status is not OrderState.PENDING or order.ended_at is not None:
            self.board.notice(oid, f"cannot cancel: the order is {order.status.label}", "warning")
            return order
        if oid in self._sending:
            self.board.notice(oid, "a cancel is already on its way")
            return order
        if order.note == ACTIVATED_NOTE:  # kept for resends: SMSPool refunds it no more
            self.board.notice(oid, "cannot cancel: it was activated for resends", "warning")
            return order
        now = self.clock.now()
        if order.cancel_queued and order.cancel_opens_at and order.cancel_opens_at > now:
            # The row counts down to the next try; x again would withdraw it (the UI's call).
            self.board.notice(oid, "cancel already queued")
            return order
        return await self.send(order, queued=order.cancel_queued)

    def due(self) -> list[Order]:
        now = self.clock.now()
        return [
            o
            for o in self.board.orders.values()
            if o.cancel_queued
            and o.ended_at is None
            and o.status is OrderState.PENDING
            and o.order_id not in self._sending
            and (o.cancel_opens_at is None or o.cancel_opens_at <= now)
        ]

    async def send(self, order: Order, *, queued: bool) -> Order:
        oid = order.order_id
        if oid in self._sending:
            return self.board.orders.get(oid, order)
        self._sending.add(oid)
        try:
            return await self._send(order, queued=queued)
        finally:
            self._sending.discard(oid)

    async def _send(self, order: Order, *, queued: bool) -> Order:
        oid = order.order_id
        board = self.board
        board.event(oid, "cancel", "sent")
        try:
            result = await self.client.cancel_sms(oid)
        except CancelTooEarly:
            self._learn(board.orders.get(oid, order), accepted=False)
            return self.queue(oid, first=not queued)
        except ApiError as exc:
            current = board.orders.get(oid, order)
            if exc.retryable and current.status is OrderState.PENDING:
                # The cancel may or may not have landed; asking again later is harmless.
                board.notice(oid, f"cancel not confirmed ({describe(exc)}) - will retry", "warning")
                return self.queue(oid, first=False, quiet=True)
            board.put(replace(current, cancel_queued=False))
            board.notice(oid, f"cancel failed: {describe(exc)}", "error")
            self._wake()  # e.g. "already received a SMS": the next poll shows the code
            board.changed()
            return board.orders[oid]
        current = board.orders.get(oid, order)
        if not result.success:
            board.put(replace(current, cancel_queued=False))
            board.notice(oid, f"cancel failed: {result.message}", "error")
            board.changed()
            return board.orders[oid]
        if current.code:  # a code slipped in meanwhile; the server's word on money stands
            board.notice(oid, "cancel accepted, but a code had arrived", "warning")
        self._learn(current, accepted=True)
        done = board.end(current, OrderState.CANCELLED, self.clock.now(), "cancelled, refunded")
        board.put(done, why="cancel accepted")
        refund = result.refunded if result.refunded is not None else current.cost
        board.event(oid, "notice", result.message)
        board.emit(CancelAccepted(oid, "cancelled and refunded", refund=refund))
        board.changed()
        self._money_moved()
        return board.orders[oid]

    def queue(self, order_id: str, *, first: bool, quiet: bool = False) -> Order:
        """Try again in CANCEL_RETRY s: a steady short interval from the first refusal, so a
        lock shorter than our guess costs at most one interval."""
        board = self.board
        order = board.orders[order_id]
        opens = self.clock.now() + timedelta(seconds=CANCEL_RETRY)
        board.put(replace(order, cancel_queued=True, cancel_opens_at=opens), why="cancel queued")
        if first and not quiet:  # the row counts down to the next try: no number here
            text = "cancel queued: SMSPool does not allow it yet"
            board.event(order_id, "notice", text)
            board.emit(CancelQueued(order_id, text, retry_every=CANCEL_RETRY))
        board.changed()
        return board.orders[order_id]

    def _learn(self, order: Order, *, accepted: bool) -> None:
        """What the server just did tells us about its lock on this order's pool; the other
        waiting orders of that pool show the new estimate."""
        if order.purchased_at is None:
            return
        now = self.clock.now()
        age = (now - order.purchased_at).total_seconds()
        book = self.locks
        oid = order.order_id
        if accepted:
            changed = book.accepted(order.pool, age, refused_at=self._refused_at.pop(oid, None))
        else:
            self._refused_at[oid] = age
            changed = book.refused(order.pool, age)
        if not changed:
            return
        guess = book.guess(order.pool)
        self.board.event(order.order_id, "cancel lock", f"pool {order.pool}: ~{guess:.0f}s")
        for other in list(self.board.orders.values()):
            if other.pool != order.pool or other.order_id == order.order_id:
                continue
            if other.cancel_queued or other.status is not OrderState.PENDING or other.ended_at:
                continue
            self.board.put(replace(other, cancel_opens_at=self._opens(other, now)))

    def _opens(self, order: Order, now: datetime) -> datetime:
        return (order.purchased_at or now) + timedelta(seconds=self.locks.guess(order.pool))

    def withdraw(self, order: Order) -> Order:
        """Take back a queued cancel (one already on its way cannot be called back)."""
        oid = order.order_id
        if oid in self._sending:
            self.board.notice(oid, "the cancel is already on its way", "warning")
        elif order.cancel_queued:
            self.board.put(replace(order, cancel_queued=False))
            self.board.notice(oid, "queued cancel withdrawn")
            self.board.changed()
        return self.board.orders.get(oid, order)
