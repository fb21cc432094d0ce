"""Pure formatting for the board's time cells (no Textual state here). `plain` lives in
ui/text.py and is re-exported for the modules that still import it from here.

Countdowns come from the server's expiry (`Order.expires_at`) and the screen's clock, so a
frozen FakeClock gives frozen cells and a 1 s repaint is all the board needs.
"""

from __future__ import annotations

from datetime import datetime

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.text import plain

__all__ = ["ago_text", "cancel_text", "format_duration", "plain", "time_left_text"]


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


def cancel_text(order: Order, now: datetime) -> str:
    """The cancel-window cell: "cancel in 1:12", "can cancel", "cancel queued" or blank."""
    if order.cancel_queued and order.status is OrderState.PENDING:
        return "cancel queued"
    wait = order.cancel_in(now)
    if wait is None:
        return ""
    if wait <= 0:
        return "can cancel"
    return f"cancel in {format_duration(wait)}"


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
