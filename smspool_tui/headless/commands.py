"""The read and single-action commands: balance, orders, wait, cancel, history, rentals, inbox,
prices. Each takes the open session and the output, and returns an exit code."""

from __future__ import annotations

import argparse
import contextlib
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from smspool_tui.api.errors import ApiError, NotFound
from smspool_tui.core.order_model import OrderState
from smspool_tui.headless.context import Stop, orders_monitor
from smspool_tui.headless.exits import Exit
from smspool_tui.headless.get import Watch, cancel_confirmed, wait_for_code
from smspool_tui.headless.lookup import resolve_country, resolve_service
from smspool_tui.headless.output import Out, order_fields

if TYPE_CHECKING:
    from smspool_tui.core.rental_model import Rental
    from smspool_tui.core.session import Session


def _money(value: Any) -> str:
    return "-" if value is None else f"${value}"


async def balance(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    value = await session.account.refresh()
    if out.json:
        out.document({"balance": value})
    else:
        out.line(f"{value}")
    return Exit.OK


async def orders(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    """Active and recent orders: the journal lined up with the server first."""
    try:
        await session.orders.reconcile()
    except ApiError as exc:  # offline: the journal still knows every order
        out.error(f"could not reach SMSPool ({exc.message}); showing the journal")
    board = [o for o in session.orders.orders_snapshot() if not o.is_intent_row]
    unknown = [o for o in session.orders.orders_snapshot() if o.is_intent_row]
    if out.json:
        out.document([order_fields(o) for o in board + unknown])
        return Exit.OK
    now = session.clock.now()
    for o in board:
        left = o.time_left(now)
        when = f"{int(left // 60)}:{int(left % 60):02d} left" if left and not o.ended_at else ""
        out.line(
            f"{o.order_id}  {o.number or '-':>14}  {o.service} · {o.country}  "
            f"{o.status.label}  {o.code or ''}  {when}".rstrip()
        )
    for o in unknown:
        out.line(f"{o.order_id}  purchase outcome unknown: {o.service} · {o.country}")
    if not board and not unknown:
        out.say("no active or recent orders")
    return Exit.OK


async def _known_order(session: Session, order_id: str) -> None:
    if session.orders.get(order_id) is None:
        await session.orders.reconcile()  # bought elsewhere or before: adopt it first
    if session.orders.get(order_id) is None:
        raise Stop(Exit.USAGE, f"no order {order_id} in the journal or on SMSPool")


async def wait(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    await _known_order(session, args.order_id)
    order = session.orders.get(args.order_id)
    assert order is not None
    watch = Watch(order.order_id)
    async with orders_monitor(session, watch.emit):
        now = session.clock.now()
        deadline = order.expires_at or now + timedelta(minutes=20)
        if args.timeout is not None:
            deadline = min(deadline, now + timedelta(seconds=args.timeout))
        got = await wait_for_code(session, out, watch, order.order_id, deadline)
    if got is None:
        final = session.orders.get(order.order_id) or order
        out.error(f"no code for order {order.order_id} ({final.status.label})")
        out.event("timeout", **order_fields(final))
        return Exit.NO_CODE
    out.event("code", **order_fields(got))
    out.line(got.code or "")
    return Exit.OK


async def cancel(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    await _known_order(session, args.order_id)
    order = session.orders.get(args.order_id)
    assert order is not None
    if order.status is not OrderState.PENDING or order.ended_at is not None:
        raise Stop(Exit.ERROR, f"order {order.order_id} is {order.status.label}: not cancelled")
    watch = Watch(order.order_id)
    async with orders_monitor(session, watch.emit):
        final = await cancel_confirmed(session, out, watch, order.order_id)
    out.event("cancel", **order_fields(final))
    if final.status is OrderState.CANCELLED:
        out.say(f"cancelled and refunded: order {order.order_id}")
        return Exit.OK
    if final.code:
        out.error(f"order {order.order_id} got a code first: {final.code}")
        return Exit.ERROR
    out.error(f"the cancel of order {order.order_id} is not confirmed yet: check `orders`")
    return Exit.ERROR


async def history(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    try:
        await session.orders.sync_history(length=max(args.limit, 100))
    except ApiError as exc:
        out.error(f"could not reach SMSPool ({exc.message}); showing the journal")
    rows = session.journal.history(limit=args.limit)
    if out.json:
        out.document([order_fields(o) for o in rows])
        return Exit.OK
    for o in rows:
        day = o.purchased_at.strftime("%Y-%m-%d %H:%M") if o.purchased_at else "?"
        out.line(
            f"{day}  {o.order_id}  {o.service} · {o.country}  {o.number}  "
            f"{o.status.label}  {o.code or ''}  {_money(o.cost)}".rstrip()
        )
    return Exit.OK


def _rental_fields(r: Rental) -> dict[str, Any]:
    return {
        "rental_code": r.code,
        "number": r.number,
        "country": r.country,
        "status": r.state or "active",
        "expires_at": r.expires_at,
        "days": r.days,
        "cost": r.cost,
        "messages": r.messages,
        "unread": r.unread,
    }


async def rentals(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    svc = session.rentals
    assert svc is not None
    try:
        await svc.refresh_mine()
    except ApiError as exc:
        out.error(f"could not reach SMSPool ({exc.message}); showing the journal")
    mine = [r for r in svc.rentals() if not r.is_intent_row]
    if out.json:
        out.document([_rental_fields(r) for r in mine])
        return Exit.OK
    now = session.clock.now()
    for r in mine:
        until = r.expires_at.strftime("%Y-%m-%d %H:%M UTC") if r.expires_at else "?"
        out.line(f"{r.code}  {r.number}  {r.country}  {r.label(now)}  until {until}")
    return Exit.OK


async def inbox(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    """A rental's messages, oldest first; --follow prints new ones as they land (ctrl-c ends)."""
    svc = session.rentals
    assert svc is not None
    code = args.rental_code
    if svc.get(code) is None:
        await svc.refresh_mine()
    if svc.get(code) is None:
        raise Stop(Exit.USAGE, f"no rental {code} in the journal or on SMSPool")
    shown: set[str] = set()

    async def show_new() -> None:
        with contextlib.suppress(NotFound):
            await svc.refresh_rental(code)
        for msg in reversed(svc.messages(code)):
            if msg.msg_key in shown:
                continue
            shown.add(msg.msg_key)
            if out.json:
                out.event(
                    "message", rental_code=code, sender=msg.sender, text=msg.text,
                    received_at=msg.received_at,
                )  # fmt: skip
            else:
                when = msg.received_at.strftime("%Y-%m-%d %H:%M") if msg.received_at else ""
                out.line(f"{when}  {msg.sender or ''}  {msg.text}".strip())

    await show_new()
    svc.mark_seen(code)
    while args.follow:
        await session.clock.sleep(svc.poll_interval)
        await show_new()
        svc.mark_seen(code)
    return Exit.OK


async def prices(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    catalog = session.catalog
    assert catalog is not None
    service = await resolve_service(catalog, args.service)
    if args.country:
        country = await resolve_country(catalog, args.country)
        pools = await catalog.pool_offers(country.id, service.id)
        rows: list[dict[str, Any]] = [
            {"country": country.name, "country_id": country.id, "pool": p.name,
             "pool_id": p.pool, "price": p.price, "stock": p.stock}
            for p in pools
        ]  # fmt: skip
    else:
        offers = await catalog.country_offers(service.id)
        rows = [
            {"country": o.name, "country_id": o.country_id, "short_name": o.short_name,
             "price": o.price, "success_rate": o.success_rate, "pool_id": o.pool}
            for o in offers
        ]  # fmt: skip
    if out.json:
        out.document({"service": service.name, "service_id": service.id, "offers": rows})
        return Exit.OK
    if not rows:
        raise Stop(Exit.NOTHING_TO_BUY, f"nobody sells {service.name} there right now")
    for row in rows:
        rate = row.get("success_rate")
        extra = f"{rate}% success" if rate is not None else ""
        if "pool" in row:
            extra = f"{row['pool']} (pool {row['pool_id']})  stock {row['stock'] or '?'}"
        out.line(f"{row['country']}  {_money(row['price'])}  {extra}".rstrip())
    return Exit.OK
