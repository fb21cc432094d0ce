"""The board: the orders on screen, the one place that writes them to the journal and tells the
UI. Commands and the poller change orders only through `put`, so every change is journaled,
every new code is announced exactly once, and a write that fails is kept and retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smspool_tui.core.events import CodeArrived, OrderNotice, OrdersChanged, Severity
from smspool_tui.core.order_model import INTENT_ROW_PREFIX, Order, OrderState
from smspool_tui.core.orders.rows import as_int

if TYPE_CHECKING:
    from smspool_tui.core.journal import Intent, Journal

log = logging.getLogger(__name__)
Emit = Callable[[object], None]

UNKNOWN_NOTE = "purchase outcome unknown - checking the server; do not buy again yet"


def _display_key(order: Order) -> tuple[int, float]:
    waiting = order.status in (OrderState.PENDING, OrderState.UNKNOWN) and order.ended_at is None
    stamp = order.purchased_at.timestamp() if order.purchased_at else 0.0
    return (0 if waiting else 1, -stamp)


def intent_row_id(intent_id: int) -> str:
    return f"{INTENT_ROW_PREFIX}{intent_id}"


class Board:
    def __init__(self, journal: Journal, emit: Emit) -> None:
        self.journal = journal
        self.emit = emit
        self.orders: dict[str, Order] = {}
        self.keep_until: dict[str, datetime] = {}  # late codes stay visible a while longer
        self._notified: dict[str, str] = {}  # order_id -> last code announced
        self._unsaved: dict[str, Order] = {}  # journal writes that failed: retried each cycle

    # ---- reading -----------------------------------------------------------------------------

    def snapshot(self) -> tuple[Order, ...]:
        """Pending (and unknown) first, then newest first."""
        return tuple(sorted(self.orders.values(), key=_display_key))

    def get(self, order_id: str) -> Order | None:
        return self.orders.get(order_id) or self.journal.get_order(order_id)

    # ---- writing -----------------------------------------------------------------------------

    def put(self, new: Order, *, why: str = "") -> bool:
        """Store an order on the board and in the journal; announce a new code. True if changed.

        The board is updated first: a journal that fails to write must not lose an order the
        server sold, so the write is kept and retried (`retry_unsaved`)."""
        old = self.orders.get(new.order_id) or self._stored(new.order_id)
        if old == new:
            self.orders[new.order_id] = new
            return False
        code_is_new = bool(new.code) and new.code != (old.code if old else None)
        if code_is_new and new.cancel_queued:
            new = replace(new, cancel_queued=False)
            self.notice(new.order_id, "code arrived - the queued cancel was dropped", "warning")
        self.orders[new.order_id] = new
        self._write(new, old, why)
        announced = self._notified.get(new.order_id) or (old.code if old else None)
        if new.code and announced != new.code:
            self._notified[new.order_id] = new.code
            self.event(new.order_id, "code", new.code)
            self.emit(CodeArrived(new))
        return True

    def _stored(self, order_id: str) -> Order | None:
        try:
            return self.journal.get_order(order_id)
        except Exception:
            log.exception("journal read failed for %s", order_id)
            return None

    def _write(self, new: Order, old: Order | None, why: str) -> None:
        try:
            self.journal.upsert_order(new)
        except Exception as exc:
            log.exception("journal write failed for %s", new.order_id)
            first = new.order_id not in self._unsaved
            self._unsaved[new.order_id] = new
            if first:
                self.emit(
                    OrderNotice(
                        new.order_id,
                        f"could not save this order to the journal ({type(exc).__name__}); "
                        "it is kept on screen and saved again shortly",
                        "error",
                    )
                )
            return
        self._unsaved.pop(new.order_id, None)
        if old is None:
            self.event(new.order_id, "added", why)
        elif old.status is not new.status:
            self.event(new.order_id, "status", f"{old.status} -> {new.status} {why}")

    def retry_unsaved(self) -> None:
        for order_id, order in list(self._unsaved.items()):
            latest = self.orders.get(order_id, order)
            try:
                self.journal.upsert_order(latest)
            except Exception:
                log.warning("journal write for %s still failing", order_id)
                return
            del self._unsaved[order_id]
            self.notice(order_id, "saved to the journal")

    @property
    def unsaved(self) -> int:
        return len(self._unsaved)

    def event(self, order_id: str, kind: str, detail: str) -> None:
        try:
            self.journal.add_event(order_id, kind, detail)
        except Exception:  # an event line is a nicety; the order itself is what must survive
            log.exception("journal event failed for %s", order_id)

    def notice(self, order_id: str, text: str, severity: Severity = "information") -> None:
        self.event(order_id, "notice", text)
        self.emit(OrderNotice(order_id, text, severity))

    def changed(self) -> None:
        self.emit(OrdersChanged(self.snapshot()))

    def drop(self, order_id: str) -> None:
        self.orders.pop(order_id, None)
        self.keep_until.pop(order_id, None)

    @staticmethod
    def end(order: Order, state: OrderState, now: datetime, why: str) -> Order:
        return replace(
            order,
            status=state,
            ended_at=order.ended_at or now,
            cancel_queued=False if state.is_final else order.cancel_queued,
            note=why or order.note,
        )

    # ---- purchases of unknown outcome ---------------------------------------------------------

    def show_intent(self, intent: Intent, note: str = UNKNOWN_NOTE) -> None:
        row = intent_row(intent, note)
        self.orders[row.order_id] = row

    def drop_intent(self, intent_id: int) -> None:
        self.orders.pop(intent_row_id(intent_id), None)

    def linger_until(self, order: Order, linger: float) -> datetime:
        assert order.ended_at is not None
        return self.keep_until.get(order.order_id, order.ended_at + timedelta(seconds=linger))


def intent_row(intent: Intent, note: str = UNKNOWN_NOTE) -> Order:
    p = intent.params
    return Order(
        order_id=intent_row_id(intent.id),
        service=str(p.get("service_name") or p.get("service_id") or "?"),
        country=str(p.get("country_name") or p.get("country_id") or "?"),
        number="",
        status=OrderState.UNKNOWN,
        purchased_at=intent.created_at,
        service_id=as_int(p.get("service_id")),
        country_id=as_int(p.get("country_id")),
        pool=as_int(p.get("pool")),
        intent_id=intent.id,
        note=note,
    )
