"""Pure formatting for the board's time cells (no Textual state here).

Countdowns come from the server's expiry (`Order.expires_at`) and the screen's clock, so a
frozen FakeClock gives frozen cells and a 1 s repaint is all the board needs.
"""

from __future__ import annotations

from datetime import datetime

from smspool_tui.core.order_model import Order, OrderState, is_activated
from smspool_tui.ui.text import plain

__all__ = [
    "ago_text",
    "cancel_text",
    "format_duration",
    "order_line",
    "time_left_text",
]


def format_duration(seconds: float | None) -> str:
    """`m:ss` below an hour, `h:mm:ss` above; rounds up so 0:00 means really over."""
    if seconds is None:
        return "—"
    total = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def time_left_text(order: Order, now: datetime) -> str:
    if not order.is_active(now):  # ended, final or its time ran out: a dash, never 0:00
        return "—"
    return format_duration(order.time_left(now))


def next_try(order: Order, now: datetime) -> str:
    """When a queued cancel is sent next: "0:08", or "now" once it is due."""
    opens = order.cancel_opens_at
    wait = 0.0 if opens is None else (opens - now).total_seconds()
    return format_duration(wait) if wait > 0 else "now"


def cancel_text(order: Order, now: datetime) -> str:
    """The cancel-window cell: "cancel in 1:12", "can cancel", "queued · 0:08" (counting down
    to the next try) or blank."""
    if order.cancel_queued and order.status is OrderState.PENDING:
        return f"queued · {next_try(order, now)}"
    if is_activated(order) and order.ended_at is None:
        return "kept, no refund"  # activated for resends: SMSPool cancels it no more
    wait = order.cancel_in(now)
    if wait is None:
        return ""
    if wait <= 0:
        return "can cancel"
    return f"cancel in {format_duration(wait)}"


def order_line(order: Order | None, now: datetime) -> str:
    """The board's status line for the selected order: what is under way for it, from its
    state and the clock (so it is never stale); blank when nothing is."""
    if order is None:
        return ""
    if order.is_intent_row:
        return plain(order.note)
    if order.cancel_queued and order.status is OrderState.PENDING and order.ended_at is None:
        return (
            f"{plain(order.number)}: cancel queued (SMSPool does not allow it yet), next try in "
            f"{next_try(order, now)} · x withdraws it"
        )
    return ""


def ago_text(seconds: float) -> str:
    """Coarse on purpose: the health line should not change (repaint) on every tick."""
    seconds = max(0, int(seconds))
    if seconds < 10:
        return "just now"
    if seconds < 60:
        return f"{seconds // 5 * 5}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"
