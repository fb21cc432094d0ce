"""Pydantic models for SMSPool answers.

The live API and its doc disagree on types (ids int vs str, money str vs number, unix times int vs
str, dicts vs arrays), so every field goes through a lenient "before" validator. Unknown fields are
kept (`extra="allow"`) because SMSPool adds fields without notice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

# --- lenient scalar coercions -------------------------------------------------------------------


def _to_str(value: Any) -> Any:
    # Phone numbers and ids arrive as ints on some endpoints; bool is not a number here.
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _to_opt_str(value: Any) -> Any:
    return None if value is None else _to_str(value)


def _to_int(value: Any) -> Any:
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def to_decimal(value: Any) -> Decimal | None:
    """Money from "0.24", 0.24, 24 or ""; "" and null mean "no value"."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("money must not be a boolean")
    if isinstance(value, int | float):
        return Decimal(str(value))  # via str so 0.1 stays 0.1
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {text[:20]!r}") from None
    raise ValueError("money must be a string or a number")


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d %B %Y %H:%M:%S", "%d %b %Y %H:%M:%S")


def to_datetime(value: Any) -> datetime | None:
    """Aware UTC time from a unix int/str or a zone-less "YYYY-MM-DD HH:MM:SS" (read as UTC)."""
    if value is None or isinstance(value, datetime):
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
    if isinstance(value, bool):
        raise ValueError("time must not be a boolean")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC) if value > 0 else None
    if not isinstance(value, str):
        raise ValueError("time must be a string or a number")
    text = value.strip()
    if text in ("", "0"):
        return None
    if text.lstrip("-").replace(".", "", 1).isdigit():
        return to_datetime(float(text))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unknown time format: {text[:30]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_price_table(value: Any) -> dict[int, Decimal] | None:
    """`{"30": 20}` as an object or as a JSON string (the doc, and `single_service`)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "null"):
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("price table is not valid JSON") from None
        if value is None:
            return None
    if isinstance(value, list) and not value:  # PHP encodes an empty table as []
        return {}
    if not isinstance(value, dict):
        raise ValueError("price table must be an object")
    table: dict[int, Decimal] = {}
    for days, price in value.items():
        amount = to_decimal(price)
        if amount is not None:
            table[int(days)] = amount
    return table


def _code_or_none(*placeholders: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        value = _to_opt_str(value)
        return None if value is None or value in placeholders else value

    return convert


Str = Annotated[str, BeforeValidator(_to_str)]
OptStr = Annotated[str | None, BeforeValidator(_to_opt_str)]
OptInt = Annotated[int | None, BeforeValidator(_to_int)]
Money = Annotated[Decimal, BeforeValidator(to_decimal)]
OptMoney = Annotated[Decimal | None, BeforeValidator(to_decimal)]
Time = Annotated[datetime | None, BeforeValidator(to_datetime)]
PriceTable = Annotated[dict[int, Decimal], BeforeValidator(lambda v: to_price_table(v) or {})]
OptPriceTable = Annotated[dict[int, Decimal] | None, BeforeValidator(to_price_table)]


def _alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# --- enums --------------------------------------------------------------------------------------


class PricingOption(IntEnum):
    """What the live API means (the doc has it the other way round)."""

    CHEAPEST = 0
    HIGHEST_SUCCESS = 1


class OrderStatus(IntEnum):
    PENDING = 1
    EXPIRED = 2
    RECEIVED = 3
    RESEND = 4
    CANCELLED = 5
    REFUNDED = 6
    PROCESSING = 7
    ACTIVATING = 8

    @classmethod
    def _missing_(cls, value: object) -> OrderStatus:
        # Unknown codes keep the order alive rather than silently ending it.
        return cls.PENDING

    @property
    def is_final(self) -> bool:
        return self in _FINAL_STATUSES

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_FINAL_STATUSES = frozenset(
    {OrderStatus.EXPIRED, OrderStatus.RECEIVED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}
)
_STATUS_LABELS = {
    OrderStatus.PENDING: "Pending",
    OrderStatus.EXPIRED: "Expired",
    OrderStatus.RECEIVED: "Received",
    OrderStatus.RESEND: "Resend requested",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.REFUNDED: "Refunded",
    OrderStatus.PROCESSING: "Processing",
    OrderStatus.ACTIVATING: "Activating",
}


def _to_status(value: Any) -> OrderStatus:
    if isinstance(value, bool):
        raise ValueError("status must be a number")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int):
        raise ValueError("status must be a number")
    return OrderStatus(value)


# --- catalog ------------------------------------------------------------------------------------


class Country(ApiModel):
    id: int = Field(validation_alias=AliasChoices("ID", "id"))
    name: Str
    short_name: OptStr = None
    region: OptStr = None


class Service(ApiModel):
    id: int = Field(validation_alias=AliasChoices("ID", "id"))
    name: Str
    favourite: bool = False


class Pool(ApiModel):
    id: int = Field(validation_alias=AliasChoices("ID", "id"))
    name: Str


class PriceQuote(ApiModel):
    price: Money
    high_price: OptMoney = None
    pool: OptInt = None
    success_rate: OptMoney = None


class SuggestedCountry(ApiModel):
    country_id: int
    name: Str
    short_name: OptStr = None
    pool: OptInt = None
    price: OptMoney = None


class PoolPrice(ApiModel):
    pool: int
    name: Str
    custom_area: bool = False
    price: OptMoney = None


class SuccessRate(ApiModel):
    country_id: int = Field(validation_alias=AliasChoices("country_id", "country"))
    name: Str
    short_name: OptStr = None
    price: OptMoney = None
    low_price: OptMoney = None
    success_rate: Money = Decimal(0)


class Stock(ApiModel):
    amount: int = 0


# --- SMS orders ---------------------------------------------------------------------------------


class Purchase(ApiModel):
    # None only for token-mode purchases, which this client does not request.
    order_id: OptStr = None
    number: Str = ""
    cc: OptStr = None
    phonenumber: Str = ""
    country: OptStr = None
    service: OptStr = None
    pool: OptInt = None
    expires_in: int = 0
    expiration: Time = None
    cost: OptMoney = None
    message: Str = ""


class SmsCheck(ApiModel):
    status: Annotated[OrderStatus, BeforeValidator(_to_status)]
    sms: OptStr = None
    full_sms: OptStr = None
    expiration: Time = None
    time_left: OptInt = None
    resend: OptInt = None
    message: OptStr = None


class ActiveOrder(ApiModel):
    order_code: Str
    phonenumber: Str = ""
    service: Str = ""
    short_name: OptStr = None
    status: Str = ""
    # "0" / "" are the server's "nothing received yet" placeholders.
    code: Annotated[str | None, BeforeValidator(_code_or_none("", "0"))] = None
    full_code: Annotated[str | None, BeforeValidator(_code_or_none("", "0"))] = None
    cost: OptMoney = None
    expiry: Time = None
    time_left: OptInt = None
    timestamp: Time = None


class HistoryOrder(ActiveOrder):
    pool: OptInt = None
    completed_on: Time = None


class ActionResult(ApiModel):
    success: bool = True
    message: Str = ""


class ResendResult(ApiModel):
    message: Str = ""
    order_id: OptStr = None
    charge: Money = Decimal(0)


class ResendCheck(ApiModel):
    message: Str = ""
    resends: OptInt = None
    resend_cost: Money = Field(
        default=Decimal(0), validation_alias=AliasChoices("resendCost", "resend_cost")
    )
    expires_in_hour: OptInt = None


# --- rentals ------------------------------------------------------------------------------------


class RentalOffer(ApiModel):
    id: int = Field(validation_alias=AliasChoices("ID", "id"))
    name: Str
    tag: OptStr = None
    region: OptStr = None
    pool: OptInt = None
    priority: int = 0
    pricing: PriceTable = Field(default_factory=dict)
    is_refundable: bool = False
    refund_within: OptInt = None
    refund_min_days: OptInt = None
    single_service: OptPriceTable = None
    single_service_extend: OptPriceTable = None
    # Not in the answer: which catalog (`type`) the offer was listed under.
    extendable: bool = False


class RentalPurchase(ApiModel):
    rental_code: Str
    phonenumber: Str = ""
    days: OptInt = None
    expiry: Time = None
    message: Str = ""


class RentalStatus(ApiModel):
    available: bool = False
    active_for: int = Field(default=0, validation_alias=AliasChoices("activeFor", "active_for"))
    auto_extend: bool = False
    expiry: Time = None
    phonenumber: Str = ""


class RentalMessage(ApiModel):
    id: OptInt = _alias("ID", "id")
    message: Str = ""
    sender: OptStr = None
    timestamp: Time = None


class MyRental(ApiModel):
    rental_code: Str
    phonenumber: Str = ""
    country_name: OptStr = None
    expiration_date: Time = None
    rental: OptInt = None
    source: OptStr = None
    state: OptStr = None
    type: OptInt = None


class RentalExtend(ApiModel):
    message: Str = ""
    expiration_date: Time = None


class RentalInfo(MyRental):
    """rental/info: a rental/retrieve row plus price, refund and service details."""

    price: OptMoney = None
    refund: bool = False
    auto_extend: bool = False
    service: OptInt = None
    service_name: OptStr = None


class RentalPricing(ApiModel):
    pricing: PriceTable = Field(default_factory=dict)
    extend: PriceTable = Field(default_factory=dict)
