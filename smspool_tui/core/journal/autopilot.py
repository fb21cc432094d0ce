"""Autopilot runs (the plan, its ranked candidates, where it stands) and their attempts (one row
per purchase tried, with the money it holds), so a crash or a kill never loses what is held."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from smspool_tui.core.journal.base import Tables
from smspool_tui.core.journal.values import dec, dt, iso, money

RunState = str  # "running" | "paused" | "blocked" | "finished"
OPEN_RUN_STATES = ("running", "paused", "blocked")


@dataclass(frozen=True, slots=True)
class AutopilotRow:
    id: int
    plan: dict[str, Any]
    candidates: list[dict[str, Any]]
    state: RunState
    kind: str | None
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """One attempt as stored. `state` is the autopilot's word for it (see autopilot/model.py)."""

    id: int
    autopilot_id: int
    n: int
    country_id: int | None
    country: str
    pool: int | None
    price: Decimal | None
    cost: Decimal | None
    order_id: str | None
    intent_floor: int
    intent_id: int | None
    state: str
    why: str
    started_at: datetime
    deadline: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One of the user's own orders of a service, for ranking: did it get a code, how fast."""

    country_id: int | None
    pool: int | None
    purchased_at: datetime | None
    got_code: bool
    code_at: datetime | None


def _run(row: sqlite3.Row) -> AutopilotRow:
    return AutopilotRow(
        id=row["id"],
        plan=json.loads(row["plan"]),
        candidates=json.loads(row["candidates"]),
        state=row["state"],
        kind=row["kind"],
        reason=row["reason"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def _attempt(row: sqlite3.Row) -> AttemptRow:
    started = dt(row["started_at"])
    assert started is not None
    return AttemptRow(
        id=row["id"],
        autopilot_id=row["autopilot_id"],
        n=row["n"],
        country_id=row["country_id"],
        country=row["country"],
        pool=row["pool"],
        price=dec(row["price"]),
        cost=dec(row["cost"]),
        order_id=row["order_id"],
        intent_floor=row["intent_floor"],
        intent_id=row["intent_id"],
        state=row["state"],
        why=row["why"],
        started_at=started,
        deadline=dt(row["deadline"]),
        ended_at=dt(row["ended_at"]),
    )


class AutopilotTables(Tables):
    # ---- runs ---------------------------------------------------------------------------------

    def add_autopilot(self, plan: dict[str, Any], candidates: list[dict[str, Any]]) -> int:
        now = self._stamp()
        with self._conn.tx() as db:
            cur = db.execute(
                "INSERT INTO autopilots (plan, candidates, state, reason, created_at, updated_at) "
                "VALUES (?, ?, 'running', '', ?, ?)",
                (json.dumps(plan, sort_keys=True), json.dumps(candidates), now, now),
            )
            return int(cur.lastrowid or 0)

    def set_autopilot_state(
        self, run_id: int, state: RunState, *, kind: str | None = None, reason: str = ""
    ) -> None:
        with self._conn.tx() as db:
            db.execute(
                "UPDATE autopilots SET state = ?, kind = ?, reason = ?, updated_at = ? "
                "WHERE id = ?",
                (state, kind, reason, self._stamp(), run_id),
            )

    def get_autopilot(self, run_id: int) -> AutopilotRow | None:
        with self._conn.read() as db:
            row = db.execute("SELECT * FROM autopilots WHERE id = ?", (run_id,)).fetchone()
        return _run(row) if row else None

    def open_autopilots(self) -> list[AutopilotRow]:
        """Runs not finished (interrupted by a crash, paused, or blocked on an unknown
        purchase), newest first."""
        marks = ",".join("?" * len(OPEN_RUN_STATES))
        with self._conn.read() as db:
            rows = db.execute(
                f"SELECT * FROM autopilots WHERE state IN ({marks}) ORDER BY id DESC",
                OPEN_RUN_STATES,
            ).fetchall()
        return [_run(r) for r in rows]

    # ---- attempts -----------------------------------------------------------------------------

    def add_attempt(
        self,
        run_id: int,
        n: int,
        *,
        country_id: int | None,
        country: str,
        pool: int | None,
        price: Decimal | None,
        state: str,
        why: str = "",
    ) -> int:
        """Written before the purchase goes out; `intent_floor` is the newest purchase intent at
        that moment, so after a crash the intent this attempt made is the next one."""
        now = self._stamp()
        with self._conn.tx() as db:
            floor = db.execute("SELECT COALESCE(MAX(id), 0) FROM intents").fetchone()[0]
            cur = db.execute(
                "INSERT INTO autopilot_attempts (autopilot_id, n, country_id, country, pool, "
                "price, intent_floor, state, why, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, n, country_id, country, pool, money(price), floor, state, why, now, now),
            )
            return int(cur.lastrowid or 0)

    def update_attempt(self, attempt_id: int, **fields: Any) -> None:
        allowed = {"state", "why", "order_id", "intent_id", "cost", "price", "deadline", "ended_at"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown attempt fields {sorted(bad)}")
        values = []
        for value in fields.values():
            if isinstance(value, Decimal):
                value = money(value)
            elif isinstance(value, datetime):
                value = iso(value)
            values.append(value)
        sets = ", ".join(f"{name} = ?" for name in fields)
        with self._conn.tx() as db:
            db.execute(
                f"UPDATE autopilot_attempts SET {sets}, updated_at = ? WHERE id = ?",
                (*values, self._stamp(), attempt_id),
            )

    def attempts(self, run_id: int) -> list[AttemptRow]:
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT * FROM autopilot_attempts WHERE autopilot_id = ? ORDER BY n, id",
                (run_id,),
            ).fetchall()
        return [_attempt(r) for r in rows]

    def ended_attempts_since(self, since: datetime) -> list[AttemptRow]:
        """Attempts of every run that ended at or after `since`, oldest first (account health)."""
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT * FROM autopilot_attempts WHERE ended_at >= ? ORDER BY ended_at, id",
                (iso(since),),
            ).fetchall()
        return [_attempt(r) for r in rows]

    def last_ended_attempts(self, limit: int) -> list[AttemptRow]:
        """The `limit` most recently ended attempts of every run, newest first."""
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT * FROM autopilot_attempts WHERE ended_at IS NOT NULL "
                "ORDER BY ended_at DESC, id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [_attempt(r) for r in rows]

    def intents_after(self, floor: int) -> list[tuple[int, dict[str, Any], str, str | None]]:
        """(id, params, state, order_id) of SMS purchase intents newer than `floor`."""
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT id, params, state, order_id FROM intents "
                "WHERE id > ? AND kind = 'sms' ORDER BY id",
                (floor,),
            ).fetchall()
        return [(r["id"], json.loads(r["params"]), r["state"], r["order_id"]) for r in rows]

    # ---- the user's own record ----------------------------------------------------------------

    def service_record(self, service_id: int, limit: int = 200) -> list[RecordRow]:
        """The newest `limit` orders of this service with whether (and when) a code came."""
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT o.country_id, o.pool, o.purchased_at, o.code, "
                "(SELECT MIN(e.at) FROM order_events e WHERE e.order_id = o.order_id "
                "AND e.kind = 'code') AS code_at "
                "FROM orders o WHERE o.service_id = ? AND o.status != 'unknown' "
                "ORDER BY o.purchased_at DESC LIMIT ?",
                (service_id, limit),
            ).fetchall()
        return [
            RecordRow(
                country_id=r["country_id"],
                pool=r["pool"],
                purchased_at=dt(r["purchased_at"]),
                got_code=bool(r["code"]),
                code_at=dt(r["code_at"]),
            )
            for r in rows
        ]
