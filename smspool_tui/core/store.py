"""The journal: a small SQLite file (WAL) that remembers every purchase intent, order, code,
rental code and rental message, so nothing bought is ever lost to a crash or a kill.

Writes are committed at once (each method is one transaction). WAL + synchronous=NORMAL means a
killed process loses nothing committed; only a power cut could drop the last transactions.
One connection guarded by a lock, shared by the event loop and thread workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.core.order_model import Order, OrderState

SCHEMA_VERSION = 1
IntentKind = Literal["sms", "rental"]
IntentState = Literal["sent", "done", "failed", "unknown"]
_SECRET_PARAMS = frozenset({"key", "api_key", "apikey", "token", "authorization"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('sms', 'rental')),
    params TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sent', 'done', 'failed', 'unknown')),
    order_id TEXT,
    rental_code TEXT,
    error TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS intents_state ON intents(state);
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    service TEXT NOT NULL DEFAULT '',
    service_id INTEGER,
    country TEXT NOT NULL DEFAULT '',
    country_id INTEGER,
    number TEXT NOT NULL DEFAULT '',
    pool INTEGER,
    cost TEXT,
    status TEXT NOT NULL,
    code TEXT,
    full_sms TEXT,
    purchased_at TEXT,
    expires_at TEXT,
    ended_at TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    cancel_opens_at TEXT,
    late_check_done INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    intent_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_purchased ON orders(purchased_at DESC, order_id);
CREATE INDEX IF NOT EXISTS orders_ended ON orders(ended_at);
CREATE INDEX IF NOT EXISTS orders_intent ON orders(intent_id) WHERE intent_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS order_events_order ON order_events(order_id, id);
CREATE TABLE IF NOT EXISTS rentals (
    rental_code TEXT PRIMARY KEY,
    rental_id INTEGER,
    phonenumber TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    days INTEGER,
    expires_at TEXT,
    purchased_at TEXT,
    cost TEXT,
    status TEXT NOT NULL DEFAULT '',
    extendable INTEGER NOT NULL DEFAULT 0,
    raw TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rental_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rental_code TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    sender TEXT,
    text TEXT NOT NULL,
    received_at TEXT,
    seen INTEGER NOT NULL DEFAULT 0,
    UNIQUE (rental_code, msg_key)
);
"""


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


@dataclass(frozen=True, slots=True)
class OrderEvent:
    order_id: str
    at: datetime
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class RentalRecord:
    rental_code: str
    rental_id: int | None = None
    phonenumber: str = ""
    country: str = ""
    days: int | None = None
    expires_at: datetime | None = None
    purchased_at: datetime | None = None
    cost: Decimal | None = None
    status: str = ""
    extendable: bool = False
    raw: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StoredMessage:
    rental_code: str
    msg_key: str
    sender: str | None
    text: str
    received_at: datetime | None
    seen: bool


class MessageLike(Protocol):
    """What add_rental_messages needs; api.models.RentalMessage fits."""

    @property
    def id(self) -> int | None: ...
    @property
    def message(self) -> str: ...
    @property
    def sender(self) -> str | None: ...
    @property
    def timestamp(self) -> datetime | None: ...


def message_key(msg: MessageLike) -> str:
    """The server id when there is one, else a hash of what the message says and when."""
    if msg.id is not None:
        return f"id:{msg.id}"
    stamp = msg.timestamp.isoformat() if msg.timestamp else ""
    digest = hashlib.sha256(f"{msg.sender or ''}\x1f{stamp}\x1f{msg.message}".encode()).hexdigest()
    return f"h:{digest[:32]}"


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _state(value: str) -> OrderState:
    try:
        return OrderState(value)
    except ValueError:
        return OrderState.UNKNOWN


_ORDER_COLS = (
    "order_id, service, service_id, country, country_id, number, pool, cost, status, code, "
    "full_sms, purchased_at, expires_at, ended_at, cancel_requested, cancel_opens_at, "
    "late_check_done, archived, intent_id, note"
)


def _order_params(order: Order, now: str) -> tuple[Any, ...]:
    return (
        order.order_id,
        order.service,
        order.service_id,
        order.country,
        order.country_id,
        order.number,
        order.pool,
        _money(order.cost),
        order.status.value,
        order.code,
        order.full_sms,
        _iso(order.purchased_at),
        _iso(order.expires_at),
        _iso(order.ended_at),
        int(order.cancel_queued),
        _iso(order.cancel_opens_at),
        int(order.late_check_done),
        int(order.archived),
        order.intent_id,
        order.note,
        now,
    )


