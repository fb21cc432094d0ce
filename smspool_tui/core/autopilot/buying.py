"""One purchase decision of the autopilot: may it buy now, which candidate, and the purchase
itself through `OrdersService.purchase` (journaled first, sent once, never retried)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from smspool_tui.api.errors import (
    ApiError,
    AuthError,
    InsufficientBalance,
    OutOfStock,
    PriceNotFound,
)
from smspool_tui.core.autopilot.events import AttemptBought, AttemptStarted, AutopilotNotice
from smspool_tui.core.autopilot.health import health_stop
from smspool_tui.core.autopilot.model import (
    BUYING,
    LIVE,
    NOT_BOUGHT,
    REFUSED,
    UNKNOWN,
    Attempt,
    AutopilotResult,
)
from smspool_tui.core.autopilot.ranking import Candidate
from smspool_tui.core.errors import DuplicateRisk
from smspool_tui.core.loop import describe
from smspool_tui.core.orders import PurchaseOutcomeUnknown

if TYPE_CHECKING:
    from smspool_tui.core.autopilot.runner import Autopilot

log = logging.getLogger(__name__)


def _key(c: Candidate) -> tuple[int, int | None]:
    return (c.country_id, c.pool)


class Buyer:
    def __init__(self, pilot: Autopilot) -> None:
        self.pilot = pilot
        self.dropped: dict[tuple[int, int | None], str] = {}  # candidate -> why, nothing spent
        self._waiting_note = ""

    @property
    def limit(self) -> int:
        """At most this many purchases (one pass over the candidates without max_attempts)."""
        p = self.pilot
        return p.plan.max_attempts or max(1, len(p.candidates))

    def _tries(self) -> dict[tuple[int, int | None], int]:
        tries: dict[tuple[int, int | None], int] = {}
        for a in self.pilot.attempts:
            if a.state not in (REFUSED, NOT_BOUGHT) and a.country_id is not None:
                tries[(a.country_id, a.pool)] = tries.get((a.country_id, a.pool), 0) + 1
        return tries

    def _pick(self) -> list[Candidate]:
        """Candidates still worth a purchase, in the order to try them."""
        p = self.pilot
        tries = self._tries()
        live = {(a.country_id, a.pool) for a in p.open_attempts()}
        fresh = [c for c in p.candidates if _key(c) not in self.dropped and _key(c) not in live]
        if p.plan.max_attempts is None:
            fresh = [c for c in fresh if tries.get(_key(c), 0) == 0]
        order = {_key(c): i for i, c in enumerate(p.candidates)}
        return sorted(fresh, key=lambda c: (tries.get(_key(c), 0), order[_key(c)]))

    def _note(self, text: str) -> None:
        if text != self._waiting_note:
            self._waiting_note = text
            self.pilot.emit(AutopilotNotice(self.pilot.run_id, text))

    async def maybe_buy(self) -> AutopilotResult | None:
        p = self.pilot
        open_now = p.open_attempts()
        if len(open_now) >= p.plan.race:
            return None
        finish = p.finish if not open_now else None
        if p.purchases >= self.limit:
            if finish:
                return finish("exhausted", f"{p.purchases} attempt(s) made without a code")
            return None
        sick = health_stop(p.journal, p.clock.now(), p.health)
        if sick:
            if finish:
                return finish("health", sick)
            return None
        for candidate in self._pick():
            room = None if p.plan.budget is None else p.plan.budget - p.held - p.spent
            if room is not None and candidate.price > room:
                if p.held > 0:  # a number still holds money: wait for it to be refunded
                    self._note(
                        f"waiting: ${p.held} held until its cancel is confirmed "
                        f"(budget ${p.plan.budget})"
                    )
                    return None
                self.dropped[_key(candidate)] = f"${candidate.price} is more than the budget left"
                continue
            if not await self._in_stock(candidate):
                self.dropped[_key(candidate)] = "out of stock"
                p.emit(AutopilotNotice(p.run_id, f"skipped {candidate.label}: out of stock"))
                continue
            return await self.buy(candidate)
        if open_now:
            return None
        if p.purchases:
            return p.finish(
                "exhausted", f"{p.purchases} attempt(s) made without a code; {self._why()}"
            )
        return p.finish("nothing_to_buy", f"nothing to buy: {self._why()}")

    def _why(self) -> str:
        reasons = sorted(set(self.dropped.values()))
        return "; ".join(reasons) or "every candidate was tried"

    async def _in_stock(self, candidate: Candidate) -> bool:
        p = self.pilot
        try:
            amount = await p.catalog.stock(candidate.country_id, p.plan.service_id, candidate.pool)
        except ApiError as exc:  # the purchase itself will say if it is out of stock
            log.info("stock unavailable for %s: %s", candidate.label, exc)
            return True
        return amount > 0

    async def buy(self, candidate: Candidate) -> AutopilotResult | None:
        p = self.pilot
        price = candidate.price
        if p.plan.max_price is not None:
            price = min(price, p.plan.max_price)
        n = p.purchases + 1
        p.emit(
            AttemptStarted(
                p.run_id,
                n,
                self.limit,
                candidate.country_id,
                candidate.country,
                candidate.pool,
                candidate.pool_name,
                price,
                str(candidate.to_json()["score"]),
                p.held + price,
                p.plan.budget,
            )
        )
        row = p.journal.add_attempt(
            p.run_id,
            n,
            country_id=candidate.country_id,
            country=candidate.country,
            pool=candidate.pool,
            price=price,
            state=BUYING,
        )
        attempt = Attempt(
            n,
            candidate.country_id,
            candidate.country,
            candidate.pool,
            price,
            BUYING,
            started_at=p.clock.now(),
            id=row,
        )
        p.attempts.append(attempt)
        try:
            order = await p.orders.purchase(
                candidate.country_id,
                p.plan.service_id,
                country_name=candidate.country,
                service_name=p.plan.service_name,
                pool=candidate.pool,
                max_price=price,
            )
        except DuplicateRisk as exc:
            self._end(attempt, NOT_BOUGHT, f"not sent: {exc}")
            p.drain("unknown", f"an earlier purchase is not settled ({exc})")
            return None
        except PurchaseOutcomeUnknown as exc:
            p.keep(p.update(attempt, state=UNKNOWN, intent_id=exc.intent_id, why=str(exc)))
            p.drain("unknown", f"attempt {n}: {exc}", until_settled=True)
            return None
        except InsufficientBalance as exc:
            self._end(attempt, REFUSED, describe(exc))
            p.drain("balance", f"insufficient balance ({describe(exc)})")
            return None
        except AuthError as exc:
            self._end(attempt, REFUSED, describe(exc))
            p.drain("key", f"the API key was rejected ({describe(exc)})")
            return None
        except (OutOfStock, PriceNotFound) as exc:
            self._end(attempt, REFUSED, describe(exc))
            self.dropped[_key(candidate)] = (
                "out of stock" if isinstance(exc, OutOfStock) else f"no price under ${price}"
            )
            return None
        except ApiError as exc:
            self._end(attempt, REFUSED, describe(exc))
            self.dropped[_key(candidate)] = f"refused: {describe(exc)}"
            return None
        now = p.clock.now()
        deadline = (order.purchased_at or now) + timedelta(seconds=p.plan.wait)
        bought = p.update(
            attempt,
            state=LIVE,
            order_id=order.order_id,
            cost=order.cost,
            deadline=deadline,
        )
        p.keep(bought)
        p.emit(
            AttemptBought(
                p.run_id,
                n,
                order.order_id,
                order.number,
                order.country,
                order.pool,
                order.cost,
                order.expires_at,
                deadline,
            )
        )
        return None

    def _end(self, attempt: Attempt, state: str, why: str) -> None:
        p = self.pilot
        p.keep(p.update(attempt, state=state, why=why, end=True))
