"""Pre-orders: a bid for a number that is out of stock, filled when stock comes back.

The shapes differ from the rest of the API: `preorder/price` sends `cost` as a number,
`preorder/check` a status int (1 pending, 3 finished), `preorder/retrieve` a status word.
"""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from .base import ApiModel, Money, OptInt, OptMoney, OptStr, Str, Time


class PreorderStatus(IntEnum):
    PENDING = 1
    FINISHED = 3

    @classmethod
    def _missing_(cls, value: object) -> PreorderStatus:
        # An unknown code keeps the bid open rather than silently ending it.
        return cls.PENDING


_STATUS_WORDS = {
    "pending": PreorderStatus.PENDING,
    "finished": PreorderStatus.FINISHED,
    "completed": PreorderStatus.FINISHED,
    "complete": PreorderStatus.FINISHED,
    "filled": PreorderStatus.FINISHED,
}


def _to_preorder_status(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return PreorderStatus.PENDING
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit():
            return PreorderStatus(int(text))
        return _STATUS_WORDS.get(text, PreorderStatus.PENDING)
    if isinstance(value, int):
        return PreorderStatus(value)
    raise ValueError("status must be a number or a word")


Status = Annotated[PreorderStatus, BeforeValidator(_to_preorder_status)]


class PreorderPrice(ApiModel):
    """`preorder/price`: the current highest bid; 0 (or none) when nobody bids."""

    cost: Money = Decimal(0)

    @property
    def highest(self) -> Decimal | None:
        return self.cost if self.cost > 0 else None


class PreorderPlaced(ApiModel):
    """`preorder/create` accepted: the pre-order's code; `expires_in` as the server says."""

    order_code: Str = Field(validation_alias=AliasChoices("order_code", "preorder_code"))
    expires_in: OptInt = None
    message: Str = ""


class PreorderCheck(ApiModel):
    """`preorder/check`: a finished one carries the order it became."""

    preorder_code: OptStr = None
    status: Status = PreorderStatus.PENDING
    cost: OptMoney = None
    country: OptInt = None
    service: OptInt = None
    pool: OptInt = None
    order_code: OptStr = None
    phonenumber: OptStr = None

    @property
    def finished(self) -> bool:
        # The SDKs read "finished" off the order it became; the status says so too.
        return self.status is PreorderStatus.FINISHED or bool(self.order_code)


class Preorder(ApiModel):
    """One row of `preorder/retrieve` (the account's pre-orders)."""

    order_code: Str = Field(validation_alias=AliasChoices("order_code", "preorder_code"))
    status: Status = PreorderStatus.PENDING
    cost: OptMoney = None
    highest_offer: OptMoney = None
    country: OptInt = None
    country_name: OptStr = None
    service: OptInt = None
    service_name: OptStr = None
    pool: OptInt = None
    pool_name: OptStr = None
    time_left: OptInt = None
    timestamp: Time = None
