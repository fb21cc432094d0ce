"""The schema, as a list of steps numbered by `PRAGMA user_version`.

Step i moves a journal from version i to i + 1. A step is never edited once released: a change
is a new step appended, so every journal on disk reaches the same schema by the same path.
"""

from __future__ import annotations

import sqlite3

from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.core.journal.connection import Connection

Step = tuple[str, ...]

_V1: Step = (
    """CREATE TABLE IF NOT EXISTS intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('sms', 'rental')),
    params TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sent', 'done', 'failed', 'unknown')),
    order_id TEXT,
    rental_code TEXT,
    error TEXT,
    updated_at TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS intents_state ON intents(state)",
    """CREATE TABLE IF NOT EXISTS orders (
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
)""",
    "CREATE INDEX IF NOT EXISTS orders_purchased ON orders(purchased_at DESC, order_id)",
    "CREATE INDEX IF NOT EXISTS orders_ended ON orders(ended_at)",
    "CREATE INDEX IF NOT EXISTS orders_intent ON orders(intent_id) WHERE intent_id IS NOT NULL",
    """CREATE TABLE IF NOT EXISTS order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
)""",
    "CREATE INDEX IF NOT EXISTS order_events_order ON order_events(order_id, id)",
    """CREATE TABLE IF NOT EXISTS rentals (
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
)""",
    """CREATE TABLE IF NOT EXISTS rental_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rental_code TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    sender TEXT,
    text TEXT NOT NULL,
    received_at TEXT,
    seen INTEGER NOT NULL DEFAULT 0,
    UNIQUE (rental_code, msg_key)
)""",
)

# The autopilot: a run (its plan and ranked candidates) and one row per attempt with the money
# it holds, so a crash never forgets what is held or bought.
_V2: Step = (
    """CREATE TABLE IF NOT EXISTS autopilots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan TEXT NOT NULL,
    candidates TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'blocked', 'finished')),
    kind TEXT,
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS autopilots_state ON autopilots(state)",
    """CREATE TABLE IF NOT EXISTS autopilot_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    autopilot_id INTEGER NOT NULL REFERENCES autopilots(id),
    n INTEGER NOT NULL,
    country_id INTEGER,
    country TEXT NOT NULL DEFAULT '',
    pool INTEGER,
    price TEXT,
    cost TEXT,
    order_id TEXT,
    intent_floor INTEGER NOT NULL DEFAULT 0,
    intent_id INTEGER,
    state TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    deadline TEXT,
    ended_at TEXT,
    updated_at TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS autopilot_attempts_run ON autopilot_attempts(autopilot_id, n)",
    "CREATE INDEX IF NOT EXISTS autopilot_attempts_ended ON autopilot_attempts(ended_at)",
)

# Stats (core/stats): covering indexes, so the aggregates read indexes in GROUP BY order instead
# of sorting the table: money per service/country/pool/price/state, spend per day, and each
# order's first code event.
_V3: Step = (
    "CREATE INDEX IF NOT EXISTS order_events_kind ON order_events(kind, order_id, at)",
    "CREATE INDEX IF NOT EXISTS orders_stats "
    "ON orders(service, country, pool, cost, status, purchased_at, code)",
    "CREATE INDEX IF NOT EXISTS orders_days "
    "ON orders(substr(purchased_at, 1, 10), cost, status, purchased_at, service, country)",
    "CREATE INDEX IF NOT EXISTS orders_country ON orders(country)",
    "CREATE INDEX IF NOT EXISTS orders_code_time "
    "ON orders(order_id, status, purchased_at, service, country, pool)",
)

# Stats, part two. Time to code on the order row: when its first code was journaled (the
# earliest 'code' event) and the whole seconds from purchase, so the stats read one covering
# index instead of joining the events (kept by journal/orders.py); the join's index goes.
_V4: Step = (
    "ALTER TABLE orders ADD COLUMN code_at TEXT",
    "ALTER TABLE orders ADD COLUMN code_seconds INTEGER",
    "UPDATE orders SET code_at = (SELECT MIN(e.at) FROM order_events e "
    "WHERE e.kind = 'code' AND e.order_id = orders.order_id) "
    "WHERE order_id IN (SELECT order_id FROM order_events WHERE kind = 'code')",
    "UPDATE orders SET code_seconds = "
    "CAST(round((julianday(code_at) - julianday(purchased_at)) * 86400.0) AS INTEGER) "
    "WHERE code_at IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS orders_code_seconds "
    "ON orders(service, country, pool, code_seconds, status, purchased_at) "
    "WHERE code_seconds IS NOT NULL",
    "DROP INDEX IF EXISTS orders_code_time",
    # The rental ledger: one row per purchase, extension and refund with what it cost, written
    # by the app (journal/rentals.py, the extend path) and merged from rental/history, whose
    # ID (server_id) is what makes importing it twice add nothing.
    """CREATE TABLE IF NOT EXISTS rental_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rental_code TEXT NOT NULL,
    action TEXT NOT NULL,
    cost TEXT,
    days INTEGER,
    at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'app',
    server_id INTEGER UNIQUE
)""",
    "CREATE INDEX IF NOT EXISTS rental_events_code ON rental_events(rental_code, action)",
    "CREATE INDEX IF NOT EXISTS rental_events_at ON rental_events(at)",
    "INSERT INTO rental_events (rental_code, action, cost, at) "
    "SELECT rental_code, 'purchase', cost, COALESCE(purchased_at, updated_at) FROM rentals",
    "INSERT INTO rental_events (rental_code, action, cost, at) "
    "SELECT rental_code, 'refund', cost, updated_at FROM rentals WHERE status = 'refunded'",
)

# Pre-order bids (core/preorders.py): journaled before preorder/create is sent, so a bid whose
# answer was lost is known and blocks a blind second one.
_V5: Step = (
    """CREATE TABLE IF NOT EXISTS preorders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT UNIQUE,
    service_id INTEGER,
    service TEXT NOT NULL DEFAULT '',
    country_id INTEGER,
    country TEXT NOT NULL DEFAULT '',
    pool INTEGER,
    bid TEXT NOT NULL,
    state TEXT NOT NULL,
    order_id TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS preorders_state ON preorders(state)",
)

