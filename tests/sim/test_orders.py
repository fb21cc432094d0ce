"""Order state machine on a FakeClock: no sleeping, time only moves when the test says so."""

from __future__ import annotations

import re
from decimal import Decimal

from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import SimEngine

from .conftest import Call, buy


def test_purchase_has_the_live_shape_and_charges(engine: SimEngine, call: Call) -> None:
    body = buy(call)
    assert set(body) == {
        "success",
        "number",
        "cc",
        "phonenumber",
        "order_id",
        "country",
        "service",
        "pool",
        "expires_in",
        "expiration",
        "message",
        "cost",
        "cost_in_cents",
    }
    assert body["success"] == 1 and isinstance(body["number"], int)
    assert str(body["number"]) == body["cc"] + body["phonenumber"]
    assert re.fullmatch(r"[A-Z0-9]{8}", body["order_id"])
    assert isinstance(body["expiration"], int) and body["expires_in"] == 1200
    cost = Decimal(body["cost"])
    assert body["cost"] == f"{cost:.2f}" and body["cost_in_cents"] == int(cost * 100)
    assert body["message"].startswith("You have succesfully ordered a Telegram number from pool: ")
    assert engine.balance == Decimal("10.00") - cost


def test_pending_then_received_after_delay(clock: FakeClock, call: Call) -> None:
    oid = buy(call)["order_id"]
    pending = call("sms/check", orderid=oid).json()
    assert pending == {
        "status": 1,
        "resend": 0,
        "expiration": pending["expiration"],
        "time_left": 1200,
    }
    clock.advance(5)  # below 0.75 * sms_delay: nothing yet
    assert call("sms/check", orderid=oid).json()["status"] == 1
    clock.advance(8)  # past 1.25 * sms_delay
    got = call("sms/check", orderid=oid).json()
    assert got["status"] == 3 and set(got) == {"status", "sms", "full_sms", "expiration"}
    assert got["sms"] and got["sms"] in got["full_sms"].replace("-", "")
    row = call("request/active").json()[0]
    assert row["code"] == got["sms"] and row["full_code"] == got["full_sms"]


def test_active_rows_while_pending(call: Call) -> None:
    oid = buy(call)["order_id"]
    (row,) = call("request/active").json()
    assert row["order_code"] == oid and row["code"] == "0" and row["full_code"] == ""
    assert row["status"] == "pending" and isinstance(row["expiry"], int)
    assert isinstance(row["time_left"], int) and isinstance(row["phonenumber"], str)


def test_expiry_refunds_and_leaves_active(engine: SimEngine, clock: FakeClock) -> None:
    engine.desk.no_sms_rate = 1.0
    engine.handle(
        "POST", "purchase/sms", {"country": "US", "service": "907"}, engine.api_key, "form"
    )
    oid = next(iter(engine.orders))
    clock.advance(1199)
    assert engine.balance < Decimal("10.00")
    clock.advance(1)
    assert engine.balance == Decimal("10.00")
    check = engine.handle("POST", "sms/check", {"orderid": oid}, engine.api_key, "form").json()
    assert check["status"] == 6 and check["message"] == "This order has been refunded"
    assert engine.handle("POST", "request/active", {}, engine.api_key, "form").json() == []
    clock.advance(5000)
    assert engine.balance == Decimal("10.00")  # refunded exactly once


def test_received_order_stays_active_until_expiry(clock: FakeClock, call: Call) -> None:
    buy(call)
    clock.advance(60)
    assert [r["status"] for r in call("request/active").json()] == ["completed"]
    clock.advance(1200)
    assert call("request/active").json() == []


def test_late_sms_after_expiry(clock: FakeClock) -> None:
    engine = SimEngine(clock, late_sms_rate=1.0, balance=Decimal("5.00"))
    resp = engine.handle(
        "POST", "purchase/sms", {"country": "US", "service": "WhatsApp"}, engine.api_key, "bearer"
    ).json()
    clock.advance(1201)
    check = engine.handle("POST", "sms/check", {"orderid": resp["order_id"]}, engine.api_key, "b")
    assert check.json()["status"] == 6
    assert engine.balance == Decimal("5.00")
    clock.advance(61)
    late = engine.handle("POST", "sms/check", {"orderid": resp["order_id"]}, engine.api_key, "b")
    assert late.json()["status"] == 3 and late.json()["sms"]
    assert engine.balance == Decimal("5.00")


def test_cancel_lock_then_refund(engine: SimEngine, clock: FakeClock) -> None:
    engine.desk.no_sms_rate = 1.0
    call = lambda p, **kw: engine.handle("POST", p, kw, engine.api_key, "form")  # noqa: E731
    body = call("purchase/sms", country="US", service="Telegram").json()
    oid = body["order_id"]
    early = call("sms/cancel", orderid=oid)
    assert early.status == 400
    assert early.json() == {
        "success": 0,
        "message": "This phone number cannot be cancelled yet, please try again later!",
    }
    clock.advance(60)
    done = call("sms/cancel", orderid=oid)
    assert done.status == 200 and done.json()["success"] == 1
    assert done.json()["message"] == (
        f"The order has been cancelled, and you have been refunded {body['cost']} dollars."
    )
    assert engine.balance == Decimal("10.00")
    check = call("sms/check", orderid=oid).json()
    assert check["status"] == 6 and check["message"] == "This order has been refunded"
    assert call("sms/cancel", orderid=oid).status == 400
    assert engine.balance == Decimal("10.00")


def test_cancel_received_refused_and_unknown_404(clock: FakeClock, call: Call) -> None:
    oid = buy(call)["order_id"]
    clock.advance(70)
    refused = call("sms/cancel", orderid=oid)
    assert refused.status == 400 and "received" in refused.json()["message"]
    missing = call("sms/cancel", orderid="NOPE1234")
    assert missing.status == 404
    assert missing.json() == {"success": 0, "message": "We could not find this order!"}


