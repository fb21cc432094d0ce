"""The composition root: the App, its modes, the core-event bridge and the monitor workers.

Core services know nothing of Textual. Their monitors are plain async loops started here as
App workers (so one handler sees their failures), and the events they emit are wrapped in a
Textual message, applied to the App's reactives, then re-published on `core_events` for screens.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from smspool_tui.clock import Clock, SystemClock
from smspool_tui.config import LoadedSettings, Paths, Settings
from smspool_tui.core import events as ev
from smspool_tui.core.session import Session
from smspool_tui.ui.commands import BuyCommands, SmsPoolCommands
from smspool_tui.ui.screens.lazy import LazyScreen
from smspool_tui.ui.screens.onboarding import ONBOARDING_MODE, OnboardingScreen
from smspool_tui.ui.screens.orders import OrdersScreen

SessionFactory = Callable[[LoadedSettings, Paths], Session]


class CoreEvent(Message):
    """A core event crossing into the UI thread."""

    def __init__(self, event: object) -> None:
        super().__init__()
        self.event = event


# The five screen keys share one footer slot ("obhrs screens"), so ? and q fit at 80 columns.
SCREENS = Binding.Group("screens", compact=True)


class SmsPoolApp(App[int]):
    TITLE = "smspool-tui"
    CSS_PATH = ["tcss/global.tcss", "tcss/browse.tcss"]  # browse: parsed once at start, not on b
    MODES = {
        "orders": OrdersScreen,
        "browse": LazyScreen("browse", "BrowseScreen"),
        "history": LazyScreen("history", "HistoryScreen"),
        "rentals": LazyScreen("rentals", "RentalsScreen"),
        "settings": LazyScreen("settings", "SettingsScreen"),
    }
    DEFAULT_MODE = "orders"
    COMMANDS = App.COMMANDS | {SmsPoolCommands, BuyCommands}
    BINDINGS = [
        Binding(
            "o",
            "goto('orders')",
            "Orders",
            id="goto.orders",
            group=SCREENS,
            tooltip="The live orders board",
        ),
        Binding(
            "b",
            "goto('browse')",
            "Browse",
            id="goto.browse",
            group=SCREENS,
            tooltip="Find a service",
        ),
        Binding(
            "h",
            "goto('history')",
            "History",
            id="goto.history",
            group=SCREENS,
            tooltip="Past orders",
        ),
        Binding(
            "r",
            "goto('rentals')",
            "Rentals",
            id="goto.rentals",
            group=SCREENS,
            tooltip="Long-term numbers",
        ),
        Binding(
            "s",
            "goto('settings')",
            "Settings",
            id="goto.settings",
            group=SCREENS,
            tooltip="Preferences",
        ),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="All keys"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit smspool-tui"),
    ]

    balance: reactive[Decimal | None] = reactive(None)
    active_count: reactive[int] = reactive(0)
    health: reactive[str] = reactive("")

    def __init__(
        self,
        loaded: LoadedSettings,
        paths: Paths,
        *,
        session: Session | None = None,
        session_factory: SessionFactory | None = None,
        demo: bool = False,
        monitors: bool = True,
        clock: Clock | None = None,
    ) -> None:
        first_run = session is None and loaded.settings.api_key is None and not demo
        if first_run:
            self.DEFAULT_MODE = ONBOARDING_MODE  # the first screen asks for the key
        super().__init__()
        if first_run:
            self.add_mode(ONBOARDING_MODE, OnboardingScreen)
        self.loaded = loaded
        self.paths = paths
        self.demo = demo
        self.session = session
        self._session_factory = session_factory or Session.open
        self._run_monitors = monitors
        self._clock: Clock = clock or (session.clock if session else SystemClock())
        self._health: dict[str, str] = {}
        self.core_events: Signal[object] = Signal(self, "core-events")
        self.demo_server: Any = None  # the simulator started from onboarding's "try the demo"
        # A theme name typed by hand into the file may not exist; fall back instead of crashing.
        themes = self.available_themes
        self.theme = loaded.settings.theme if loaded.settings.theme in themes else "textual-dark"

    @property
    def clock(self) -> Clock:
        """The one clock: the session's once signed in."""
        return self.session.clock if self.session is not None else self._clock

    @property
    def settings(self) -> Settings:
        return self.loaded.settings

    # ---- lifecycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.session is None and self.settings.api_key is not None:
            self.session = self._session_factory(self.loaded, self.paths)
        if self.session is not None:
            self.start_session(self.session)

    def start_session(self, session: Session) -> None:
        """Adopt a session (after onboarding too) and start its monitors as App workers."""
        self.session = session
        if not self._run_monitors:
            return
        for name, loop in session.monitors():
            self.run_worker(
                loop(self.emit), name=name, group="monitors", exclusive=False, exit_on_error=False
            )
        self.run_worker(session.warm_catalog(), name="catalog-warmup", exit_on_error=False)

    async def on_unmount(self) -> None:
        self.workers.cancel_group(self, "monitors")
        if self.session is not None:
            await self.session.aclose()
        if self.demo_server is not None:
            self.demo_server.stop()

    # ---- the bridge ------------------------------------------------------------------------

    def emit(self, event: object) -> None:
        """Called by core monitors (on this loop or a thread): hand the event to the UI."""
        self.post_message(CoreEvent(event))

    def on_core_event(self, message: CoreEvent) -> None:
        event = message.event
        if isinstance(event, ev.BalanceChanged):
            self.balance = event.balance
        elif isinstance(event, ev.OrdersChanged):
            self.active_count = sum(1 for o in event.orders if not o.status.is_final)
        elif isinstance(event, ev.MonitorHealth):
            self._set_health(event.name, "" if event.online else event.message)
        elif isinstance(event, ev.CodeArrived):
            self._announce_code(event)
        elif isinstance(event, ev.RentalMessageArrived):
            self._announce_rental_message(event)
        self.core_events.publish(event)

    def _set_health(self, name: str, message: str) -> None:
        if message:
            self._health[name] = message
        else:
            self._health.pop(name, None)
        self.health = " · ".join(self._health.values())

    def _announce_code(self, event: ev.CodeArrived) -> None:
        order = event.order
        notes = self.settings.notifications
        copied = False
        if notes.auto_copy and order.code:
            self.copy_to_clipboard(order.code)
            copied = True
        if notes.toast:
            tail = " (copied)" if copied else ""
            self.notify(
                f"{order.service} · {order.number}: {order.code}{tail}",
                title="Code received",
                markup=False,
            )
        if notes.bell:
            self.bell()

    def _announce_rental_message(self, event: ev.RentalMessageArrived) -> None:
        """A toast unless that rental's inbox is the screen being looked at."""
        from smspool_tui.ui.widgets.countdown import plain

        if getattr(self.screen, "rental_code", None) == event.rental_code:
            return
        if self.settings.notifications.toast:
            more = f" (+{len(event.messages) - 1} more)" if len(event.messages) > 1 else ""
            code = f"code {plain(event.code)} · " if event.code else ""
            self.notify(
                f"{plain(event.number)}: {code}{plain(event.messages[0].text)[:80]}{more}",
                title="Rental message",
                markup=False,
            )

    @on(Worker.StateChanged)
    def _route_worker_errors(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            text = str(error) or error.__class__.__name__ if error else "unknown error"
            self.notify(f"{event.worker.name}: {text}", severity="error", markup=False)

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until a key is in (onboarding), only help and quit make sense.
        return not (action == "goto" and self.session is None)

    async def action_quit(self) -> None:
        """q, ctrl+q and ctrl+c: ask first if quitting would drop queued work."""
        from smspool_tui.ui.screens.confirm import QuitConfirm, quit_warning

        reason = quit_warning(self)
        if reason is None or isinstance(self.screen, QuitConfirm):
            self.exit()
            return
        self.push_screen(
            QuitConfirm(reason, title="Quit smspool-tui?", yes="Quit", no="Stay"),
            lambda ok: self.exit() if ok else None,
        )

    async def action_help_quit(self) -> None:
        # Textual 8 makes ctrl+c only hint at ctrl+q; users expect it to quit (via the same ask).
        await self.action_quit()

    async def action_goto(self, mode: str) -> None:
        await self.switch_mode(mode)

    def action_help(self) -> None:
        from smspool_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))


def make_app(
    loaded: LoadedSettings,
    paths: Paths,
    *,
    session: Session | None = None,
    demo: bool = False,
    monitors: bool = True,
    **kwargs: Any,
) -> SmsPoolApp:
    """The one factory the CLI, the tests and `textual run --dev` all use."""
    return SmsPoolApp(loaded, paths, session=session, demo=demo, monitors=monitors, **kwargs)
