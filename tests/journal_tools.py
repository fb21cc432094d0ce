"""Journal operations only tests and benchmarks need; the product has no caller for them.

They reach into the journal's connection on purpose: a pragma such as `synchronous` belongs to
one connection, and a bulk fill must go through the same lock and transactions as the app's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smspool_tui.core.journal import Journal
from smspool_tui.core.journal.orders import ORDER_COLUMNS, ORDER_PLACEHOLDERS, order_row
from smspool_tui.core.order_model import Order, OrderState


def pragma(journal: Journal, name: str) -> Any:
    with journal._conn.read() as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def insert_orders_bulk(journal: Journal, orders: Iterable[Order]) -> None:
    """Fast fill: one transaction, INSERT OR IGNORE (an order already there is kept)."""
    now = journal._stamp()
    with journal._conn.tx() as db:
        db.executemany(
            f"INSERT OR IGNORE INTO orders ({ORDER_COLUMNS}, updated_at) "
            f"VALUES ({ORDER_PLACEHOLDERS})",
            (order_row(o, now) for o in orders),
        )


def set_code(journal: Journal, order_id: str, code: str | None, full_sms: str | None) -> bool:
    """Store a code; True if it was new for this order. Never erases a stored code."""
    with journal._conn.tx() as db:
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
            (code, full_sms, code, OrderState.RECEIVED.value, journal._stamp(), order_id),
        )
        return new_code
