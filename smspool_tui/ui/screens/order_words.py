"""The app's own words for what the orders core reports as facts (amounts, counts), so no server
sentence ("you have been refunded 0.34 dollars.") and no "(s)" reaches the screen."""

from __future__ import annotations

from smspool_tui.core.events import OrderNotice
from smspool_tui.core.orders.facts import (
    Activated,
    CancelAccepted,
    CancelAllResult,
    CancelQueued,
    OrdersBusy,
    ResendRequested,
)
from smspool_tui.ui.text import money, plain


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 order", "2 orders" (`many` for irregular words)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def notice_text(event: OrderNotice) -> str:
    """One order's notice as the board says it."""
    if isinstance(event, CancelAccepted):
        if event.refund is None:
            return "cancelled; SMSPool refunds it to your balance"
        return f"cancelled, {money(event.refund)} refunded to your balance"
    if isinstance(event, CancelQueued):
        every = int(event.retry_every)
        return f"too early to cancel: queued, tried again every {every} s until SMSPool allows it"
    if isinstance(event, ResendRequested):
        cost = "free" if not event.charge else f"{money(event.charge)} charged"
        return f"SMS asked for again ({cost}); the new code shows here when it lands"
    if isinstance(event, Activated):
        return "kept for resends (R asks for a new SMS); it can no longer be cancelled or refunded"
    text = plain(event.text)
    return text[:1].upper() + text[1:] if text else text


def archived_text(count: int) -> str:
    if not count:
        return "Archived on SMSPool; no finished order was on the board."
    return f"Archived {plural(count, 'finished order')}: History keeps them (h)."


def busy_reasons(busy: OrdersBusy) -> list[str]:
    """Why quitting now would drop work the user asked for, one reason per kind."""
    reasons: list[str] = []
    if busy.purchases_in_flight:
        n = busy.purchases_in_flight
        waits = "is" if n == 1 else "are"
        reasons.append(f"{plural(n, 'purchase')} {waits} still waiting for SMSPool's answer")
    if busy.queued_cancels:
        n = busy.queued_cancels
        reasons.append(f"{plural(n, 'queued cancel')} will not be sent while the app is closed")
    if busy.unsaved:
        n = busy.unsaved
        reasons.append(f"{plural(n, 'order')} not yet saved to the journal")
    return reasons


def cancel_all_text(result: CancelAllResult) -> str:
    parts = []
    if result.cancelled:
        parts.append(f"{plural(result.cancelled, 'order')} cancelled and refunded")
    if result.queued:
        parts.append(f"{result.queued} queued until SMSPool allows the cancel")
    if result.not_cancelled:
        parts.append(f"{result.not_cancelled} could not be cancelled (see the board)")
    return "Cancel all: " + ("; ".join(parts) if parts else "nothing was cancelled") + "."
