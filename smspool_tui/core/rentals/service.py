"""RentalsService: the rental catalog, my rentals (journal + rental/retrieve), purchase, refund
and extend; the poller (poller.py) fetches each rental's messages on the shared MonitorLoop.

Rules this file keeps:
- The rental_code is the only key to a paid rental: it goes into the journal before any event
  is emitted or the purchase returns. A purchase is one request, never retried; its intent is
  journaled before the request, and an unclear outcome is reconciled through rental/retrieve
  (and shown meanwhile as an "unknown" row).
- A refund or extension whose answer was lost is "not confirmed - check", never "refused".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError, NotFound
from smspool_tui.api.models import RentalOffer
from smspool_tui.clock import Clock
from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.events import RentalsChanged
from smspool_tui.core.intents import IntentLedger
from smspool_tui.core.loop import MonitorLoop, describe
from smspool_tui.core.rental_model import REFUNDED, UNKNOWN, Rental, from_record
from smspool_tui.core.rentals.client import UNCLEAR, RentalsClient
from smspool_tui.core.rentals.extras import RentalExtras
from smspool_tui.core.rentals.poller import RentalsPoller, RentalsState, display_order
from smspool_tui.core.rentals.spend import RentalSpend, rental_spend

if TYPE_CHECKING:
    from smspool_tui.core.journal import Intent, Journal, StoredMessage

log = logging.getLogger(__name__)

Emit = Callable[[object], None]
INTENT_PREFIX = "intent:"


class PurchaseUnknown(NotConfirmed):
    """The request failed in transit: it may or may not have gone through (and been charged)."""


def _no_emit(_event: object) -> None:
    return None


def intent_rental(intent: Intent) -> Rental:
    """The row a rental purchase of unknown outcome shows until rental/retrieve settles it."""
    p = intent.params
    price = p.get("price")
    return Rental(
        code=f"{INTENT_PREFIX}{intent.id}",
        country=str(p.get("name") or ""),
        rental_id=p.get("id"),
        days=p.get("days"),
        purchased_at=intent.created_at,
        cost=Decimal(str(price)) if price is not None else None,
        state=UNKNOWN,
    )


class RentalsService(RentalExtras):
    def __init__(
        self,
        client: RentalsClient,
        journal: Journal,
        clock: Clock,
        *,
        poll_interval: float = 5.0,
        slow_every: int = 6,
        mine_every: int = 120,
        poll_client: RentalsClient | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.clock = clock
        # ISO code -> country name (set from the catalog by the session).
        self.country_name: Callable[[str], str | None] | None = None
        self.poll_interval = poll_interval
        self.state = RentalsState()
        self.ledger = IntentLedger(journal, "rental", clock)
        self._watchers: dict[str, frozenset[str]] = {}
        self._offers: dict[bool, list[RentalOffer]] = {}
        self._changing: set[str] = set()  # refunds and extensions whose answer is not back
        self._extend_prices: dict[str, dict[int, Decimal]] = {}  # the ledger's extension cost
        self._emit: Emit = _no_emit
        self.poller = RentalsPoller(
            poll_client or client,
            journal,
            self.ledger,
            clock,
            self.state,
            interval=lambda: self.poll_interval,
            slow_every=slow_every,
            mine_every=mine_every,
            emit=lambda event: self._emit(event),
            publish=self._publish,
            country_name=lambda: self.country_name,
        )
        self.loop = MonitorLoop("rentals", self.poller, clock, base_delay=poll_interval, cap=300.0)
        counts = journal.message_counts()
        for record in journal.rentals():
            total, unread = counts.get(record.rental_code, (0, 0))
            rental = replace(from_record(record), messages=total, unread=unread)
            self.state.rentals[record.rental_code] = rental

    # ---- the monitor -------------------------------------------------------------------------

    def attach(self, emit: Emit) -> None:
        """Where events go (also set by `run`)."""
        self._emit = emit

    async def run(self, emit: Emit) -> None:
        self._emit = emit
        emit(RentalsChanged(self.rentals()))  # the journal first: no waiting on the network
        await self.loop.run(emit)

    async def poll_once(self) -> None:
        await self.poller.poll_once()

    async def refresh_mine(self) -> bool:
        return await self.poller.refresh_mine()

    @property
    def cycle(self) -> int:
        return self.poller.cycle_no

    async def refresh_rental(self, code: str) -> int:
        """Poll one rental now (the inbox on open); returns the number of new messages."""
        rentals = self.state.rentals
        before = rentals[code].messages if code in rentals else 0
        if await self.poller.poll_rental(code):
            self._publish()
        after = rentals[code].messages if code in rentals else 0
        return after - before

    # ---- reading -----------------------------------------------------------------------------

    def rentals(self) -> tuple[Rental, ...]:
        """Live rentals first (newest purchase first), then ended and refunded ones; purchases
        of unknown outcome on top."""
        unknown = tuple(
            intent_rental(i) for i in self.ledger.open() if not self.ledger.in_flight(i.id)
        )
        return unknown + tuple(map(self._named, display_order(self.state, self.clock.now())))

    def get(self, code: str) -> Rental | None:
        rental = self.state.rentals.get(code)
        return None if rental is None else self._named(rental)

    def spend(self, code: str) -> RentalSpend:
        """What this rental has cost: purchase, paid extensions, refunds (the rental ledger)."""
        return rental_spend(self.journal.rental_events(code))

    def _named(self, rental: Rental) -> Rental:
        """A country stored as its ISO code ("US": rental/retrieve says no more) is shown by
        name as soon as the catalog cache knows it, not only after the next reconcile."""
        name = self.poller.country_of(rental.country)
        return rental if name == rental.country else replace(rental, country=name)

    def messages(self, code: str) -> list[StoredMessage]:
        """Newest first."""
        return self.journal.rental_messages(code)

    def mark_seen(self, code: str) -> None:
        rentals = self.state.rentals
        if code in rentals and rentals[code].unread:
            self.journal.mark_messages_seen(code)
            rentals[code] = self.poller.counted(rentals[code])
            self._publish()

    def set_watched(self, codes: Iterable[str], owner: str = "ui") -> None:
        """The rentals on screen: polled every cycle. Newly watched ones are polled at once.

        Each screen passes its own `owner`, so one screen hiding cannot unwatch another's."""
        self._watchers[owner] = frozenset(codes)
        watched = frozenset().union(*self._watchers.values())
        if watched - self.state.watched:
            self.loop.wake()
        self.state.watched = watched

    @property
    def watched(self) -> frozenset[str]:
        return self.state.watched

    def busy_reason(self) -> str | None:
        """Why closing the app now would leave a rental request without its answer."""
        reasons = []
        if self.ledger.in_flight_count:
            reasons.append(
                f"{self.ledger.in_flight_count} rental purchase(s) still waiting for an answer"
            )
        if self._changing:
            reasons.append(
                f"{len(self._changing)} rental refund(s) or extension(s) still waiting for an "
                "answer"
            )
        return "; ".join(reasons) or None

    # ---- catalog -----------------------------------------------------------------------------

    async def catalog(self, extendable: bool, *, refresh: bool = False) -> list[RentalOffer]:
        if refresh or extendable not in self._offers:
            try:
                offers = await self.client.rental_catalog(extendable)
            except NotFound:  # "No available rentals found for your search."
                offers = []
            self._offers[extendable] = sorted(offers, key=lambda o: (-o.priority, o.name, o.id))
        return self._offers[extendable]

    def offer_for(self, rental: Rental) -> RentalOffer | None:
        for offers in self._offers.values():
            for offer in offers:
                if offer.id == rental.rental_id:
                    return offer
        return None

    # ---- purchase ----------------------------------------------------------------------------

    async def purchase(
        self,
        offer: RentalOffer,
        days: int,
        service_id: int | None = None,
        *,
        price: Decimal | None = None,
        service_name: str = "",
    ) -> Rental:
        """Buy once. Raises the server's ApiError on a refusal, PurchaseUnknown if unclear.
        `price`: the service's own price on a single-service line (rental/service_price)."""
        table = offer.single_service if service_id is not None else offer.pricing
        price = price if price is not None else (table or {}).get(days)
        params = {
            "id": offer.id,
            "name": offer.name,
            "days": days,
            "service_id": service_id,
            "price": price,
        }
        intent = self.ledger.record(params)
        try:
            result = await self.client.purchase_rental(offer.id, days, service_id)
        except UNCLEAR as err:
            self._unknown(intent, describe(err))
            raise PurchaseUnknown(
                f"Rental purchase not confirmed ({describe(err)}): it may have gone through. It "
                "is shown as unknown and checked against your rentals on the server; do not buy "
                "again until then."
            ) from err
        except ApiError as err:
            self.ledger.landed(intent)
            self.ledger.failed(intent, describe(err))
            raise
        except BaseException:
            self._unknown(intent, "no answer")
            raise
        if not result.rental_code:
            self._unknown(intent, "answer without a rental code")
            raise PurchaseUnknown(
                "The server answered without a rental code; checking your rentals"
            )
        self.ledger.landed(intent)
        now = self.clock.now()
        rental = Rental(
            code=result.rental_code,
            number=result.phonenumber,
            country=offer.name,
            rental_id=offer.id,
            days=result.days or days,
            expires_at=result.expiry or now + timedelta(days=days),
            purchased_at=now,
            cost=Decimal(price) if price is not None else None,
            extendable=offer.extendable,
            service_id=service_id,
            service_name=service_name,
        )
        self.state.rentals[rental.code] = rental  # shown even if the write below fails
        self.poller.save(rental)  # the code is on disk before anything else happens
        self.ledger.done(intent, rental_code=rental.code)
        self.loop.wake()
        self._publish()
        return rental

    def _unknown(self, intent: int, why: str) -> None:
        self.ledger.landed(intent)
        self.ledger.unknown(intent, why)
        self.state.reconcile_due = True
        self.loop.wake()
        self._publish()

    # ---- refund and extend -------------------------------------------------------------------

    async def refund(self, code: str) -> str:
        """Ask for a refund (never retried). Returns the server's message; raises its refusal,
        or NotConfirmed when the answer was lost."""
        rental = self._require(code)
        self._changing.add(code)
        try:
            result = await self.client.refund_rental(code)
        except UNCLEAR as err:
            self.state.status_due[code] = 0.0  # the next cycle finds out (404 once refunded)
            self.loop.wake()
            raise NotConfirmed(
                f"Refund not confirmed ({describe(err)}) - check the rental before asking again"
            ) from err
        finally:
            self._changing.discard(code)
        rental = replace(self.state.rentals.get(code, rental), state=REFUNDED, available=False)
        self.poller.save(rental)
        self.state.rentals[code] = rental
        self._publish()
        return result.message or "Your rental has been refunded."

    async def extend(self, code: str, days: int) -> Rental:
        """Extend once (never retried); the new expiry comes from the server's answer."""
        rental = self._require(code)
        self._changing.add(code)
        try:
            result = await self.client.extend_rental(code, days)
        except UNCLEAR as err:
            self.state.status_due[code] = 0.0  # re-read the expiry from rental/retrieve_status
            self.loop.wake()
            raise NotConfirmed(
                f"Extension not confirmed ({describe(err)}): it may have gone through; the "
                "expiry will be re-read from the server - check before extending again"
            ) from err
        finally:
            self._changing.discard(code)
        rental = self.state.rentals.get(code, rental)
        base = max(rental.expires_at or self.clock.now(), self.clock.now())
        expires = result.expiration_date or base + timedelta(days=days)
        total = rental.days + days if rental.days is not None else None  # unknown stays unknown
        rental = replace(rental, expires_at=expires, days=total, extended=True)
        self.poller.save(rental)
        self.state.rentals[code] = rental
        price = self._extend_prices.get(code, {}).get(days)  # else rental/history tells it
        try:  # for the stats' ledger
            self.journal.add_rental_event(code, "extend", price, days=days)
        except Exception:  # paid and saved already: only the ledger line is lost
            log.exception("rental extension of %s not journaled", code)
        self._publish()
        return rental

    # ---- helpers -----------------------------------------------------------------------------

    def _require(self, code: str) -> Rental:
        rental = self.state.rentals.get(code)
        if rental is None:
            raise KeyError(code)
        return rental

    def _publish(self) -> None:
        self._emit(RentalsChanged(self.rentals()))
