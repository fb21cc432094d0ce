"""What RentalsService offers besides buying and polling: the questions a confirm asks first
(refund rules, extension prices, stock, the services of a single-service line and their
prices) and the small changes to a rental (auto-extend on/off, a port reset). A mixin, so
service.py stays about the money paths. Nothing here is retried: a repeated auto-extend
toggle would flip it back."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError, NotFound
from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.loop import describe
from smspool_tui.core.rental_model import DayPrice, ExtendOptions, Rental, day_prices
from smspool_tui.core.rentals.client import UNCLEAR
from smspool_tui.core.rentals.refunds import RefundInfo, explain_refund

if TYPE_CHECKING:
    from smspool_tui.api.models import RentalOffer
    from smspool_tui.clock import Clock
    from smspool_tui.core.loop import MonitorLoop
    from smspool_tui.core.rentals.client import RentalsClient
    from smspool_tui.core.rentals.poller import RentalsPoller, RentalsState


@dataclass(frozen=True, slots=True)
class LineService:
    """A service a single-service line can be bought for, with its own day prices."""

    id: int
    name: str
    prices: tuple[DayPrice, ...] = ()


class RentalExtras:
    client: RentalsClient
    clock: Clock
    state: RentalsState
    poller: RentalsPoller
    loop: MonitorLoop
    _changing: set[str]
    _extend_prices: dict[str, dict[int, Decimal]]  # what an extension of `days` cost

    def _publish(self) -> None:
        raise NotImplementedError

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
        self._extend_prices[code] = table
        return ExtendOptions(day_prices(table))

    # ---- auto-extend -------------------------------------------------------------------------

    async def auto_extend_price(self, code: str) -> DayPrice | None:
        """What one automatic renewal costs: the line's shortest extension price (SMSPool
        does not say which period it renews by), or None when no price is offered."""
        options = await self.extend_options(code)
        return options.prices[0] if options.prices else None

    async def set_auto_extend(self, code: str, on: bool) -> Rental:
        """Turn auto-extend on or off. The API only flips it, so the state is read first: a
        rental already as wanted is left alone. Raises NotConfirmed when the answer is lost."""
        rental = self._require(code)
        status = await self.client.rental_status(code)
        if bool(status.auto_extend) != on:
            self._changing.add(code)
            try:
                result = await self.client.rental_auto_extend(code)
            except UNCLEAR as err:
                self.state.status_due[code] = 0.0  # the next cycle re-reads it
                self.loop.wake()
                raise NotConfirmed(
                    f"Auto-extend change not confirmed ({describe(err)}): its state is re-read "
                    "from the server - check it before changing it again"
                ) from err
            finally:
                self._changing.discard(code)
            now_on = result.auto_extend
        else:
            now_on = bool(status.auto_extend)
        rental = replace(self.state.rentals.get(code, rental), auto_extend=now_on)
        self.poller.save(rental)
        self.state.rentals[code] = rental
        self._publish()
        return rental

    # ---- a stuck line ------------------------------------------------------------------------

    async def reset(self, code: str) -> str:
        """rental/reset (free, never retried); returns the server's message, raises its
        refusal ("You cannot reset the port for this type of rental.")."""
        self._require(code)
        result = await self.client.reset_rental(code)
        self.state.status_due[code] = 0.0  # availability is re-read next cycle
        self.loop.wake()
        return result.message or "The port has been reset."

    # ---- before buying -----------------------------------------------------------------------

    async def stock(
        self, offer: RentalOffer, days: int, service_id: int | None = None
    ) -> int | None:
        """Numbers left on this line for `days` (rental/stock); None when it cannot be read."""
        try:
            return (await self.client.rental_stock(offer.id, days, service_id)).count
        except ApiError:
            return None

    async def line_services(self, offer: RentalOffer) -> list[LineService]:
        """The services a single-service line sells (rental/retrieve_services), by name."""
        found = await self.client.rental_services(offer.id)
        names = {s.id: " ".join(s.name.split()) for s in found}
        return sorted((LineService(i, n) for i, n in names.items()), key=lambda s: s.name.lower())

    async def service_prices(self, offer: RentalOffer, service: LineService) -> LineService:
        """That service's own day prices (rental/service_price); the line's single-service
        prices when the server names none."""
        table: dict[int, Decimal] = {}
        with contextlib.suppress(NotFound):
            table = (await self.client.rental_service_price(offer.id, service.id)).pricing
        return replace(service, prices=day_prices(table or offer.single_service))
