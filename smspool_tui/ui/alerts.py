"""The App's desktop notifications: core events in, Notices out (core/notify), written where
this machine can show them.

The terminal escape goes through `App.write_escape`: the driver's writer thread, which Textual's
frames and OSC 52 clipboard writes use too. A frame is queued by one synchronous call on the
App's thread (begin-sync, the frame, end-sync), and events arrive here on that thread (the
CoreEvent bridge), so an escape is queued between two frames, never inside a half-written one.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from smspool_tui.core.notify import Kind, Notice, NoticeSource, Notifier, Route
from smspool_tui.core.notify.system import run_quietly
from smspool_tui.core.watches.model import WatchFired

if TYPE_CHECKING:
    from smspool_tui.config import DesktopNotifications

TICK = 5.0  # how often "offline for over a minute" is looked at


class Alerts:
    def __init__(self, app: Any) -> None:  # the SmsPoolApp (its module imports this one)
        self.app = app
        self._notifier: Notifier | None = None
        self.source = NoticeSource(app.clock)
        self.routes: list[Route] = []  # what each notice did (tests read it)

    def _prefs(self) -> DesktopNotifications:
        return self.app.settings.desktop_notifications

    @property
    def notifier(self) -> Notifier:
        """Built on first use: whether the App is headless is known only once it runs."""
        if self._notifier is None:
            real = self.app.has_terminal
            self._notifier = Notifier.for_environment(
                self._prefs,
                os.environ,
                write=self.app.write_escape if real else None,
                spawn=self._spawn if real else None,
            )
        return self._notifier

    @notifier.setter
    def notifier(self, notifier: Notifier) -> None:
        self._notifier = notifier

    def start(self) -> None:
        self.app.set_interval(TICK, self.tick, name="alerts-offline")

    def _spawn(self, argv: list[str]) -> None:
        self.app.run_worker(run_quietly(argv), group="notify", exit_on_error=False)

    def on_event(self, event: object) -> None:
        self.source.clock = self.app.clock  # the session's, once signed in
        for notice in self.source.notices(event):
            self._deliver(notice)
        if isinstance(event, WatchFired) and self.app.settings.notifications.toast:
            tail = f" · {event.action}" if event.action else ""
            self.app.notify(
                f"{event.watch.what}: {event.seen}{tail}", title="Watch fired", markup=False
            )

    def tick(self) -> None:
        for notice in self.source.tick():
            self._deliver(notice)

    def _deliver(self, notice: Notice) -> None:
        route = self.notifier.notify(notice)
        self.routes.append(route)
        self.routes[:] = self.routes[-20:]
        # Nothing outside the window: the bell, if the user wants one (a code rings on its own).
        bell = self.app.settings.notifications.bell and notice.kind is not Kind.CODE
        if route == "none" and bell:
            self.app.bell()
