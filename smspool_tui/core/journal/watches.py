"""Watches: what the user waits for (stock, a price, rental stock) and each one's last check,
kept so they survive restarts. `armed` is stored so a firing is never repeated by a restart."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from smspool_tui.core.journal.base import Tables
from smspool_tui.core.journal.values import dec, dt, iso, money
from smspool_tui.core.watches.model import Watch, WatchKind, WatchSpec


def _watch(row: sqlite3.Row) -> Watch:
    created = dt(row["created_at"])
    assert created is not None
    spec = WatchSpec(
        kind=WatchKind(row["kind"]),
        service_id=row["service_id"],
        service_name=row["service_name"],
        country_id=row["country_id"],
        country_name=row["country_name"],
        pool=row["pool"],
        pool_name=row["pool_name"],
        min_stock=row["min_stock"],
        max_price=dec(row["max_price"]),
        rental_days=row["rental_days"],
        auto_buy=bool(row["auto_buy"]),
        buy_cap=dec(row["buy_cap"]),
    )
    return Watch(
        id=row["id"],
        spec=spec,
        created_at=created,
        armed=bool(row["armed"]),
        last_check_at=dt(row["last_check_at"]),
        last_seen=row["last_seen"],
        last_error=row["last_error"],
        fired_at=dt(row["fired_at"]),
        fired_count=row["fired_count"],
        last_action=row["last_action"],
    )


class WatchTables(Tables):
    def add_watch(self, spec: WatchSpec) -> Watch:
        now = self._stamp()
        with self._conn.tx() as db:
            cur = db.execute(
                "INSERT INTO watches (kind, service_id, service_name, country_id, country_name, "
                "pool, pool_name, min_stock, max_price, rental_days, auto_buy, buy_cap, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    spec.kind.value,
                    spec.service_id,
                    spec.service_name,
                    spec.country_id,
                    spec.country_name,
                    spec.pool,
                    spec.pool_name,
                    spec.min_stock,
                    money(spec.max_price),
                    spec.rental_days,
                    int(spec.auto_buy),
                    money(spec.buy_cap),
                    now,
                    now,
                ),
            )
            row = db.execute("SELECT * FROM watches WHERE id=?", (cur.lastrowid,)).fetchone()
        return _watch(row)

    def watches(self) -> list[Watch]:
        with self._conn.read() as db:
            rows = db.execute("SELECT * FROM watches ORDER BY id").fetchall()
        return [_watch(r) for r in rows]

    def get_watch(self, watch_id: int) -> Watch | None:
        with self._conn.read() as db:
            row = db.execute("SELECT * FROM watches WHERE id=?", (watch_id,)).fetchone()
        return _watch(row) if row else None

    def remove_watch(self, watch_id: int) -> bool:
        with self._conn.tx() as db:
            return db.execute("DELETE FROM watches WHERE id=?", (watch_id,)).rowcount > 0

    def record_watch_check(
        self, watch_id: int, at: datetime, *, seen: str, error: str = "", armed: bool | None = None
    ) -> None:
        """One check's outcome; `armed` (when given) re-arms or disarms in the same write."""
        with self._conn.tx() as db:
            db.execute(
                "UPDATE watches SET last_check_at=?, last_seen=?, last_error=?, "
                "armed=COALESCE(?, armed), updated_at=? WHERE id=?",
                (
                    iso(at),
                    seen,
                    error,
                    None if armed is None else int(armed),
                    self._stamp(),
                    watch_id,
                ),
            )

    def fire_watch(self, watch_id: int, at: datetime, *, seen: str) -> bool:
        """Disarm and count a firing, before anything is bought for it; False if it was not
        armed (another process fired it first), so a firing acts at most once."""
        with self._conn.tx() as db:
            cur = db.execute(
                "UPDATE watches SET armed=0, fired_at=?, fired_count=fired_count+1, "
                "last_check_at=?, last_seen=?, last_error='', last_action='', updated_at=? "
                "WHERE id=? AND armed=1",
                (iso(at), iso(at), seen, self._stamp(), watch_id),
            )
            return cur.rowcount > 0

    def record_watch_action(self, watch_id: int, action: str) -> None:
        with self._conn.tx() as db:
            db.execute(
                "UPDATE watches SET last_action=?, updated_at=? WHERE id=?",
                (action, self._stamp(), watch_id),
            )
