"""Purchase intents: written before a buy request goes out, settled when its answer is known."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from smspool_tui.core.journal.base import Tables

IntentKind = Literal["sms", "rental"]
IntentState = Literal["sent", "done", "failed", "unknown"]
_SECRET_PARAMS = frozenset({"key", "api_key", "apikey", "token", "authorization"})


@dataclass(frozen=True, slots=True)
class Intent:
    id: int
    kind: IntentKind
    params: dict[str, Any]
    created_at: datetime
    state: IntentState
    order_id: str | None
    rental_code: str | None
    error: str | None


def _intent_from_row(row: sqlite3.Row) -> Intent:
    return Intent(
        id=row["id"],
        kind=row["kind"],
        params=json.loads(row["params"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        state=row["state"],
        order_id=row["order_id"],
        rental_code=row["rental_code"],
        error=row["error"],
    )


class IntentTables(Tables):
    def record_intent(self, kind: IntentKind, params: dict[str, Any]) -> int:
        """Write down a purchase before its request goes out; returns the intent id."""
        safe = {k: v for k, v in params.items() if k.lower() not in _SECRET_PARAMS}
        now = self._stamp()
        with self._conn.tx() as db:
            cur = db.execute(
                "INSERT INTO intents (kind, params, created_at, state, updated_at) "
                "VALUES (?, ?, ?, 'sent', ?)",
                (kind, json.dumps(safe, default=str, sort_keys=True), now, now),
            )
            return int(cur.lastrowid or 0)

    def complete_intent(
        self, intent_id: int, *, order_id: str | None = None, rental_code: str | None = None
    ) -> None:
        with self._conn.tx() as db:
            db.execute(
                "UPDATE intents SET state='done', order_id=COALESCE(?, order_id), "
                "rental_code=COALESCE(?, rental_code), updated_at=? WHERE id=?",
                (order_id, rental_code, self._stamp(), intent_id),
            )

    def fail_intent(self, intent_id: int, error: str) -> None:
        self._set_intent(intent_id, "failed", error)

    def mark_intent_unknown(self, intent_id: int, error: str) -> None:
        self._set_intent(intent_id, "unknown", error)

    def _set_intent(self, intent_id: int, state: IntentState, error: str) -> None:
        with self._conn.tx() as db:
            db.execute(
                "UPDATE intents SET state=?, error=?, updated_at=? WHERE id=?",
                (state, error, self._stamp(), intent_id),
            )

    def get_intent(self, intent_id: int) -> Intent | None:
        with self._conn.read() as db:
            row = db.execute("SELECT * FROM intents WHERE id=?", (intent_id,)).fetchone()
        return _intent_from_row(row) if row else None

    def open_intents(self, kind: IntentKind | None = None) -> list[Intent]:
        """Intents whose outcome is not known: 'sent' (crashed mid-request) or 'unknown'."""
        sql = "SELECT * FROM intents WHERE state IN ('sent', 'unknown')"
        args: tuple[Any, ...] = ()
        if kind is not None:
            sql += " AND kind=?"
            args = (kind,)
        with self._conn.read() as db:
            rows = db.execute(sql + " ORDER BY id", args).fetchall()
        return [_intent_from_row(r) for r in rows]
