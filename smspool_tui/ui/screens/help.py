"""Help: every binding of the app and of the screen underneath, read from the live BINDINGS."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        table.add_column("Where", style="dim")
        app = self.app
        screens = [s for s in app.screen_stack if s is not self]
        seen: set[tuple[str, str]] = set()
        for where, node in [(type(s).__name__.removesuffix("Screen"), s) for s in screens[-1:]] + [
            ("everywhere", app)
        ]:
            for binding in node._bindings.key_to_bindings.values():
                for b in binding:
                    if not b.description or (b.key, b.description) in seen:
                        continue
                    seen.add((b.key, b.description))
                    table.add_row(app.get_key_display(b), b.tooltip or b.description, where)
        return table
