"""Catalog and account reads: countries, services, pools, prices, stock, balance, orders."""

from __future__ import annotations

from decimal import Decimal

from .._parse import (
    list_of,
    one,
    parse_balance,
)
from ..models import (
    ActiveOrder,
    Country,
    HistoryOrder,
    Pool,
    PoolPrice,
    PriceQuote,
    Service,
    Stock,
    SuccessRate,
    SuggestedCountry,
)
from .base import Caller


class CatalogCalls(Caller):
    async def countries(self) -> list[Country]:
        return await self._get("country/retrieve_all", {}, list_of(Country))

    async def services(self, country: int | str | None = None) -> list[Service]:
        return await self._get("service/retrieve_all", {"country": country}, list_of(Service))

    async def pools(self) -> list[Pool]:
        return await self._post("pool/retrieve_all", {}, list_of(Pool))

    async def price(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> PriceQuote:
        params = {"country": country, "service": service, "pool": pool}
        return await self._post("request/price", params, one(PriceQuote))

    async def suggested_countries(self, service: int | str) -> list[SuggestedCountry]:
        return await self._post(
            "request/suggested_countries", {"service": service}, list_of(SuggestedCountry)
        )

    async def pool_prices(self, country: int | str, service: int | str) -> list[PoolPrice]:
        params = {"country": country, "service": service}
        return await self._post("pool/retrieve_valid", params, list_of(PoolPrice))

    async def success_rates(
        self, service: int | str, country: int | str | None = None
    ) -> list[SuccessRate]:
        params = {"service": service, "country": country}
        return await self._post("request/success_rate", params, list_of(SuccessRate))

    async def stock(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> Stock:
        params = {"country": country, "service": service, "pool": pool}
        return await self._post("sms/stock", params, one(Stock))

    async def balance(self) -> Decimal:
        return await self._post("request/balance", {}, parse_balance)

    async def history(
        self, search: str | None = None, start: int = 0, length: int = 100
    ) -> list[HistoryOrder]:
        params = {"search": search or None, "start": start, "length": length}
        return await self._post("request/history", params, list_of(HistoryOrder))

    async def active_orders(self) -> list[ActiveOrder]:
        return await self._post("request/active", {}, list_of(ActiveOrder))
