"""SMS orders: statuses, purchases, checks, resends, actions."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from .base import ApiModel, Money, OptInt, OptMoney, OptStr, Str, Time, code_or_none

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


# --- SMS orders ---------------------------------------------------------------------------------


class Purchase(ApiModel):
    # None for a token-mode purchase (`create_token`): it has `token` and `url` instead.
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
    token: OptStr = None
    url: OptStr = None
    # `quantity` > 1: one entry per number (the answer's shape is unverified; see _parse).
    batch: list[Purchase] = Field(default_factory=list)

    def numbers(self) -> list[Purchase]:
        """Each number this purchase bought, one entry each (itself for a single number)."""
        return list(self.batch) if self.batch else [self]


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
    code: Annotated[str | None, BeforeValidator(code_or_none("", "0"))] = None
    full_code: Annotated[str | None, BeforeValidator(code_or_none("", "0"))] = None
    cost: OptMoney = None
    expiry: Time = None
    time_left: OptInt = None
    timestamp: Time = None


class HistoryOrder(ActiveOrder):
    pool: OptInt = None
    completed_on: Time = None


# "The order has been cancelled, and you have been refunded 0.24 dollars."
_REFUNDED = re.compile(r"refunded\s+\$?\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


class ActionResult(ApiModel):
    success: bool = True
    message: Str = ""

    @property
    def refunded(self) -> Decimal | None:
        """The amount a cancel's message says was refunded (None if it names none)."""
        found = _REFUNDED.search(self.message)
        if found is None:
            return None
        try:
            return Decimal(found.group(1))
        except InvalidOperation:
            return None


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


_NO_VALUE = code_or_none("", "0")


class MissedSms(ApiModel):
    """One message that reached the account's one-time numbers without completing an order
    (`sms/missed`, shape unverified: names are guessed wide and unknown fields kept)."""

    phonenumber: Annotated[str, BeforeValidator(lambda v: "" if v is None else str(v))] = Field(
        default="", validation_alias=AliasChoices("phonenumber", "number", "phone", "to")
    )
    message: Str = Field(
        default="", validation_alias=AliasChoices("message", "full_sms", "sms", "text", "body")
    )
    code: Annotated[str | None, BeforeValidator(_NO_VALUE)] = Field(
        default=None, validation_alias=AliasChoices("code", "extracted_code", "otp")
    )
    url: Annotated[str | None, BeforeValidator(_NO_VALUE)] = Field(
        default=None, validation_alias=AliasChoices("url", "link", "first_url")
    )
    email: Annotated[str | None, BeforeValidator(_NO_VALUE)] = Field(
        default=None, validation_alias=AliasChoices("email", "mail", "e_mail")
    )
    sender: OptStr = Field(default=None, validation_alias=AliasChoices("sender", "from"))
    timestamp: Time = Field(
        default=None, validation_alias=AliasChoices("timestamp", "time", "date", "received")
    )
