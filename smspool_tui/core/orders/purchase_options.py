"""What a purchase asks SMSPool for beyond country, service, pool and price: how the code comes
(SMS, voice or flash call), how many numbers, a share link instead of an order id, area codes to
avoid, the US carrier, a number the account had before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACTIVATION_TYPES = ("SMS", "VOICE", "FLASH")
ACTIVATION_LABELS = {"SMS": "SMS", "VOICE": "Voice call", "FLASH": "Flash call"}
MAX_QUANTITY = 20  # a typo must not buy 100 numbers; SMSPool's own cap is not documented
# `carrier` 1|2 on the one US pool that offers it; SMSPool's docs do not name the networks.
CARRIERS = {1: "Carrier 1", 2: "Carrier 2"}
CARRIER_POOL = "Foxtrot"


def offers_carrier(country_short: str | None, fixed_pool: str | None, name: str = "") -> bool:
    """The carrier choice exists for US numbers of pool Foxtrot only (real-api.md §8): shown
    for the US when that pool is chosen, or when SMSPool picks the pool (the choice steers it)."""
    if (country_short or "").upper() != "US" and name.strip().lower() != "united states":
        return False
    return fixed_pool is None or fixed_pool.strip().lower() == CARRIER_POOL.lower()


@dataclass(frozen=True, slots=True)
class PurchaseOptions:
    quantity: int = 1
    activation_type: str = "SMS"
    create_token: bool = False
    exclude_areas: bool = False  # the area codes are ones to avoid, not to pick from
    carrier: int | None = None
    phonenumber: str | None = None  # "the same number again"

    def __post_init__(self) -> None:
        if not 1 <= self.quantity <= MAX_QUANTITY:
            raise ValueError(f"quantity is 1 to {MAX_QUANTITY}")
        if self.activation_type not in ACTIVATION_TYPES:
            raise ValueError("activation type is SMS, VOICE or FLASH")
        if self.carrier is not None and self.carrier not in CARRIERS:
            raise ValueError("carrier is 1 or 2")
        if self.create_token and self.quantity > 1:
            raise ValueError("a share link is for one number at a time")
        if self.phonenumber and self.quantity > 1:
            raise ValueError("the same number again is one number")

    def client_kwargs(self, has_area_codes: bool) -> dict[str, Any]:
        """Only what differs from a plain purchase, so a plain one sends what it always did."""
        out: dict[str, Any] = {}
        if self.quantity > 1:
            out["quantity"] = self.quantity
        if self.activation_type != "SMS":
            out["activation_type"] = self.activation_type
        if self.create_token:
            out["create_token"] = True
        if self.exclude_areas and has_area_codes:
            out["exclude"] = True
        if self.carrier is not None:
            out["carrier"] = self.carrier
        if self.phonenumber:
            out["phonenumber"] = self.phonenumber
        return out

    @staticmethod
    def invalid_areas(codes: list[str] | None, valid: list[str] | None) -> list[str]:
        """Codes not on SMSPool's list (none when the list is not known: the server judges)."""
        if not codes or not valid:
            return []
        return [c for c in codes if c not in set(valid)]

    def journal_params(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity,
            "activation_type": self.activation_type,
            "create_token": self.create_token,
            "exclude": self.exclude_areas,
            "carrier": self.carrier,
            "phonenumber": self.phonenumber,
        }
