"""Help (`?`): every key of the app and of every screen, generated from the live BINDINGS."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from smspool_tui.ui.commands import binding_rows
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.widgets.key_footer import KeyFooter


class HelpScreen(ModalScreen[None]):
    TITLE = "Help"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]
    CSS_PATH = tcss("help")

    def __init__(self, current: Screen[object] | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        self.table = self._table()
        with VerticalScroll(id="help-scroll"):
            yield Static(self.table, id="help-table")
        yield KeyFooter()

    def _table(self) -> Group:
        parts: list[RenderableType] = [
            Text("ctrl+p opens the command palette: type what you want to do.", style="bold")
        ]
        table: Table | None = None
        where = ""
        for row in binding_rows(self.app, self.current):
            if row.where != where or table is None:
                where = row.where
                table = Table(show_header=False, show_edge=False, box=None, expand=True)
                table.add_column("Key", style="bold", no_wrap=True, width=14)
                table.add_column("Does", ratio=1)
                parts += [Text(""), Text(where, style="bold underline"), table]
            table.add_row(Text(row.key), Text(row.description))
        return Group(*parts)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()
