"""The Orders board's longer flows, kept apart so the screen reads in one pass: a resend (its
cost asked first), keeping a number for resends (its no-refund confirm) and "buy again" (the
purchase modal for the same thing)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError, NotFound
from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.order_model import ACTIVATE_POOL, can_activate
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.order_words import cancel_all_text, plural
from smspool_tui.ui.text import error_text, money, plain

if TYPE_CHECKING:
    from smspool_tui.api.models import ResendCheck
    from smspool_tui.core.order_model import Order
    from smspool_tui.core.orders import BuyAgain
    from smspool_tui.ui.screens.orders import OrdersScreen


def resend_question(order: Order, check: ResendCheck) -> tuple[str, str]:
    """The confirm's question and its yes label: the cost first, then what is left."""
    price = "free" if not check.resend_cost else money(check.resend_cost)
    facts = [f"Cost: {price}"]
    if check.resends is not None:
        facts.append(plural(check.resends, "resend") + " left")
    hours = check.expires_in_hour
    if hours is not None:
        more = "under an hour" if hours < 1 else plural(hours, "more hour")
        facts.append(f"resends possible for {more}")
    question = f"Ask SMSPool to send a new SMS to {plain(order.number)}?\n" + " · ".join(facts)
    return question, f"Resend ({price})"


def no_resend_text(order: Order, exc: BaseException) -> str:
    """Why this number cannot be resent, in plain words (the server's reason is vague)."""
    if isinstance(exc, NotFound):
        return f"{plain(order.number)} cannot be resent: SMSPool no longer knows this order."
    if isinstance(exc, ApiError) and not exc.retryable:
        text = (
            f"{plain(order.number)} cannot be resent now: SMSPool offers no resend for it at the "
            "moment (one-time numbers have no resend guarantee)."
        )
        if can_activate(order):
            text += f" Pool {ACTIVATE_POOL} numbers can be kept for resends with A."
        return text
    return f"Could not ask SMSPool whether a resend is possible: {error_text(exc)}"


async def resend_flow(screen: OrdersScreen, order: Order) -> None:
    assert screen.service is not None
    try:
        check = await screen.service.check_resend(order.order_id)
    except Exception as exc:  # shown to the user, never fatal
        screen.say(no_resend_text(order, exc), "warning")
        return
    question, yes = resend_question(order, check)
    ok = await screen.app.push_screen_wait(
        ConfirmScreen(question, title="Resend SMS", yes=yes, no="Keep")
    )
    if not ok:
        return
    try:
        await screen.service.resend(order.order_id)  # the service's notice confirms it
    except NotConfirmed as exc:  # it may have gone through: never "failed"
        screen.say(plain(str(exc)), "warning")
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Resend failed: {error_text(exc)}", "error")


async def activate_flow(screen: OrdersScreen, order: Order) -> None:
    """A: keep a pool-7 number for resends, after a confirm that says it ends the refund."""
    assert screen.service is not None
    spent = f" (the {money(order.cost)} it cost stays spent)" if order.cost is not None else ""
    question = (
        f"Keep {plain(order.number)} for resends?\n"
        "SMSPool then lets you ask for new SMS on it (R), but this order can no longer be "
        f"cancelled or refunded{spent}."
    )
    ok = await screen.app.push_screen_wait(
        ConfirmScreen(
            question, title="Keep for resends: no refund", yes="Keep, no refund", no="Leave it"
        )
    )
    if not ok:
        return
    try:
        await screen.service.activate(order.order_id)  # the service's notice confirms it
    except NotConfirmed as exc:
        screen.say(plain(str(exc)), "warning")
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Not kept for resends: {error_text(exc)}", "error")


CANCEL_ALL_SHOWN = 8  # rows listed in the confirm (it must fit 80x24)


def cancel_all_question(orders: list[Order], now: datetime) -> str:
    lines = [f"Cancel {plural(len(orders), 'waiting order')}?"]
    for order in orders[:CANCEL_ALL_SHOWN]:
        cost = f" · {money(order.cost)}" if order.cost is not None else ""
        lines.append(f"  {plain(order.service)} · {plain(order.number)}{cost}")
    if len(orders) > CANCEL_ALL_SHOWN:
        lines.append(f"  and {len(orders) - CANCEL_ALL_SHOWN} more")
    if any(o.cancel_in(now) for o in orders):
        lines.append("Those inside SMSPool's cancel lock are queued and cancelled when it allows.")
    return "\n".join(lines)


async def cancel_all_flow(screen: OrdersScreen, orders: list[Order]) -> None:
    """ctrl+x: every waiting order, each through the normal cancel, after one confirm."""
    assert screen.service is not None
    question = cancel_all_question(orders, screen.now())
    if screen.smsapp.autopilot.running:
        question += "\nThe autopilot keeps running and buying (X stops it)."
    ok = await screen.app.push_screen_wait(
        ConfirmScreen(question, title="Cancel all waiting orders", yes="Cancel all", no="Keep")
    )
    if not ok:
        return
    result = await screen.service.cancel_many([o.order_id for o in orders])
    screen.say(cancel_all_text(result), "warning" if result.not_cancelled else "information")


async def buy_again_flow(screen: OrdersScreen, again: BuyAgain) -> None:
    """Open the purchase modal for the same service and country (it asks before buying)."""
    from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen

    session = screen.smsapp.session
    if session is None or session.catalog is None:
        screen.say("Buying again needs the catalog (press b to browse)", "warning")
        return
    try:
        service_id, country_id = await session.catalog.resolve_ids(
            again.service_id,
            again.service_name,
            again.country_id,
            again.country_name,
        )
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Catalog unavailable: {error_text(exc)}", "error")
        return
    if service_id is None or country_id is None:
        name = f"{plain(again.service_name)} in {plain(again.country_name)}"
        screen.say(f"{name} is not in the catalog any more (press b to browse)", "warning")
        return
    request = PurchaseRequest.simple(
        service_id, again.service_name, country_id, again.country_name, pool=again.pool
    )
    try:
        offers = await session.catalog.country_offers(service_id)
    except Exception:  # the modal still opens and fetches its own price
        offers = []
    for index, offer in enumerate(offers):
        if offer.country_id == country_id:
            rest = tuple(offers[index + 1 : index + 4])
            request = PurchaseRequest(service_id, again.service_name, offer, alternatives=rest)
            break
    screen.app.push_screen(PurchaseScreen(request))
