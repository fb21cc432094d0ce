"""Orders screen (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from smspool_tui.ui.screens.base import BaseScreen


class OrdersScreen(BaseScreen):
    TITLE = "Orders"

    def compose_body(self) -> ComposeResult:
        yield Static("Orders", classes="placeholder")
