"""OrdersService: buy, cancel, resend and watch SMS orders; the journal remembers all of it.

One `request/active` call per monitor cycle covers every order; `sms/check` is only for an order
that left that list before we knew how it ended. A purchase is written to the journal before it is
sent and is never retried. Events go to `emit` (see core/events.py); nothing here knows the UI.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from smspool_tui.api.errors import (
    ApiError,
    BadResponse,
    CancelTooEarly,
    ServerError,
    TransportError,
)
from smspool_tui.api.models import (
    ActionResult,
    ActiveOrder,
    HistoryOrder,
    Purchase,
    ResendCheck,
    ResendResult,
    SmsCheck,
)
from smspool_tui.clock import Clock
from smspool_tui.core.events import (
    CodeArrived,
    OrderNotice,
    OrdersChanged,
    Severity,
)
from smspool_tui.core.journal import Intent, Journal
from smspool_tui.core.monitor import (
    Backoff,
    adopt_row,
    as_int,
    describe,
)
from smspool_tui.core.order_model import INTENT_ROW_PREFIX, Order, OrderState
from smspool_tui.core.orders_monitor import OrdersMonitor

__all__ = [
    "BuyAgain",
    "Order",
    "OrderState",
    "OrdersClient",
    "OrdersService",
    "PurchaseOutcomeUnknown",
]

Emit = Callable[[object], None]
CANCEL_RETRY = 10.0  # never ask the server to cancel the same order more often than this
# Outcomes that leave us unsure whether the server created the order.
_UNSURE = (TransportError, ServerError, BadResponse)


class OrdersClient(Protocol):
    """The part of SMSPoolClient this service uses (fakes in tests implement just this)."""

    async def active_orders(self) -> list[ActiveOrder]: ...
    async def history(
        self, search: str | None = None, start: int = 0, length: int = 100
    ) -> list[HistoryOrder]: ...
    async def purchase_sms(
        self,
        country: int | str,
        service: int | str,
        pool: int | str | None = None,
        max_price: Decimal | str | float | None = None,
        pricing_option: Any = None,
        area_code: Any = None,
    ) -> Purchase: ...
    async def check_sms(self, order_id: str) -> SmsCheck: ...
    async def check_resend(self, order_id: str) -> ResendCheck: ...
    async def resend_sms(self, order_id: str) -> ResendResult: ...
    async def cancel_sms(self, order_id: str) -> ActionResult: ...
    async def archive_orders(self) -> ActionResult: ...


class SpendListener(Protocol):
    def spent(self) -> None: ...


class PurchaseOutcomeUnknown(ApiError):
    """The purchase request went out but no clear answer came back: the order may or may not
    exist. The journal keeps the intent and the monitor resolves it; never buy again blindly."""

    def __init__(self, intent_id: int, cause: BaseException) -> None:
        super().__init__(
            "No clear answer from SMSPool: the order may or may not exist. Do not buy again yet; "
            f"the orders board will show it as soon as the server lists it. ({describe(cause)})",
            status=getattr(cause, "status", None),
        )
        self.intent_id = intent_id
        self.cause = cause


@dataclass(frozen=True, slots=True)
class BuyAgain:
    """What the purchase modal needs to offer the same order again (the UI asks to confirm)."""

    country_id: int | str
    service_id: int | str
    country_name: str
    service_name: str
    pool: int | None


def _display_key(order: Order) -> tuple[int, float]:
    waiting = order.status in (OrderState.PENDING, OrderState.UNKNOWN) and order.ended_at is None
    stamp = order.purchased_at.timestamp() if order.purchased_at else 0.0
    return (0 if waiting else 1, -stamp)


class OrdersService(OrdersMonitor):
    def __init__(
        self,
        client: OrdersClient,
        journal: Journal,
        clock: Clock,
        *,
        poll_interval: float = 5.0,
        idle_interval: float = 30.0,
        linger: float = 180.0,
        cancel_lock_guess: float = 60.0,
        on_event: Emit | None = None,
        account: SpendListener | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.clock = clock
        self.poll_interval = poll_interval
        self.idle_interval = idle_interval
        self.linger = linger
        self.cancel_lock_guess = cancel_lock_guess
        self.account = account
        # ISO code -> country name for orders adopted from the server (set from the catalog).
        self.country_name: Callable[[str], str | None] | None = None
        self._emit: Emit | None = on_event
        self._backoff = Backoff(poll_interval, rng=rng)
        self._wake = asyncio.Event()
        self._board: dict[str, Order] = {}
        self._notified: dict[str, str] = {}  # order_id -> last code announced
        self._keep_until: dict[str, datetime] = {}  # late codes stay visible a while longer
        self._inflight: set[int] = set()  # intents whose request is still out
        self._reconciled = False
        self._online: bool | None = None
        self.last_ok_at: datetime | None = None  # last good poll: the board's "updated Ns ago"
        # Diagnostics (and what tests synchronise on): finished cycles, and the monotonic time
        # the loop sleeps until (None while it works).
        self.cycles = 0
        self.asleep_until: float | None = None
        self._load_journal()

    # ---- state ---------------------------------------------------------------------------------

    def _load_journal(self) -> None:
        """First paint comes from disk: unfinished orders and purchases of unknown outcome."""
        since = self.clock.now() - timedelta(seconds=self.linger)
        for order in self.journal.recent_orders(ended_after=since):
            if not order.archived:
                self._board[order.order_id] = order
        for intent in self.journal.open_intents("sms"):
            stored = self.journal.order_for_intent(intent.id)
            if stored is not None:  # stopped between storing the order and closing the intent
                self.journal.complete_intent(intent.id, order_id=stored.order_id)
                continue
            self._board[f"{INTENT_ROW_PREFIX}{intent.id}"] = self._intent_row(intent)

    def _intent_row(self, intent: Intent) -> Order:
        p = intent.params
        return Order(
            order_id=f"{INTENT_ROW_PREFIX}{intent.id}",
            service=str(p.get("service_name") or p.get("service_id") or "?"),
            country=str(p.get("country_name") or p.get("country_id") or "?"),
            number="",
            status=OrderState.UNKNOWN,
            purchased_at=intent.created_at,
            service_id=as_int(p.get("service_id")),
            country_id=as_int(p.get("country_id")),
            pool=as_int(p.get("pool")),
            intent_id=intent.id,
            note="purchase outcome unknown - checking the server; do not buy again yet",
        )

    def orders_snapshot(self) -> tuple[Order, ...]:
        """The board: pending (and unknown) first, then newest first."""
        return tuple(sorted(self._board.values(), key=_display_key))

    def busy_reason(self) -> str | None:
        """Why closing the app now would drop work the user asked for (None: safe to quit)."""
        reasons: list[str] = []
        if self._inflight:
            reasons.append(f"{len(self._inflight)} purchase(s) still waiting for SMSPool's answer")
        queued = sum(1 for o in self._board.values() if o.cancel_queued)
        if queued:
            reasons.append(f"{queued} queued cancel(s) will not be sent while the app is closed")
        return "; ".join(reasons) or None

    def get(self, order_id: str) -> Order | None:
        return self._board.get(order_id) or self.journal.get_order(order_id)

    def wake(self) -> None:
        """Poll now instead of at the end of the current wait."""
        self._wake.set()

    def _send(self, event: object) -> None:
        if self._emit is not None:
            self._emit(event)

    def _notice(self, order_id: str, text: str, severity: Severity = "information") -> None:
        self.journal.add_event(order_id, "notice", text)
        self._send(OrderNotice(order_id, text, severity))

    def _changed(self) -> None:
        self._send(OrdersChanged(self.orders_snapshot()))

    def _put(self, new: Order, *, why: str = "") -> bool:
        """Store an order on the board and in the journal; announce a new code. True if changed."""
        old = self._board.get(new.order_id) or self.journal.get_order(new.order_id)
        if old == new:
            self._board[new.order_id] = new
            return False
        if new.code and new.cancel_queued:
            new = replace(new, cancel_queued=False)
            self._notice(new.order_id, "code arrived - the queued cancel was dropped", "warning")
        self.journal.upsert_order(new)
        if old is None:
            self.journal.add_event(new.order_id, "added", why)
        elif old.status is not new.status:
            self.journal.add_event(new.order_id, "status", f"{old.status} -> {new.status} {why}")
        self._board[new.order_id] = new
        announced = self._notified.get(new.order_id) or (old.code if old else None)
        if new.code and announced != new.code:
            self._notified[new.order_id] = new.code
            self.journal.add_event(new.order_id, "code", new.code)
            self._send(CodeArrived(new))
        return True

    def _end(self, order: Order, state: OrderState, now: datetime, why: str) -> Order:
        return replace(
            order,
            status=state,
            ended_at=order.ended_at or now,
            cancel_queued=False if state.is_final else order.cancel_queued,
            note=why or order.note,
        )

    # ---- purchase ------------------------------------------------------------------------------

    async def purchase(
        self,
        country_id: int | str,
        service_id: int | str,
        *,
        country_name: str,
        service_name: str,
        pool: int | str | None = None,
        max_price: Decimal | None = None,
        pricing_option: int | None = None,
        area_code: Any = None,
    ) -> Order:
        """Buy one number: journal first, exactly one request, never retried."""
        params = {
            "country_id": country_id,
            "service_id": service_id,
            "country_name": country_name,
            "service_name": service_name,
            "pool": pool,
            "max_price": None if max_price is None else str(max_price),
            "pricing_option": None if pricing_option is None else int(pricing_option),
            "area_code": area_code,
        }
        intent_id = self.journal.record_intent("sms", params)
        self._inflight.add(intent_id)
        try:
            try:
                bought = await self.client.purchase_sms(
                    country_id, service_id, pool, max_price, pricing_option, area_code
                )
            except asyncio.CancelledError:
                self._unsure(intent_id, "the app stopped waiting for the answer")
                raise
            except ApiError as exc:
                if isinstance(exc, _UNSURE):
                    self._unsure(intent_id, describe(exc))
                    raise PurchaseOutcomeUnknown(intent_id, exc) from exc
                self.journal.fail_intent(intent_id, describe(exc))
                raise
            except Exception as exc:  # a bug or a shape we could not read: the order may exist
                self._unsure(intent_id, describe(exc))
                raise PurchaseOutcomeUnknown(intent_id, exc) from exc
            if not bought.order_id:
                cause = BadResponse(f"purchase answered without an order id: {bought.message}")
                self._unsure(intent_id, cause.message)
                raise PurchaseOutcomeUnknown(intent_id, cause)
        finally:
            self._inflight.discard(intent_id)
        order = self._from_purchase(bought, intent_id, params)
        self._put(order, why=bought.message)
        self.journal.complete_intent(intent_id, order_id=order.order_id)
        self._changed()
        self.wake()
        if self.account is not None:
            self.account.spent()
        return order

    def _unsure(self, intent_id: int, why: str) -> None:
        intent = self.journal.get_intent(intent_id)
        self.journal.mark_intent_unknown(intent_id, why)
        if intent is not None:
            row = self._intent_row(intent)
            self._board[row.order_id] = row
            self._changed()
        self.wake()

    def _from_purchase(self, p: Purchase, intent_id: int, params: dict[str, Any]) -> Order:
        now = self.clock.now()
        number = p.number or f"{p.cc or ''}{p.phonenumber}"
        expires = p.expiration or (now + timedelta(seconds=p.expires_in) if p.expires_in else None)
        return Order(
            order_id=str(p.order_id),
            service=p.service or params["service_name"],
            country=p.country or params["country_name"],
            number=number,
            cost=p.cost,
            purchased_at=now,
            expires_at=expires,
            cancel_opens_at=now + timedelta(seconds=self.cancel_lock_guess),
            service_id=as_int(params["service_id"]),
            country_id=as_int(params["country_id"]),
            pool=p.pool if p.pool is not None else as_int(params["pool"]),
            intent_id=intent_id,
        )

    def dismiss_unknown(self, intent_id: int) -> None:
        """The user checked the dashboard: this purchase did not happen. Drops the UNKNOWN row."""
        self.journal.fail_intent(intent_id, "dismissed by the user")
        self._board.pop(f"{INTENT_ROW_PREFIX}{intent_id}", None)
        self._changed()

    # ---- cancel / resend / archive -------------------------------------------------------------

    async def cancel(self, order_id: str) -> Order:
        """Ask for a cancel (refund). Too early -> queued, the monitor sends it when allowed."""
        order = self._require(order_id)
        if order.status is not OrderState.PENDING or order.ended_at is not None:
            self._notice(order_id, f"cannot cancel: the order is {order.status.label}", "warning")
            return order
        now = self.clock.now()
        if order.cancel_queued and order.cancel_opens_at and order.cancel_opens_at > now:
            wait = int((order.cancel_opens_at - now).total_seconds())
            self._notice(order_id, f"cancel already queued - next try in ~{wait}s")
            return order
        return await self._send_cancel(order, queued=order.cancel_queued)

    async def _send_cancel(self, order: Order, *, queued: bool) -> Order:
        oid = order.order_id
        self.journal.add_event(oid, "cancel", "sent")
        try:
            result = await self.client.cancel_sms(oid)
        except CancelTooEarly:
            return self._queue_cancel(oid, first=not queued)
        except ApiError as exc:
            current = self._board.get(oid, order)
            if exc.retryable and current.status is OrderState.PENDING:
                # The cancel may or may not have landed; asking again later is harmless.
                self._notice(oid, f"cancel not confirmed ({describe(exc)}) - will retry", "warning")
                return self._queue_cancel(oid, first=False, quiet=True)
            self._put(replace(current, cancel_queued=False))
            self._notice(oid, f"cancel failed: {describe(exc)}", "error")
            self.wake()  # e.g. "already received a SMS": the next poll shows the code
            self._changed()
            return self._board[oid]
        current = self._board.get(oid, order)
        if not result.success:
            self._put(replace(current, cancel_queued=False))
            self._notice(oid, f"cancel failed: {result.message}", "error")
            self._changed()
            return self._board[oid]
        if current.code:  # a code slipped in meanwhile; the server's word on money stands
            self._notice(oid, "cancel accepted, but a code had arrived", "warning")
        done = self._end(current, OrderState.CANCELLED, self.clock.now(), "cancelled, refunded")
        self._put(done, why="cancel accepted")
        self._notice(oid, result.message or "cancelled and refunded")
        self._changed()
        if self.account is not None:
            self.account.spent()
        return self._board[oid]

    def _queue_cancel(self, order_id: str, *, first: bool, quiet: bool = False) -> Order:
        order = self._board[order_id]
        now = self.clock.now()
        earliest = now + timedelta(seconds=CANCEL_RETRY)
        guess = (order.purchased_at or now) + timedelta(seconds=self.cancel_lock_guess)
        opens = max(earliest, guess) if first else earliest
        self._put(replace(order, cancel_queued=True, cancel_opens_at=opens), why="cancel queued")
        if first and not quiet:
            wait = int((opens - now).total_seconds())
            self._notice(order_id, f"cancel queued - the server allows it in ~{wait}s")
        self._changed()
        return self._board[order_id]

    async def unqueue_cancel(self, order_id: str) -> Order:
        order = self._require(order_id)
        if order.cancel_queued:
            self._put(replace(order, cancel_queued=False))
            self._notice(order_id, "queued cancel withdrawn")
            self._changed()
        return self._board.get(order_id, order)

    async def check_resend(self, order_id: str) -> ResendCheck:
        """Whether a resend is possible and what it costs (call before `resend`)."""
        return await self.client.check_resend(order_id)

    async def resend(self, order_id: str) -> ResendResult:
        """Ask for the SMS again (may be charged: see check_resend). Never retried."""
        order = self._require(order_id)
        result = await self.client.resend_sms(order_id)
        self.journal.add_event(order_id, "resend", f"{result.message} charge={result.charge}")
        # Waiting again; the old code stays visible until a new one replaces it.
        self._put(replace(self._board.get(order_id, order), status=OrderState.PENDING))
        self._notice(order_id, f"resend requested (charge {result.charge})")
        self._changed()
        self.wake()
        if result.charge and self.account is not None:
            self.account.spent()
        return result

    async def archive(self) -> str:
        """Archive finished orders on the server and take them off the board (history keeps
        them)."""
        result = await self.client.archive_orders()
        for order in list(self._board.values()):
            if order.ended_at is not None and not order.is_intent_row:
                self._put(replace(order, archived=True))
                self._board.pop(order.order_id, None)
        self._changed()
        return result.message

    def buy_again(self, order_id: str) -> BuyAgain:
        order = self._require(order_id)
        return BuyAgain(
            country_id=order.country_id if order.country_id is not None else order.country,
            service_id=order.service_id if order.service_id is not None else order.service,
            country_name=order.country,
            service_name=order.service,
            pool=order.pool,
        )

    async def sync_history(self, length: int = 100) -> int:
        """Copy finished orders from request/history into the journal, for the History screen.
        Orders that may still be running (or on request/active) are left to the monitor, and
        known orders are never touched, so nothing here can announce or reorder the board."""
        rows = await self.client.history(length=length)
        now = self.clock.now()
        added = 0
        for row in rows:
            if row.order_code in self._board or self.journal.get_order(row.order_code):
                continue
            order = adopt_row(row, now, 0, self.country_name)
            running = order.expires_at is None or order.expires_at > now
            if order.status in (OrderState.PENDING, OrderState.UNKNOWN) or (
                running and not order.status.is_final
            ):
                continue
            ended = row.completed_on or order.expires_at or now
            self.journal.upsert_order(replace(order, ended_at=ended, late_check_done=True))
            added += 1
        return added

    def _require(self, order_id: str) -> Order:
        order = self.get(order_id)
        if order is None:
            raise KeyError(f"no order {order_id}")
        return order
