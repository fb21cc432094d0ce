"""The orders poller: one request/active per cycle for all orders, sms/check only for an order
that left that list before we knew how it ended, queued cancels when due, a linger with one
late check, open purchase intents matched to the orders they bought, and the start-up
reconcile. It runs on the shared MonitorLoop; each order's requests are isolated, so one odd
order never stalls the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError, NotFound
from smspool_tui.api.models import ActiveOrder, HistoryOrder, SmsCheck
from smspool_tui.clock import Clock
from smspool_tui.core.intents import IntentLedger
from smspool_tui.core.loop import Isolation
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.core.orders.board import Board
from smspool_tui.core.orders.cancels import CancelQueue
from smspool_tui.core.orders.rows import adopt_row, as_int, check_code, check_state, merge_row

if TYPE_CHECKING:
    from smspool_tui.core.journal import Intent
    from smspool_tui.core.orders.types import OrdersClient

# How far a server order's time may sit from our intent's time and still be "that purchase".
INTENT_MATCH_WINDOW = timedelta(minutes=5)
UNMATCHED_NOTE = (
    "purchase outcome unknown - not found on the server yet; check the SMSPool dashboard "
    "before buying again (x dismisses this row)"
)


@dataclass
class Timing:
    """The poller's knobs; Settings changes `poll_interval` while it runs."""

    poll_interval: float = 5.0
    idle_interval: float = 30.0
    linger: float = 180.0
    cancel_lock_guess: float = 60.0


