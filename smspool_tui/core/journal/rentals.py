"""Rentals (a rental code, once stored, is never deleted) and the messages each one received."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from smspool_tui.core.journal.base import Tables
from smspool_tui.core.journal.values import dec, dt, iso, money


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


@dataclass(frozen=True, slots=True)
class RentalEvent:
    """One line of the rental ledger: a purchase, extension or refund (or another word the
    server's rental/history used) and what it cost, when known."""

    rental_code: str
    action: str
    cost: Decimal | None
    at: datetime | None
    days: int | None = None
    source: str = "app"  # "app" (this app saw it) or "history" (only rental/history knows it)
    server_id: int | None = None


class HistoryEntryLike(Protocol):
    """What merge_rental_history needs; api.rental_history.RentalHistoryEntry fits."""

    @property
    def id(self) -> int | None: ...
    @property
    def rental_code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def cost(self) -> Decimal | None: ...
    @property
    def timestamp(self) -> datetime | None: ...


# What the rentals row itself says, kept as ledger events: every stored rental was bought once,
# and a refunded one refunded once (its cost filled in when it becomes known).
_RENTAL_EVENTS = (
    "INSERT INTO rental_events (rental_code, action, cost, at) "
    "SELECT rental_code, 'purchase', cost, COALESCE(purchased_at, ?2) FROM rentals r "
    "WHERE r.rental_code = ?1 AND NOT EXISTS (SELECT 1 FROM rental_events e "
    "WHERE e.rental_code = ?1 AND e.action = 'purchase')",
    "INSERT INTO rental_events (rental_code, action, cost, at) "
    "SELECT rental_code, 'refund', cost, ?2 FROM rentals r "
    "WHERE r.rental_code = ?1 AND r.status = 'refunded' AND NOT EXISTS "
    "(SELECT 1 FROM rental_events e WHERE e.rental_code = ?1 AND e.action = 'refund')",
    "UPDATE rental_events SET cost = (SELECT cost FROM rentals WHERE rental_code = ?1) "
    "WHERE rental_code = ?1 AND action IN ('purchase', 'refund') AND cost IS NULL "
    "AND server_id IS NULL",
)


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


def _rental_from_row(r: sqlite3.Row) -> RentalRecord:
    return RentalRecord(
        rental_code=r["rental_code"],
        rental_id=r["rental_id"],
        phonenumber=r["phonenumber"],
        country=r["country"],
        days=r["days"],
        expires_at=dt(r["expires_at"]),
        purchased_at=dt(r["purchased_at"]),
        cost=dec(r["cost"]),
        status=r["status"],
        extendable=bool(r["extendable"]),
        raw=json.loads(r["raw"] or "{}"),
    )


def _event_from_row(r: sqlite3.Row) -> RentalEvent:
    return RentalEvent(
        r["rental_code"], r["action"], dec(r["cost"]), dt(r["at"]), r["days"], r["source"],
        r["server_id"],
    )  # fmt: skip


def _message_from_row(r: sqlite3.Row) -> StoredMessage:
    return StoredMessage(
        r["rental_code"],
        r["msg_key"],
        r["sender"],
        r["text"],
        dt(r["received_at"]),
        bool(r["seen"]),
    )


class RentalTables(Tables):
    def save_rental(self, rental: RentalRecord) -> None:
        """Insert or update; the rental_code, once stored, is never deleted."""
        with self._conn.tx() as db:
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
                    iso(rental.expires_at),
                    iso(rental.purchased_at),
                    money(rental.cost),
                    rental.status,
                    int(rental.extendable),
                    json.dumps(rental.raw or {}, default=str, sort_keys=True),
                    self._stamp(),
                ),
            )
            code, stamp = rental.rental_code, self._stamp()
            for statement in _RENTAL_EVENTS:
                db.execute(statement, (code, stamp) if "?2" in statement else (code,))

    def rentals(self) -> list[RentalRecord]:
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT * FROM rentals ORDER BY purchased_at DESC, rental_code"
            ).fetchall()
        return [_rental_from_row(r) for r in rows]

    # ---- the rental ledger ---------------------------------------------------------------------

    def add_rental_event(
        self, rental_code: str, action: str, cost: Decimal | None, *, days: int | None = None
    ) -> None:
        """An extension (or any charge the rentals row cannot show) the app just made."""
        with self._conn.tx() as db:
            db.execute(
                "INSERT INTO rental_events (rental_code, action, cost, days, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (rental_code, action, money(cost), days, self._stamp()),
            )

    def merge_rental_history(self, entries: Iterable[HistoryEntryLike]) -> int:
        """Merge rental/history rows; returns how many were new to the journal.

        A row already merged (its server ID) is skipped; one the app journaled itself (same
        rental and action, not matched yet, oldest first) takes the server's ID and cost;
        anything else (bought, extended or refunded elsewhere) is added."""
        added = 0
        with self._conn.tx() as db:
            for e in entries:
                if e.id is not None:
                    known = "server_id = ?"
                    key: tuple[Any, ...] = (e.id,)
                else:  # no ID: the whole row is its identity
                    known = "server_id IS NULL AND source = 'history' AND rental_code = ? "
                    known += "AND action = ? AND at = ? AND cost IS ?"
                    key = (e.rental_code, e.kind, iso(e.timestamp), money(e.cost))
                if db.execute(f"SELECT 1 FROM rental_events WHERE {known}", key).fetchone():
                    continue
                mine = db.execute(
                    "SELECT id FROM rental_events WHERE rental_code = ? AND action = ? "
                    "AND server_id IS NULL AND source = 'app' ORDER BY id LIMIT 1",
                    (e.rental_code, e.kind),
                ).fetchone()
                if mine is not None:
                    db.execute(
                        "UPDATE rental_events SET server_id = ?, cost = COALESCE(?, cost) "
                        "WHERE id = ?",
                        (e.id, money(e.cost), mine[0]),
                    )
                    continue
                db.execute(
                    "INSERT INTO rental_events (rental_code, action, cost, at, source, "
                    "server_id) VALUES (?, ?, ?, ?, 'history', ?)",
                    (e.rental_code, e.kind, money(e.cost), iso(e.timestamp) or self._stamp(),
                     e.id),
                )  # fmt: skip
                added += 1
        return added

    def rental_events(self, rental_code: str | None = None) -> list[RentalEvent]:
        """The ledger, oldest first: every rental's, or one rental's."""
        where, args = ("WHERE rental_code = ? ", (rental_code,)) if rental_code else ("", ())
        with self._conn.read() as db:
            sql = f"SELECT * FROM rental_events {where}ORDER BY at, id"
            rows = db.execute(sql, args).fetchall()
        return [_event_from_row(r) for r in rows]

    # ---- rental messages -----------------------------------------------------------------------

    def add_rental_messages(
        self, rental_code: str, msgs: Sequence[MessageLike]
    ) -> list[StoredMessage]:
        """Store messages; returns only those not stored before (in the order given)."""
        new: list[StoredMessage] = []
        with self._conn.tx() as db:
            for msg in msgs:
                key = message_key(msg)
                cur = db.execute(
                    "INSERT OR IGNORE INTO rental_messages "
                    "(rental_code, msg_key, sender, text, received_at, seen) "
                    "VALUES (?, ?, ?, ?, ?, 0)",
                    (rental_code, key, msg.sender, msg.message, iso(msg.timestamp)),
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
        with self._conn.tx() as db:
            if keys is None:
                db.execute("UPDATE rental_messages SET seen=1 WHERE rental_code=?", (rental_code,))
            else:
                db.executemany(
                    "UPDATE rental_messages SET seen=1 WHERE rental_code=? AND msg_key=?",
                    ((rental_code, k) for k in keys),
                )

    def rental_messages(self, rental_code: str) -> list[StoredMessage]:
        """Newest first (by server time, then arrival)."""
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT * FROM rental_messages WHERE rental_code=? "
                "ORDER BY received_at DESC, id DESC",
                (rental_code,),
            ).fetchall()
        return [_message_from_row(r) for r in rows]

    def message_counts(self, codes: Iterable[str] | None = None) -> dict[str, tuple[int, int]]:
        """(total, unread) messages per rental code, counted by SQLite in one grouped query.

        With `codes`, every code asked for is a key, (0, 0) when it has no message; without,
        the keys are the rentals that have at least one message."""
        sql = "SELECT rental_code, COUNT(*), TOTAL(seen = 0) FROM rental_messages"
        args: tuple[str, ...] = ()
        wanted: list[str] | None = None
        if codes is not None:
            wanted = list(dict.fromkeys(codes))
            # One JSON parameter instead of one "?" per code: no limit on how many are asked.
            sql += " WHERE rental_code IN (SELECT value FROM json_each(?))"
            args = (json.dumps(wanted),)
        with self._conn.read() as db:
            rows = db.execute(sql + " GROUP BY rental_code", args).fetchall()
        counts = {code: (0, 0) for code in wanted or ()}
        counts.update({row[0]: (int(row[1]), int(row[2])) for row in rows})
        return counts
