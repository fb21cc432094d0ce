"""Rentals: catalog, purchase, messages, status, refund, extend, my rentals."""

from __future__ import annotations

from .._parse import (
    list_of,
    one,
    parse_rental_catalog,
    parse_rental_messages,
    parse_rental_status,
)
from ..models import (
    ActionResult,
    MyRental,
    RentalExtend,
    RentalInfo,
    RentalMessage,
    RentalOffer,
    RentalPricing,
    RentalPurchase,
    RentalStatus,
    RentalStock,
)
from ..models.rental_history import RentalHistoryEntry, parse_rental_history
from .base import Caller


class RentalCalls(Caller):
    async def rental_catalog(self, extendable: bool) -> list[RentalOffer]:
        def parse(body: object) -> list[RentalOffer]:
            return parse_rental_catalog(body, extendable)

        return await self._post("rental/retrieve_all", {"type": 1 if extendable else 0}, parse)

    async def purchase_rental(
        self, rental_id: int | str, days: int, service_id: int | str | None = None
    ) -> RentalPurchase:
        params = {"id": rental_id, "days": days, "service_id": service_id}
        return await self._post("purchase/rental", params, one(RentalPurchase), retry=False)

    async def rental_messages(self, rental_code: str) -> list[RentalMessage]:
        return await self._post(
            "rental/retrieve_messages", {"rental_code": rental_code}, parse_rental_messages
        )

    async def rental_status(self, rental_code: str) -> RentalStatus:
        return await self._post(
            "rental/retrieve_status", {"rental_code": rental_code}, parse_rental_status
        )

    async def refund_rental(self, rental_code: str) -> ActionResult:
        return await self._post(
            "rental/refund", {"rental_code": rental_code}, one(ActionResult), retry=False
        )

    async def extend_rental(self, rental_code: str, days: int) -> RentalExtend:
        params = {"rental_code": rental_code, "days": days}
        return await self._post("rental/extend", params, one(RentalExtend), retry=False)

    async def my_rentals(self) -> list[MyRental]:
        return await self._post("rental/retrieve", {}, list_of(MyRental))

    async def rental_info(self, rental_code: str) -> RentalInfo:
        return await self._post("rental/info", {"rental_code": rental_code}, one(RentalInfo))

    async def rental_pricing(self, rental_id: int | str) -> RentalPricing:
        return await self._post("rental/retrieve_pricing", {"id": rental_id}, one(RentalPricing))

    async def rental_stock(
        self, rental_id: int | str, days: int, service_id: int | str | None = None
    ) -> RentalStock:
        params = {"id": rental_id, "days": days, "service_id": service_id}
        return await self._post("rental/stock", params, one(RentalStock))

    async def rental_history(self) -> list[RentalHistoryEntry]:
        """Every rental purchase, extension and refund the server lists (newest first)."""
        return await self._post("rental/history", {}, parse_rental_history)
