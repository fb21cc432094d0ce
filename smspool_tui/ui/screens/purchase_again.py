""" "Buy this number again" (from history): the purchase modal for the same service, country and
pool, asking SMSPool for that very number (`phonenumber`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from smspool_tui.ui.text import error_text, plain

if TYPE_CHECKING:
    from smspool_tui.core.order_model import Order
    from smspool_tui.ui.screens.base import BaseScreen


def selected(table: DataTable, loaded: list[Order]) -> Order | None:  # type: ignore[type-arg]
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return next((o for o in loaded if o.order_id == key), None)


def buy_number_again(screen: BaseScreen, order: Order | None) -> None:
    if order is None or not order.number or order.is_intent_row:
        screen.say("Pick an order with a number first", "warning")
        return
    screen.run_worker(_open(screen, order), name="number-again", exit_on_error=False)


async def _open(screen: BaseScreen, order: Order) -> None:
    from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen

    session = screen.smsapp.session
    if session is None or session.catalog is None:
        screen.say("Buying a number again needs the catalog (press b to browse)", "warning")
        return
    try:
        service_id, country_id = await session.catalog.resolve_ids(
            order.service_id, order.service, order.country_id, order.country
        )
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Catalog unavailable: {error_text(exc)}", "error")
        return
    if service_id is None or country_id is None:
        name = f"{plain(order.service)} in {plain(order.country)}"
        screen.say(f"{name} is not in the catalog any more", "warning")
        return
    request = PurchaseRequest.simple(
        service_id, order.service, country_id, order.country, pool=order.pool
    )
    screen.app.push_screen(PurchaseScreen(request.again(order.number)))
