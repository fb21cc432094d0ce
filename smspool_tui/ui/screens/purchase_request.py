"""What the purchase modal buys, how its fields are read, and the words for each failure.

Kept apart from the modal so the money wording can be read (and tested) on its own."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from smspool_tui.api.errors import (
    ApiError,
    AuthError,
    InsufficientBalance,
    OutOfStock,
    PriceNotFound,
)
from smspool_tui.core.catalog import CountryOffer, PoolOffer
from smspool_tui.core.errors import DuplicateRisk
from smspool_tui.core.orders import PurchaseOutcomeUnknown
from smspool_tui.ui.widgets.fuzzy_list import clean

CENT = Decimal("0.01")
# What SMSPool does with a number the account had: the modal says it before and after buying.
SAME_NUMBER_NOTE = (
    "SMSPool does not hand an account a number it had before until the account's order cache "
    "is cleared (k here). The number may also be in use by someone else by now."
)
_BALANCE_TEXT = re.compile(r"price is:?\s*([\d.]+).*?have:?\s*([\d.]+)", re.S)


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


@dataclass(frozen=True, slots=True)
class PurchaseRequest:
    """What to buy; `alternatives` are the next suggested countries, offered on out-of-stock."""

    service_id: int | str
    service_name: str
    offer: CountryOffer
    pool: PoolOffer | None = None
    custom_area: bool = False
    alternatives: tuple[CountryOffer, ...] = ()
    pool_label: str | None = None  # the suggested pool's name, when known
    phonenumber: str | None = None  # "buy this number again": SMSPool is asked for this one

    def again(self, number: str) -> PurchaseRequest:
        return replace(self, phonenumber=number)

    @classmethod
    def simple(
        cls,
        service_id: int | str,
        service_name: str,
        country_id: int,
        country_name: str,
        *,
        pool: int | None = None,
        price: Decimal | None = None,
    ) -> PurchaseRequest:
        """For callers without a price list (e.g. "buy again" on the orders board)."""
        offer = CountryOffer(country_id, country_name, None, price, pool, None)
        return cls(service_id, service_name, offer)


def parse_max_price(text: str) -> Decimal | None:
    """'' -> no limit; otherwise a positive amount with at most two decimals (ValueError)."""
    text = text.strip().lstrip("$")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("max price must be a number, like 0.50") from None
    if not value.is_finite() or value <= 0:
        raise ValueError("max price must be more than 0")
    if value != value.quantize(CENT):
        raise ValueError("max price has at most two decimals")
    return value


def parse_area_codes(text: str) -> list[str] | None:
    codes = [c for c in re.split(r"[\s,]+", text.strip()) if c]
    if not codes:
        return None
    if not all(c.isdigit() for c in codes):
        raise ValueError("area codes are digits, separated by commas")
    return codes


def failure_text(
    exc: BaseException,
    request: PurchaseRequest,
    price: Decimal | None,
    balance: Decimal | None,
) -> str:
    """The modal's sentence for a purchase that did not simply succeed."""
    name = clean(request.offer.name)
    if isinstance(exc, DuplicateRisk):
        return f"{exc}. Nothing was sent; wait for its answer."
    if isinstance(exc, PurchaseOutcomeUnknown):
        return (
            "No clear answer from SMSPool: the order may or may not exist. It was NOT retried. "
            "The orders board (esc, then o) will show it if it went through; "
            "don't buy again until you have looked."
        )
    if isinstance(exc, OutOfStock):
        if request.alternatives:
            nxt = request.alternatives[0]
            return (
                f"Out of stock in {name}. Press n to switch to {clean(nxt.name)} "
                f"({_money(nxt.price)}), or esc to pick another country."
            )
        return f"Out of stock in {name}, and no other country is suggested."
    if isinstance(exc, PriceNotFound):
        return (
            "No pool sells it at or under your max price. Raise or clear the max price, "
            "or choose the cheapest option."
        )
    if isinstance(exc, InsufficientBalance):
        return _insufficient(exc, price, balance)
    if isinstance(exc, AuthError):
        return (
            "SMSPool refused the API key (invalid key). Nothing was bought. "
            "Fix the key in Settings (esc, then s)."
        )
    if isinstance(exc, ApiError):
        return f"The purchase was refused: {clean(exc.message)}. Nothing was bought."
    return f"The purchase failed: {clean(str(exc)) or type(exc).__name__}."


def _insufficient(exc: ApiError, price: Decimal | None, have: Decimal | None) -> str:
    found = _BALANCE_TEXT.search(exc.message or "")
    if found:
        with contextlib.suppress(InvalidOperation):
            price, have = Decimal(found.group(1)), Decimal(found.group(2))
    if price is not None and have is not None and price > have:
        return (
            f"Not enough balance: it costs {_money(price)} and you have {_money(have)}; "
            f"add {_money(price - have)} to your SMSPool account."
        )
    return f"Not enough balance: {clean(exc.message)}"
