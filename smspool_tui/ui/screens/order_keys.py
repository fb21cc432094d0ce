"""The Orders board's keys: the bindings, and for each row action whether it can act on the
selected order now and, if not, why (the board greys the key and says the reason when pressed).
Pure functions of the board's orders and the clock, kept apart so the screen reads in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from textual.binding import Binding

from smspool_tui.core.order_model import (
    ACTIVATE_POOL,
    Order,
    OrderState,
    can_activate,
    is_activated,
)

ROW_ACTIONS = frozenset(
    {
        "copy_code",
        "copy_number",
        "cancel_order",
        "resend",
        "archive",
        "buy_again",
        "details",
        "activate",
        "cancel_all",
    }
)
AUTOPILOT_ACTIONS = frozenset({"autopilot_pause", "autopilot_skip", "autopilot_stop"})

# c and n share one footer slot ("cn copy") so the board's keys fit at 80 columns.
COPY = Binding.Group("copy", compact=True)
# Pause, skip, stop share one slot too ("pNX auto"), shown only while a run is active.
AUTO = Binding.Group("auto", compact=True)

BINDINGS = [
    Binding("c", "copy_code", "Code", id="orders.copy_code", group=COPY, tooltip="Copy the code"),
    Binding("n", "copy_number", "Number", id="orders.copy_number", group=COPY,
            tooltip="Copy the number"),
    Binding("x", "cancel_order", "Cancel", id="orders.cancel",
            tooltip="Cancel and refund (queued if too early; x again withdraws)"),
    Binding("R", "resend", "Resend", id="orders.resend",
            tooltip="Ask for the SMS again (its cost is shown first)"),
    Binding("a", "archive", "Archive", id="orders.archive",
            tooltip="Archive finished orders (History keeps them)"),
    Binding("B", "buy_again", "Rebuy", id="orders.buy_again", tooltip="Same service and country"),
    Binding("enter", "details", "Details", id="orders.details", show=False),
    # In help and the palette (the footer at 80 columns has no cell left for them).
    Binding("A", "activate", "Keep for resends", id="orders.activate", show=False,
            tooltip=f"Pool {ACTIVATE_POOL} only: allow resends; the order is then not refundable"),
    Binding("ctrl+x", "cancel_all", "Cancel all", id="orders.cancel_all", show=False,
            tooltip="Cancel every waiting order (asks first, listing them)"),
    Binding("m", "missed", "Missed SMS", id="orders.missed", show=False,
            tooltip="Messages that reached your numbers without completing an order"),
    # Shown only while an autopilot runs (check_action).
    Binding("p", "autopilot_pause", "Pause auto", id="orders.autopilot_pause", group=AUTO,
            tooltip="Autopilot: pause (no new purchases) or resume"),
    Binding("N", "autopilot_skip", "Skip", id="orders.autopilot_skip", group=AUTO,
            tooltip="Autopilot: cancel the live number, try the next candidate"),
    Binding("X", "autopilot_stop", "Stop auto", id="orders.autopilot_stop", group=AUTO,
            tooltip="Autopilot: stop, cancelling its live numbers"),
]  # fmt: skip


def cancellable(orders: Mapping[str, Order], now: datetime) -> list[Order]:
    """What "cancel all" would cancel: waiting orders that can still be refunded."""
    return [
        o
        for o in orders.values()
        if not o.is_intent_row and o.cancel_in(now) is not None and not is_activated(o)
    ]


def can_act(action: str, order: Order | None, orders: Mapping[str, Order], now: datetime) -> bool:
    """Whether `action` (a row action) can act on the selected `order` now."""
    if action == "archive":
        return any(o.ended_at is not None and not o.is_intent_row for o in orders.values())
    if action == "cancel_all":
        return bool(cancellable(orders, now))
    if order is None:
        return False
    if action == "copy_code":
        return bool(order.code or order.share_url)  # a token order copies its link
    if action == "copy_number":
        return bool(order.number)
    if action == "cancel_order":
        if order.is_intent_row:
            return True
        return order.cancel_in(now) is not None and not is_activated(order)
    if action == "resend":
        return order.status is OrderState.RECEIVED and order.ended_at is None
    if action == "buy_again":
        return not order.is_intent_row
    if action == "activate":
        return can_activate(order)
    return True


def why_not(action: str, order: Order | None) -> str | None:
    """Why a row action cannot act (for the key pressed anyway)."""
    if action == "archive":
        return "Nothing to archive: no order has finished yet."
    if action == "cancel_all":
        return "Nothing to cancel: no order is waiting for a code."
    if order is None:
        return "No order here yet: buy one from Browse (b)."
    if action == "cancel_order" and is_activated(order):
        return "This order was kept for resends: SMSPool no longer cancels or refunds it."
    if action == "activate":
        if is_activated(order):
            return "This order is already kept for resends."
        if order.pool != ACTIVATE_POOL:
            pool = "an unknown pool" if order.pool is None else f"pool {order.pool}"
            return f"Only pool {ACTIVATE_POOL} numbers can be kept for resends; this one is {pool}."
        return "This order has ended: there is nothing to keep."
    reasons = {
        "copy_code": "No code yet for this order: it is copied with c once it arrives.",
        "copy_number": "This row has no number yet.",
        "cancel_order": "This order cannot be cancelled now (it has ended or has a code).",
        "resend": "Resend works only on an active order that has received a code.",
        "buy_again": "This row is a purchase of unknown outcome: check it before buying again.",
    }
    return reasons.get(action)
