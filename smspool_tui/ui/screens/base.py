"""The frame every top-level screen shares: status header, body, footer, plus the plumbing
each screen used to repeat.

- `session`: the signed-in session (None before sign-in).
- `ticker(...)`: a display-only `set_interval` that pauses while the screen is suspended
  (another screen is on top, or another mode is shown) and resumes with it.
- Core events: a screen someone can see gets `on_core_event`; a hidden one gets
  `on_hidden_core_event`, which by default only marks it stale, and `redraw()` runs when it
  comes back. A screen under a modal is still visible (dimmed), so it keeps handling events.
- `refresh_footer()`: recompose the footer only when the set of enabled actions changed
  (a Footer recompose costs ~20 ms; the cursor moves far more often than that set changes).
- `say(...)`: a toast plus the screen's status line (toasts vanish; the line stays).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from smspool_tui.ui.widgets.header import StatusHeader
from smspool_tui.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from smspool_tui.core.session import Session
    from smspool_tui.ui.protocol import SmsApp


TCSS_DIR = Path(__file__).resolve().parent.parent / "tcss"


@dataclass(frozen=True, slots=True)
class OrderBought:
    """UI event on `core_events`: the user just bought this order; the board puts its cursor
    there, so `c` copies the new order's code."""

    order_id: str


def tcss(name: str) -> Path:
    """The stylesheet of one screen: ui/tcss/<name>.tcss (one per screen, selectors scoped by
    the screen type, because a screen's CSS_PATH applies app-wide once loaded)."""
    return TCSS_DIR / f"{name}.tcss"


class BaseScreen(Screen[None]):
    """Subclasses implement `compose_body`; core events arrive through `on_core_event`."""

    STATUS_ID: ClassVar[str] = ""  # the Static `say` writes to, e.g. "orders-status"
    REDRAW_ON_RESUME: ClassVar[bool] = False  # redraw on every resume, stale or not

    def __init__(self) -> None:
        super().__init__()
        self._tickers: list[Timer] = []
        self._stale = False
        self._footer_state: tuple[tuple[str, str, bool], ...] | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def smsapp(self) -> SmsApp:
        """The App as screens may use it (ui/protocol.py), not its private fields."""
        return cast("SmsApp", self.app)

    @property
    def session(self) -> Session | None:
        return self.smsapp.session

    def now(self) -> datetime:
        return self.smsapp.clock.now()

    def on_mount(self) -> None:
        self.smsapp.core_events.subscribe(self, self._route_core_event)

    # ---- tickers ---------------------------------------------------------------------------

    def ticker(self, interval: float, callback: Callable[[], object], *, name: str) -> Timer:
        """A display-only repeating timer that runs only while this screen is shown."""
        timer = self.set_interval(interval, callback, name=name)
        self._tickers.append(timer)
        return timer

    def on_screen_suspend(self) -> None:
        for timer in self._tickers:
            timer.pause()

    def on_screen_resume(self) -> None:
        for timer in self._tickers:
            timer.resume()
        if self._stale or self.REDRAW_ON_RESUME:
            self._stale = False
            self.redraw()

    # ---- core events -----------------------------------------------------------------------

    @property
    def is_seen(self) -> bool:
        """On screen: the top screen, or under modals only (they dim it, it stays visible)."""
        stack = self.app.screen_stack
        if self not in stack:
            return False
        return all(screen.is_modal for screen in stack[stack.index(self) + 1 :])

    def _route_core_event(self, event: object) -> None:
        if self.is_seen:
            self.on_core_event(event)
        else:
            self.on_hidden_core_event(event)

    def on_core_event(self, event: object) -> None:
        """Override to react to core events (OrdersChanged, CodeArrived, ...)."""

    def on_hidden_core_event(self, event: object) -> None:
        """A core event while nobody sees this screen: by default, redraw on resume."""
        self._stale = True

    def redraw(self) -> None:
        """Override: repaint from the services after events were missed while hidden."""

    # ---- footer and status -----------------------------------------------------------------

    def _enabled_actions(self) -> tuple[tuple[str, str, bool], ...]:
        """What the footer shows: each key's binding and whether it is enabled."""
        return tuple(
            (key, active.binding.action, active.enabled)
            for key, active in self.active_bindings.items()
        )

    def refresh_footer(self) -> None:
        """Refresh the footer only if a key it shows appeared, went, or changed state."""
        if self._enabled_actions() != self._footer_state:
            self.refresh_bindings()

    def refresh_bindings(self) -> None:
        """Whoever asks (Textual does on a focus change), remember what the footer will show."""
        try:
            self._footer_state = self._enabled_actions()
        except Exception:  # not composed yet (check_action queries widgets): check next time
            self._footer_state = None
        super().refresh_bindings()

    def why_not(self, action: str) -> str | None:
        """Why `action` cannot act now (a screen whose check_action greys keys says it here)."""
        return None

    def on_key(self, event: events.Key) -> None:
        """A key of this screen that cannot act says why instead of doing nothing, silently."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if "(" in binding.action or self.check_action(binding.action, ()):
                continue
            reason = self.why_not(binding.action)
            if reason:
                event.stop()
                event.prevent_default()
                self.say(reason, "warning")
                return

    def say(self, message: str, severity: str = "information") -> None:
        """A toast plus the status line (server text: never markup)."""
        if self.STATUS_ID:
            self.query_one(f"#{self.STATUS_ID}", Static).update(Text(message))
        self.notify(message, markup=False, severity=severity)  # type: ignore[arg-type]