# Watches (core/watches): what the user waits for and each one's last check; `armed` is 0 from
# a firing until a check finds the condition false again, so a restart never fires twice.
_V6: Step = (
    """CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('stock', 'price', 'rental')),
    service_id INTEGER NOT NULL,
    service_name TEXT NOT NULL DEFAULT '',
    country_id INTEGER NOT NULL,
    country_name TEXT NOT NULL DEFAULT '',
    pool INTEGER,
    pool_name TEXT NOT NULL DEFAULT '',
    min_stock INTEGER NOT NULL DEFAULT 1,
    max_price TEXT,
    rental_days INTEGER,
    auto_buy INTEGER NOT NULL DEFAULT 0,
    buy_cap TEXT,
    armed INTEGER NOT NULL DEFAULT 1,
    last_check_at TEXT,
    last_seen TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    fired_at TEXT,
    fired_count INTEGER NOT NULL DEFAULT 0,
    last_action TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
)

# Token orders (purchase/sms with create_token): the share link instead of an order id.
_V7: Step = ("ALTER TABLE orders ADD COLUMN share_url TEXT",)

MIGRATIONS: tuple[Step, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: Connection, steps: tuple[Step, ...] = MIGRATIONS) -> int:
    """Bring the journal up to len(steps); returns the version it had before.

    A journal already current is only read, so opening never waits for the other process's
    write lock. Otherwise the version is read again inside the write transaction, so two
    processes opening an old journal at once cannot both run a step; a failing step leaves
    the file as it was."""
    known = len(steps)
    with conn.read() as db:
        version = _version(db, conn, known)
    if version == known:
        return version
    with conn.tx() as db:
        version = _version(db, conn, known)
        for number, step in enumerate(steps[version:], start=version + 1):
            for statement in step:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={number}")
    return version


def _version(db: sqlite3.Connection, conn: Connection, known: int) -> int:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > known:
        raise JournalUnavailable(
            conn.path,
            f"it has schema {version}, newer than this app's ({known})",
            "Upgrade smspool-tui, or point --config at a config with another data folder",
        )
    return version