class OrdersPoller:
    def __init__(
        self,
        client: OrdersClient,
        board: Board,
        ledger: IntentLedger,
        cancels: CancelQueue,
        clock: Clock,
        timing: Timing,
        country_name: Callable[[], Callable[[str], str | None] | None],
    ) -> None:
        self.client = client
        self.board = board
        self.ledger = ledger
        self.cancels = cancels
        self.clock = clock
        self.timing = timing
        self._country_name = country_name
        self.reconciled = False

    # ---- the loop's two questions -------------------------------------------------------------

    async def cycle(self) -> None:
        if not self.reconciled:
            await self.reconcile()
        else:
            await self.poll_once()

    def next_delay(self) -> float:
        now = self.clock.now()
        fresh = now - INTENT_MATCH_WINDOW
        waiting = any(
            (o.status is OrderState.PENDING and o.ended_at is None)
            or (o.status is OrderState.UNKNOWN and (o.purchased_at or now) > fresh)
            for o in self.board.orders.values()
        )
        delay = self.timing.poll_interval if waiting else self.timing.idle_interval
        for due in self._due_times():
            delay = min(delay, (due - now).total_seconds())
        return delay

    def _due_times(self) -> Iterable[datetime]:
        for order in self.board.orders.values():
            pending = order.status is OrderState.PENDING and order.ended_at is None
            if pending and order.cancel_queued and order.cancel_opens_at is not None:
                yield order.cancel_opens_at
            if order.ended_at is not None:
                yield self.board.linger_until(order, self.timing.linger)

    # ---- one cycle ---------------------------------------------------------------------------

    async def poll_once(self) -> None:
        """request/active, merge, settle orders that left it, due cancels, lingering."""
        self.board.retry_unsaved()
        rows = await self.client.active_orders()
        changed = self._merge_rows(rows)
        changed |= self._match_known_orders()
        changed |= await self._settle_missing({r.order_code for r in rows})
        changed |= await self._send_due_cancels()
        changed |= await self._linger()
        changed |= await self._settle_stale_intents()
        if changed:
            self.board.changed()

    def _merge_rows(self, rows: Iterable[ActiveOrder]) -> bool:
        changed = False
        now = self.clock.now()
        for row in rows:
            known = self.board.get(row.order_code)
            if known is None:
                changed |= self._adopt(row, now)
                continue
            if row.order_code not in self.board.orders:
                changed = True  # back on the board (e.g. journal row of an earlier session)
            changed |= self.board.put(self._named(merge_row(known, row)))
        return changed

    def _named(self, order: Order) -> Order:
        """Swap an ISO code ("GB") for the country name once the catalog knows it."""
        code = order.country
        lookup = self._country_name()
        if lookup is None or len(code) != 2 or not code.isupper():
            return order
        name = lookup(code)
        return replace(order, country=name) if name else order

    def _adopt(self, row: ActiveOrder, now: datetime, *, board: bool = True) -> bool:
        """A server order we did not know: match it to an open intent, else adopt it as is."""
        order = adopt_row(row, now, self.cancels.locks.guess(None), self._country_name())
        intent = self._match_intent(order)
        why = "adopted from the server"
        if intent is not None:
            order = self._claim(order, intent)
            why = f"matched purchase intent {intent.id}"
        if order.status.is_final:
            order = replace(order, ended_at=now)
        self.board.put(order, why=why)
        if not board:
            self.board.orders.pop(order.order_id, None)  # journal/history only
        return True

    def _claim(self, order: Order, intent: Intent) -> Order:
        """Link a server order to the intent that bought it; the intent is settled."""
        p = intent.params
        self.ledger.done(intent.id, order_id=order.order_id)
        self.board.drop_intent(intent.id)
        return replace(
            order,
            service_id=order.service_id or as_int(p.get("service_id")),
            country_id=order.country_id or as_int(p.get("country_id")),
            country=str(p.get("country_name") or order.country),
            intent_id=intent.id,
        )

    def _match_intent(
        self, order: Order, intents: list[Intent] | None = None, *, seen_now: bool = True
    ) -> Intent | None:
        """The open purchase intent this server order most likely came from (same service,
        bought within a few minutes of the intent), or None. In-flight intents count too: an
        order may show on request/active before its purchase's answer is back.

        Two clocks say "when": the server's timestamp (its zone is not documented, so it may be
        off by hours) and, once the poller has a full view, the moment the order first showed
        up on request/active by our own clock, which needs no zone at all."""
        now = self.clock.now()
        best: tuple[float, Intent] | None = None
        for intent in self.ledger.open() if intents is None else intents:
            p = intent.params
            names = {str(p.get("service_name", "")).strip().lower(), str(p.get("service_id"))}
            if order.service.strip().lower() not in names:
                continue
            gaps = []
            if order.purchased_at is not None:
                gaps.append(abs((order.purchased_at - intent.created_at).total_seconds()))
            if seen_now and self.reconciled and now >= intent.created_at:
                gaps.append((now - intent.created_at).total_seconds())  # new since last poll
            gap = min(gaps, default=float("inf"))
            if gap > INTENT_MATCH_WINDOW.total_seconds():
                continue
            if best is None or gap < best[0]:
                best = (gap, intent)
        return best[1] if best else None

    def _match_known_orders(self) -> bool:
        """An open intent whose order is already on the board (adopted before the intent's
        answer was given up on): link them, so no "unknown" row stays beside the real order."""
        open_ = [i for i in self.ledger.open() if not self.ledger.in_flight(i.id)]
        if not open_:
            return False
        changed = False
        for order in list(self.board.orders.values()):
            if order.is_intent_row or order.intent_id is not None:
                continue
            intent = self._match_intent(order, open_, seen_now=False)
            if intent is not None:
                open_.remove(intent)
                self.board.put(self._claim(order, intent), why=f"matched intent {intent.id}")
                changed = True
        return changed

    async def _settle_missing(self, listed: set[str]) -> bool:
        """Orders that left request/active while not final: ask sms/check how they ended."""
        changed = False
        items = Isolation()  # request/active just answered: one order's failure is its own
        for oid in list(self.board.orders):
            order = self.board.orders.get(oid)
            if order is None or order.is_intent_row or oid in listed or order.ended_at:
                continue
            changed |= bool(await items.run(f"order {oid}", self._settle_one(order)))
        return changed

    async def _settle_one(self, order: Order) -> bool:
        oid = order.order_id
        now = self.clock.now()
        if order.is_token:  # a share link has no order id to ask about: it ends with its time
            if order.is_active(now):
                return False
            return self.board.put(self.board.end(order, order.status, now, order.note))
        if order.status is OrderState.RECEIVED or order.status.is_final:
            # Final state already known (code in hand / cancel confirmed): no request needed.
            return self.board.put(self.board.end(order, order.status, now, ""), why="left the list")
        try:
            check = await self.client.check_sms(oid)
        except NotFound:
            # Not "waiting" forever: without a code it is over for the user either way.
            final = order.status if order.code else OrderState.EXPIRED
            gone = self.board.end(
                order, final, self.clock.now(), "the server no longer knows this order"
            )
            return self.board.put(gone, why="sms/check: not found")
        return self._apply_check(oid, check, ending=True)

    def _apply_check(self, oid: str, check: SmsCheck, *, ending: bool) -> bool:
        order = self.board.orders[oid]
        now = self.clock.now()
        code, full = check_code(check)
        state = check_state(check, order, now)
        if code:
            order = replace(order, code=code, full_sms=full, status=OrderState.RECEIVED)
            if order.ended_at is not None:  # a late code: keep it visible a while
                self.board.keep_until[oid] = now + timedelta(seconds=self.timing.linger)
        if state is OrderState.PENDING:
            expired = order.expires_at is not None and now >= order.expires_at
            if not (ending and expired):
                return self.board.put(order)  # the list lagged; look again next cycle
            state = OrderState.EXPIRED
        if order.ended_at is None:
            order = self.board.end(order, state, now, "")
        elif not code:
            order = replace(order, status=state if order.code is None else order.status)
        return self.board.put(order, why="sms/check")

    async def _send_due_cancels(self) -> bool:
        due = self.cancels.due()
        items = Isolation()
        for order in due:
            await items.run(f"cancel {order.order_id}", self._cancel(order))
        return bool(due)

    async def _cancel(self, order: Order) -> bool:
        await self.cancels.send(order, queued=True)
        return True

    async def _linger(self) -> bool:
        """Ended orders stay `linger` s; one without a code gets one last sms/check first."""
        changed = False
        now = self.clock.now()
        items = Isolation()
        for order in list(self.board.orders.values()):
            if order.ended_at is None or order.is_intent_row:
                continue
            if now < self.board.linger_until(order, self.timing.linger):
                continue
            changed |= bool(await items.run(f"order {order.order_id}", self._linger_one(order)))
        return changed

    async def _linger_one(self, order: Order) -> bool:
        oid = order.order_id
        wants_late_check = (
            not order.code
            and not order.is_token
            and not order.late_check_done
            and order.status is not OrderState.CANCELLED
        )
        if wants_late_check:
            try:
                check: SmsCheck | None = await self.client.check_sms(oid)
            except NotFound:
                check = None
            self.board.put(replace(self.board.orders[oid], late_check_done=True))
            if check is not None:
                self._apply_check(oid, check, ending=False)
            if self.board.orders[oid].code:
                return True  # caught a late code: `keep_until` shows it a while longer
        self.board.drop(oid)
        return True

    async def _settle_stale_intents(self) -> bool:
        """An unknown purchase the server has not shown for SETTLE_AFTER: one history check,
        then it is settled as not bought (the user is told)."""
        stale = self.ledger.settle_due(self.clock.now())
        if not stale:
            return False
        past = await self.client.history(length=100)
        self._take_history(past, listed=set())
        for intent in stale:
            if not self.ledger.is_open(intent.id):
                continue  # history showed its order
            self.ledger.failed(intent.id, "not on the server's active list or history")
            self.board.drop_intent(intent.id)
            self.board.notice(
                f"intent:{intent.id}",
                "an unknown purchase was not found on the server after 10 minutes: "
                "it was not bought",
                "warning",
            )
        return True

    # ---- start-up ----------------------------------------------------------------------------

    async def reconcile(self) -> None:
        """After a start (or crash): line the journal up with request/active and request/history.
        Unfinished intents are matched to server orders; server orders we never saw are adopted;
        nothing is shown twice."""
        self.ledger.orphaned_on_start()
        rows = await self.client.active_orders()
        changed = self._merge_rows(rows)
        listed = {r.order_code for r in rows}
        try:
            past = await self.client.history(length=100)
        except ApiError:
            past = []  # history only sharpens the picture; sms/check covers the rest
        changed |= self._take_history(past, listed)
        changed |= await self._settle_missing(listed)
        for intent in self.ledger.open():
            if not self.ledger.in_flight(intent.id):
                self.board.show_intent(intent, UNMATCHED_NOTE)
        self.reconciled = True
        changed |= self._match_known_orders()
        changed |= await self._send_due_cancels()
        if changed or self.board.orders:
            self.board.changed()

    def _take_history(self, past: list[HistoryOrder], listed: set[str]) -> bool:
        changed = False
        now = self.clock.now()
        for row in past:
            if row.order_code in listed:
                continue
            known = self.board.get(row.order_code)
            if known is None:
                # Bought before a crash or elsewhere: into the journal (history); on the board
                # only if it may still be running, so sms/check settles it.
                still_open = adopt_row(row, now, 0).status is OrderState.PENDING
                changed |= self._adopt(row, now, board=still_open)
                continue
            if known.ended_at is None and row.order_code in self.board.orders:
                merged = merge_row(known, row)
                if merged.status is not OrderState.PENDING:
                    changed |= self.board.put(self.board.end(merged, merged.status, now, ""))
        return changed
