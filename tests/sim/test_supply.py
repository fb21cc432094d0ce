"""The simulator's supply rules for the autopilot: stock that runs out, numbers that never get
an SMS by country / pool, the demo's "first n numbers get no SMS"; all deterministic."""

from __future__ import annotations

from typing import Any

from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine


def buy(engine: SimEngine, **params: str) -> Any:
    resp = engine.handle(
        "POST", "purchase/sms", {"country": "US", "service": "Telegram", **params}, DEMO_KEY
    )
    return resp.status, resp.json()


def test_stock_runs_out_and_the_api_says_so() -> None:
    engine = SimEngine(FakeClock())
    engine.set_stock("US", "Telegram", 1, pool=4)
    stock = engine.handle(
        "GET", "sms/stock", {"country": "US", "service": "Telegram", "pool": "4"}, DEMO_KEY
    )
    assert stock.json()["amount"] == 1  # type: ignore[index]
    status, body = buy(engine, pool="4")
    assert status == 200 and body["pool"] == 4
    status, body = buy(engine, pool="4")
    assert body["success"] == 0 and "stock" in str(body).lower()
    stock = engine.handle(
        "GET", "sms/stock", {"country": "US", "service": "Telegram", "pool": "4"}, DEMO_KEY
    )
    assert stock.json()["amount"] == 0  # type: ignore[index]
    _, body = buy(engine)  # without a pool: the next pool in stock
    assert body["success"] == 1 and body["pool"] != 4


def test_no_sms_rules_and_fail_first() -> None:
    clock = FakeClock()
    engine = SimEngine(clock)
    engine.set_no_sms(1.0, pool=4)
    engine.fail_first("Telegram", 1)
    ids = [buy(engine, pool=p)[1]["order_id"] for p in ("7", "7", "4")]
    clock.advance(60)
    got = [bool(engine.orders[i].delivered(clock.now().timestamp())) for i in ids]
    assert got == [False, True, False]  # the first (fail_first), then pool 4 (its rule)


def test_rules_never_shift_other_draws() -> None:
    plain, ruled = SimEngine(FakeClock(), seed=3), SimEngine(FakeClock(), seed=3)
    ruled.set_no_sms(1.0, country="GB")
    a = [buy(plain)[1]["order_id"] for _ in range(3)]
    b = [buy(ruled)[1]["order_id"] for _ in range(3)]
    assert a == b
    assert [plain.orders[i].sms[0].code for i in a] == [ruled.orders[i].sms[0].code for i in b]
