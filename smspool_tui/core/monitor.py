"""Pieces of the poll loops: server rows -> Order, backoff, and an interruptible sleep.

Pure functions and tiny helpers, so the merge rules can be read (and tested) on their own.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from smspool_tui.api.errors import ApiError, RateLimited
from smspool_tui.api.models import ActiveOrder, OrderStatus, SmsCheck
from smspool_tui.clock import Clock
from smspool_tui.core.codes import extract_code
from smspool_tui.core.order_model import Order, OrderState

BACKOFF_CAP = 60.0

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


class Backoff:
    """Capped exponential backoff with jitter: `delay()` per failure, `reset()` on success."""

    def __init__(self, base: float, cap: float = BACKOFF_CAP, rng: random.Random | None = None):
        self.base = max(0.5, base)
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def delay(self, error: BaseException | None = None) -> float:
        self.failures += 1
        raw = min(self.cap, self.base * 2 ** (self.failures - 1))
        # Jitter downwards only (0.8x-1x), so the sequence still grows and never passes the cap.
        wait = raw * (0.8 + 0.2 * self._rng.random())
        if isinstance(error, RateLimited) and error.retry_after:
            wait = max(wait, min(self.cap, error.retry_after))
        return wait

    def reset(self) -> None:
        self.failures = 0


def describe(error: BaseException) -> str:
    if isinstance(error, ApiError):
        return error.message or type(error).__name__
    return f"{type(error).__name__}: {error}"


async def sleep_or_wake(
    clock: Clock,
    seconds: float,
    wake: asyncio.Event,
    on_sleep: Callable[[float], None] | None = None,
) -> bool:
    """Sleep on `clock` unless `wake` is set first; returns True if woken. Clears `wake`.

    `on_sleep(deadline)` is called once the clock knows about the sleep (its first step has run),
    so whoever watches it (tests advancing a FakeClock) sees a deadline the clock really holds."""
    if wake.is_set():
        wake.clear()
        return True
    sleeper = asyncio.ensure_future(clock.sleep(seconds))
    waiter = asyncio.ensure_future(wake.wait())
    try:
        await asyncio.sleep(0)  # let the sleeper register with the clock first
        if on_sleep is not None:
            on_sleep(clock.monotonic() + seconds)
        done, _ = await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sleeper, waiter):
            if not task.done():
                task.cancel()
    woken = waiter in done
    wake.clear()
    return woken


def as_int(value: object) -> int | None:
    """An id from the journal's JSON params (ints, digit strings), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
