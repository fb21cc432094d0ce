"""The catalog: countries, services, pools, prices, success rates, stock."""

from __future__ import annotations

from decimal import Decimal

from pydantic import AliasChoices, Field

from .base import ApiModel, Money, OptInt, OptMoney, OptStr, Str

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
