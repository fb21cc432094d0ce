"""`smspool-tui get SERVICE --country A --country B --budget 2` (or --attempts, --race): an
autopilot run from a script. The same core as the board's autopilot; every attempt is one
money-safe purchase. JSON Lines carry each event; the last one the winning order's fields."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.config import Settings
from smspool_tui.core.autopilot import Autopilot, HealthLimits, Plan, as_json
from smspool_tui.core.autopilot.events import (
    AttemptBought,
    AttemptEnded,
    AttemptStarted,
    AutopilotNotice,
)
from smspool_tui.headless.context import Stop, orders_monitor
from smspool_tui.headless.exits import Exit
from smspool_tui.headless.get import _ask, _stdin_is_tty
from smspool_tui.headless.lookup import resolve_country, resolve_service
from smspool_tui.headless.output import Out, order_fields

if TYPE_CHECKING:
    from smspool_tui.core.session import Session

# The run's result kind -> the command's exit code.
EXITS = {
    "code": Exit.OK,
    "exhausted": Exit.EXHAUSTED,
    "nothing_to_buy": Exit.NOTHING_TO_BUY,
    "unknown": Exit.UNKNOWN,
    "balance": Exit.BALANCE,
    "health": Exit.EXHAUSTED,
    "stopped": Exit.INTERRUPTED,
    "key": Exit.KEY,
    "unreachable": Exit.UNREACHABLE,
}


def is_autopilot(args: argparse.Namespace) -> bool:
    return len(args.country or []) > 1 or any(
        v is not None for v in (args.budget, args.attempts, args.race)
    )


async def get_autopilot(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    catalog = session.catalog
    assert catalog is not None
    service = await resolve_service(catalog, args.service)
    countries = [await resolve_country(catalog, c) for c in args.country or []]
    settings = session.settings or Settings()
    plan = Plan(
        service_id=service.id,
        service_name=service.name,
        countries=tuple(c.id for c in countries),
        pools=(args.pool,) if args.pool else (),
        max_price=args.max_price,
        budget=args.budget,
        wait=args.wait or settings.autopilot.wait_seconds,
        max_attempts=args.attempts,
        race=args.race or 1,
    )
    where = ", ".join(c.name for c in countries) or "the best-ranked countries"
    cap = f"${plan.max_price} per number" if plan.max_price else "any price"
    stake = f", never more than ${plan.budget} at stake" if plan.budget else ""
    worst = (
        f"at most {plan.max_attempts or 'one try per candidate'} numbers, {cap}, "
        f"{plan.race} at once{stake}"
    )
    if not args.yes:
        if not (out.tty and _stdin_is_tty()):
            raise Stop(Exit.USAGE, f"not starting an autopilot ({worst}) without --yes")
        if not _ask(out, f"Autopilot for {service.name} in {where}: {worst}. Start?"):
            out.say("nothing bought")
            return Exit.USAGE
    pilot = Autopilot(
        session.orders,
        catalog,
        session.journal,
        session.clock,
        plan,
        emit=lambda event: _show(out, event),
        health=HealthLimits.from_settings(settings.autopilot),
    )
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, pilot.stop)  # ctrl-c: stop, cancel what is live
    try:
        async with orders_monitor(session, pilot.on_event):
            result = await pilot.run()
            held = await pilot.settle(timeout=300)  # queued cancels confirmed before we go
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
    summary = {"result": result.kind, "reason": result.reason, "spent": result.spent,
               "held": held, "attempts": len(result.attempts)}  # fmt: skip
    if result.order is not None:
        out.event("code", **order_fields(result.order), **summary)
        out.line(result.order.code or "")
    else:
        out.event("finished", **summary)
        out.error(f"autopilot ended without a code: {result.reason}")
    if held > Decimal(0):
        out.error(f"${held} is still held by cancels not confirmed yet: check `orders`")
    return EXITS.get(result.kind, Exit.ERROR)


def _show(out: Out, event: object) -> None:
    if isinstance(event, AttemptStarted | AttemptBought | AttemptEnded | AutopilotNotice):
        data = as_json(event)
        kind = data.pop("event", type(event).__name__)
        out.event(str(kind), **data)
        if isinstance(event, AutopilotNotice):
            out.say(str(data.get("text", "")))
        elif isinstance(event, AttemptBought):
            out.say(f"attempt: bought {data.get('number', '')} ({data.get('country', '')})")
        elif isinstance(event, AttemptEnded):
            out.say(f"attempt ended: {data.get('why', data.get('state', ''))}")
