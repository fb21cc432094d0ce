"""Plain, immutable events the core services hand to `emit`; the UI wraps them in Messages.

Rentals events live beside these (added by the rentals service); the UI bridge dispatches on type.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from smspool_tui.core.journal import StoredMessage
from smspool_tui.core.order_model import Order
from smspool_tui.core.rental_model import Rental

# The same words Textual's notify() takes, so the bridge can pass them through.
Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class OrdersChanged:
    """The whole board, already sorted for display (pending first, then newest)."""

    orders: tuple[Order, ...]


@dataclass(frozen=True, slots=True)
class CodeArrived:
    """A new code for an order; sent once per code (a resend that brings a new code sends again)."""

    order: Order


@dataclass(frozen=True, slots=True)
class BalanceChanged:
    balance: Decimal


@dataclass(frozen=True, slots=True)
class MonitorHealth:
    """A monitor went offline (retrying in `retry_in` s) or came back online."""

    name: str  # "orders", "balance", "rentals" ...
    online: bool
    message: str
    retry_in: float | None = None


@dataclass(frozen=True, slots=True)
class OrderNotice:
    """Something the user should read about one order ("cancel queued", "cancel failed: ...")."""

    order_id: str
    text: str
    severity: Severity = "information"


# ---- rentals (core/rentals.py) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RentalsChanged:
    """All my rentals, sorted for display (live first, newest purchase first)."""

    rentals: tuple[Rental, ...]


@dataclass(frozen=True, slots=True)
class RentalMessageArrived:
    """New messages on one rental (one event per fetch, `messages` newest first, never empty);
    `code` is the code picked out of the newest one."""

    rental_code: str
    number: str
    messages: tuple[StoredMessage, ...]
    code: str | None = None


# The health text for a 401/403: it says where the user fixes it.
KEY_REJECTED = "API key rejected (s: Settings)"
