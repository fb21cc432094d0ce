"""The autopilot's records: one attempt, the result, and the words for how things end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from smspool_tui.core.order_model import Order

ResultKind = Literal[
    "code",  # a code arrived: `order` has it
    "exhausted",  # budget or attempts used up without a code
    "nothing_to_buy",  # out of stock / no price under the cap / budget too small for any
    "unknown",  # a purchase of unknown outcome stopped it (until it is settled)
    "balance",  # insufficient balance
    "health",  # too many failed purchases or cancels (the account's sake)
    "stopped",  # the user stopped it
    "key",  # the API key was rejected
    "unreachable",  # SMSPool could not be reached for the catalog
]
RESULT_KINDS: tuple[str, ...] = (
    "code",
    "exhausted",
    "nothing_to_buy",
    "unknown",
    "balance",
    "health",
    "stopped",
    "key",
    "unreachable",
)

# Attempt states. Held money: BUYING, LIVE, CANCELLING, UNKNOWN (until the server says).
BUYING = "buying"  # journaled, request going out
LIVE = "live"  # bought, waiting for a code
CANCELLING = "cancelling"  # cancel asked (maybe queued behind the lock), not confirmed yet
UNKNOWN = "unknown"  # the purchase had no clear answer
CODE = "code"  # got a code: its cost is spent
CANCELLED = "cancelled"  # the server confirmed the cancel (refunded)
EXPIRED = "expired"  # ran out without a code (refunded)
REFUNDED = "refunded"  # the server refunded it
REFUSED = "refused"  # the server refused the purchase (nothing bought)
NOT_BOUGHT = "not_bought"  # interrupted before the request went out, or settled as not bought
HELD_STATES = frozenset({BUYING, LIVE, CANCELLING, UNKNOWN})
OPEN_STATES = frozenset({BUYING, LIVE, CANCELLING})  # still a number (or maybe one) in play
FAILED_STATES = frozenset({CANCELLED, EXPIRED, REFUNDED, REFUSED})  # count against health


@dataclass(frozen=True, slots=True)
class Attempt:
    """One purchase tried: the candidate, what it held or cost, and how it ended."""

    n: int
    country_id: int | None
    country: str
    pool: int | None
    price: Decimal | None  # held at purchase time (the price we agreed to pay at most)
    state: str
    why: str = ""
    order_id: str | None = None
    cost: Decimal | None = None  # what the server charged, once known
    started_at: datetime | None = None
    deadline: datetime | None = None
    ended_at: datetime | None = None
    intent_id: int | None = None  # the purchase intent, when its outcome was unclear
    id: int = 0  # journal row

    @property
    def held(self) -> Decimal:
        """Money charged and not (yet) confirmed refunded by the server."""
        if self.state not in HELD_STATES:
            return Decimal(0)
        return self.cost if self.cost is not None else (self.price or Decimal(0))

    @property
    def spent(self) -> Decimal:
        if self.state != CODE:
            return Decimal(0)
        return self.cost if self.cost is not None else (self.price or Decimal(0))

    @property
    def bought(self) -> bool:
        return self.order_id is not None


@dataclass(frozen=True, slots=True)
class AutopilotResult:
    kind: ResultKind
    reason: str
    attempts: tuple[Attempt, ...]
    spent: Decimal  # orders that got a code
    held: Decimal  # charged, not yet confirmed refunded
    order: Order | None = None  # the winner (code and full_sms) when kind == "code"
    run_id: int = 0
