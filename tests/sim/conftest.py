"""Shared fixtures: an engine on a FakeClock and a one-line way to call it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.wire import SimResponse

Call = Callable[..., SimResponse]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(clock: FakeClock) -> SimEngine:
    return SimEngine(clock, seed=7, balance=Decimal("10.00"))


@pytest.fixture
def call(engine: SimEngine) -> Call:
    """call("sms/check", orderid=...) as an authenticated POST; key=None for public calls."""

    def _call(
        path: str, key: str | None = DEMO_KEY, method: str = "POST", **params: str
    ) -> SimResponse:
        return engine.handle(method, path, params, key, "bearer" if key else None)

    return _call


def buy(call: Call, **params: str) -> dict:
    resp = call("purchase/sms", **{"country": "US", "service": "Telegram", **params})
    assert resp.status == 200, resp.body
    return resp.json()  # type: ignore[return-value]
