"""Order notices that carry facts (amounts, counts) instead of the server's sentences, so the UI
says them in its own words. Each is an `OrderNotice` with a plain `text` as well, for readers that
only print text (the command line)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from smspool_tui.core.events import OrderNotice


@dataclass(frozen=True, slots=True)
class CancelAccepted(OrderNotice):
    """SMSPool cancelled the order; `refund` is what it said it refunded (None: not said)."""

    refund: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CancelQueued(OrderNotice):
    """The server refused a cancel as too early: it is retried every `retry_every` s."""

    retry_every: float = 10.0


@dataclass(frozen=True, slots=True)
class ResendRequested(OrderNotice):
    """SMSPool accepted a resend; `charge` is what it charged for it."""

    charge: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Activated(OrderNotice):
    """The order is kept for resends (pool 7): it can no longer be cancelled or refunded."""


@dataclass(frozen=True, slots=True)
class OrdersBusy:
    """What closing the app now would drop: counts, worded by whoever shows them."""

    purchases_in_flight: int = 0
    queued_cancels: int = 0
    unsaved: int = 0

    def __bool__(self) -> bool:
        return bool(self.purchases_in_flight or self.queued_cancels or self.unsaved)


@dataclass(frozen=True, slots=True)
class CancelAllResult:
    """What "cancel all" did, order by order counted: cancelled now, queued (inside the
    server's lock, sent when it opens), or not cancelled (ended, had a code, refused)."""

    cancelled: int = 0
    queued: int = 0
    not_cancelled: int = 0
