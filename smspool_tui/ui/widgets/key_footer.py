"""The footer every screen shows: one readable entry per key ("c Copy code"), fitted to the width.

Textual's Footer scrolls sideways when the keys do not fit, so at 80 columns "q Quit" was cut
and groups read as "obhrs screens". This one drops whole entries from the end instead, keeps
Help and Quit on the right at any width, and follows the focus rule: while a text field has
focus, letter keys type into it, so they leave the footer and "esc Leave field" comes first.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, TextArea
from textual.widgets._footer import FooterKey

# The keys shown at every width, right-aligned, in this order.
PINNED_ACTIONS = ("help", "quit")
GAP = 2  # columns between two entries: keys stay apart without colour (NO_COLOR)


@dataclass(frozen=True, slots=True)
class FooterEntry:
    key: str
    display: str
    label: str
    action: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        return len(self.display) + 1 + len(self.label) + GAP


def typing_into(widget: Widget | None) -> bool:
    """A text field has focus: printable keys go into it, not to the screen."""
    return isinstance(widget, (Input, TextArea))


def is_letter_key(display: str) -> bool:
    """A key that types a character ("o", "?", "/", "$"), as opposed to esc, ^p or f5."""
    return len(display) == 1 and display.isascii() and display.isprintable()


def label_of(binding: Binding) -> str:
    """The binding's own words; a group's short label gets the group's verb ("Copy code")."""
    text = binding.description
    group = binding.group
    if group is not None and group.description.lower() not in text.lower():
        return f"{group.description.capitalize()} {text.lower()}"
    return text


def fit(entries: list[FooterEntry], pinned: list[FooterEntry], width: int) -> list[FooterEntry]:
    """The leading entries that fit beside the pinned ones, in their order."""
    room = width - sum(e.width for e in pinned)
    shown: list[FooterEntry] = []
    for entry in entries:
        if entry.width - (GAP if not pinned and not shown else 0) > room:
            break
        shown.append(entry)
        room -= entry.width
    return shown


class KeyFooter(Footer):
    """Readable, width-fitted keys; Help and Quit always visible on the right."""

    DEFAULT_CSS = """
    KeyFooter { scrollbar-size: 0 0; overflow: hidden hidden; }
    KeyFooter.-compact FooterKey { margin: 0 2 0 0; }
    KeyFooter .footer-pinned { dock: right; width: auto; }
    KeyFooter.-compact .footer-pinned FooterKey { margin: 0 0 0 2; }
    /* Not by shade only: a key that cannot act now is struck through (NO_COLOR too). */
    KeyFooter FooterKey.-disabled .footer-key--description { text-style: strike dim; }
    KeyFooter FooterKey.-disabled .footer-key--key { text-style: strike dim; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._width = 0

    def entries(self) -> tuple[list[FooterEntry], list[FooterEntry]]:
        """(the screen's and the app's keys in order, the pinned ones)."""
        app = self.app
        typing = typing_into(self.screen.focused)
        # Going to the screen you are on does nothing: not worth a footer cell.
        seen: set[str] = {f"goto('{app.current_mode}')"}
        entries: list[FooterEntry] = []
        pinned: dict[str, FooterEntry] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            display = app.get_key_display(binding)
            if typing and not binding.priority and is_letter_key(display):
                continue  # it types into the field
            seen.add(binding.action)
            entry = FooterEntry(
                key,
                display,
                label_of(binding),
                binding.action,
                active.enabled,
                active.tooltip or binding.tooltip or binding.description,
            )
            if binding.action in PINNED_ACTIONS:
                pinned[binding.action] = entry
            else:
                entries.append(entry)
        if "quit" not in pinned and "ctrl+q" in self.screen.active_bindings:
            # While typing, q is a letter: the way out is Textual's ctrl+q (same ask first).
            quit_key = Binding("ctrl+q", "")
            pinned["quit"] = FooterEntry(
                "ctrl+q", app.get_key_display(quit_key), "Quit", "quit", True, "Quit smspool-tui"
            )
        if "command_palette" not in seen and app.ENABLE_COMMAND_PALETTE:
            entries.append(FooterEntry("ctrl+p", "^p", "Palette", "command_palette", True, ""))
        # Where you are first: "esc Leave field" while typing, the screen's keys, then the app's.
        entries.sort(key=lambda e: e.key != "escape" or not typing)
        return entries, [pinned[a] for a in PINNED_ACTIONS if a in pinned]

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        self._width = width
        entries, pinned = self.entries()
        for entry in fit(entries, pinned, width):
            yield self._key(entry)
        if pinned:
            with HorizontalGroup(classes="footer-pinned"):
                for entry in pinned:
                    yield self._key(entry)

    def _key(self, entry: FooterEntry) -> FooterKey:
        return FooterKey(
            entry.key,
            entry.display,
            entry.label,
            entry.action,
            disabled=not entry.enabled,
            tooltip=entry.tooltip,
        ).data_bind(compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width and self._bindings_ready:
            self.call_after_refresh(self.recompose)


def leave_field(screen: Screen[object]) -> None:
    """Focus the screen's main widget (its AUTO_FOCUS, if not a field), else nothing."""
    selector = screen.AUTO_FOCUS or ""
    for widget in screen.query(selector) if selector and selector != "*" else ():
        if widget.focusable and not typing_into(widget):
            widget.focus()
            return
    screen.set_focus(None)
