"""How Python values are written to and read from the journal's TEXT columns.

Times are stored as aware UTC ISO strings (so they sort as text) and money as Decimal strings
(so 0.1 + 0.2 stays 0.3)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def like(search: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching `search` literally anywhere."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
