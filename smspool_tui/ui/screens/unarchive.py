"""Unarchive from History (`u`): put an archived order back in SMSPool's order history. History
calls `unarchive_order`; the words and the worker live here."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from smspool_tui.ui.protocol import SmsApp
from smspool_tui.ui.text import error_text, phone, plain

if TYPE_CHECKING:
    from smspool_tui.core.order_model import Order
    from smspool_tui.ui.screens.base import BaseScreen


def unarchive_order(screen: BaseScreen, order: Order | None) -> None:
    """Start the unarchive of `order` (the highlighted row) in a worker of `screen`."""
    if order is None:
        screen.say("No order here to unarchive.", "warning")
        return
    if not order.archived:
        screen.say("This order is not archived: nothing to unarchive.", "warning")
        return
    screen.run_worker(
        _unarchive(screen, order), name="history-unarchive", group="unarchive", exit_on_error=False
    )


async def _unarchive(screen: BaseScreen, order: Order) -> None:
    session = cast(SmsApp, screen.app).session
    if session is None:
        return
    try:
        await session.orders.unarchive(order.order_id)
    except Exception as exc:  # shown, never fatal
        screen.say(f"Not unarchived: {error_text(exc)}", "error")
        return
    what = f"{plain(order.service)} {phone(order.number)}"
    screen.say(f"{what} is back in SMSPool's order history (unarchived).")
    reload = getattr(screen, "reload", None)  # History reloads its rows from the journal
    if callable(reload):
        reload()
