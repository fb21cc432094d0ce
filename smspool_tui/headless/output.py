"""Output for scripts: the result on stdout (the bare code, or JSON), everything a person reads on
stderr. Colour and the live countdown only on a terminal, and never with NO_COLOR."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import IO, Any

from smspool_tui.core.order_model import Order


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money as strings, never floats
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def to_json(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def order_fields(order: Order) -> dict[str, Any]:
    """What a script needs of one order (the same fields in every command)."""
    return {
        "order_id": order.order_id,
        "number": order.number,
        "service": order.service,
        "country": order.country,
        "status": order.status.value,
        "code": order.code,
        "full_sms": order.full_sms,
        "cost": order.cost,
        "pool": order.pool,
        "purchased_at": order.purchased_at,
        "expires_at": order.expires_at,
        "ended_at": order.ended_at,
    }


def _strip_controls(text: str) -> str:
    """Server text reaches a terminal: no escape sequences from it."""
    return "".join(c for c in text if c.isprintable() or c in "\n\t")


class Out:
    def __init__(
        self, json_mode: bool, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None
    ) -> None:
        self.json = json_mode
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.tty = self.stderr.isatty()
        self.color = self.tty and not os.environ.get("NO_COLOR")
        self._live = False  # a countdown line is on stderr and must be cleared first

    # ---- stdout: what a script reads ---------------------------------------------------------

    def event(self, kind: str, **fields: Any) -> None:
        """One JSON Lines object (only with --json)."""
        if self.json:
            self._out(to_json({"event": kind, **fields}))

    def document(self, value: Any) -> None:
        """One JSON document (list commands with --json)."""
        self._out(to_json(value))

    def line(self, text: str) -> None:
        """A line of the human result on stdout (not with --json)."""
        if not self.json:
            self._out(_strip_controls(text))

    def _out(self, text: str) -> None:
        self._clear_live()
        print(text, file=self.stdout, flush=True)

    # ---- stderr: what a person reads ---------------------------------------------------------

    def say(self, text: str, *, strong: bool = False) -> None:
        self._clear_live()
        text = _strip_controls(text)
        if strong and self.color:
            text = f"\x1b[1m{text}\x1b[0m"
        print(text, file=self.stderr, flush=True)

    def error(self, text: str) -> None:
        self._clear_live()
        text = f"smspool-tui: {_strip_controls(text)}"
        if self.color:
            text = f"\x1b[31m{text}\x1b[0m"
        print(text, file=self.stderr, flush=True)

    def live(self, text: str) -> None:
        """A status line rewritten in place (a countdown); only on a terminal."""
        if self.tty:
            self.stderr.write(f"\r\x1b[2K{_strip_controls(text)}")
            self.stderr.flush()
            self._live = True

    def _clear_live(self) -> None:
        if self._live:
            self.stderr.write("\r\x1b[2K")
            self.stderr.flush()
            self._live = False
