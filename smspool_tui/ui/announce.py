"""What the App does when a code or a rental message arrives: clipboard, toast, bell.

Kept beside the App (it is the App's bridge that calls these) so `ui/app.py` stays wiring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smspool_tui.ui.text import phone, plain

if TYPE_CHECKING:
    from textual.app import App

    from smspool_tui.config import Settings
    from smspool_tui.core import events as ev


def announce_code(app: App[int], settings: Settings, event: ev.CodeArrived) -> None:
    order = event.order
    notes = settings.notifications
    copied = False
    if notes.auto_copy and order.code:
        app.copy_to_clipboard(order.code)
        copied = True
    if notes.toast:
        tail = " (copied)" if copied else ""
        app.notify(
            f"{plain(order.service)} · {phone(order.number)}: {plain(order.code)}{tail}",
            title="Code received",
            markup=False,
        )
    if notes.bell:
        app.bell()


def announce_rental_message(
    app: App[int], settings: Settings, event: ev.RentalMessageArrived
) -> None:
    """A toast unless that rental's inbox is the screen being looked at."""
    if getattr(app.screen, "rental_code", None) == event.rental_code:
        return
    if settings.notifications.toast:
        more = f" (+{len(event.messages) - 1} more)" if len(event.messages) > 1 else ""
        code = f"code {plain(event.code)} · " if event.code else ""
        app.notify(
            f"{phone(event.number)}: {code}{plain(event.messages[0].text)[:80]}{more}",
            title="Rental message",
            markup=False,
        )
