"""The App's own keys: the screens and the global ones (help, quit). One place, so the footer,
help and the palette read the same list."""

from __future__ import annotations

from textual.binding import Binding

# The screen keys share one footer slot ("obhrs screens"), so ? and q fit at 80 columns.
SCREENS = Binding.Group("screens", compact=True)


def _goto(key: str, mode: str, label: str, tooltip: str, *, show: bool = True) -> Binding:
    return Binding(
        key, f"goto('{mode}')", label, id=f"goto.{mode}", group=SCREENS, tooltip=tooltip,
        show=show,
    )  # fmt: skip


APP_BINDINGS = [
    _goto("o", "orders", "Orders", "The live orders board"),
    _goto("b", "browse", "Browse", "Find a service"),
    _goto("h", "history", "History", "Past orders"),
    _goto("r", "rentals", "Rentals", "Long-term numbers"),
    _goto("s", "settings", "Settings", "Preferences"),
    # In help and the palette; the footer at 80 columns has no cell left for it.
    _goto("g", "stats", "Stats", "Spend and success by service, country and pool", show=False),
    _goto("w", "watches", "Watches", "Stock and price alerts", show=False),
    Binding("question_mark", "help", "Help", id="app.help", tooltip="All keys"),
    Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit smspool-tui"),
]
