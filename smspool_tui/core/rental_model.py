"""What the UI knows about one rental and the journal <-> Rental mapping.

Kept apart from core/rentals/ so core/events.py can name `Rental` without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.core.journal import RentalRecord, StoredMessage

if TYPE_CHECKING:  # annotations only: the api models (pydantic) stay off the first frame
    from smspool_tui.api.models import RentalMessage

# Rentals whose server record says so; "" means we have not heard otherwise (active).
ENDED = "ended"  # the server no longer knows it (404) or it is past its expiry
REFUNDED = "refunded"
UNKNOWN = "unknown"  # a purchase whose outcome is not known yet (no rental code)


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
    service_name: str = ""  # single-service lines (rental/info names it)
    state: str = ""  # "", ENDED or REFUNDED
    available: bool | None = None
    active_for: int | None = None
    auto_extend: bool = False
    extended: bool = False  # a paid extension (never refunded)
    unread: int = 0
    messages: int = 0

    @property
    def is_live(self) -> bool:
        return self.state == ""

    @property
    def is_intent_row(self) -> bool:
        """A purchase of unknown outcome: no rental code yet, nothing to poll or act on."""
        return self.state == UNKNOWN

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def label(self, now: datetime) -> str:
        """Short status word for the board."""
        if self.state == REFUNDED:
            return "refunded"
        if self.state == UNKNOWN:
            return "unknown - checking"
        if self.state == ENDED or self.is_expired(now):
            return "ended"
        if self.available is None:
            return "checking"
        return "available" if self.available else "activating"


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


def dedupable(messages: list[RentalMessage]) -> list[RentalMessage]:
    """The doc's legacy shape repeats one `ID` (the source) on every message: ids that are not
    unique within an answer cannot key the journal, so those messages are keyed by content."""
    ids = [m.id for m in messages if m.id is not None]
    if len(ids) == len(set(ids)):
        return messages
    return [m.model_copy(update={"id": None}) for m in messages]


def msg_order(msg: StoredMessage) -> float:
    return msg.received_at.timestamp() if msg.received_at else 0.0


def to_record(rental: Rental) -> RentalRecord:
    return RentalRecord(
        rental_code=rental.code,
        rental_id=rental.rental_id,
        phonenumber=rental.number,
        country=rental.country,
        days=rental.days,
        expires_at=rental.expires_at,
        purchased_at=rental.purchased_at,
        cost=rental.cost,
        status=rental.state or "active",
        extendable=rental.extendable,
        raw={
            "service_id": rental.service_id,
            "service_name": rental.service_name,
            "auto_extend": rental.auto_extend,
            "extended": rental.extended,
        },
    )


def from_record(record: RentalRecord) -> Rental:
    raw = record.raw or {}
    state = record.status if record.status in (ENDED, REFUNDED) else ""
    service_id = raw.get("service_id")
    return Rental(
        code=record.rental_code,
        number=record.phonenumber,
        country=record.country,
        rental_id=record.rental_id,
        days=record.days,
        expires_at=record.expires_at,
        purchased_at=record.purchased_at,
        cost=record.cost,
        extendable=record.extendable,
        service_id=service_id if isinstance(service_id, int) else None,
        service_name=str(raw.get("service_name") or ""),
        state=state,
        auto_extend=bool(raw.get("auto_extend")),
        extended=bool(raw.get("extended")),
    )
