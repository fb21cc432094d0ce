"""Routes a Notice to the first way out that this machine has: the terminal's escape, else the
OS notifier, else nothing (the UI then rings the bell beside its toast). Never raises: a
notification that cannot be shown must not cost the user anything else."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Literal

from smspool_tui.config import DesktopNotifications
from smspool_tui.core.notify.kinds import Notice
from smspool_tui.core.notify.system import SystemNotifier
from smspool_tui.core.notify.system import detect as detect_os
from smspool_tui.core.notify.terminal import (
    Escape,
    detect_behind_tmux,
    render,
    tmux_passthrough,
)
from smspool_tui.core.notify.terminal import detect as detect_terminal

log = logging.getLogger(__name__)
Route = Literal["terminal", "tmux", "os", "none", "off"]
Write = Callable[[str], None]  # writes one whole escape to the terminal
Spawn = Callable[[list[str]], None]  # starts the OS tool (fire and forget)


class Notifier:
    """`settings` is read on every notice, so a change in the Settings screen applies at once.
    `write` is None when there is no real terminal (headless, tests, output piped)."""

    def __init__(
        self,
        settings: Callable[[], DesktopNotifications],
        *,
        escape: Escape | None,
        write: Write | None,
        os_notifier: SystemNotifier | None,
        spawn: Spawn | None,
        behind_tmux: Escape | None = None,
    ) -> None:
        self._settings = settings
        self.escape = escape if write is not None else None
        # Only when the user picks backend "terminal": tmux passthrough may well be off.
        self.behind_tmux = behind_tmux if write is not None else None
        self._write = write
        self.os_notifier = os_notifier if spawn is not None else None
        self._spawn = spawn
        self._ident = 0
        self.sent: list[tuple[Route, Notice]] = []  # recent routes, for the UI's tests and logs

    @classmethod
    def for_environment(
        cls,
        settings: Callable[[], DesktopNotifications],
        env: Mapping[str, str],
        *,
        write: Write | None,
        spawn: Spawn | None,
    ) -> Notifier:
        return cls(
            settings,
            escape=detect_terminal(env),
            write=write,
            os_notifier=detect_os(env),
            spawn=spawn,
            behind_tmux=detect_behind_tmux(env),
        )

    def available(self) -> str:
        """One sentence for the Settings screen: where notifications would go now."""
        if self.escape is not None:
            return f"Sent through this terminal ({self.escape.value.upper()})."
        if self.os_notifier is not None:
            return f"Sent to the desktop ({self.os_notifier.tool})."
        return "No supported terminal or desktop notifier here: toast and bell only."

    def route(self, notice: Notice) -> Route:
        """Where `notice` would go (nothing is sent)."""
        prefs = self._settings()
        if prefs.backend == "off" or not getattr(prefs, notice.kind.value, False):
            return "off"
        if prefs.backend in ("auto", "terminal") and self.escape is not None:
            return "terminal"
        if prefs.backend == "terminal" and self.behind_tmux is not None:
            return "tmux"
        if prefs.backend in ("auto", "os") and self.os_notifier is not None:
            return "os"
        return "none"

    def notify(self, notice: Notice) -> Route:
        route = self.route(notice)
        text = notice.text(self._settings().show_code)
        try:
            if route == "terminal" and self._write is not None and self.escape is not None:
                self._ident += 1
                self._write(render(self.escape, notice.title, text, self._ident))
            elif route == "tmux" and self._write is not None and self.behind_tmux is not None:
                self._ident += 1
                sequence = render(self.behind_tmux, notice.title, text, self._ident)
                self._write(tmux_passthrough(sequence))
            elif route == "os" and self._spawn is not None and self.os_notifier is not None:
                self._spawn(self.os_notifier.command(notice.title, text))
        except Exception:  # a closed terminal, a vanished tool: the toast still shows
            log.exception("desktop notification failed")
            route = "none"
        self.sent = [*self.sent[-19:], (route, notice)]
        return route