def _order_from_row(row: sqlite3.Row) -> Order:
    return Order(
        order_id=row["order_id"],
        service=row["service"],
        country=row["country"],
        number=row["number"],
        status=_state(row["status"]),
        code=row["code"],
        full_sms=row["full_sms"],
        cost=_dec(row["cost"]),
        purchased_at=_dt(row["purchased_at"]),
        expires_at=_dt(row["expires_at"]),
        cancel_opens_at=_dt(row["cancel_opens_at"]),
        cancel_queued=bool(row["cancel_requested"]),
        service_id=row["service_id"],
        country_id=row["country_id"],
        pool=row["pool"],
        ended_at=_dt(row["ended_at"]),
        late_check_done=bool(row["late_check_done"]),
        archived=bool(row["archived"]),
        intent_id=row["intent_id"],
        note=row["note"],
    )


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


def _like(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Journal:
    """SQLite journal. Every public method is thread-safe and commits before returning."""

    def __init__(self, path: Path | str, *, now: Callable[[], datetime]) -> None:
        self.path = Path(path)
        self._now = now  # the session's Clock.now: the journal and the services share one clock
        self._lock = threading.RLock()
        self._create_private_file(self.path)
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._closed = False
        self._migrate()

    @staticmethod
    def _create_private_file(path: Path) -> None:
        # The journal holds phone numbers and codes: owner-only from the first byte.
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalUnavailable(
                    self.path,
                    f"it has schema {version}, newer than this app's ({SCHEMA_VERSION})",
                    "Upgrade smspool-tui, or point --config at a config with another data folder",
                )
            if version < 1:
                # executescript runs the DDL and the version bump as one transaction.
                self._db.executescript(
                    "BEGIN IMMEDIATE;" + _SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
                )

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One locked transaction; rolled back if the body raises."""
        with self._lock:
            if self._closed:
                raise RuntimeError("journal is closed")
            if self._db.in_transaction:
                yield self._db  # nested use inside an outer _tx
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _stamp(self) -> str:
        return _iso(self._now()) or ""

    # ---- intents -------------------------------------------------------------------------------

    def record_intent(self, kind: IntentKind, params: dict[str, Any]) -> int:
        """Write down a purchase before its request goes out; returns the intent id."""
        safe = {k: v for k, v in params.items() if k.lower() not in _SECRET_PARAMS}
        now = self._stamp()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO intents (kind, params, created_at, state, updated_at) "
                "VALUES (?, ?, ?, 'sent', ?)",
                (kind, json.dumps(safe, default=str, sort_keys=True), now, now),
            )
            return int(cur.lastrowid or 0)

    def complete_intent(
        self, intent_id: int, *, order_id: str | None = None, rental_code: str | None = None
    ) -> None:
        with self._tx() as db:
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
        with self._tx() as db:
            db.execute(
                "UPDATE intents SET state=?, error=?, updated_at=? WHERE id=?",
                (state, error, self._stamp(), intent_id),
            )

    def get_intent(self, intent_id: int) -> Intent | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM intents WHERE id=?", (intent_id,)).fetchone()
        return _intent_from_row(row) if row else None

    def open_intents(self, kind: IntentKind | None = None) -> list[Intent]:
        """Intents whose outcome is not known: 'sent' (crashed mid-request) or 'unknown'."""
        sql = "SELECT * FROM intents WHERE state IN ('sent', 'unknown')"
        args: tuple[Any, ...] = ()
        if kind is not None:
            sql += " AND kind=?"
            args = (kind,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [_intent_from_row(r) for r in rows]

    # ---- orders --------------------------------------------------------------------------------

    def upsert_order(self, order: Order) -> None:
        """Insert or replace the whole record; storing the same order twice keeps one row.

        A code already journaled is never overwritten by an empty one (a stale snapshot must not
        erase a code)."""
        with self._tx() as db:
            db.execute(
                f"INSERT INTO orders ({_ORDER_COLS}, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
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
                "updated_at=excluded.updated_at",
                _order_params(order, self._stamp()),
            )

    def insert_orders_bulk(self, orders: Iterable[Order]) -> None:
        """Fast import (tests, migrations): one transaction, INSERT OR IGNORE."""
        now = self._stamp()
        with self._tx() as db:
            db.executemany(
                f"INSERT OR IGNORE INTO orders ({_ORDER_COLS}, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (_order_params(o, now) for o in orders),
            )

    def get_order(self, order_id: str) -> Order | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ORDER_COLS} FROM orders WHERE order_id=?", (order_id,)
            ).fetchone()
        return _order_from_row(row) if row else None

    def orders(self, *, active_only: bool = False) -> list[Order]:
        """All orders newest first; active_only = not ended yet (still on the server's list)."""
        sql = f"SELECT {_ORDER_COLS} FROM orders"
        if active_only:
            sql += " WHERE ended_at IS NULL"
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY purchased_at DESC, order_id").fetchall()
        return [_order_from_row(r) for r in rows]

    def recent_orders(self, *, ended_after: datetime) -> list[Order]:
        """Orders still running, or ended after the given time (the board after a restart)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ORDER_COLS} FROM orders WHERE ended_at IS NULL OR ended_at >= ? "
                "ORDER BY purchased_at DESC, order_id",
                (_iso(ended_after),),
            ).fetchall()
        return [_order_from_row(r) for r in rows]

    def order_for_intent(self, intent_id: int) -> Order | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ORDER_COLS} FROM orders WHERE intent_id=? LIMIT 1", (intent_id,)
            ).fetchone()
        return _order_from_row(row) if row else None

    def set_code(self, order_id: str, code: str | None, full_sms: str | None) -> bool:
        """Store a code; returns True if it was new for this order. Never erases a stored code."""
        with self._tx() as db:
            row = db.execute(
                "SELECT code, full_sms FROM orders WHERE order_id=?", (order_id,)
            ).fetchone()
            if row is None:
                raise KeyError(order_id)
            code = code or None
            full_sms = full_sms or None
            new_code = code is not None and code != row["code"]
            new_text = full_sms is not None and full_sms != row["full_sms"]
            if not (new_code or new_text):
                return False
            db.execute(
                "UPDATE orders SET code=COALESCE(?, code), full_sms=COALESCE(?, full_sms), "
                "status=CASE WHEN ? IS NOT NULL THEN ? ELSE status END, updated_at=? "
                "WHERE order_id=?",
                (code, full_sms, code, OrderState.RECEIVED.value, self._stamp(), order_id),
            )
            return new_code

    def _history_where(self, search: str | None) -> tuple[str, tuple[Any, ...]]:
        if not search or not search.strip():
            return "", ()
        pattern = _like(search.strip())
        cols = ("order_id", "service", "country", "number", "code", "status")
        clause = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in cols)
        return f" WHERE ({clause})", (pattern,) * len(cols)

    def history(self, search: str | None = None, limit: int = 100, offset: int = 0) -> list[Order]:
        """Orders newest first, filtered by a substring of id, service, country, number, code."""
        where, args = self._history_where(search)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ORDER_COLS} FROM orders{where} "
                "ORDER BY purchased_at DESC, order_id LIMIT ? OFFSET ?",
                (*args, limit, offset),
            ).fetchall()
        return [_order_from_row(r) for r in rows]

    def count_history(self, search: str | None = None) -> int:
        where, args = self._history_where(search)
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM orders{where}", args).fetchone()[0])

    def add_event(self, order_id: str, kind: str, detail: str = "") -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO order_events (order_id, at, kind, detail) VALUES (?, ?, ?, ?)",
                (order_id, self._stamp(), kind, detail),
            )

    def events(self, order_id: str) -> list[OrderEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT order_id, at, kind, detail FROM order_events WHERE order_id=? ORDER BY id",
                (order_id,),
            ).fetchall()
        return [
            OrderEvent(r["order_id"], _dt(r["at"]) or self._now(), r["kind"], r["detail"])
            for r in rows
        ]

    # ---- rentals -------------------------------------------------------------------------------

    def save_rental(self, rental: RentalRecord) -> None:
        """Insert or update; the rental_code, once stored, is never deleted."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO rentals (rental_code, rental_id, phonenumber, country, days, "
                "expires_at, purchased_at, cost, status, extendable, raw, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(rental_code) DO UPDATE SET "
                "rental_id=COALESCE(excluded.rental_id, rental_id), "
                "phonenumber=CASE WHEN excluded.phonenumber='' THEN phonenumber "
                "ELSE excluded.phonenumber END, "
                "country=CASE WHEN excluded.country='' THEN country ELSE excluded.country END, "
                "days=COALESCE(excluded.days, days), "
                "expires_at=COALESCE(excluded.expires_at, expires_at), "
                "purchased_at=COALESCE(purchased_at, excluded.purchased_at), "
                "cost=COALESCE(excluded.cost, cost), status=excluded.status, "
                "extendable=excluded.extendable, raw=excluded.raw, updated_at=excluded.updated_at",
                (
                    rental.rental_code,
                    rental.rental_id,
                    rental.phonenumber,
                    rental.country,
                    rental.days,
                    _iso(rental.expires_at),
                    _iso(rental.purchased_at),
                    _money(rental.cost),
                    rental.status,
                    int(rental.extendable),
                    json.dumps(rental.raw or {}, default=str, sort_keys=True),
                    self._stamp(),
                ),
            )

    def rentals(self) -> list[RentalRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM rentals ORDER BY purchased_at DESC, rental_code"
            ).fetchall()
        return [
            RentalRecord(
                rental_code=r["rental_code"],
                rental_id=r["rental_id"],
                phonenumber=r["phonenumber"],
                country=r["country"],
                days=r["days"],
                expires_at=_dt(r["expires_at"]),
                purchased_at=_dt(r["purchased_at"]),
                cost=_dec(r["cost"]),
                status=r["status"],
                extendable=bool(r["extendable"]),
                raw=json.loads(r["raw"] or "{}"),
            )
            for r in rows
        ]

    def add_rental_messages(
        self, rental_code: str, msgs: Sequence[MessageLike]
    ) -> list[StoredMessage]:
        """Store messages; returns only those not stored before (in the order given)."""
        new: list[StoredMessage] = []
        with self._tx() as db:
            for msg in msgs:
                key = message_key(msg)
                cur = db.execute(
                    "INSERT OR IGNORE INTO rental_messages "
                    "(rental_code, msg_key, sender, text, received_at, seen) "
                    "VALUES (?, ?, ?, ?, ?, 0)",
                    (rental_code, key, msg.sender, msg.message, _iso(msg.timestamp)),
                )
                if cur.rowcount == 1:
                    new.append(
                        StoredMessage(
                            rental_code, key, msg.sender, msg.message, msg.timestamp, False
                        )
                    )
        return new

    def mark_messages_seen(self, rental_code: str, keys: Iterable[str] | None = None) -> None:
        """Mark the given messages (or all of the rental's) as seen."""
        with self._tx() as db:
            if keys is None:
                db.execute("UPDATE rental_messages SET seen=1 WHERE rental_code=?", (rental_code,))
            else:
                db.executemany(
                    "UPDATE rental_messages SET seen=1 WHERE rental_code=? AND msg_key=?",
                    ((rental_code, k) for k in keys),
                )

    def message_counts(self, codes: Iterable[str] | None = None) -> dict[str, tuple[int, int]]:
        """(total, unread) messages per rental, in one grouped query."""
        sql = "SELECT rental_code, COUNT(*), SUM(seen = 0) FROM rental_messages"
        args: tuple[str, ...] = ()
        if codes is not None:
            args = tuple(codes)
            sql += f" WHERE rental_code IN ({','.join('?' * len(args))})"
        with self._lock:
            rows = self._db.execute(sql + " GROUP BY rental_code", args).fetchall()
        return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows}

    def rental_messages(self, rental_code: str) -> list[StoredMessage]:
        """Newest first (by server time, then arrival)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM rental_messages WHERE rental_code=? "
                "ORDER BY received_at DESC, id DESC",
                (rental_code,),
            ).fetchall()
        return [
            StoredMessage(
                r["rental_code"],
                r["msg_key"],
                r["sender"],
                r["text"],
                _dt(r["received_at"]),
                bool(r["seen"]),
            )
            for r in rows
        ]

    # ---- lifecycle -----------------------------------------------------------------------------

    def pragma(self, name: str) -> Any:
        with self._lock:
            return self._db.execute(f"PRAGMA {name}").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
