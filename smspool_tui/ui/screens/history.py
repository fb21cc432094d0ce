"""History screen (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from smspool_tui.ui.screens.base import BaseScreen


class HistoryScreen(BaseScreen):
    TITLE = "History"

    def compose_body(self) -> ComposeResult:
        yield Static("History", classes="placeholder")
