"""The App's own keys: the screens and the global ones (help, quit). One place, so the footer,
help and the palette read the same list.

The focus rule, the same on every screen: no text field has focus when a screen opens, so these
letter keys work; while a field has focus, letters type into it and `esc` leaves the field.
"""

from __future__ import annotations

from textual.binding import Binding


def _goto(key: str, mode: str, label: str, tooltip: str) -> Binding:
    return Binding(key, f"goto('{mode}')", label, id=f"goto.{mode}", tooltip=tooltip)


APP_BINDINGS = [
    # Shown first while typing (the footer puts esc first then); hidden otherwise (check_action).
    Binding(
        "escape",
        "leave_field",
        "Leave field",
        id="app.leave_field",
        tooltip="Back out of a text field; letters are screen keys again",
    ),
    _goto("o", "orders", "Orders", "The live orders board"),
    _goto("b", "browse", "Browse", "Find a service"),
    _goto("h", "history", "History", "Past orders"),
    _goto("r", "rentals", "Rentals", "Long-term numbers"),
    _goto("s", "settings", "Settings", "Preferences"),
    _goto("g", "stats", "Stats", "Spend and success by service, country and pool"),
    _goto("w", "watches", "Watches", "Stock and price alerts"),
    Binding("question_mark", "help", "Help", id="app.help", tooltip="All keys"),
    Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit smspool-tui"),
]
