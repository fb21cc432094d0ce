"""The Order record the board shows and the journal stores (no I/O here)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


class OrderState(enum.StrEnum):
    """Our view of an order. Stored by value in the journal, so values never change."""

    PENDING = "pending"  # waiting for a code
    RECEIVED = "received"  # a code is here (a resend can bring another)
    EXPIRED = "expired"  # time ran out without a code (SMSPool refunds these)
    CANCELLED = "cancelled"  # we cancelled it and the server confirmed (refunded)
    REFUNDED = "refunded"  # the server says refunded without our cancel
    UNKNOWN = "unknown"  # a purchase whose outcome we could not learn yet

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def label(self) -> str:
        return _LABELS[self]


_FINAL = frozenset({OrderState.EXPIRED, OrderState.CANCELLED, OrderState.REFUNDED})
_LABELS = {
    OrderState.PENDING: "waiting",
    OrderState.RECEIVED: "received",
    OrderState.EXPIRED: "expired",
    OrderState.CANCELLED: "cancelled",
    OrderState.REFUNDED: "refunded",
    OrderState.UNKNOWN: "unknown - checking",
}

# Rows for purchases of unknown outcome have no server id yet; they get this prefix + intent id.
INTENT_ROW_PREFIX = "intent:"
# A purchase made with `create_token` answers with a share link and no order id: its row is this
# prefix + the token, and the poller never asks sms/check about it.
TOKEN_ROW_PREFIX = "token:"


@dataclass(frozen=True, slots=True)
class Order:
    """One SMS order. Immutable: the service swaps in `dataclasses.replace` copies, so a snapshot
    handed to the UI never changes under it."""

    order_id: str
    service: str
    country: str
    number: str
    status: OrderState = OrderState.PENDING
    code: str | None = None
    full_sms: str | None = None
    cost: Decimal | None = None
    purchased_at: datetime | None = None
    expires_at: datetime | None = None  # from the server's expiry, aware UTC
    cancel_opens_at: datetime | None = None  # estimate; pushed back when the server refuses
    cancel_queued: bool = False
    service_id: int | None = None
    country_id: int | None = None
    pool: int | None = None
    ended_at: datetime | None = None  # when it left the server's active list / became final
    late_check_done: bool = False
    archived: bool = False
    intent_id: int | None = None
    note: str = ""  # a short label for the board, e.g. why a row is UNKNOWN
    share_url: str | None = None  # token orders: the link to the number's inbox

    @property
    def is_token(self) -> bool:
        return self.order_id.startswith(TOKEN_ROW_PREFIX)

    @property
    def is_intent_row(self) -> bool:
        return self.order_id.startswith(INTENT_ROW_PREFIX)

    def is_active(self, now: datetime) -> bool:
        """Still running: not ended, not final, and its time not run out (the server may say
        "expired" a poll later; the user sees 0 left now)."""
        if self.status.is_final or self.ended_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now

    def time_left(self, now: datetime) -> float | None:
        if self.expires_at is None:
            return None
        return max(0.0, (self.expires_at - now).total_seconds())

    def cancel_in(self, now: datetime) -> float | None:
        """Seconds until a cancel is expected to be accepted (0 = now), None if not cancellable."""
        if self.status is not OrderState.PENDING or self.ended_at is not None or self.is_token:
            return None
        if self.cancel_opens_at is None:
            return 0.0
        return max(0.0, (self.cancel_opens_at - now).total_seconds())


# An order kept for resends (sms/activate): SMSPool no longer cancels or refunds it.
ACTIVATED_NOTE = "activated for resends: no longer refundable"


def is_activated(order: Order) -> bool:
    return order.note == ACTIVATED_NOTE


ACTIVATE_POOL = 7  # the one pool SMSPool lets keep a number for resends (sms/activate)


def can_activate(order: Order) -> bool:
    """A running order of the pool that allows it, not activated yet."""
    return (
        order.pool == ACTIVATE_POOL
        and order.ended_at is None
        and not order.status.is_final
        and not order.is_intent_row
        and not is_activated(order)
    )
