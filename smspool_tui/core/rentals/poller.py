"""The rentals poller: rental/retrieve when due (which also settles purchase intents of unknown
outcome), then each rental due this cycle: rental/retrieve_status before
rental/retrieve_messages (the API asks so), status re-checked when `activeFor` runs out, or at
least every STATUS_MAX_AGE seconds. Watched rentals (on screen) every cycle, the others once
every `slow_every` cycles, staggered. One rental's odd refusal never starves the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.api.errors import NotFound
from smspool_tui.clock import Clock
from smspool_tui.core import events as ev
from smspool_tui.core.codes import extract_code
from smspool_tui.core.intents import IntentLedger
from smspool_tui.core.loop import Isolation
from smspool_tui.core.rental_model import (
    ENDED,
    REFUNDED,
    Rental,
    dedupable,
    msg_order,
    to_record,
)

if TYPE_CHECKING:
    from smspool_tui.api.models import MyRental
    from smspool_tui.core.journal import Journal
    from smspool_tui.core.rentals.client import RentalsClient

STATUS_MAX_AGE = 300.0  # seconds; re-check availability at least this often
STALE_INTENT = timedelta(hours=24)


@dataclass
class RentalsState:
    """What the service and the poller share: my rentals and when each is next due."""

    rentals: dict[str, Rental] = field(default_factory=dict)
    status_due: dict[str, float] = field(default_factory=dict)  # monotonic re-read time
    watched: frozenset[str] = frozenset()
    reconcile_due: bool = True
    info_asked: set[str] = field(default_factory=set)  # rental/info once per rental and run


def plain_name(text: str | None) -> str:
    """Service names come with stray spaces ("Nordstrom ")."""
    return " ".join((text or "").split())


def display_order(state: RentalsState, now: datetime) -> tuple[Rental, ...]:
    """Live rentals first (newest purchase first), then ended and refunded ones."""

    def key(r: Rental) -> tuple[bool, float, str]:
        bought = r.purchased_at.timestamp() if r.purchased_at else 0.0
        return (not r.is_live or r.is_expired(now), -bought, r.code)

    return tuple(sorted(state.rentals.values(), key=key))


class RentalsPoller:
    def __init__(
        self,
        client: RentalsClient,
        journal: Journal,
        ledger: IntentLedger,
        clock: Clock,
        state: RentalsState,
        *,
        interval: Callable[[], float],
        slow_every: int,
        mine_every: int,
        emit: Callable[[object], None],
        publish: Callable[[], None],
        country_name: Callable[[], Callable[[str], str | None] | None],
    ) -> None:
        self.client = client
        self.journal = journal
        self.ledger = ledger
        self.clock = clock
        self.state = state
        self._interval = interval
        self.slow_every = max(1, slow_every)
        self.mine_every = max(1, mine_every)
        self._emit = emit
        self._publish = publish
        self._country_name = country_name
        self.cycle_no = 0

    async def cycle(self) -> None:
        await self.poll_once()

    def next_delay(self) -> float:
        return self._interval()

    async def poll_once(self) -> None:
        """One cycle: rental/retrieve when due, then the rentals due this cycle."""
        cycle = self.cycle_no
        self.cycle_no += 1
        changed = False
        listed = self.state.reconcile_due or cycle % self.mine_every == 0
        if listed:
            changed |= await self.refresh_mine()
        items = Isolation()
        now = self.clock.now()
        live = [r for r in display_order(self.state, now) if r.is_live and not r.is_expired(now)]
        for index, rental in enumerate(live):
            watched = rental.code in self.state.watched
            if watched or (cycle + index) % self.slow_every == 0:
                done = await items.run(f"rental {rental.code}", self.poll_rental(rental.code))
                changed |= bool(done)
                if done is None:  # its odd refusal: read its status afresh next time
                    self.state.status_due[rental.code] = 0.0
        if changed:
            self._publish()
        if not listed:
            items.raise_if_all_unreachable()

    async def poll_rental(self, code: str) -> bool:
        rental = self.state.rentals[code]
        changed = False
        now_m = self.clock.monotonic()
        if rental.available is not True or now_m >= self.state.status_due.get(code, 0.0):
            try:
                status = await self.client.rental_status(code)
            except NotFound:
                return self._ended(code)
            wait = min(max(status.active_for, 0), STATUS_MAX_AGE)
            self.state.status_due[code] = now_m + wait
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
                    self.save(updated)
                rental = self.state.rentals[code] = updated
        if not rental.available:
            return changed  # the API asks: no messages until the number is available
        try:
            fetched = await self.client.rental_messages(code)
        except NotFound:
            return self._ended(code)
        new = self.journal.add_rental_messages(code, dedupable(fetched))
        if not new:
            return changed
        self.state.rentals[code] = self.counted(self.state.rentals[code])
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
        rental = self.state.rentals[code]
        if rental.state:
            return False
        rental = replace(rental, state=ENDED, available=False)
        self.save(rental)
        self.state.rentals[code] = rental
        return True

    async def refresh_mine(self) -> bool:
        """Merge rental/retrieve into the journal (nothing shown twice, nothing lost) and settle
        purchase intents whose outcome was unclear. Returns True if anything changed."""
        try:
            mine = await self.client.my_rentals()
        except NotFound:  # "no rentals"
            mine = []
        self.state.reconcile_due = False
        changed = False
        adopted: list[str] = []
        for row in mine:
            old = self.state.rentals.get(row.rental_code)
            if old is None:
                rental = Rental(
                    code=row.rental_code,
                    number=row.phonenumber,
                    country=self.country_of(row.country_name or ""),
                    rental_id=row.rental,
                    expires_at=row.expiration_date,
                    extendable=row.type == 1,
                )
                adopted.append(row.rental_code)
            else:
                rental = replace(
                    old,
                    number=old.number or row.phonenumber,
                    country=self.country_of(old.country or row.country_name or ""),
                    rental_id=old.rental_id if old.rental_id is not None else row.rental,
                    expires_at=row.expiration_date or old.expires_at,
                    state="" if old.state == ENDED else old.state,  # listed again: it lives
                )
            if rental != old:
                self.save(rental)
                self.state.rentals[rental.code] = self.counted(rental)
                changed = True
        changed |= self._settle_intents(adopted)
        items = Isolation()
        for row in mine:
            changed |= bool(await items.run(f"rental {row.rental_code}", self.adopt(row)))
        return changed

    async def adopt(self, row: MyRental) -> bool:
        """A rental that came from rental/retrieve (bought elsewhere, or before a restart that
        lost its price) takes its price, service and auto-extend from rental/info, once."""
        code = row.rental_code
        rental = self.state.rentals.get(code)
        if rental is None or rental.cost is not None or code in self.state.info_asked:
            return False
        try:
            info = await self.client.rental_info(code)
        except NotFound:
            self.state.info_asked.add(code)
            return False
        self.state.info_asked.add(code)  # a failure in transit: asked again next time
        expires = info.expiration_date or rental.expires_at
        # Its length stays unknown (rental/info does not say): the board shows the days left,
        # and the refund rules do not guess a length from them.
        updated = replace(
            rental,
            cost=info.price,
            service_id=info.service or rental.service_id,  # 0: not a single-service line
            service_name=plain_name(info.service_name) or rental.service_name,
            auto_extend=info.auto_extend,
            expires_at=expires,
            rental_id=rental.rental_id if rental.rental_id is not None else info.rental,
            state=REFUNDED if info.refund else rental.state,
        )
        if updated == rental:
            return False
        self.save(updated)
        self.state.rentals[code] = updated
        return True

    def country_of(self, text: str) -> str:
        """rental/retrieve names the country by ISO code ("US"); show the name when known."""
        lookup = self._country_name()
        if lookup is not None and len(text) == 2 and text.isupper():
            return lookup(text) or text
        return text

    def _settle_intents(self, adopted: list[str]) -> bool:
        changed = False
        free = list(adopted)
        for intent in self.ledger.open():
            if self.ledger.in_flight(intent.id):
                continue
            rentals = self.state.rentals
            match = next((c for c in free if rentals[c].rental_id == intent.params.get("id")), None)
            if match is not None:
                free.remove(match)
                price = intent.params.get("price")
                rental = replace(
                    rentals[match],
                    days=rentals[match].days or intent.params.get("days"),
                    cost=rentals[match].cost
                    or (Decimal(str(price)) if price is not None else None),
                    purchased_at=rentals[match].purchased_at or intent.created_at,
                    service_id=intent.params.get("service_id"),
                )
                self.save(rental)
                rentals[match] = self.counted(rental)
                self.ledger.done(intent.id, rental_code=match)
                changed = True
            elif self.clock.now() - intent.created_at > STALE_INTENT:
                self.ledger.failed(intent.id, "not among your rentals a day later")
                changed = True
        return changed

    def counted(self, rental: Rental) -> Rental:
        total, unread = self.journal.message_counts([rental.code]).get(rental.code, (0, 0))
        return replace(rental, messages=total, unread=unread)

    def save(self, rental: Rental) -> None:
        self.journal.save_rental(to_record(rental))
