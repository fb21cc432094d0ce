"""What the footer says, as a user reads it: "c Copy code  x Cancel  ? Help  q Quit"."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets._footer import FooterKey


def footer_line(screen: Screen[object]) -> str:
    """The footer's entries in screen order; a struck-through (disabled) one in brackets."""
    keys = list(screen.query(FooterKey))
    return "  ".join(
        f"[{k.key_display} {k.description}]"
        if k.has_class("-disabled")
        else f"{k.key_display} {k.description}"
        for k in keys
    )
