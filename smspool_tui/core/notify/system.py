"""The operating system's notifier, through its command-line tool when one is on PATH.

`notify-send` (libnotify) on Linux and BSD desktops, `osascript` on macOS. Chosen over the
desktop-notifier library: that pulls in an async D-Bus stack (dbus-fast) at import and keeps a
connection, for what is one short-lived process per notification here; and a missing tool simply
means "no OS notifier", never an error. Over SSH the OS notifier would pop up on the remote
machine, so it is not used there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from smspool_tui.core.notify.terminal import MAX_BODY, MAX_TITLE, clean

log = logging.getLogger(__name__)
Runner = Callable[[list[str]], Awaitable[None]]
Which = Callable[[str], str | None]
RUN_TIMEOUT = 5.0
_APPLESCRIPT = (
    "on run argv\ndisplay notification (item 2 of argv) with title (item 1 of argv)\nend run"
)
_DESKTOP = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")


@dataclass(frozen=True, slots=True)
class SystemNotifier:
    tool: str  # "notify-send" | "osascript"
    path: str

    def command(self, title: str, body: str) -> list[str]:
        title, body = clean(title, MAX_TITLE), clean(body, MAX_BODY)
        if self.tool == "osascript":
            # Passed as argv to the script, never spliced into AppleScript source.
            return [self.path, "-e", _APPLESCRIPT, title, body]
        return [self.path, "--app-name=smspool-tui", "--", title, body]


def detect(
    env: Mapping[str, str], platform: str = sys.platform, which: Which = shutil.which
) -> SystemNotifier | None:
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return None
    if platform == "darwin":
        path = which("osascript")
        return SystemNotifier("osascript", path) if path else None
    if not any(env.get(name) for name in _DESKTOP):
        return None  # a console or a container: no desktop to show it on
    path = which("notify-send")
    return SystemNotifier("notify-send", path) if path else None


async def run_quietly(argv: list[str]) -> None:
    """Run the tool without a shell; whatever goes wrong is logged, never raised."""
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError as exc:
        log.info("notifier %s could not start: %s", argv[0], exc)
        return
    try:
        await asyncio.wait_for(proc.wait(), RUN_TIMEOUT)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
