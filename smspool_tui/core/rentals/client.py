"""The part of SMSPoolClient the rentals service and poller use (test fakes implement just
this)."""

from __future__ import annotations

from typing import Protocol

from smspool_tui.api.errors import BadResponse, ServerError, TransportError
from smspool_tui.api.models import (
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

UNCLEAR = (TransportError, ServerError, BadResponse)  # the request may have been carried out


class RentalsClient(Protocol):
    async def rental_catalog(self, extendable: bool) -> list[RentalOffer]: ...
    async def rental_pricing(self, rental_id: int | str) -> RentalPricing: ...
    async def purchase_rental(
        self, rental_id: int | str, days: int, service_id: int | str | None = None
    ) -> RentalPurchase: ...
    async def refund_rental(self, rental_code: str) -> ActionResult: ...
    async def extend_rental(self, rental_code: str, days: int) -> RentalExtend: ...
    async def rental_status(self, rental_code: str) -> RentalStatus: ...
    async def rental_messages(self, rental_code: str) -> list[RentalMessage]: ...
    async def my_rentals(self) -> list[MyRental]: ...
    async def rental_info(self, rental_code: str) -> RentalInfo: ...
    async def rental_auto_extend(self, rental_code: str) -> AutoExtendResult: ...
    async def reset_rental(self, rental_code: str) -> ActionResult: ...
    async def rental_stock(
        self, rental_id: int | str, days: int, service_id: int | str | None = None
    ) -> RentalStock: ...
    async def rental_services(self, rental_id: int | str) -> list[RentalService]: ...
    async def rental_service_price(
        self, rental_id: int | str, service_id: int | str
    ) -> RentalPricing: ...
