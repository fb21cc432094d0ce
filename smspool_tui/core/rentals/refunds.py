"""The rental refund rules, in one place: the buy confirm, the catalog, the refund question and
the CLI all say them through `RefundRules`, so no two screens can disagree.

What is known (spec/real-api.md): each catalog line carries `is_refundable`, `refund_within`
(hours after purchase) and `refund_min_days` (the shortest rental that can be refunded), and a
refund also needs that no message has arrived. The doc's general refusal ("after 12 hours or
after receiving one message") is the fallback when the line's own terms are not known. A refund
returns the purchase price; a paid extension is not refunded. The server decides either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.core.rental_model import Rental

if TYPE_CHECKING:
    from smspool_tui.api.models import RentalOffer

GENERAL_HOURS = 12  # the doc's "You cannot refund a rental after 12 hours or after ... message"
EXTENSION_NOTE = "A refund returns the purchase price only: a paid extension is not refunded."


@dataclass(frozen=True, slots=True)
class RefundRules:
    refundable: bool = True
    within_hours: int = GENERAL_HOURS
    min_days: int | None = None
    known: bool = False  # from the line's catalog entry, else the general rule

    @classmethod
    def of(cls, offer: RentalOffer | None) -> RefundRules:
        if offer is None:
            return cls()
        return cls(
            refundable=offer.is_refundable,
            within_hours=offer.refund_within or GENERAL_HOURS,
            min_days=offer.refund_min_days if (offer.refund_min_days or 0) > 1 else None,
            known=True,
        )

    def summary(self) -> str:
        """One sentence, the same wherever a refund is mentioned."""
        if not self.refundable:
            return "Refund: none, this line is not refundable."
        text = f"Refund: within {self.within_hours} h of purchase, before any message arrives"
        if self.min_days:
            text += f", for rentals of {self.min_days}+ days"
        if not self.known:
            text += " (SMSPool's general rule: this line's own terms are not loaded)"
        return text + "."

    def short(self) -> str:
        """The catalog's cell: '2 h · 28d+', or 'no'."""
        if not self.refundable:
            return "no"
        return f"{self.within_hours} h" + (f" · {self.min_days}d+" if self.min_days else "")

    def allows_days(self, days: int) -> bool:
        return self.refundable and (self.min_days is None or days >= self.min_days)


@dataclass(frozen=True, slots=True)
class RefundInfo:
    """What the refund question shows. `likely` is False when the rules say the server will
    refuse (a message arrived, the window has passed, ...); None when we cannot tell."""

    likely: bool | None
    reason: str
    rules: RefundRules
    cost: Decimal | None = None


def _span(delta: timedelta) -> str:
    hours, rest = divmod(max(int(delta.total_seconds()), 0), 3600)
    return f"{hours} h {rest // 60:02d} min"


def explain_refund(rental: Rental, offer: RentalOffer | None, now: datetime) -> RefundInfo:
    """The rules, then this rental's facts against them, then (once) what that means."""
    rules = RefundRules.of(offer)
    lines = [rules.summary()]
    likely: bool | None = None if rules.refundable else False
    if rental.messages:
        likely = False
        lines.append("A message has already arrived on this number.")
    short = rental.days is not None and not rules.allows_days(rental.days)
    if rules.refundable and short:
        likely = False
        lines.append(f"This rental is {rental.days} days, under the {rules.min_days}-day minimum.")
    if rules.refundable and rental.purchased_at is not None:
        deadline = rental.purchased_at + timedelta(hours=rules.within_hours)
        if now >= deadline:
            likely = False
            lines.append(
                f"It was bought {_span(now - rental.purchased_at)} ago, past the "
                f"{rules.within_hours} h window."
            )
        elif likely is not False:
            lines.append(f"Time left to ask: {_span(deadline - now)}.")
    elif rules.refundable:
        lines.append("When it was bought is not known here: SMSPool checks the window.")
    if likely is False:
        lines.append("So SMSPool will most likely refuse; asking costs nothing.")
    if rental.extended:
        lines.append("You paid to extend it: that payment is not refunded, only the purchase.")
    elif rental.extendable:
        lines.append(EXTENSION_NOTE)
    return RefundInfo(likely, "\n".join(lines), rules, rental.cost)
