"""Server rows -> Order: how request/active, request/history and sms/check rows read as our
orders. Pure functions, so the merge rules can be read (and tested) on their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from smspool_tui.api.models import ActiveOrder, OrderStatus, Purchase, SmsCheck
from smspool_tui.core.codes import extract_code
from smspool_tui.core.order_model import Order, OrderState

# request/active and request/history status strings (only "pending" is recorded live; the rest are
# the simulator's and third-party guesses, so unknown words fall back on whether a code is there).
_ROW_STATES = {
    "pending": OrderState.PENDING,
    "processing": OrderState.PENDING,
    "activating": OrderState.PENDING,
    "resend": OrderState.PENDING,
    "completed": OrderState.RECEIVED,
    "complete": OrderState.RECEIVED,
    "received": OrderState.RECEIVED,
    "finished": OrderState.RECEIVED,
    "expired": OrderState.EXPIRED,
    "refunded": OrderState.REFUNDED,
    "cancelled": OrderState.CANCELLED,
    "canceled": OrderState.CANCELLED,
}

_CHECK_STATES = {
    OrderStatus.PENDING: OrderState.PENDING,
    OrderStatus.RESEND: OrderState.PENDING,
    OrderStatus.PROCESSING: OrderState.PENDING,
    OrderStatus.ACTIVATING: OrderState.PENDING,
    OrderStatus.RECEIVED: OrderState.RECEIVED,
    OrderStatus.EXPIRED: OrderState.EXPIRED,
    OrderStatus.CANCELLED: OrderState.CANCELLED,
    OrderStatus.REFUNDED: OrderState.REFUNDED,
}


def row_state(row: ActiveOrder) -> OrderState:
    if row.code or row.full_code:
        return OrderState.RECEIVED  # a code always wins: it is what the user paid for
    return _ROW_STATES.get(row.status.strip().lower(), OrderState.PENDING)


def row_code(row: ActiveOrder) -> tuple[str | None, str | None]:
    """(code to show, full text) from a request/active or history row."""
    if not (row.code or row.full_code):
        return None, None
    return extract_code(row.full_code, row.code), row.full_code or row.code


def check_code(check: SmsCheck) -> tuple[str | None, str | None]:
    if not (check.sms or check.full_sms):
        return None, None
    return extract_code(check.full_sms, check.sms), check.full_sms or check.sms


def check_state(check: SmsCheck, order: Order, now: datetime) -> OrderState:
    """Final state from sms/check. The server reports a cancel and an expiry both as refunded;
    an order past its expiry that got refunded is shown as expired."""
    if check.sms or check.full_sms:
        return OrderState.RECEIVED
    state = _CHECK_STATES.get(check.status, OrderState.PENDING)
    if state is OrderState.REFUNDED and order.expires_at is not None and now >= order.expires_at:
        return OrderState.EXPIRED
    return state


def adopt_row(
    row: ActiveOrder,
    now: datetime,
    cancel_lock_guess: float,
    country_name: Callable[[str], str | None] | None = None,
) -> Order:
    """An order the server knows and we don't (bought elsewhere, or before a crash).

    The server lists only the ISO code ("GB"); `country_name` turns it into the name the rest of
    the app shows, when the catalog knows it."""
    code, full = row_code(row)
    purchased = row.timestamp or now
    short = row.short_name or ""
    return Order(
        order_id=row.order_code,
        service=row.service.strip(),
        country=(country_name(short) if country_name and short else None) or short,
        number=row.phonenumber,
        status=row_state(row),
        code=code,
        full_sms=full,
        cost=row.cost,
        purchased_at=purchased,
        expires_at=row.expiry,
        cancel_opens_at=purchased + timedelta(seconds=cancel_lock_guess),
        pool=getattr(row, "pool", None),
    )


def merge_row(order: Order, row: ActiveOrder) -> Order:
    """Our order updated from a server row. Never loses a code, never revives a final order."""
    code, full = row_code(row)
    state = row_state(row)
    if code is None and order.status.is_final:
        state = order.status  # lagging list: our confirmed cancel/expiry stands
    if code is None and order.code is not None:
        state = order.status if order.status is not OrderState.UNKNOWN else OrderState.RECEIVED
    if code is not None and code == order.code and order.status is OrderState.PENDING:
        state = OrderState.PENDING  # a resend was asked for: the old code is not the answer
    return replace(
        order,
        status=state,
        code=code or order.code,
        full_sms=full or order.full_sms,
        number=row.phonenumber or order.number,
        cost=order.cost if order.cost is not None else row.cost,
        expires_at=row.expiry or order.expires_at,
        purchased_at=order.purchased_at or row.timestamp,
        pool=order.pool if order.pool is not None else getattr(row, "pool", None),
    )


def as_int(value: object) -> int | None:
    """An id from the journal's JSON params (ints, digit strings), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def order_from_purchase(
    p: Purchase, intent_id: int, params: dict[str, Any], now: datetime, lock_guess: float
) -> Order:
    """The order a purchase's answer describes (the intent's params fill what it leaves out)."""
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
        cancel_opens_at=now + timedelta(seconds=lock_guess),
        service_id=as_int(params["service_id"]),
        country_id=as_int(params["country_id"]),
        pool=p.pool if p.pool is not None else as_int(params["pool"]),
        intent_id=intent_id,
    )
