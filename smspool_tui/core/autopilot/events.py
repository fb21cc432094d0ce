"""What the autopilot tells the UI and the command line, as it happens. Frozen, with plain
fields; `as_json` turns any of them into a dict of str/int/None/lists for one JSON line."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from smspool_tui.core.autopilot.model import AutopilotResult


@dataclass(frozen=True, slots=True)
class AutopilotNotice:
    """Something to read about the run ("wait raised to the cancel lock", "waiting for a
    cancel to be confirmed before buying again")."""

    run_id: int
    text: str


@dataclass(frozen=True, slots=True)
class AttemptStarted:
    run_id: int
    n: int  # this attempt's number, from 1
    of: int  # at most this many attempts
    country_id: int
    country: str
    pool: int | None
    pool_name: str
    price: Decimal  # held for this number
    score: str  # the candidate's score, explained
    held_after: Decimal  # held at once if this purchase goes through (the worst case now)
    budget: Decimal | None


@dataclass(frozen=True, slots=True)
class AttemptBought:
    run_id: int
    n: int
    order_id: str
    number: str
    country: str
    pool: int | None
    cost: Decimal | None
    expires_at: datetime | None
    deadline: datetime  # cancelled at this time if no code


@dataclass(frozen=True, slots=True)
class AttemptEnded:
    run_id: int
    n: int
    order_id: str | None
    ended: str  # code | cancelled | expired | refunded | refused | unknown | not_bought
    why: str


@dataclass(frozen=True, slots=True)
class AutopilotFinished:
    result: AutopilotResult


def as_json(event: object) -> dict[str, Any]:
    """The event as a JSON-friendly dict, with its type name under "event"."""
    body = _plain(event)
    assert isinstance(body, dict)
    return {"event": type(event).__name__, **body}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