def test_cancel_all_only_touches_cancellable(engine: SimEngine, clock: FakeClock) -> None:
    engine.desk.no_sms_rate = 1.0
    key = engine.api_key
    first = engine.handle("POST", "purchase/sms", {"country": "GB", "service": "907"}, key, "b")
    clock.advance(61)
    engine.handle("POST", "purchase/sms", {"country": "GB", "service": "907"}, key, "b")
    body = engine.handle("POST", "sms/cancel_all", {}, key, "b").json()
    assert body["refunded_orders"] == [first.json()["order_id"]]
    assert body["message"] == "Your active orders have been refunded"


def test_purchase_failures(engine: SimEngine, call: Call) -> None:
    low = call("purchase/sms", country="US", service="Telegram", max_price="0.01")
    assert low.status == 422
    assert low.json() == {
        "success": 0,
        "type": "PRICE_NOT_FOUND",
        "message": "We could not find a suitable pool below the price of: 0.01",
    }
    engine.set_balance(Decimal("0"))
    poor = call("purchase/sms", country="US", service="Telegram")
    assert poor.status == 422 and poor.json()["type"] == "BALANCE_ERROR"
    assert "while you only have: 0.00" in poor.json()["message"]
    engine.set_balance(Decimal("10"))
    engine.set_faults(out_of_stock_services={"Telegram"})
    gone = call("purchase/sms", country="US", service="907")
    assert gone.status == 422 and gone.json()["type"] == "OUT_OF_STOCK"
    assert gone.json()["errors"][0]["message"].startswith("We couldn't find")
    lacking = call("purchase/sms", service="907")
    assert lacking.status == 400 and lacking.json()["errors"][0]["param"] == "country"
    assert engine.balance == Decimal("10.00")


def test_pool_and_pricing_option(engine: SimEngine, call: Call) -> None:
    us, tg = engine.catalog.country("US"), engine.catalog.service("Telegram")
    assert us and tg
    offers = [o for o in engine.catalog.offers(us, tg) if o.stock > 0]
    assert buy(call)["pool"] == offers[0].pool.id
    best = max(offers, key=lambda o: (o.success_rate, -o.price))
    assert buy(call, pricing_option="1")["pool"] == best.pool.id
    assert buy(call, pool="Foxtrot")["pool"] == 7


def test_resend_rules(clock: FakeClock, call: Call) -> None:
    oid = buy(call)["order_id"]
    early = call("sms/resend", orderid=oid)
    assert early.status == 400
    assert (
        early.json()["message"] == "You can only re-send to a phonenumber that has received a SMS"
    )
    assert call("sms/check_resend", orderid=oid).status == 400
    clock.advance(20)
    first = call("sms/check", orderid=oid).json()["sms"]
    ok = call("sms/check_resend", orderid=oid).json()
    assert ok["success"] == 1 and ok["resendCost"] == 0 and ok["resends"] == 3  # left
    again = call("sms/resend", orderid=oid).json()
    assert again == {
        "success": 1,
        "message": "Your number has been requested again!",
        "order_id": oid,
        "charge": 0,
    }
    clock.advance(20)
    assert call("sms/check", orderid=oid).json()["sms"] != first
    assert (
        call("sms/resend", orderid="NOPE1234").json()["message"] == "This order could not be found."
    )
    missing = call("sms/resend")
    assert missing.status == 400 and missing.json()["errors"] == [
        {"message": "You are missing a required parameter for this request.", "param": "orderid"}
    ]


def test_history_archive_search(engine: SimEngine, clock: FakeClock, call: Call) -> None:
    engine.desk.no_sms_rate = 1.0
    a = buy(call, service="WhatsApp")["order_id"]
    b = buy(call, country="GB")["order_id"]
    rows = call("request/history").json()
    assert [r["order_code"] for r in rows] == [b, a]
    assert {"completed_on", "pool", "code", "full_code", "expiry"} <= set(rows[0])
    assert [r["order_code"] for r in call("request/history", search="whatsapp").json()] == [a]
    assert len(call("request/history", start="1", length="5").json()) == 1
    clock.advance(1300)  # both expire
    assert (
        call("request/archive").json()["message"] == "All your inactive orders have been archived."
    )
    assert call("request/history").json() == []


def test_deliver_sms_helper(engine: SimEngine, call: Call) -> None:
    oid = buy(call)["order_id"]
    engine.deliver_sms(oid, "Your code is AB12CD")
    got = call("sms/check", orderid=oid).json()
    assert got["status"] == 3 and got["full_sms"] == "Your code is AB12CD"


def test_varied_sms_formats(engine: SimEngine, clock: FakeClock, call: Call) -> None:
    engine.set_balance(Decimal("500"))
    for name in ("Google/Gmail", "WhatsApp", "Discord", "Tinder", "Uber", "Apple", "Signal"):
        buy(call, service=name)
    clock.advance(30)
    texts = [r["full_code"] for r in call("request/active").json()]
    assert any(t.startswith("G-") for t in texts)
    assert any("WhatsApp code: " in t and "-" in t for t in texts)
    assert len(set(texts)) == len(texts)


def test_deterministic_for_a_seed(clock: FakeClock) -> None:
    def run() -> list[object]:
        eng = SimEngine(FakeClock(clock.now()), seed=3)
        out = [
            eng.handle(
                "POST", "purchase/sms", {"country": "US", "service": "1"}, eng.api_key, "b"
            ).json()
            for _ in range(3)
        ]
        return out

    assert run() == run()
