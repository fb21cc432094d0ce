"""A watch: what is watched, the condition, and what happened at its last check (no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from smspool_tui.core.order_model import Order


class WatchKind(enum.StrEnum):
    """Stored by value in the journal: values never change."""

    STOCK = "stock"  # sms/stock: at least `min_stock` numbers
    PRICE = "price"  # request/price (or the pool's price): at or under `max_price`
    RENTAL = "rental"  # rental/stock: at least `min_stock` for `rental_days`


@dataclass(frozen=True, slots=True)
class WatchSpec:
    """What the user asked for when making the watch. `buy_cap` is the most a purchase made by
    the watch may cost; it is required when `auto_buy` is on (rentals only notify)."""

    kind: WatchKind
    service_id: int
    service_name: str
    country_id: int
    country_name: str
    pool: int | None = None
    pool_name: str = ""
    min_stock: int = 1
    max_price: Decimal | None = None
    rental_days: int | None = None
    auto_buy: bool = False
    buy_cap: Decimal | None = None

    def problem(self) -> str | None:
        """Why this spec cannot be a watch (one sentence), or None."""
        if self.kind in (WatchKind.STOCK, WatchKind.RENTAL) and self.min_stock < 1:
            return "The stock to wait for is at least 1 number."
        if self.kind is WatchKind.PRICE and (self.max_price is None or self.max_price <= 0):
            return "A price watch needs a price above $0."
        if self.kind is WatchKind.RENTAL and not self.rental_days:
            return "A rental watch needs the number of days."
        if self.auto_buy and self.kind is WatchKind.RENTAL:
            return "A rental watch only notifies; buy the rental yourself."
        if self.auto_buy and (self.buy_cap is None or self.buy_cap <= 0):
            return "Buying when it fires needs a price cap above $0."
        return None


@dataclass(frozen=True, slots=True)
class Watch:
    id: int
    spec: WatchSpec
    created_at: datetime
    # False once fired: it re-arms only after a check finds the condition false again.
    armed: bool = True
    last_check_at: datetime | None = None
    last_seen: str = ""  # what the last check read: "12 in stock", "$0.42"
    last_error: str = ""
    fired_at: datetime | None = None
    fired_count: int = 0
    last_action: str = ""  # what the last firing did: "bought 12345", "not bought: ..."

    @property
    def what(self) -> str:
        s = self.spec
        where = f"{s.service_name} · {s.country_name}"
        if s.kind is WatchKind.RENTAL:
            return f"Rental {s.service_name} · {s.rental_days}d"
        return f"{where} · {s.pool_name}" if s.pool_name else where

    @property
    def condition(self) -> str:
        s = self.spec
        if s.kind is WatchKind.PRICE:
            return f"price ≤ ${s.max_price}"
        return f"stock ≥ {s.min_stock}"

    @property
    def state(self) -> str:
        if self.last_error:
            return f"check failed: {self.last_error}"
        if self.last_check_at is None:
            return "not checked yet"
        if not self.armed:
            return "fired" + (f" · {self.last_action}" if self.last_action else "")
        return "watching"

    @property
    def buy_text(self) -> str:
        s = self.spec
        return f"buy ≤ ${s.buy_cap}" if s.auto_buy else "notify"


@dataclass(frozen=True, slots=True)
class WatchesChanged:
    """Every watch, oldest first (after a check, an add or a removal)."""

    watches: tuple[Watch, ...]


@dataclass(frozen=True, slots=True)
class WatchFired:
    """The condition became true. `order` is the number bought for it, if the watch buys and
    the purchase went through; `action` says what was done (or why nothing was bought)."""

    watch: Watch
    seen: str
    action: str
    order: Order | None = None
