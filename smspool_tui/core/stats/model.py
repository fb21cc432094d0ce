"""What the stats compute: plain frozen records (no I/O here), money as Decimal."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

ZERO = Decimal("0")
# A figure over fewer orders than this is flagged as a small sample ("n=3"), not a certainty.
SMALL_SAMPLE = 10


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    ALL = "all"

    def since(self, now: datetime) -> datetime | None:
        days = {Period.DAY: 1, Period.WEEK: 7, Period.MONTH: 30}.get(self)
        return None if days is None else now - timedelta(days=days)


@dataclass(frozen=True, slots=True)
class Filters:
    period: Period = Period.ALL
    service: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """One line of the ledger: the whole account, or one service, country or pool."""

    name: str
    orders: int = 0
    codes: int = 0
    spent: Decimal = ZERO  # charged and not refunded, resend charges included
    refunded: Decimal = ZERO
    timed: int = 0  # orders whose code arrival time is known
    median_seconds_to_code: float | None = None
    p90_seconds_to_code: float | None = None

    @property
    def success_rate(self) -> float | None:
        return self.codes / self.orders if self.orders else None

    @property
    def charged(self) -> Decimal:
        """Everything ever charged, refunds included (gross)."""
        return self.spent + self.refunded

    @property
    def net(self) -> Decimal:
        """What the account is down: charged minus refunded (equals `spent`)."""
        return self.charged - self.refunded

    @property
    def cost_per_code(self) -> Decimal | None:
        return (self.spent / self.codes).quantize(Decimal("0.0001")) if self.codes else None

    @property
    def small_sample(self) -> bool:
        return self.orders < SMALL_SAMPLE

    @property
    def sample(self) -> str:
        """ "n=3" and a mark when too few orders stand behind the figure."""
        return f"n={self.orders}" + ("?" if self.small_sample else "")


@dataclass(frozen=True, slots=True)
class Bucket:
    """Spend in one day, ISO week ("2026-W48") or month ("2026-11")."""

    label: str
    orders: int
    spent: Decimal
    refunded: Decimal


# Time-to-code distribution: each bucket holds the codes that came in under `upto` seconds (and
# at or over the previous bucket's bound); the last holds the rest.
TIME_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (30, "<30s"), (60, "<1m"), (120, "<2m"), (300, "<5m"), (600, "<10m"), (None, "more"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TimeBucket:
    label: str
    upto: int | None  # seconds, exclusive; None = no upper bound
    codes: int


@dataclass(frozen=True, slots=True)
class Health:
    """Recent failures the server (and the autopilot's limits) care about."""

    cancels_hour: int = 0
    cancels_day: int = 0
    no_code_hour: int = 0
    no_code_day: int = 0


@dataclass(frozen=True, slots=True)
class RentalFigures:
    """Rentals apart from orders: purchases, extensions and refunds from the journal's rental
    ledger (the app's own, merged with rental/history)."""

    rentals: int = 0  # purchases
    extends: int = 0
    refunds: int = 0
    purchased: Decimal = ZERO  # charged for purchases
    extended: Decimal = ZERO  # charged for extensions
    refunded: Decimal = ZERO
    unpriced: int = 0  # lines whose cost is not known (yet): rental/history may tell
    other: int = 0  # rental/history lines of a kind not known to cost or refund

    @property
    def charged(self) -> Decimal:
        return self.purchased + self.extended

    @property
    def spent(self) -> Decimal:
        """Charged and not refunded, as for orders."""
        return self.charged - self.refunded


@dataclass(frozen=True, slots=True)
class Report:
    computed_at: datetime
    filters: Filters
    total: Figures
    by_service: tuple[Figures, ...] = ()
    by_country: tuple[Figures, ...] = ()
    by_pool: tuple[Figures, ...] = ()
    by_day: tuple[Bucket, ...] = ()
    by_week: tuple[Bucket, ...] = ()
    by_month: tuple[Bucket, ...] = ()
    health: Health = field(default_factory=Health)
    time_to_code: tuple[TimeBucket, ...] = ()  # the total's codes, by TIME_BUCKETS
    rentals: RentalFigures = field(default_factory=RentalFigures)
    services: tuple[str, ...] = ()  # every service and country in the journal, for the filters
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LedgerRow:
    order_id: str
    purchased_at: str
    service: str
    country: str
    pool: int | None
    status: str
    cost: Decimal | None
    charged: Decimal
    refunded: Decimal
    resend_charges: Decimal
    code: bool
    seconds_to_code: float | None
