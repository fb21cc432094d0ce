"""The Orders board's two longer flows, kept apart so the screen reads in one pass: a resend
(its cost asked first) and "buy again" (the purchase modal for the same thing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smspool_tui.core.errors import NotConfirmed
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.text import error_text, money, plain

if TYPE_CHECKING:
    from smspool_tui.core.order_model import Order
    from smspool_tui.core.orders import BuyAgain
    from smspool_tui.ui.screens.orders import OrdersScreen


async def resend_flow(screen: OrdersScreen, order: Order) -> None:
    assert screen.service is not None
    try:
        check = await screen.service.check_resend(order.order_id)
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Resend not available: {error_text(exc)}", "warning")
        return
    cost = check.resend_cost
    price = "free" if not cost else money(cost, exact=True)
    question = (
        f"Ask SMSPool to send the SMS to {plain(order.number)} again?\n"
        f"Cost: {price}. {plain(check.message)}"
    )
    ok = await screen.app.push_screen_wait(
        ConfirmScreen(question, title="Resend SMS", yes=f"Resend ({price})", no="Keep")
    )
    if not ok:
        return
    try:
        await screen.service.resend(order.order_id)  # the service's OrderNotice confirms it
    except NotConfirmed as exc:  # it may have gone through: never "failed"
        screen.say(plain(str(exc)), "warning")
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Resend failed: {error_text(exc)}", "error")


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
