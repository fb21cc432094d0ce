"""Rental models: the offer list (as rental/retrieve_all serves it) and a rented number."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from smspool_tui.sim.catalog import Service


def json_text(table: dict[int, int] | None) -> str | None:
    """JSON-in-JSON, compact like PHP's json_encode."""
    if table is None:
        return None
    return json.dumps({str(k): v for k, v in table.items()}, separators=(",", ":"))


@dataclass(frozen=True)
class RentalOffer:
    id: int
    iso: str
    name: str
    tag: str
    region: str
    pool: int
    priority: int
    pricing: dict[int, int]  # days -> whole dollars, as the live API sends
    extendable: bool
    stock: int = 250
    single_service: dict[int, int] | None = None
    single_service_extend: dict[int, int] | None = None
    # Refund terms as the catalog states them; the desk enforces exactly these.
    refundable: bool = True
    refund_within: int = 2  # hours after purchase
    refund_min_days: int = 28

    def wire(self) -> dict[str, object]:
        return {
            "ID": self.id,
            "is_refundable": int(self.refundable),
            "name": self.name,
            "pool": self.pool,
            "pricing": {str(k): v for k, v in self.pricing.items()},
            "priority": self.priority,
            "refund_min_days": self.refund_min_days,
            "refund_within": self.refund_within,
            "region": self.region,
            "single_service": json_text(self.single_service),  # JSON-in-JSON, as recorded
            "single_service_extend": json_text(self.single_service_extend),
            "tag": self.tag,
        }


OFFERS: tuple[RentalOffer, ...] = (
    RentalOffer(6, "US", "United States", "United States", "North America", 7, 10, {30: 20}, True),
    RentalOffer(
        7,
        "US",
        "United States",
        "United States (Single service)",
        "North America",
        11,
        0,
        {30: 30},
        True,
        single_service={30: 10},
        single_service_extend={30: 10},
    ),
    RentalOffer(
        9, "NL", "Netherlands", "Netherlands", "Europe", 4, 5, {7: 12, 14: 18, 30: 28}, True
    ),
    RentalOffer(10, "DE", "Germany", "Germany", "Europe", 12, 0, {30: 35}, True, stock=0),
    RentalOffer(
        4,
        "RU",
        "Russia",
        "Russia",
        "Europe",
        2,
        0,
        {3: 10, 7: 15, 15: 20, 30: 30},
        False,
        refund_within=12,
        refund_min_days=3,
    ),
    RentalOffer(
        8,
        "GB",
        "United Kingdom",
        "United Kingdom",
        "Europe",
        3,
        0,
        {1: 15, 3: 20, 15: 63, 30: 110},
        False,
        refundable=False,
    ),
    RentalOffer(
        11,
        "CA",
        "Canada",
        "Canada",
        "North America",
        13,
        0,
        {7: 14, 30: 32},
        False,
        refund_min_days=7,
    ),
    RentalOffer(
        12,
        "ID",
        "Indonesia",
        "Indonesia",
        "Asia",
        14,
        0,
        {1: 3, 3: 6, 7: 10},
        False,
        refund_min_days=1,
    ),
)


@dataclass
class Rental:
    code: str
    offer: RentalOffer
    phonenumber: str
    days: int
    purchased: float
    expires: float
    price: Decimal
    service: Service | None = None
    refunded: bool = False
    auto_extend: int = 0
    resets: int = 0
    extra: list[tuple[float, str, str]] = field(default_factory=list)  # (at, text, sender)
