"""`smspool-tui get SERVICE`: buy one number, wait for its code, print the bare code last.

Money rules: off a terminal nothing is bought without --yes; the purchase goes through the same
service as the TUI's (journaled first, sent once, never retried, never while an earlier one of the
same thing is unknown). No code in time, or ctrl-c: the order is cancelled through the lock and
the cancel confirmed, unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections.abc import Awaitable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.core.events import CodeArrived, OrderNotice
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.headless.context import Stop, orders_monitor
from smspool_tui.headless.exits import Exit
from smspool_tui.headless.lookup import resolve_country, resolve_service
from smspool_tui.headless.output import Out, order_fields

if TYPE_CHECKING:
    from smspool_tui.core.session import Session

CANCEL_GRACE = 180.0  # how long past the cancel lock we wait for the server to confirm a cancel


class Watch:
    """What the order's events tell the waiting command, and whether ctrl-c was pressed."""

    def __init__(self, order_id: str | None = None) -> None:
        self.order_id = order_id
        self.code = asyncio.Event()
        self.interrupted = asyncio.Event()
        self.notices: list[str] = []

    def emit(self, event: object) -> None:
        if isinstance(event, CodeArrived) and event.order.order_id == self.order_id:
            self.code.set()
        elif isinstance(event, OrderNotice) and event.order_id == self.order_id:
            self.notices.append(event.text)


def _ask(out: Out, question: str) -> bool:
    out.say(question + " [y/N] ", strong=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


async def get_one(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    catalog = session.catalog
    assert catalog is not None
    service = await resolve_service(catalog, args.service)
    countries = args.country or []
    if len(countries) > 1:
        raise Stop(Exit.USAGE, "several --country flags make an autopilot run")
    country = await resolve_country(catalog, countries[0]) if countries else None
    if country is None:
        offers = await catalog.country_offers(service.id)
        if not offers:
            raise Stop(Exit.NOTHING_TO_BUY, f"no country sells {service.name} right now")
        best = offers[0]
        country_id, country_name = best.country_id, best.name
    else:
        country_id, country_name = country.id, country.name
    max_price: Decimal | None = args.max_price
    quote = await session.client.price(country_id, service.id, args.pool)
    if max_price is not None and quote.price > max_price:
        raise Stop(
            Exit.NOTHING_TO_BUY,
            f"{service.name} in {country_name} costs ${quote.price}, over --max-price "
            f"${max_price}; nothing bought",
        )
    what = f"{service.name} in {country_name} for ${quote.price}"
    if not args.yes:
        if not (out.tty and _stdin_is_tty()):
            raise Stop(Exit.USAGE, f"not buying {what} without --yes (no terminal to ask)")
        if not _ask(out, f"Buy {what}?"):
            out.say("nothing bought")
            return Exit.USAGE
    watch = Watch()
    loop = asyncio.get_running_loop()
    _on_ctrl_c(loop, watch)
    try:
        async with orders_monitor(session, watch.emit):
            # Shielded: ctrl-c while the request is out must not abandon a purchase in flight.
            order = await asyncio.shield(
                session.orders.purchase(
                    country_id,
                    service.id,
                    country_name=country_name,
                    service_name=service.name,
                    pool=args.pool,
                    max_price=max_price,
                )
            )
            watch.order_id = order.order_id
            out.say(f"Bought {order.number} ({what}), order {order.order_id}")
            out.event("bought", **order_fields(order))
            return await _wait_and_settle(args, session, out, watch, order)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)


def _stdin_is_tty() -> bool:
    import sys

    return sys.stdin.isatty()


def _on_ctrl_c(loop: asyncio.AbstractEventLoop, watch: Watch) -> None:
    """The first ctrl-c cancels the order properly; a second one quits at once."""

    def first() -> None:
        watch.interrupted.set()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)  # the default (KeyboardInterrupt) again

    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, first)


async def _wait_and_settle(
    args: argparse.Namespace, session: Session, out: Out, watch: Watch, order: Order
) -> Exit:
    clock = session.clock
    start = clock.now()
    expiry = order.expires_at or start + timedelta(minutes=20)
    deadline = min(expiry, start + timedelta(seconds=args.wait)) if args.wait else expiry
    got = await wait_for_code(session, out, watch, order.order_id, deadline)
    if got is not None:
        return _print_code(out, got)
    interrupted = watch.interrupted.is_set()
    why = "interrupted" if interrupted else "no code in time"
    done = Exit.INTERRUPTED if interrupted else Exit.NO_CODE
    if args.keep:
        current = session.orders.get(order.order_id) or order
        out.say(f"{why}: order {order.order_id} kept (`smspool-tui wait {order.order_id}`)")
        out.event("kept", **order_fields(current))
        return done
    out.say(f"{why}: cancelling order {order.order_id} (refunded once the server confirms)")
    final = await cancel_confirmed(session, out, watch, order.order_id)
    if final.code:
        return _print_code(out, final)  # the code won the race: it is what was paid for
    if final.status is OrderState.CANCELLED:
        out.say(f"cancelled and refunded: order {order.order_id}")
        out.event("cancelled", **order_fields(final))
    else:
        out.error(f"the cancel of order {order.order_id} is not confirmed yet: check `orders`")
        out.event("cancel_unconfirmed", **order_fields(final))
    return done


def _print_code(out: Out, order: Order) -> Exit:
    out.event("code", **order_fields(order))
    out.line(order.code or "")
    return Exit.OK


async def wait_for_code(
    session: Session, out: Out, watch: Watch, order_id: str, deadline: datetime
) -> Order | None:
    """The order once it has a code, or None at the deadline / on ctrl-c."""
    clock = session.clock
    while True:
        current = session.orders.get(order_id)
        if current is not None and current.code:
            return current
        if current is not None and current.status.is_final:
            return None  # expired or refunded on the server's side
        now = clock.now()
        if now >= deadline or watch.interrupted.is_set():
            return None
        left = int((deadline - now).total_seconds())
        out.live(f"waiting for the code · {left // 60}:{left % 60:02d} left")
        await _first_of(watch.code.wait(), watch.interrupted.wait(), clock.sleep(1.0))


async def cancel_confirmed(session: Session, out: Out, watch: Watch, order_id: str) -> Order:
    """Cancel through the lock (queued until it opens) and wait for the server's word."""
    orders = session.orders
    current = await orders.cancel(order_id)
    clock = session.clock
    limit = clock.now() + timedelta(seconds=CANCEL_GRACE)
    if current.cancel_opens_at is not None:
        limit = max(limit, current.cancel_opens_at + timedelta(seconds=CANCEL_GRACE))
    while True:
        current = orders.get(order_id) or current
        if current.code or current.status.is_final:
            return current
        if not current.cancel_queued and any("cancel failed" in n for n in watch.notices):
            return current
        now = clock.now()
        if now >= limit:
            return current
        if current.cancel_queued and current.cancel_opens_at is not None:
            left = max(0, int((current.cancel_opens_at - now).total_seconds()))
            out.live(f"cancel queued: the server refused it so far, next try in {left}s")
        await _first_of(watch.code.wait(), clock.sleep(1.0))


async def _first_of(*waits: Awaitable[object]) -> None:
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
