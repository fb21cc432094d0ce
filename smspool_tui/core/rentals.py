"""RentalsService: the rental catalog, my rentals (journal + rental/retrieve), purchase, refund,
extend, and the monitor that fetches each rental's messages.

Rules this file keeps:
- The rental_code is the only key to a paid rental: it goes into the journal before any event
  is emitted or the purchase returns. A purchase is one request, never retried; its intent is
  journaled before the request, and an unclear outcome is reconciled through rental/retrieve.
- rental/retrieve_status comes before rental/retrieve_messages (the API asks so); status is
  re-checked when `activeFor` runs out, or at least every STATUS_MAX_AGE seconds.
- Requests stay bounded as rentals grow: watched rentals (on screen) are polled every cycle,
  the others once every `slow_every` cycles, staggered so they don't all fall on one cycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from smspool_tui.api.errors import (
    ApiError,
    AuthError,
    BadResponse,
    NotFound,
    ServerError,
    TransportError,
)
from smspool_tui.api.models import MyRental, RentalOffer
from smspool_tui.clock import Clock
from smspool_tui.core import events as ev
from smspool_tui.core.codes import extract_code
from smspool_tui.core.journal import Journal, StoredMessage
from smspool_tui.core.monitor import Backoff, describe, sleep_or_wake
from smspool_tui.core.rental_model import (
    ENDED,
    REFUNDED,
    ExtendOptions,
    RefundInfo,
    Rental,
    day_prices,
    dedupable,
    explain_refund,
    from_record,
    msg_order,
    to_record,
)

log = logging.getLogger(__name__)

Emit = Callable[[object], None]
STATUS_MAX_AGE = 300.0  # seconds; re-check availability at least this often
STALE_INTENT = timedelta(hours=24)
UNCLEAR = (TransportError, ServerError, BadResponse)  # the request may have been carried out


class PurchaseUnknown(Exception):
    """The request failed in transit: it may or may not have gone through (and been charged)."""


def _no_emit(_event: object) -> None:
    return None


class RentalsService:
    def __init__(
        self,
        client: object,
        journal: Journal,
        clock: Clock,
        *,
        poll_interval: float = 5.0,
        slow_every: int = 6,
        mine_every: int = 120,
    ) -> None:
        self.client = client  # SMSPoolClient; typed loosely so tests can hand in a fake
        self.journal = journal
        self.clock = clock
        # ISO code -> country name (set from the catalog by the session).
        self.country_name: Callable[[str], str | None] | None = None
        self.poll_interval = poll_interval
        self.slow_every = max(1, slow_every)
        self.mine_every = max(1, mine_every)
        self.cycle = 0
        self._rentals: dict[str, Rental] = {}
        self._status_due: dict[str, float] = {}  # monotonic time the status must be re-read
        self._watched: frozenset[str] = frozenset()
        self._watchers: dict[str, frozenset[str]] = {}
        self._offers: dict[bool, list[RentalOffer]] = {}
        self._inflight: set[int] = set()
        self._reconcile_due = True
        self._wake = asyncio.Event()
        self._emit: Emit = _no_emit
        for record in journal.rentals():
            self._rentals[record.rental_code] = self._counted(from_record(record))

    # ---- reading -------------------------------------------------------------------------------

    def rentals(self) -> tuple[Rental, ...]:
        """Live rentals first (newest purchase first), then ended and refunded ones."""
        now = self.clock.now()

        def key(r: Rental) -> tuple[bool, float, str]:
            bought = r.purchased_at.timestamp() if r.purchased_at else 0.0
            return (not r.is_live or r.is_expired(now), -bought, r.code)

        return tuple(sorted(self._rentals.values(), key=key))

    def get(self, code: str) -> Rental | None:
        return self._rentals.get(code)

    def messages(self, code: str) -> list[StoredMessage]:
        """Newest first."""
        return self.journal.rental_messages(code)

    def mark_seen(self, code: str) -> None:
        if code in self._rentals and self._rentals[code].unread:
            self.journal.mark_messages_seen(code)
            self._rentals[code] = self._counted(self._rentals[code])
            self._publish()

    def set_watched(self, codes: Iterable[str], owner: str = "ui") -> None:
        """The rentals on screen: polled every cycle. Newly watched ones are polled at once.

        Each screen passes its own `owner`, so one screen hiding cannot unwatch another's."""
        self._watchers[owner] = frozenset(codes)
        watched = frozenset().union(*self._watchers.values())
        if watched - self._watched:
            self._wake.set()
        self._watched = watched

    @property
    def watched(self) -> frozenset[str]:
        return self._watched

    # ---- catalog -------------------------------------------------------------------------------

    async def catalog(self, extendable: bool, *, refresh: bool = False) -> list[RentalOffer]:
        if refresh or extendable not in self._offers:
            try:
                offers = await self.client.rental_catalog(extendable)  # type: ignore[attr-defined]
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

    # ---- purchase ------------------------------------------------------------------------------

    async def purchase(
        self, offer: RentalOffer, days: int, service_id: int | None = None
    ) -> Rental:
        """Buy once. Raises the server's ApiError on a refusal, PurchaseUnknown if unclear."""
        table = offer.single_service if service_id is not None else offer.pricing
        price = (table or {}).get(days)
        params = {"id": offer.id, "days": days, "service_id": service_id, "price": price}
        intent = self.journal.record_intent("rental", params)
        self._inflight.add(intent)
        try:
            result = await self.client.purchase_rental(offer.id, days, service_id)  # type: ignore[attr-defined]
        except UNCLEAR as err:
            self.journal.mark_intent_unknown(intent, describe(err))
            self._reconcile_soon()
            raise PurchaseUnknown(
                f"{describe(err)}. The rental may or may not have been bought; it will be "
                "checked against your rentals on the server. Do not buy again until then."
            ) from err
        except ApiError as err:
            self.journal.fail_intent(intent, describe(err))
            raise
        finally:
            self._inflight.discard(intent)
        if not result.rental_code:
            self.journal.mark_intent_unknown(intent, "answer without a rental code")
            self._reconcile_soon()
            raise PurchaseUnknown(
                "The server answered without a rental code; checking your rentals"
            )
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
        )
        self._save(rental)  # the code is on disk before anything else happens
        self.journal.complete_intent(intent, rental_code=rental.code)
        self._rentals[rental.code] = rental
        self._wake.set()
        self._publish()
        return rental

    def _reconcile_soon(self) -> None:
        self._reconcile_due = True
        self._wake.set()

    # ---- refund and extend ---------------------------------------------------------------------

    async def refund_info(self, code: str) -> RefundInfo:
        rental = self._require(code)
        offer = self.offer_for(rental)
        if offer is None and rental.rental_id is not None:
            # Without the catalog the rules still hold; only the line's own window is missing.
            with contextlib.suppress(ApiError):
                await self.catalog(rental.extendable)
            offer = self.offer_for(rental)
        return explain_refund(rental, offer, self.clock.now())

    async def refund(self, code: str) -> str:
        """Ask for a refund (never retried). Returns the server's message; raises its refusal."""
        rental = self._require(code)
        try:
            result = await self.client.refund_rental(code)  # type: ignore[attr-defined]
        except UNCLEAR:
            self._status_due[code] = 0.0  # the next cycle finds out (404 once refunded)
            raise
        rental = replace(self._rentals.get(code, rental), state=REFUNDED, available=False)
        self._save(rental)
        self._rentals[code] = rental
        self._publish()
        return result.message or "Your rental has been refunded."

    async def extend_options(self, code: str) -> ExtendOptions:
        rental = self._require(code)
        if not rental.extendable:
            return ExtendOptions(note="This is a non-extendable rental.")
        table: dict[int, Decimal] = {}
        if rental.service_id is None and rental.rental_id is not None:
            table = (await self.client.rental_pricing(rental.rental_id)).extend  # type: ignore[attr-defined]
        if not table:
            await self.catalog(True)
            offer = self.offer_for(rental)
            if offer is not None:
                single = offer.single_service_extend if rental.service_id is not None else None
                table = single or offer.pricing
        if not table:
            return ExtendOptions(note="No extension prices are offered for this rental.")
        return ExtendOptions(day_prices(table))

    async def extend(self, code: str, days: int) -> Rental:
        """Extend once (never retried); the new expiry comes from the server's answer."""
        rental = self._require(code)
        try:
            result = await self.client.extend_rental(code, days)  # type: ignore[attr-defined]
        except UNCLEAR as err:
            self._status_due[code] = 0.0  # re-read the expiry from rental/retrieve_status
            self._wake.set()
            raise PurchaseUnknown(
                f"{describe(err)}. The extension may or may not have gone through; the expiry "
                "will be re-read from the server."
            ) from err
        rental = self._rentals.get(code, rental)
        base = max(rental.expires_at or self.clock.now(), self.clock.now())
        expires = result.expiration_date or base + timedelta(days=days)
        total = rental.days + days if rental.days is not None else None  # unknown stays unknown
        rental = replace(rental, expires_at=expires, days=total)
        self._save(rental)
        self._rentals[code] = rental
        self._publish()
        return rental

    # ---- the monitor ---------------------------------------------------------------------------

    async def run(self, emit: Emit) -> None:
        """Poll forever: one cycle, then sleep poll_interval (or less when woken)."""
        self._emit = emit
        emit(ev.RentalsChanged(self.rentals()))  # the journal first: no waiting on the network
        backoff = Backoff(self.poll_interval, cap=300.0)
        online = True
        while True:
            try:
                await self.poll_once()
            except ApiError as err:
                delay = backoff.delay(err)
                online = False
                emit(ev.MonitorHealth("rentals", False, f"rentals: {describe(err)}", delay))
                await self.clock.sleep(delay)
                continue
            if not online:
                online = True
                backoff.reset()
                emit(ev.MonitorHealth("rentals", True, ""))
            await sleep_or_wake(self.clock, self.poll_interval, self._wake)

    async def poll_once(self) -> None:
        """One cycle: rental/retrieve when due, then the rentals due this cycle."""
        cycle = self.cycle
        self.cycle += 1
        changed = False
        if self._reconcile_due or cycle % self.mine_every == 0:
            changed |= await self.refresh_mine()
        now = self.clock.now()
        live = [r for r in self.rentals() if r.is_live and not r.is_expired(now)]
        for index, rental in enumerate(live):
            watched = rental.code in self._watched
            if watched or (cycle + index) % self.slow_every == 0:
                try:
                    changed |= await self._poll_rental(rental.code)
                except ApiError as err:
                    if err.retryable or isinstance(err, AuthError):
                        raise  # the connection or the key: the whole monitor backs off
                    # One rental's odd refusal must not starve the others.
                    log.warning("rental %s: %s", rental.code, describe(err))
                    self._status_due[rental.code] = 0.0
        if changed:
            self._publish()

    async def refresh_rental(self, code: str) -> int:
        """Poll one rental now (the inbox on open); returns the number of new messages."""
        before = self._rentals[code].messages if code in self._rentals else 0
        if await self._poll_rental(code):
            self._publish()
        after = self._rentals[code].messages if code in self._rentals else 0
        return after - before

    async def _poll_rental(self, code: str) -> bool:
        rental = self._rentals[code]
        changed = False
        now_m = self.clock.monotonic()
        if rental.available is not True or now_m >= self._status_due.get(code, 0.0):
            try:
                status = await self.client.rental_status(code)  # type: ignore[attr-defined]
            except NotFound:
                return self._ended(code)
            wait = min(max(status.active_for, 0), STATUS_MAX_AGE)
            self._status_due[code] = now_m + wait
            updated = replace(
                rental,
                available=status.available,
                active_for=status.active_for,
                auto_extend=status.auto_extend,
                expires_at=status.expiry or rental.expires_at,
                number=status.phonenumber or rental.number,
            )
            if updated != rental:
                changed = True
                if (updated.expires_at, updated.number) != (rental.expires_at, rental.number):
                    self._save(updated)
                rental = self._rentals[code] = updated
        if not rental.available:
            return changed  # the API asks: no messages until the number is available
        try:
            fetched = await self.client.rental_messages(code)  # type: ignore[attr-defined]
        except NotFound:
            return self._ended(code)
        new = self.journal.add_rental_messages(code, dedupable(fetched))
        if not new:
            return changed
        self._rentals[code] = self._counted(self._rentals[code])
        newest = sorted(new, key=msg_order, reverse=True)
        self._emit(
            ev.RentalMessageArrived(
                rental_code=code,
                number=rental.number,
                messages=tuple(newest),
                code=extract_code(newest[0].text),
            )
        )
        return True

    def _ended(self, code: str) -> bool:
        rental = self._rentals[code]
        if rental.state:
            return False
        rental = replace(rental, state=ENDED, available=False)
        self._save(rental)
        self._rentals[code] = rental
        return True

    async def refresh_mine(self) -> bool:
        """Merge rental/retrieve into the journal (nothing shown twice, nothing lost) and settle
        purchase intents whose outcome was unclear. Returns True if anything changed."""
        try:
            mine: list[MyRental] = await self.client.my_rentals()  # type: ignore[attr-defined]
        except NotFound:  # "no rentals"
            mine = []
        self._reconcile_due = False
        changed = False
        adopted: list[str] = []
        for row in mine:
            old = self._rentals.get(row.rental_code)
            if old is None:
                rental = Rental(
                    code=row.rental_code,
                    number=row.phonenumber,
                    country=self._country(row.country_name or ""),
                    rental_id=row.rental,
                    expires_at=row.expiration_date,
                    extendable=row.type == 1,
                )
                adopted.append(row.rental_code)
            else:
                rental = replace(
                    old,
                    number=old.number or row.phonenumber,
                    country=self._country(old.country or row.country_name or ""),
                    rental_id=old.rental_id if old.rental_id is not None else row.rental,
                    expires_at=row.expiration_date or old.expires_at,
                    state="" if old.state == ENDED else old.state,  # listed again: it lives
                )
            if rental != old:
                self._save(rental)
                self._rentals[rental.code] = self._counted(rental)
                changed = True
        changed |= self._settle_intents(adopted)
        return changed

    def _country(self, text: str) -> str:
        """rental/retrieve names the country by ISO code ("US"); show the name when known."""
        if self.country_name is not None and len(text) == 2 and text.isupper():
            return self.country_name(text) or text
        return text

    def _settle_intents(self, adopted: list[str]) -> bool:
        changed = False
        free = list(adopted)
        for intent in self.journal.open_intents("rental"):
            if intent.id in self._inflight:
                continue
            match = next(
                (c for c in free if self._rentals[c].rental_id == intent.params.get("id")), None
            )
            if match is not None:
                free.remove(match)
                rental = self._rentals[match]
                price = intent.params.get("price")
                rental = replace(
                    rental,
                    days=rental.days or intent.params.get("days"),
                    cost=rental.cost or (Decimal(str(price)) if price is not None else None),
                    purchased_at=rental.purchased_at or intent.created_at,
                    service_id=intent.params.get("service_id"),
                )
                self._save(rental)
                self._rentals[match] = self._counted(rental)
                self.journal.complete_intent(intent.id, rental_code=match)
                changed = True
            elif self.clock.now() - intent.created_at > STALE_INTENT:
                self.journal.fail_intent(intent.id, "not among your rentals a day later")
        return changed

    # ---- helpers -------------------------------------------------------------------------------

    def _require(self, code: str) -> Rental:
        rental = self._rentals.get(code)
        if rental is None:
            raise KeyError(code)
        return rental

    def _counted(self, rental: Rental) -> Rental:
        msgs = self.journal.rental_messages(rental.code)
        unread = sum(1 for m in msgs if not m.seen)
        return replace(rental, messages=len(msgs), unread=unread)

    def _save(self, rental: Rental) -> None:
        self.journal.save_rental(to_record(rental))

    def _publish(self) -> None:
        self._emit(ev.RentalsChanged(self.rentals()))
