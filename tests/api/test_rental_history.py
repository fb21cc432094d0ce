"""rental/history: the recorded fixture parses, odd shapes are tolerated, and it is one POST."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qsl

import httpx
import pytest

from smspool_tui.api import SMSPoolClient
from smspool_tui.api.errors import BadResponse
from smspool_tui.api.models.rental_history import parse_rental_history

from .apifake import KEY, FakeApi


async def test_the_recorded_answer(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("rental/history", "rental_history_ok")
    [entry] = await client.rental_history()
    assert (entry.id, entry.rental_code, entry.action, entry.kind) == (
        3168, "TSTRNT01", "activate", "purchase",
    )  # fmt: skip
    assert entry.cost == Decimal("10.00")
    assert entry.timestamp == datetime(2025, 11, 25, 21, 32, 3, tzinfo=UTC)
    [request] = fake_api.requests
    assert request.method == "POST" and request.url.path == "/rental/history"
    assert dict(parse_qsl(request.content.decode())).get("key") == KEY


def test_tolerant_of_other_shapes_and_words() -> None:
    rows = parse_rental_history(
        {
            "data": [
                {"id": "7", "rental_code": "R1", "action": "Extend", "cost": 5, "timestamp": 0},
                {"ID": 8, "rental": 12345678, "action": "refund", "cost": "", "extra": "kept"},
                {"action": "something new"},
            ]
        }
    )
    assert [(r.id, r.rental_code, r.kind, r.cost) for r in rows] == [
        (7, "R1", "extend", Decimal("5")),
        (8, "12345678", "refund", None),
        (None, "", "other", None),
    ]
    assert rows[0].timestamp is None
    assert parse_rental_history({}) == [] and parse_rental_history([]) == []


async def test_a_wrong_shape_is_a_bad_response(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("rental/history", httpx.Response(200, json={"rows": "not a list"}))
    with pytest.raises(BadResponse):
        await client.rental_history()
