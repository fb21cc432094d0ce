"""The composition root: the App, its modes, the core-event bridge and the monitor workers.

Core services know nothing of Textual. Their monitors are plain async loops started here as
App workers (so one handler sees their failures), and the events they emit are wrapped in a
Textual message, applied to the App's reactives, then re-published on `core_events` for screens.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand, UnknownModeError
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from smspool_tui.clock import Clock, SystemClock
from smspool_tui.config import LoadedSettings, Paths, Settings, save_settings
from smspool_tui.core import events as ev
from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.ui.alerts import Alerts
from smspool_tui.ui.announce import announce_code, announce_rental_message
from smspool_tui.ui.app_keys import APP_BINDINGS
from smspool_tui.ui.autopilot_glue import AutopilotGlue
from smspool_tui.ui.commands import SmsPoolCommands, system_commands
from smspool_tui.ui.palette_buy import BuyCommands
from smspool_tui.ui.screens.lazy import LazyScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.text import use_utc
from smspool_tui.ui.theme_save import save_chosen_theme
from smspool_tui.ui.watch_commands import WatchCommands
from smspool_tui.ui.widgets.header import format_money, header_health
from smspool_tui.ui.widgets.key_footer import leave_field, typing_into

if TYPE_CHECKING:
    from pydantic import SecretStr

    from smspool_tui.core.autopilot import Plan
    from smspool_tui.core.session import Session
    from smspool_tui.demo import DemoHandle

ONBOARDING_MODE = "onboarding"
# First run only, so its imports (the key check: the api package, pydantic models) stay off the
# first frame of everyone else.
ONBOARDING = LazyScreen("onboarding", "OnboardingScreen")
SessionFactory = Callable[[LoadedSettings, Paths], "Session"]


class CoreEvent(Message):
    """A core event crossing into the UI thread."""

    def __init__(self, event: object) -> None:
        super().__init__()
        self.event = event


class SmsPoolApp(App[int]):
    TITLE = "smspool-tui"
    CSS_PATH = ["tcss/global.tcss", "tcss/browse.tcss"]  # browse: parsed once at start, not on b
    MODES = {
        "orders": OrdersScreen,
        "browse": LazyScreen("browse", "BrowseScreen"),
        "history": LazyScreen("history", "HistoryScreen"),
        "rentals": LazyScreen("rentals", "RentalsScreen"),
        "settings": LazyScreen("settings", "SettingsScreen"),
        "stats": LazyScreen("stats", "StatsScreen"),
        "watches": LazyScreen("watches", "WatchesScreen"),
    }
    DEFAULT_MODE = "orders"
    COMMANDS = App.COMMANDS | {SmsPoolCommands, BuyCommands, WatchCommands}
    BINDINGS = APP_BINDINGS

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
            self.add_mode(ONBOARDING_MODE, ONBOARDING)
        self.loaded = loaded
        self.paths = paths
        self.demo = demo
        self.session = session
        self._session_factory = session_factory or _open_session
        self._run_monitors = monitors
        self._clock: Clock = clock or (session.clock if session else SystemClock())
        self._health: dict[str, str] = {}
        self.core_events: Signal[object] = Signal(self, "core-events")
        self.autopilot = AutopilotGlue(self)  # one run at a time, shown on the board
        self.alerts = Alerts(self)  # desktop notifications (terminal escape / OS notifier)
        self._orders: tuple[Any, ...] = ()  # the last OrdersChanged, for the header's count
        self.demo_server: DemoHandle | None = None  # the simulator of --demo or "try the demo"
        # Why the session could not open at start; the CLI prints it and exits 2.
        self.startup_problem: str | None = None
        # A theme name typed by hand into the file may not exist; fall back instead of crashing.
        themes = self.available_themes
        self.theme = loaded.settings.theme if loaded.settings.theme in themes else "textual-dark"
        use_utc(loaded.settings.display.utc)  # times: the user's zone unless [display] utc

    @property
    def clock(self) -> Clock:
        """The one clock: the session's once signed in."""
        return self.session.clock if self.session is not None else self._clock

    @property
    def settings(self) -> Settings:
        return self.loaded.settings

    # ---- the session lifecycle -------------------------------------------------------------

    def _count_active(self) -> None:
        """The header's "Active N": orders still running now (an expired one is not)."""
        now = self.clock.now()
        self.active_count = sum(1 for o in self._orders if o.is_active(now))

    def on_mount(self) -> None:
        self.set_interval(1.0, self._count_active)  # display only: time runs out between polls
        self.alerts.start()
        self.theme_changed_signal.subscribe(self, partial(save_chosen_theme, self))
        if self.session is not None:
            self.start_session(self.session)
        elif self.settings.api_key is not None:
            # The first frame goes up before the session's imports (httpx, the services) and
            # its journal open; the board fills on the next frame.
            self.call_after_refresh(self._open_at_start)

    def _open_at_start(self) -> None:
        session = self._open_session(at_start=True)
        if session is None:
            return
        self.start_session(session)
        self.emit(ev.OrdersChanged(session.orders.orders_snapshot()))

    def _open_session(self, *, at_start: bool = False) -> Session | None:
        """The session for the current settings, or None with the reason on screen.

        Never a traceback: Textual's crash report prints the frames' locals, and the frames of a
        session being built hold the key.
        """
        try:
            return self._session_factory(self.loaded, self.paths)
        except JournalUnavailable as exc:
            problem = str(exc)
        except Exception as exc:  # anything else at open gets the same care
            problem = redact(f"Could not start: {exc.__class__.__name__}: {exc}", self.settings)
        self._show_problem(problem, at_start=at_start)
        return None

    def _show_problem(self, problem: str, *, at_start: bool) -> None:
        from smspool_tui.ui.screens.confirm import ProblemScreen

        if at_start:  # nothing to fall back to: say why, then quit (the CLI exits 2)
            self.startup_problem = problem
            self.push_screen(
                ProblemScreen(problem, title="smspool-tui cannot start", ok="Quit"),
                lambda _: self.exit(return_code=2),
            )
        else:  # the current screen stays usable underneath
            self.push_screen(ProblemScreen(problem, title="The session could not open"))

    def start_session(self, session: Session) -> None:
        """Adopt a session (after onboarding too) and start its monitors as App workers."""
        self.session = session
        session.attach(self.emit)
        self.refresh_bindings()
        if not self._run_monitors:
            return
        for name, loop in session.monitors():
            self.run_worker(
                loop(self.emit),
                name=name,
                group="monitors",
                description=name,
                exclusive=False,
                exit_on_error=False,
            )
        self.autopilot.session_started(session)  # an interrupted run: the user chooses
        self.run_worker(
            session.warm_catalog(),
            name="catalog-warmup",
            description="catalog-warmup",
            exit_on_error=False,
        )

    def adopt_key(self, key: SecretStr, balance: Decimal) -> bool:
        """A checked key becomes the settings' key and is saved (0600); False if not saved."""
        self.loaded.settings.api_key = key
        self.loaded.key_source = "onboarding"
        self.balance = balance
        try:
            save_settings(self.loaded)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            self.notify(
                f"Could not save the key to {self.loaded.path} ({reason}); it works for this run.",
                severity="warning",
                markup=False,
            )
            return False
        return True

    async def sign_in(self, key: SecretStr | None = None, balance: Decimal | None = None) -> bool:
        """Adopt a checked key (if given), open the session and show the Orders board."""
        if key is not None and balance is not None and self.adopt_key(key, balance):
            self.notify(f"Key saved. Balance {format_money(balance)}.", markup=False)
        session = self._open_session()
        if session is None:
            return False
        self.start_session(session)
        await self.switch_mode("orders")
        with contextlib.suppress(UnknownModeError):
            await self.remove_mode(ONBOARDING_MODE)
        return True

    async def start_demo(self) -> None:
        """Switch to the in-process simulator with throwaway settings, then sign in."""
        from smspool_tui.demo import demo_environment

        self.loaded, self.paths, self.demo_server = demo_environment()
        self.demo = True
        await self.sign_in()

    async def replace_key(self, key: SecretStr, balance: Decimal) -> bool:
        """Swap in a session built with the new key; the old one is closed after its monitors."""
        self.adopt_key(key, balance)
        old = self.session
        session = self._open_session()
        if session is None:
            return False
        self.workers.cancel_group(self, "monitors")
        self.start_session(session)
        if old is not None:
            await old.aclose()
        return True

    async def sign_out(self) -> None:
        """After removing the key: stop everything that used it and ask for a key again."""
        old = self.session
        self.workers.cancel_group(self, "monitors")
        self.session = None
        self.balance = None
        if old is not None:
            await old.aclose()
        if ONBOARDING_MODE not in self._modes:
            self.add_mode(ONBOARDING_MODE, ONBOARDING)
        await self.switch_mode(ONBOARDING_MODE)

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
            self._orders = event.orders
            self._count_active()
        elif isinstance(event, ev.MonitorHealth):
            self._set_health(event.name, "" if event.online else event.message)
        elif isinstance(event, ev.CodeArrived):
            announce_code(self, self.settings, event)
        elif isinstance(event, ev.RentalMessageArrived):
            announce_rental_message(self, self.settings, event)
        self.autopilot.on_event(event)  # the run acts on a code at once
        self.alerts.on_event(event)
        self.core_events.publish(event)

    def _set_health(self, name: str, message: str) -> None:
        if message:
            self._health[name] = message
        else:
            self._health.pop(name, None)
        self.health = header_health(self._health.values(), self.loaded.key_source)

    @property
    def has_terminal(self) -> bool:
        """A real terminal to write escapes to (not headless, not a test)."""
        return not self.is_headless and self._driver is not None

    def write_escape(self, sequence: str) -> None:
        """Queue one whole escape (a notification) on the driver's writer, as OSC 52 copies
        are. Frames are queued by one call on this thread, so this lands between two frames."""
        if not self.has_terminal or self._driver is None:
            return
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self._driver.write, sequence)
        else:
            self._driver.write(sequence)

    def start_autopilot(self, plan: Plan) -> bool:
        """After the confirm screen's `y`: run it (False, with a toast, if one is running)."""
        return self.autopilot.start(plan)

    @on(Worker.StateChanged)
    def _route_worker_errors(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            text = str(error) or error.__class__.__name__ if error else "unknown error"
            self.notify(f"{event.worker.name}: {text}", severity="error", markup=False)

    # ---- actions ---------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        return system_commands(super().get_system_commands(screen))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_field":  # only while a text field has focus
            return typing_into(self.focused)
        # Until a key is in (onboarding), only help and quit make sense.
        return not (action == "goto" and self.session is None)

    def action_leave_field(self) -> None:
        """esc in a text field: back to the screen's main widget, where screen keys work."""
        leave_field(self.screen)

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


def _open_session(loaded: LoadedSettings, paths: Paths) -> Session:
    from smspool_tui.core.session import Session  # httpx and the services: after first frame

    return Session.open(loaded, paths)


def redact(text: str, settings: Settings) -> str:
    """`text` with the key (if any) replaced by stars: exception texts are not ours to trust."""
    key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    return text.replace(key, "*" * 8) if key else text


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
