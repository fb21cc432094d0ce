"""The Autopilot: buys one number at a time (or `race` at once) through OrdersService until a
code arrives, cancelling numbers that get none within the wait, within the budget.

Money rule: held (charged, not confirmed refunded) + spent (orders with a code) never passes
the budget. A purchase is held at the price we agreed to pay at most from the moment it is
journaled; a cancel counts as held until the board shows the order m.CANCELLED (the server's
word), so the next purchase waits for it. The orders monitor (`OrdersService.run`) must be
running: it brings the codes and sends the queued cancels.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import smspool_tui.core.autopilot.model as m
from smspool_tui.api.errors import ApiError, AuthError
from smspool_tui.clock import Clock
from smspool_tui.core.autopilot.buying import Buyer
from smspool_tui.core.autopilot.events import (
    AttemptEnded,
    AutopilotFinished,
    AutopilotNotice,
)
from smspool_tui.core.autopilot.health import HealthLimits
from smspool_tui.core.autopilot.model import Attempt, AutopilotResult, ResultKind
from smspool_tui.core.autopilot.plan import Plan
from smspool_tui.core.autopilot.ranking import Candidate, CatalogLike, rank
from smspool_tui.core.events import CodeArrived, OrdersChanged
from smspool_tui.core.loop import describe
from smspool_tui.core.order_model import OrderState

if TYPE_CHECKING:
    from smspool_tui.core.journal import Journal
    from smspool_tui.core.orders import OrdersService

log = logging.getLogger(__name__)
Emit = Callable[[object], None]
CANCEL_AGAIN = 30.0  # ask again if a cancel is neither confirmed nor queued after this long
_ENDINGS = {
    OrderState.CANCELLED: m.CANCELLED,
    OrderState.EXPIRED: m.EXPIRED,
    OrderState.REFUNDED: m.REFUNDED,
}


class Autopilot:
    def __init__(
        self,
        orders: OrdersService,
        catalog: CatalogLike,
        journal: Journal,
        clock: Clock,
        plan: Plan,
        *,
        emit: Emit | None = None,
        health: HealthLimits | None = None,
        tick: float = 1.0,
    ) -> None:
        self.orders = orders
        self.catalog = catalog
        self.journal = journal
        self.clock = clock
        self.plan, self.notes = plan.checked(orders.timing.cancel_lock_guess)
        self._emit = emit
        self.health = health or HealthLimits()
        self.tick = tick
        self.run_id = 0
        self.attempts: list[Attempt] = []
        self.candidates: list[Candidate] = []
        self.paused = False
        self.result: AutopilotResult | None = None
        self.asleep_until: float | None = None  # monotonic; for tests driving a FakeClock
        self._stop = False
        self._skip = False
        self._poke = asyncio.Event()
        self._asked: dict[int, float] = {}  # attempt id -> monotonic time of the last cancel
        self._draining: tuple[ResultKind, str] | None = None  # finish once nothing is open
        self._until_settled = False  # the drain lifts once no attempt is of unknown outcome
        self.buyer = Buyer(self)

    # ---- controls ------------------------------------------------------------------------------

    def pause(self) -> None:
        """No new purchases; live numbers keep their wait (and are cancelled when it ends)."""
        self.paused = True
        self._save_state()
        self._wake()

    def resume(self) -> None:
        self.paused = False
        self._save_state()
        self._wake()

    def stop(self) -> None:
        """Cancel the live numbers and finish ("stopped")."""
        self._stop = True
        self._wake()

    def skip(self) -> None:
        """Give up on the newest live number: cancel it and go on to the next candidate."""
        self._skip = True
        self._wake()

    def _wake(self) -> None:
        self._poke.set()

    def on_event(self, event: object) -> None:
        """Feed it the orders monitor's events (the App's bridge, the CLI) and it acts on a
        code or a confirmed cancel at once instead of at its next tick."""
        if isinstance(event, CodeArrived | OrdersChanged):
            self._wake()

    def emit(self, event: object) -> None:
        if self._emit is not None:
            self._emit(event)

    # ---- money ---------------------------------------------------------------------------------

    @property
    def held(self) -> Decimal:
        return sum((a.held for a in self.attempts), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((a.spent for a in self.attempts), Decimal(0))

    @property
    def purchases(self) -> int:
        """Attempts that bought (or may have bought) a number: what max_attempts counts."""
        return sum(1 for a in self.attempts if a.state not in (m.REFUSED, m.NOT_BOUGHT))

    def open_attempts(self) -> list[Attempt]:
        return [a for a in self.attempts if a.state in m.OPEN_STATES]

    # ---- the run -------------------------------------------------------------------------------

    async def run(self) -> AutopilotResult:
        """Until a code, a limit, a stop. Cancelling the task leaves the journal as a crash
        would: `resume_from_journal` picks it up."""
        if self.result is not None:
            return self.result
        if not self.run_id:
            early = await self._start()
            if early is not None:
                return early
        while True:
            finished = await self._step()
            if finished is not None:
                return finished
            await self._nap()

    async def settle(self, timeout: float | None = None) -> Decimal:
        """After `run()`: keep watching until every number of this run is confirmed refunded
        (or has its code), so the journal ends with final states; returns what is still held.
        The orders monitor must still be running (it sends the queued cancels)."""
        start = self.clock.monotonic()
        while any(a.state in (m.LIVE, m.CANCELLING, m.UNKNOWN) for a in self.attempts):
            if timeout is not None and self.clock.monotonic() - start >= timeout:
                break
            self._refresh()
            await self._cancels_due()  # a number still live is cancelled at its deadline
            await self._nap()
        return self.held

    async def _start(self) -> AutopilotResult | None:
        unknown = [i for i in self.orders.ledger.open()]
        if unknown:
            return self.finish(
                "unknown",
                f"{len(unknown)} earlier purchase(s) have no known outcome yet: settle them on "
                "the orders board before the autopilot buys",
            )
        try:
            ranking = await rank(
                self.plan, self.catalog, self.journal.service_record(self.plan.service_id)
            )
        except AuthError as exc:
            return self.finish("key", f"the API key was rejected ({describe(exc)})")
        except ApiError as exc:
            return self.finish("unreachable", f"no catalog from SMSPool ({describe(exc)})")
        self.candidates = list(ranking.candidates)
        self.run_id = self.journal.add_autopilot(
            self.plan.to_json(), [c.to_json() for c in self.candidates]
        )
        for note in self.notes:
            self.emit(AutopilotNotice(self.run_id, note))
        for what, why in ranking.skipped:
            self.emit(AutopilotNotice(self.run_id, f"skipped {what}: {why}"))
        if not self.candidates:
            why = "; ".join(f"{w}: {y}" for w, y in ranking.skipped) or "no offers"
            return self.finish("nothing_to_buy", f"nothing to buy ({why})")
        return None

    async def _step(self) -> AutopilotResult | None:
        self._refresh()
        winner = next((a for a in self.attempts if a.state == m.CODE), None)
        if winner is not None:
            await self._cancel_open("another attempt got the code")
            order = self.orders.get(winner.order_id or "")
            return self.finish(
                "code", f"code on attempt {winner.n} ({winner.country})", order=order
            )
        if self._stop:
            await self._cancel_open("stopped by the user")
            return self.finish("stopped", "stopped by the user")
        await self._cancels_due()
        unknown_left = any(a.state == m.UNKNOWN for a in self.attempts)
        if self._draining is not None and self._until_settled and not unknown_left:
            self._draining = None  # the unclear purchase is settled: carry on
            self._until_settled = False
            self._save_state()
        if self._draining is not None:
            if not self.open_attempts():
                return self.finish(*self._draining)
            return None
        if self.paused:
            return None
        return await self.buyer.maybe_buy()

    async def _nap(self) -> None:
        if self._poke.is_set():
            self._poke.clear()
            await asyncio.sleep(0)
            return
        sleeper = asyncio.ensure_future(self.clock.sleep(self.tick))
        poke = asyncio.ensure_future(self._poke.wait())
        try:
            await asyncio.sleep(0)  # let the sleeper start its wait before saying so
            self.asleep_until = self.clock.monotonic() + self.tick
            await asyncio.wait({sleeper, poke}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.asleep_until = None
            self._poke.clear()
            for task in (sleeper, poke):
                task.cancel()  # not awaited: that await could swallow our own cancellation

    # ---- watching the attempts -----------------------------------------------------------------

    def _refresh(self) -> None:
        """Line the attempts up with the board: codes, confirmed cancels, expiries, settled
        purchases of unknown outcome. A code on an earlier, ended attempt still wins."""
        for i, attempt in enumerate(self.attempts):
            if attempt.state == m.UNKNOWN:
                self.attempts[i] = self._settle_unknown(attempt)
                continue
            if attempt.order_id is None or attempt.state in (m.CODE, m.CANCELLED, m.REFUSED):
                continue
            order = self.orders.get(attempt.order_id)
            if order is None:
                continue
            cost = order.cost if order.cost is not None else attempt.cost
            if order.code:
                self.attempts[i] = self.update(
                    attempt, state=m.CODE, cost=cost, why="code arrived", end=True
                )
            elif order.status in _ENDINGS and attempt.state in m.OPEN_STATES:
                ended = _ENDINGS[order.status]
                if ended == m.REFUNDED and attempt.state == m.CANCELLING:
                    ended = m.CANCELLED  # the list says "refunded" for a cancelled order
                why = attempt.why or f"{ended} by the server"
                self.attempts[i] = self.update(attempt, state=ended, cost=cost, why=why, end=True)
            elif cost != attempt.cost:
                self.attempts[i] = self.update(attempt, cost=cost)

    def _settle_unknown(self, attempt: Attempt) -> Attempt:
        intent = self.orders.ledger.get(attempt.intent_id) if attempt.intent_id else None
        if intent is None or intent.state in ("sent", "unknown"):
            return attempt
        if intent.state == "done" and intent.order_id:
            order = self.orders.get(intent.order_id)
            start = (order.purchased_at if order else None) or self.clock.now()
            self.emit(
                AutopilotNotice(self.run_id, f"attempt {attempt.n}: the purchase went through")
            )
            return self.update(
                attempt,
                state=m.LIVE,
                order_id=intent.order_id,
                cost=order.cost if order else None,
                deadline=start + timedelta(seconds=self.plan.wait),
                why="",
            )
        return self.update(attempt, state=m.NOT_BOUGHT, why="settled: not bought", end=True)

    async def _cancels_due(self) -> None:
        now = self.clock.now()
        for attempt in list(self.attempts):
            if attempt.state == m.LIVE and attempt.deadline and now >= attempt.deadline:
                await self.cancel(attempt, f"no code within {self.plan.wait:.0f}s")
            elif attempt.state == m.CANCELLING:
                await self._cancel_again(attempt)
        if self._skip:
            self._skip = False
            live = [a for a in self.attempts if a.state == m.LIVE]
            if live:
                await self.cancel(live[-1], "skipped by the user")

    async def _cancel_again(self, attempt: Attempt) -> None:
        order = self.orders.get(attempt.order_id or "")
        if order is None or order.status is not OrderState.PENDING or order.cancel_queued:
            return
        if self.orders.cancels.sending(order.order_id):
            return
        asked = self._asked.get(attempt.id, float("-inf"))
        if self.clock.monotonic() - asked >= CANCEL_AGAIN:
            await self._send_cancel(attempt)

    async def cancel(self, attempt: Attempt, why: str) -> None:
        """Ask for the cancel; the attempt holds its money until the board says m.CANCELLED."""
        current = self.update(attempt, state=m.CANCELLING, why=why)
        self.keep(current)
        await self._send_cancel(current)

    async def _send_cancel(self, attempt: Attempt) -> None:
        self._asked[attempt.id] = self.clock.monotonic()
        try:
            await self.orders.cancel(attempt.order_id or "")
        except (ApiError, KeyError) as exc:  # asked again later; the board has the notice
            log.warning("autopilot cancel of %s: %s", attempt.order_id, exc)

    async def _cancel_open(self, why: str) -> None:
        for attempt in list(self.attempts):
            if attempt.state == m.LIVE:
                await self.cancel(attempt, why)

    # ---- records -------------------------------------------------------------------------------

    def keep(self, attempt: Attempt) -> None:
        for i, known in enumerate(self.attempts):
            if known.id == attempt.id:
                self.attempts[i] = attempt
                return
        self.attempts.append(attempt)

    def update(self, attempt: Attempt, *, end: bool = False, **changes: object) -> Attempt:
        """Change an attempt in memory and in the journal (the journal first)."""
        if end:
            changes["ended_at"] = self.clock.now()
        fields = {k: v for k, v in changes.items() if k in _JOURNALED}
        if fields and attempt.id:
            self.journal.update_attempt(attempt.id, **fields)
        new = replace(attempt, **changes)  # type: ignore[arg-type]
        if end and attempt.ended_at is None:
            self.emit(AttemptEnded(self.run_id, new.n, new.order_id, new.state, new.why))
        return new

    def drain(self, kind: ResultKind, reason: str, *, until_settled: bool = False) -> None:
        """Buy nothing more; finish with `kind` once no number is open (or, `until_settled`,
        carry on once the purchases of unknown outcome are settled)."""
        if self._draining is None:
            self._until_settled = until_settled
            self._draining = (kind, reason)
            state = "blocked" if kind == "unknown" else "running"
            self.journal.set_autopilot_state(self.run_id, state, kind=kind, reason=reason)

    def _save_state(self) -> None:
        if self.run_id and self.result is None and self._draining is None:
            self.journal.set_autopilot_state(self.run_id, "paused" if self.paused else "running")

    def finish(self, kind: ResultKind, reason: str, *, order: object = None) -> AutopilotResult:
        if kind == "unknown" and any(a.state == m.UNKNOWN for a in self.attempts):
            state = "blocked"  # resumed once the purchase is settled
        else:
            state = "finished"
        if self.run_id:
            self.journal.set_autopilot_state(self.run_id, state, kind=kind, reason=reason)
        self.result = AutopilotResult(
            kind=kind,
            reason=reason,
            attempts=tuple(self.attempts),
            spent=self.spent,
            held=self.held,
            order=order,  # type: ignore[arg-type]
            run_id=self.run_id,
        )
        self.emit(AutopilotFinished(self.result))
        return self.result

    def restore(self, run_id: int, candidates: list[Candidate], attempts: list[Attempt]) -> None:
        """For resume_from_journal: continue a run that was interrupted."""
        self.run_id = run_id
        self.candidates = candidates
        self.attempts = attempts
        for attempt in attempts:  # a cancel asked before the crash is asked again at once
            self._asked.pop(attempt.id, None)
        if any(a.state == m.UNKNOWN for a in attempts):
            self.drain("unknown", "a purchase has no known outcome yet", until_settled=True)


_JOURNALED = frozenset(
    {"state", "why", "order_id", "intent_id", "cost", "price", "deadline", "ended_at"}
)
