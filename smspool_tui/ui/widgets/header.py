"""The one-line header: product, account state (DEMO / LIVE), balance, active orders, health.

The balance and the active count never move: the health text takes the room left between them
and the screen's name, and below 100 columns the product name makes room for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from smspool_tui.ui.text import money

format_money = money  # the one money formatter (ui/text.py), by the name settings use

NARROW = 100  # below this many columns the product name goes (the health text needs it)
_RETRY = re.compile(r"\s*-\s*retrying in (\d+)s$")
# Where a rejected key is fixed, by where it came from ("s: Settings" only for a saved key).
KEY_FIX = {"env": ": fix SMSPOOL_API_KEY", "flag": ": fix --api-key"}
KEY_REJECTED_MARK = "API key rejected"


def header_health(messages: Iterable[str], key_source: str | None = None) -> str:
    """One short text for every offline monitor: each problem once, with the soonest retry
    ("offline · retry in 4s", not "offline - retrying in 4s · offline - retrying in 8s")."""
    problems: list[str] = []
    soonest: int | None = None
    for message in messages:
        match = _RETRY.search(message)
        what = message[: match.start()] if match else message
        if KEY_REJECTED_MARK in what:  # nothing else matters, and waiting will not fix it
            fix = KEY_FIX.get(key_source or "")
            return what.replace(" (s: Settings)", fix) if fix else what
        if match:
            seconds = int(match.group(1))
            soonest = seconds if soonest is None else min(soonest, seconds)
        if what and what not in problems:
            problems.append(what)
    text = " · ".join(problems)
    return f"{text} · retry in {soonest}s" if text and soonest is not None else text


class StatusHeader(Horizontal):
    """Reads the App's reactives (balance, active_count, health, demo); owns no state."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $text; }
    StatusHeader > Static { width: auto; padding: 0 1; }
    StatusHeader #hdr-title { text-style: bold; }
    StatusHeader #hdr-mode { text-style: bold; }
    StatusHeader #hdr-mode.-demo { background: $warning; color: $text; }
    StatusHeader #hdr-mode.-live { background: $success; color: $text; }
    StatusHeader #hdr-health {
        width: 1fr; color: $error; text-style: bold; text-align: right;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    StatusHeader.-narrow #hdr-title { display: none; }
    StatusHeader.-narrow > Static { padding: 0 0 0 1; }
    StatusHeader.-narrow #hdr-mode { padding: 0; }
    StatusHeader.-narrow #hdr-health { padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("smspool-tui", id="hdr-title")
        yield Static("", id="hdr-mode")
        yield Static("", id="hdr-screen")
        yield Static("", id="hdr-health")
        yield Static("", id="hdr-active")
        yield Static("", id="hdr-balance")

    def on_mount(self) -> None:
        app = self.app
        self._mode(narrow=app.size.width < NARROW)
        self.query_one("#hdr-screen", Static).update(Text(self.screen.title or "", style="dim"))
        self.watch(app, "balance", self._balance)
        self.watch(app, "active_count", self._active)
        self.watch(app, "health", self._health)

    def on_resize(self, event: events.Resize) -> None:
        self._mode(narrow=event.size.width < NARROW)

    def _mode(self, *, narrow: bool) -> None:
        """DEMO, LIVE (a key is in), or nothing yet (onboarding: no key, nothing is live)."""
        app = self.app
        self.set_class(narrow, "-narrow")
        mode = self.query_one("#hdr-mode", Static)
        demo = bool(getattr(app, "demo", False))
        settings = getattr(app, "settings", None)
        has_key = getattr(settings, "api_key", None) is not None
        live = not demo and has_key
        if demo:
            mode.update(" DEMO · fake money ")
        else:
            mode.update(" LIVE " if live else "")
        mode.display = demo or live
        for part in ("#hdr-active", "#hdr-balance"):  # nothing to count before a key
            self.query_one(part, Static).display = demo or has_key
        mode.set_class(demo, "-demo")
        mode.set_class(live, "-live")

    def _balance(self, value: Decimal | None) -> None:
        self.query_one("#hdr-balance", Static).update(f"Balance {format_money(value)}")
        self._mode(narrow=self.has_class("-narrow"))  # a key just came in (onboarding)

    def _active(self, value: int) -> None:
        self.query_one("#hdr-active", Static).update(f"Active {value}")

    def _health(self, value: str) -> None:
        self.query_one("#hdr-health", Static).update(Text(value))
