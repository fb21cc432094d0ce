"""One check of one watch: exactly one request, read as (condition met, what was seen)."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from smspool_tui.api.errors import OutOfStock, PriceNotFound
from smspool_tui.api.models import PoolPrice, PriceQuote, RentalStock, Stock
from smspool_tui.core.watches.model import WatchKind, WatchSpec


class WatchClient(Protocol):
    async def stock(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> Stock: ...
    async def price(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> PriceQuote: ...
    async def pool_prices(self, country: int | str, service: int | str) -> list[PoolPrice]: ...
    async def rental_stock(
        self, rental_id: int | str, days: int, service_id: int | str | None = None
    ) -> RentalStock: ...


async def check(client: WatchClient, spec: WatchSpec) -> tuple[bool, str]:
    if spec.kind is WatchKind.STOCK:
        try:
            stock = await client.stock(spec.country_id, spec.service_id, spec.pool)
        except OutOfStock:
            return False, "0 in stock"
        return stock.amount >= spec.min_stock, f"{stock.amount:,} in stock"
    if spec.kind is WatchKind.RENTAL:
        assert spec.rental_days is not None
        rental = await client.rental_stock(spec.service_id, spec.rental_days)
        return rental.count >= spec.min_stock, f"{rental.count:,} in stock"
    assert spec.max_price is not None
    price = await _price(client, spec)
    if price is None:
        return False, "no price (not sold now)"
    return price <= spec.max_price, f"${price}"


async def _price(client: WatchClient, spec: WatchSpec) -> Decimal | None:
    if spec.pool is None:
        try:
            quote = await client.price(spec.country_id, spec.service_id)
        except (PriceNotFound, OutOfStock):  # "not sold now" is an answer, not a failure
            return None
        return quote.price if quote.price > 0 else None
    # request/price with a pool answers the country's best; the pool's own row is exact.
    rows = await client.pool_prices(spec.country_id, spec.service_id)
    return next((r.price for r in rows if r.pool == spec.pool and r.price), None)
