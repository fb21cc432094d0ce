"""After a crash, a kill or a stop on an unclear purchase: find the autopilot run the journal
says is not finished and rebuild it, so it goes on (or is stopped) without buying twice or
passing the budget.

An attempt journaled as "buying" when the process died may or may not have reached SMSPool.
The purchase intent it made is the first SMS intent after the attempt's `intent_floor` for the
same service and country: done -> that order is the attempt's; failed or absent -> nothing was
bought; still open -> unknown (the run waits until the orders poller settles it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from smspool_tui.core.autopilot.health import HealthLimits
from smspool_tui.core.autopilot.model import BUYING, LIVE, NOT_BOUGHT, REFUSED, UNKNOWN, Attempt
from smspool_tui.core.autopilot.plan import Plan
from smspool_tui.core.autopilot.ranking import CatalogLike, candidate_from_json
from smspool_tui.core.autopilot.runner import Autopilot

if TYPE_CHECKING:
    from smspool_tui.clock import Clock
    from smspool_tui.core.journal import AttemptRow, AutopilotRow, Journal
    from smspool_tui.core.orders import OrdersService


def interrupted(journal: Journal) -> AutopilotRow | None:
    """The newest run that is not finished (for the UI to show before resuming), or None."""
    runs = journal.open_autopilots()
    return runs[0] if runs else None


async def resume_from_journal(
    orders: OrdersService,
    catalog: CatalogLike,
    journal: Journal,
    clock: Clock,
    *,
    emit: Callable[[object], None] | None = None,
    health: HealthLimits | None = None,
    run_id: int | None = None,
    tick: float = 1.0,
) -> Autopilot | None:
    """The interrupted run rebuilt, ready for `await autopilot.run()` (call `stop()` first to
    cancel its live numbers and leave it stopped). None when no run is open."""
    row = journal.get_autopilot(run_id) if run_id else interrupted(journal)
    if row is None or row.state == "finished":
        return None
    if not orders.poller.reconciled:  # the board must know what the server has first
        await orders.reconcile()
    plan = Plan.from_json(row.plan)
    pilot = Autopilot(orders, catalog, journal, clock, plan, emit=emit, health=health, tick=tick)
    claimed = {a.order_id for a in journal.attempts(row.id) if a.order_id}
    attempts = [_restored(pilot, a, claimed) for a in journal.attempts(row.id)]
    pilot.restore(row.id, [candidate_from_json(c) for c in row.candidates], attempts)
    if row.state == "paused":
        pilot.paused = True
    elif row.state == "blocked" and row.kind != "unknown":
        pilot.drain(row.kind or "stopped", row.reason)  # type: ignore[arg-type]
    journal.set_autopilot_state(row.id, "paused" if pilot.paused else "running")
    return pilot


def _attempt(a: AttemptRow) -> Attempt:
    return Attempt(
        n=a.n,
        country_id=a.country_id,
        country=a.country,
        pool=a.pool,
        price=a.price,
        state=a.state,
        why=a.why,
        order_id=a.order_id,
        cost=a.cost,
        started_at=a.started_at,
        deadline=a.deadline,
        ended_at=a.ended_at,
        intent_id=a.intent_id,
        id=a.id,
    )


def _restored(pilot: Autopilot, row: AttemptRow, claimed: set[str]) -> Attempt:
    attempt = _attempt(row)
    if attempt.state != BUYING:
        return attempt
    service = str(pilot.plan.service_id)
    for intent_id, params, state, order_id in pilot.journal.intents_after(row.intent_floor):
        same = str(params.get("service_id")) == service and str(params.get("country_id")) == str(
            row.country_id
        )
        if not same or (order_id and order_id in claimed):
            continue
        if state == "done" and order_id:
            claimed.add(order_id)
            order = pilot.orders.get(order_id)
            start = (order.purchased_at if order else None) or row.started_at
            return pilot.update(
                attempt,
                state=LIVE,
                order_id=order_id,
                intent_id=intent_id,
                cost=order.cost if order else None,
                deadline=start + timedelta(seconds=pilot.plan.wait),
                why="bought before the restart",
            )
        if state == "failed":
            return pilot.update(
                attempt, state=REFUSED, intent_id=intent_id, why="refused", end=True
            )
        return pilot.update(
            attempt, state=UNKNOWN, intent_id=intent_id, why="interrupted: outcome unknown"
        )
    return pilot.update(
        attempt, state=NOT_BOUGHT, why="interrupted before the purchase went out", end=True
    )
