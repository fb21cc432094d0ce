"""Rentals: offers, purchases, status, messages, my rentals, pricing."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from .base import ApiModel, OptInt, OptMoney, OptPriceTable, OptStr, PriceTable, Str, Time, alias

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
    id: OptInt = alias("ID", "id")
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


class RentalStock(ApiModel):
    # rental/stock says `count` where sms/stock says `amount`
    count: int = Field(default=0, validation_alias=AliasChoices("count", "amount"))


class AutoExtendResult(ApiModel):
    """rental/auto_extend flips the setting; the answer says where it landed."""

    message: Str = ""
    auto_extend: bool = False


class RentalService(ApiModel):
    """rental/retrieve_services: a service a single-service line can be bought for."""

    id: int = Field(validation_alias=AliasChoices("ID", "id"))
    name: Str = ""
    pool: OptInt = None
