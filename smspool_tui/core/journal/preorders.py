"""Pre-order bids: written before `preorder/create` goes out, then followed to their end
(placed, refused, filled into an order, cancelled and refunded, gone from the server)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from smspool_tui.core.journal.base import Tables
from smspool_tui.core.journal.values import dec, dt, money

# sent: the request is out (or the app stopped while it was); unknown: no clear answer, it may
# be placed; open: placed, waiting for stock; the rest are ends.
BidState = Literal["sent", "unknown", "open", "refused", "filled", "cancelled", "gone", "dismissed"]
UNSETTLED: tuple[BidState, ...] = ("sent", "unknown")
LIVE: tuple[BidState, ...] = ("sent", "unknown", "open")


@dataclass(frozen=True, slots=True)
class BidRow:
    id: int
    code: str | None
    service_id: int | None
    service: str
    country_id: int | None
    country: str
    pool: int | None
    bid: Decimal
    state: BidState
    order_id: str | None
    note: str
    created_at: datetime
    updated_at: datetime


def _row(r: sqlite3.Row) -> BidRow:
    created = dt(r["created_at"])
    updated = dt(r["updated_at"])
    assert created is not None and updated is not None
    return BidRow(
        id=r["id"],
        code=r["code"],
        service_id=r["service_id"],
        service=r["service"],
        country_id=r["country_id"],
        country=r["country"],
        pool=r["pool"],
        bid=dec(r["bid"]) or Decimal(0),
        state=r["state"],
        order_id=r["order_id"],
        note=r["note"],
        created_at=created,
        updated_at=updated,
    )


class PreorderTables(Tables):
    def record_bid(
        self,
        *,
        service_id: int | None,
        service: str,
        country_id: int | None,
        country: str,
        pool: int | None,
        bid: Decimal,
        state: BidState = "sent",
        code: str | None = None,
        note: str = "",
    ) -> int:
        """A new bid: state 'sent' before its request goes out (or 'open' for one adopted
        from the server's list)."""
        now = self._stamp()
        with self._conn.tx() as db:
            cur = db.execute(
                "INSERT INTO preorders (code, service_id, service, country_id, country, pool, "
                "bid, state, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (code, service_id, service, country_id, country, pool, money(bid), state, note,
                 now, now),
            )  # fmt: skip
            return int(cur.lastrowid or 0)

    def update_bid(self, bid_id: int, **changes: Any) -> None:
        """Set some of: code, state, order_id, note, bid."""
        allowed = {"code", "state", "order_id", "note", "bid"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not a bid column: {sorted(unknown)}")
        if "bid" in changes:
            changes["bid"] = money(changes["bid"])
        sets = ", ".join(f"{name}=?" for name in changes)
        with self._conn.tx() as db:
            db.execute(
                f"UPDATE preorders SET {sets}, updated_at=? WHERE id=?",
                (*changes.values(), self._stamp(), bid_id),
            )

    def get_bid(self, bid_id: int) -> BidRow | None:
        with self._conn.read() as db:
            row = db.execute("SELECT * FROM preorders WHERE id=?", (bid_id,)).fetchone()
        return _row(row) if row else None

    def bid_by_code(self, code: str) -> BidRow | None:
        with self._conn.read() as db:
            row = db.execute("SELECT * FROM preorders WHERE code=?", (code,)).fetchone()
        return _row(row) if row else None

    def bids(self, states: tuple[BidState, ...] | None = None) -> list[BidRow]:
        """Bids in these states (all if None), oldest first."""
        sql = "SELECT * FROM preorders"
        args: tuple[Any, ...] = ()
        if states:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
            args = states
        with self._conn.read() as db:
            rows = db.execute(sql + " ORDER BY id", args).fetchall()
        return [_row(r) for r in rows]
