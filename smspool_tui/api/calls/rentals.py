"""Rentals: catalog, purchase, messages, status, refund, extend, my rentals, auto-extend,
port reset, the services of single-service lines and their prices."""

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
    AutoExtendResult,
    MyRental,
    RentalExtend,
    RentalInfo,
    RentalMessage,
    RentalOffer,
    RentalPricing,
    RentalPurchase,
    RentalService,
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

    async def rental_auto_extend(self, rental_code: str) -> AutoExtendResult:
        """Flips auto-extend (the only parameter is the rental): never retried, since a
        repeat would flip it back. The answer says the state it is in now."""
        return await self._post(
            "rental/auto_extend", {"rental_code": rental_code}, one(AutoExtendResult), retry=False
        )

    async def reset_rental(self, rental_code: str) -> ActionResult:
        """rental/reset: unstick the port of a rental that gets no messages."""
        return await self._post(
            "rental/reset", {"rental_code": rental_code}, one(ActionResult), retry=False
        )

    async def rental_services(self, rental_id: int | str) -> list[RentalService]:
        """The services a single-service line can be bought for."""
        return await self._post(
            "rental/retrieve_services", {"rental": rental_id}, list_of(RentalService)
        )

    async def rental_service_price(
        self, rental_id: int | str, service_id: int | str
    ) -> RentalPricing:
        """Day prices of a single-service line for one service. No recording exists: the
        answer is read like rental/retrieve_pricing ({"pricing": {days: $}, "extend": ...})."""
        params = {"id": rental_id, "service_id": service_id}
        return await self._post("rental/service_price", params, one(RentalPricing))

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
