"""Orders (one row per SMS number bought, its code included) and each order's event log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smspool_tui.core.journal.base import Tables
from smspool_tui.core.journal.values import dec, dt, iso, like, money
from smspool_tui.core.order_model import Order, OrderState

ORDER_COLUMNS = (
    "order_id, service, service_id, country, country_id, number, pool, cost, status, code, "
    "full_sms, purchased_at, expires_at, ended_at, cancel_requested, cancel_opens_at, "
    "late_check_done, archived, intent_id, note, share_url"
)
# ORDER_COLUMNS and then updated_at
ORDER_PLACEHOLDERS = ",".join("?" * 22)
_SEARCHED = ("order_id", "service", "country", "number", "code", "status")
# An order's time to code, kept on its row for the stats (journal step 4): the earliest 'code'
# event, and whole seconds from purchase. Refreshed when a code event is added and when the
# order is stored (its purchase time may be corrected, or the event may have come first).
_CODE_TIME = (
    "UPDATE orders SET code_at = (SELECT MIN(e.at) FROM order_events e "
    "WHERE e.kind = 'code' AND e.order_id = ?1) WHERE order_id = ?1",
    "UPDATE orders SET code_seconds = "
    "CAST(round((julianday(code_at) - julianday(purchased_at)) * 86400.0) AS INTEGER) "
    "WHERE order_id = ?1",
)


@dataclass(frozen=True, slots=True)
class OrderEvent:
    order_id: str
    at: datetime
    kind: str
    detail: str


def order_row(order: Order, now: str) -> tuple[Any, ...]:
    """The values for ORDER_COLUMNS followed by updated_at."""
    return (
        order.order_id,
        order.service,
        order.service_id,
        order.country,
        order.country_id,
        order.number,
        order.pool,
        money(order.cost),
        order.status.value,
        order.code,
        order.full_sms,
        iso(order.purchased_at),
        iso(order.expires_at),
        iso(order.ended_at),
        int(order.cancel_queued),
        iso(order.cancel_opens_at),
        int(order.late_check_done),
        int(order.archived),
        order.intent_id,
        order.note,
        order.share_url,
        now,
    )


def _state(value: str) -> OrderState:
    try:
        return OrderState(value)
    except ValueError:
        return OrderState.UNKNOWN


def _order_from_row(row: sqlite3.Row) -> Order:
    return Order(
        order_id=row["order_id"],
        service=row["service"],
        country=row["country"],
        number=row["number"],
        status=_state(row["status"]),
        code=row["code"],
        full_sms=row["full_sms"],
        cost=dec(row["cost"]),
        purchased_at=dt(row["purchased_at"]),
        expires_at=dt(row["expires_at"]),
        cancel_opens_at=dt(row["cancel_opens_at"]),
        cancel_queued=bool(row["cancel_requested"]),
        service_id=row["service_id"],
        country_id=row["country_id"],
        pool=row["pool"],
        ended_at=dt(row["ended_at"]),
        late_check_done=bool(row["late_check_done"]),
        archived=bool(row["archived"]),
        intent_id=row["intent_id"],
        note=row["note"],
        share_url=row["share_url"],
    )


def _history_where(search: str | None) -> tuple[str, tuple[Any, ...]]:
    if not search or not search.strip():
        return "", ()
    pattern = like(search.strip())
    clause = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in _SEARCHED)
    return f" WHERE ({clause})", (pattern,) * len(_SEARCHED)


def _stamp_code_time(db: sqlite3.Connection, order_id: str) -> None:
    for statement in _CODE_TIME:
        db.execute(statement, (order_id,))


class OrderTables(Tables):
    def upsert_order(self, order: Order) -> None:
        """Insert or replace the whole record; storing the same order twice keeps one row.

        A code already journaled is never overwritten by an empty one (a stale snapshot must not
        erase a code)."""
        with self._conn.tx() as db:
            db.execute(
                f"INSERT INTO orders ({ORDER_COLUMNS}, updated_at) "
                f"VALUES ({ORDER_PLACEHOLDERS}) "
                "ON CONFLICT(order_id) DO UPDATE SET service=excluded.service, "
                "service_id=COALESCE(excluded.service_id, service_id), country=excluded.country, "
                "country_id=COALESCE(excluded.country_id, country_id), number=excluded.number, "
                "pool=COALESCE(excluded.pool, pool), cost=COALESCE(excluded.cost, cost), "
                # a copy without the code (stale) must not turn a received order back to pending
                "status=CASE WHEN excluded.code IS NULL AND code IS NOT NULL "
                "AND excluded.status='pending' THEN status ELSE excluded.status END, "
                "code=COALESCE(excluded.code, code), "
                "full_sms=COALESCE(excluded.full_sms, full_sms), "
                "purchased_at=COALESCE(excluded.purchased_at, purchased_at), "
                "expires_at=COALESCE(excluded.expires_at, expires_at), "
                "ended_at=excluded.ended_at, cancel_requested=excluded.cancel_requested, "
                "cancel_opens_at=excluded.cancel_opens_at, "
                "late_check_done=excluded.late_check_done, archived=excluded.archived, "
                "intent_id=COALESCE(excluded.intent_id, intent_id), note=excluded.note, "
                "share_url=COALESCE(excluded.share_url, share_url), "
                "updated_at=excluded.updated_at",
                order_row(order, self._stamp()),
            )
            _stamp_code_time(db, order.order_id)

    def get_order(self, order_id: str) -> Order | None:
        return self._one_order("WHERE order_id=?", (order_id,))

    def order_for_intent(self, intent_id: int) -> Order | None:
        return self._one_order("WHERE intent_id=? LIMIT 1", (intent_id,))

    def orders(self, *, active_only: bool = False) -> list[Order]:
        """All orders newest first; active_only = not ended yet (still on the server's list)."""
        where = " WHERE ended_at IS NULL" if active_only else ""
        return self._order_list(f"{where} ORDER BY purchased_at DESC, order_id", ())

    def recent_orders(self, *, ended_after: datetime) -> list[Order]:
        """Orders still running, or ended after the given time (the board after a restart)."""
        return self._order_list(
            " WHERE ended_at IS NULL OR ended_at >= ? ORDER BY purchased_at DESC, order_id",
            (iso(ended_after),),
        )

    def history(self, search: str | None = None, limit: int = 100, offset: int = 0) -> list[Order]:
        """Orders newest first, filtered by a substring of id, service, country, number, code."""
        where, args = _history_where(search)
        return self._order_list(
            f"{where} ORDER BY purchased_at DESC, order_id LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )

    def count_history(self, search: str | None = None) -> int:
        where, args = _history_where(search)
        with self._conn.read() as db:
            return int(db.execute(f"SELECT COUNT(*) FROM orders{where}", args).fetchone()[0])

    def _one_order(self, tail: str, args: tuple[Any, ...]) -> Order | None:
        with self._conn.read() as db:
            row = db.execute(f"SELECT {ORDER_COLUMNS} FROM orders {tail}", args).fetchone()
        return _order_from_row(row) if row else None

    def _order_list(self, tail: str, args: tuple[Any, ...]) -> list[Order]:
        with self._conn.read() as db:
            rows = db.execute(f"SELECT {ORDER_COLUMNS} FROM orders{tail}", args).fetchall()
        return [_order_from_row(r) for r in rows]

    # ---- order events --------------------------------------------------------------------------

    def add_event(self, order_id: str, kind: str, detail: str = "") -> None:
        with self._conn.tx() as db:
            db.execute(
                "INSERT INTO order_events (order_id, at, kind, detail) VALUES (?, ?, ?, ?)",
                (order_id, self._stamp(), kind, detail),
            )
            if kind == "code":
                _stamp_code_time(db, order_id)

    def events(self, order_id: str) -> list[OrderEvent]:
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT order_id, at, kind, detail FROM order_events WHERE order_id=? ORDER BY id",
                (order_id,),
            ).fetchall()
        return [
            OrderEvent(r["order_id"], dt(r["at"]) or self._now(), r["kind"], r["detail"])
            for r in rows
        ]
