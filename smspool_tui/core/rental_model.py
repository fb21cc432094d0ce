"""What the UI knows about one rental, and the plain-text rules around refunds and extensions.

Kept apart from core/rentals.py so core/events.py can name `Rental` without an import cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

# Rentals whose server record says so; "" means we have not heard otherwise (active).
ENDED = "ended"  # the server no longer knows it (404) or it is past its expiry
REFUNDED = "refunded"

REFUND_RULE = (
    "SMSPool refunds a rental only within 12 hours of purchase and only if no message was received."
)

# ESC sequences (CSI, OSC, two-byte) and C0/C1 controls other than newline and tab.
_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str | None) -> str:
    """Server text made safe to show: escape sequences and control characters removed."""
    if not text:
        return ""
    return _CONTROL_RE.sub("", _ANSI_RE.sub("", text))


@dataclass(frozen=True, slots=True)
class Rental:
    """One rental as shown on the board. `available`/`active_for` are None until first checked."""

    code: str
    number: str = ""
    country: str = ""
    rental_id: int | None = None
    days: int | None = None
    expires_at: datetime | None = None
    purchased_at: datetime | None = None
    cost: Decimal | None = None
    extendable: bool = False
    service_id: int | None = None
    state: str = ""  # "", ENDED or REFUNDED
    available: bool | None = None
    active_for: int | None = None
    auto_extend: bool = False
    unread: int = 0
    messages: int = 0

    @property
    def is_live(self) -> bool:
        return self.state == ""

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def label(self, now: datetime) -> str:
        """Short status word for the board."""
        if self.state == REFUNDED:
            return "refunded"
        if self.state == ENDED or self.is_expired(now):
            return "ended"
        if self.available is None:
            return "checking"
        return "available" if self.available else "activating"


@dataclass(frozen=True, slots=True)
class RefundInfo:
    """What the refund confirm shows: the rules, this rental's window, and a guess at the outcome.

    `likely` is False when we already know the server will refuse (a message arrived, or the
    window has passed); None when we cannot tell. The server decides either way."""

    likely: bool | None
    reason: str
    refund_within: int | None = None  # hours after purchase (catalog `refund_within`)
    refund_min_days: int | None = None  # minimum rental length eligible (catalog)
    cost: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DayPrice:
    days: int
    price: Decimal


@dataclass(frozen=True, slots=True)
class ExtendOptions:
    prices: tuple[DayPrice, ...] = field(default_factory=tuple)
    note: str = ""


def day_prices(table: dict[int, Decimal] | None) -> tuple[DayPrice, ...]:
    return tuple(DayPrice(d, Decimal(p)) for d, p in sorted((table or {}).items()))
