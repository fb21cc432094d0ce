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

    def rentals(self) -> list[RentalRecord]:
        with self._conn.read() as db:
            rows = db.execute(
                "SELECT * FROM rentals ORDER BY purchased_at DESC, rental_code"
            ).fetchall()
        return [_rental_from_row(r) for r in rows]

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
