"""OrdersService: the commands on SMS orders (buy, cancel, resend, archive), composed from the
board, the intent ledger, the cancel queue and the poller, which runs on the shared MonitorLoop.

A purchase is journaled before it is sent, sent exactly once, never retried, and never sent while
an earlier purchase of the same thing has no known outcome (unless the caller says so).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smspool_tui.clock import Clock
from smspool_tui.core.intents import IntentLedger
from smspool_tui.core.loop import MonitorLoop
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.core.orders.after import AfterBuying
from smspool_tui.core.orders.board import Board
from smspool_tui.core.orders.buying import Buyer
from smspool_tui.core.orders.cancels import CANCEL_RETRY, CancelQueue
from smspool_tui.core.orders.facts import OrdersBusy
from smspool_tui.core.orders.locks import LockBook
from smspool_tui.core.orders.poller import OrdersPoller, Timing
from smspool_tui.core.orders.purchase_options import PurchaseOptions
from smspool_tui.core.orders.rows import adopt_row
from smspool_tui.core.orders.types import (
    OrdersClient,
    SpendListener,
)

if TYPE_CHECKING:
    from smspool_tui.core.journal import Intent, Journal

log = logging.getLogger(__name__)
Emit = Callable[[object], None]


class OrdersService(AfterBuying):
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
        poll_client: OrdersClient | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.clock = clock
        self.account = account
        # ISO code -> country name for orders adopted from the server (set from the catalog).
        self.country_name: Callable[[str], str | None] | None = None
        self._emit: Emit | None = on_event
        self.timing = Timing(poll_interval, idle_interval, linger, cancel_lock_guess)
        self.board = Board(journal, self._send)
        self.ledger = IntentLedger(journal, "sms", clock)
        # The server's cancel lock, learned per pool this session (starts at the setting).
        self.locks = LockBook(lambda: self.timing.cancel_lock_guess, step=CANCEL_RETRY)
        self.cancels = CancelQueue(
            client,
            self.board,
            clock,
            locks=self.locks,
            money_moved=self._money_moved,
            wake=self.wake,
        )
        # The poller's reads are not retried by the client: the loop's backoff is the retry.
        self.poller = OrdersPoller(
            poll_client or client,
            self.board,
            self.ledger,
            self.cancels,
            clock,
            self.timing,
            lambda: self.country_name,
        )
        self.buyer = Buyer(
            client,
            self.board,
            self.ledger,
            clock,
            self.timing,
            wake=self.wake,
            money_moved=self._money_moved,
            lock_guess=self.locks.guess,
        )
        self.loop = MonitorLoop("orders", self.poller, clock, base_delay=poll_interval, rng=rng)
        self._load_journal()

    # ---- the monitor -------------------------------------------------------------------------

    def attach(self, emit: Emit) -> None:
        """Where events go (also set by `run`)."""
        self._emit = emit

    async def run(self, emit: Emit) -> None:
        self._emit = emit
        await self.loop.run(emit)

    async def poll_once(self) -> None:
        await self.poller.poll_once()

    async def reconcile(self) -> None:
        await self.poller.reconcile()

    def wake(self) -> None:
        """Poll now instead of at the end of the current wait."""
        self.loop.wake()

    @property
    def poll_interval(self) -> float:
        return self.timing.poll_interval

    @poll_interval.setter
    def poll_interval(self, seconds: float) -> None:
        self.timing.poll_interval = seconds

    @property
    def cycles(self) -> int:
        return self.loop.cycles

    @property
    def asleep_until(self) -> float | None:
        return self.loop.asleep_until

    @property
    def last_ok_at(self) -> datetime | None:
        return self.loop.last_ok_at

    @last_ok_at.setter
    def last_ok_at(self, when: datetime | None) -> None:
        self.loop.last_ok_at = when

    def _send(self, event: object) -> None:
        if self._emit is not None:
            self._emit(event)

    def _money_moved(self) -> None:
        if self.account is not None:
            self.account.spent()

    # ---- state -------------------------------------------------------------------------------

    def _load_journal(self) -> None:
        """First paint comes from disk: unfinished orders and purchases of unknown outcome."""
        since = self.clock.now() - timedelta(seconds=self.timing.linger)
        for order in self.journal.recent_orders(ended_after=since):
            if not order.archived:
                self.board.orders[order.order_id] = order
        for intent in self.ledger.open():
            stored = self.journal.order_for_intent(intent.id)
            if stored is not None:  # stopped between storing the order and closing the intent
                self.ledger.done(intent.id, order_id=stored.order_id)
                continue
            self.board.show_intent(intent)

    def orders_snapshot(self) -> tuple[Order, ...]:
        """The board: pending (and unknown) first, then newest first."""
        return self.board.snapshot()

    def get(self, order_id: str) -> Order | None:
        return self.board.get(order_id)

    def busy(self) -> OrdersBusy:
        """What closing the app now would drop (counts; the UI words them)."""
        return OrdersBusy(
            purchases_in_flight=self.ledger.in_flight_count,
            queued_cancels=sum(1 for o in self.board.orders.values() if o.cancel_queued),
            unsaved=self.board.unsaved,
        )

    def busy_reason(self) -> str | None:
        """Why closing the app now would drop work the user asked for (None: safe to quit)."""
        reasons: list[str] = []
        if self.ledger.in_flight_count:
            n = self.ledger.in_flight_count
            reasons.append(f"{n} purchase(s) still waiting for SMSPool's answer")
        queued = sum(1 for o in self.board.orders.values() if o.cancel_queued)
        if queued:
            reasons.append(f"{queued} queued cancel(s) will not be sent while the app is closed")
        if self.board.unsaved:
            reasons.append(f"{self.board.unsaved} order(s) not yet saved to the journal")
        return "; ".join(reasons) or None

    def duplicate_risk(self, country_id: int | str, service_id: int | str) -> list[Intent]:
        """Open purchases of this service in this country (in flight or of unknown outcome)."""
        return self.buyer.duplicate_risk(country_id, service_id)

    # ---- purchase ----------------------------------------------------------------------------

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
        allow_duplicate: bool = False,
        options: PurchaseOptions | None = None,
    ) -> Order:
        """Buy one number: journal first, exactly one request, never retried (the first of the
        batch when `options.quantity` > 1; `purchase_many` returns them all).

        Raises DuplicateRisk (nothing sent) while an earlier purchase of the same service and
        country is in flight, or has an unknown outcome and `allow_duplicate` is not set."""
        orders = await self.purchase_many(
            country_id,
            service_id,
            country_name=country_name,
            service_name=service_name,
            pool=pool,
            max_price=max_price,
            pricing_option=pricing_option,
            area_code=area_code,
            allow_duplicate=allow_duplicate,
            options=options,
        )
        return orders[0]

    async def purchase_many(
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
        allow_duplicate: bool = False,
        options: PurchaseOptions | None = None,
    ) -> list[Order]:
        """One purchase request (one intent) for one or several numbers: each its own order."""
        return await self.buyer.purchase(
            country_id,
            service_id,
            country_name=country_name,
            service_name=service_name,
            pool=pool,
            max_price=max_price,
            pricing_option=pricing_option,
            area_code=area_code,
            allow_duplicate=allow_duplicate,
            options=options,
        )

    def dismiss_unknown(self, intent_id: int) -> None:
        """The user checked the dashboard: this purchase did not happen. Drops the UNKNOWN row."""
        if self.ledger.in_flight(intent_id):
            return  # its own answer is still coming
        self.ledger.failed(intent_id, "dismissed by the user")
        self.board.drop_intent(intent_id)
        self.board.changed()

    async def sync_history(self, length: int = 100) -> int:
        """Copy finished orders from request/history into the journal, for the History screen.
        Orders that may still be running (or on request/active) are left to the poller, and
        known orders are never touched, so nothing here can announce or reorder the board."""
        rows = await self.client.history(length=length)
        now = self.clock.now()
        added = 0
        for row in rows:
            if self.board.get(row.order_code) is not None:
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
