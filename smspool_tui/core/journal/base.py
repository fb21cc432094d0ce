"""What every table family of the journal shares: the connection and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from smspool_tui.core.journal.connection import Connection
from smspool_tui.core.journal.values import iso


class Tables:
    """Base of the table mixins; `Journal` sets both attributes before any method runs."""

    _conn: Connection
    _now: Callable[[], datetime]

    def _stamp(self) -> str:
        return iso(self._now()) or ""
