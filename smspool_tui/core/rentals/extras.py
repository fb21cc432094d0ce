"""What RentalsService offers besides buying and polling: the questions a confirm asks first
(refund rules, extension prices). A mixin, so service.py stays about the money paths."""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError
from smspool_tui.core.rental_model import ExtendOptions, Rental, day_prices
from smspool_tui.core.rentals.refunds import RefundInfo, explain_refund

if TYPE_CHECKING:
    from smspool_tui.api.models import RentalOffer
    from smspool_tui.clock import Clock
    from smspool_tui.core.rentals.client import RentalsClient


class RentalExtras:
    client: RentalsClient
    clock: Clock

    # Provided by RentalsService.
    def _require(self, code: str) -> Rental:
        raise NotImplementedError

    def offer_for(self, rental: Rental) -> RentalOffer | None:
        raise NotImplementedError

    async def catalog(self, extendable: bool, *, refresh: bool = False) -> list[RentalOffer]:
        raise NotImplementedError

    def _now(self) -> datetime:
        return self.clock.now()

    async def offer_of(self, rental: Rental) -> RentalOffer | None:
        """The catalog line a rental was bought on, loading that catalog if needed."""
        offer = self.offer_for(rental)
        if offer is None and rental.rental_id is not None:
            with contextlib.suppress(ApiError):  # without it the general rules still hold
                await self.catalog(rental.extendable)
            offer = self.offer_for(rental)
        return offer

    async def refund_info(self, code: str) -> RefundInfo:
        rental = self._require(code)
        return explain_refund(rental, await self.offer_of(rental), self._now())

    async def extend_options(self, code: str) -> ExtendOptions:
        rental = self._require(code)
        if not rental.extendable:
            return ExtendOptions(note="This is a non-extendable rental.")
        table: dict[int, Decimal] = {}
        if rental.service_id is None and rental.rental_id is not None:
            table = (await self.client.rental_pricing(rental.rental_id)).extend
        if not table:
            await self.catalog(True)
            offer = self.offer_for(rental)
            if offer is not None:
                single = offer.single_service_extend if rental.service_id is not None else None
                table = single or offer.pricing
        if not table:
            return ExtendOptions(note="No extension prices are offered for this rental.")
        return ExtendOptions(day_prices(table))
