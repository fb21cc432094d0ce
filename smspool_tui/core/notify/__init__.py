"""Notifications that leave the terminal: what each event says (`sources`), and where it goes
(`Notifier`: the terminal's escape, else the OS notifier, else only the toast and bell)."""

from smspool_tui.core.notify.kinds import Kind, Notice
from smspool_tui.core.notify.notifier import Notifier, Route
from smspool_tui.core.notify.sources import NoticeSource

__all__ = ["Kind", "Notice", "NoticeSource", "Notifier", "Route"]
