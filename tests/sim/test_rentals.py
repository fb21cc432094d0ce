"""Rentals on a FakeClock: purchase, messages over time, refund and extend rules, legacy shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import SimEngine

from .conftest import Call

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spec"


def fixture(name: str) -> object:
    return json.loads((FIXTURES / f"{name}.json").read_text())["body"]


def rent(call: Call, rental_id: str = "6", days: str = "30", **extra: str) -> dict:
    resp = call("purchase/rental", id=rental_id, days=days, **extra)
    assert resp.status == 200, resp.body
    return resp.json()  # type: ignore[return-value]


def keys_and_types(obj: dict) -> dict[str, type]:
    return {k: type(v) for k, v in obj.items()}


def test_catalog_matches_the_recorded_shape(call: Call) -> None:
    body = call("rental/retrieve_all", key=None, type="1").json()
    recorded = fixture("rental_retrieve_all_ok")["data"]  # type: ignore[index]
    assert keys_and_types(body["data"][0]) == keys_and_types(recorded[0])
    single = next(o for o in body["data"] if o["single_service"])
    assert json.loads(single["single_service"]) == {"30": 10}
    assert all(isinstance(v, int) for o in body["data"] for v in o["pricing"].values())
    missing = call("rental/retrieve_all", key=None).json()
    assert missing == {"success": 0, "message": "Fill in all params! [GET: type, key (optional)]"}


def test_purchase_charges_and_lists(engine: SimEngine, call: Call) -> None:
    engine.set_balance(Decimal("50"))
    body = rent(call)
    assert keys_and_types(body) == keys_and_types(fixture("purchase_rental_ok"))  # type: ignore[arg-type]
    assert body["days"] == 30 and body["message"] == fixture("purchase_rental_ok")["message"]  # type: ignore[index]
    assert engine.balance == Decimal("30.00")
    assert [r["rental_code"] for r in call("rental/retrieve").json()] == [body["rental_code"]]
    (log,) = call("rental/history").json()
    assert log["action"] == "activate" and log["cost"] == "20.00"


def test_purchase_refusals(engine: SimEngine, call: Call) -> None:
    engine.set_balance(Decimal("100"))
    days = call("purchase/rental", id="6", days="7")
    assert days.status == 400 and days.json() == fixture("purchase_rental_invalid_days")
    bad = call("purchase/rental", id="999", days="30")
    assert bad.status == 400 and bad.json() == fixture("purchase_rental_invalid_id")
    stock = call("purchase/rental", id="10", days="30")
    assert stock.status == 400 and stock.json() == fixture("purchase_rental_out_of_stock")
    engine.set_balance(Decimal("10.00"))
    poor = call("purchase/rental", id="6", days="30")
    assert poor.status == 400 and poor.json() == fixture("purchase_rental_insufficient_balance")
    assert engine.balance == Decimal("10.00")


def test_messages_arrive_over_time(engine: SimEngine, clock: FakeClock, call: Call) -> None:
    engine.set_balance(Decimal("100"))
    code = rent(call)["rental_code"]
    first = call("rental/retrieve_messages", rental_code=code).json()
    assert first == {"success": 1, "messages": [], "source": 7}
    clock.advance(45)
    msgs = call("rental/retrieve_messages", rental_code=code).json()["messages"]
    assert len(msgs) == 2 and [m["ID"] for m in msgs] == [1, 2]
    assert keys_and_types(msgs[0]) == keys_and_types(fixture("rental_messages")["messages"][0])  # type: ignore[index]
    engine.add_rental_message(code, "Manual 1234")
    assert call("rental/retrieve_messages", rental_code=code).json()["messages"][-1]["message"] == (
        "Manual 1234"
    )
    gone = call("rental/retrieve_messages", rental_code="NOPE")
    assert gone.status == 404 and gone.json() == fixture("rental_messages_not_found")


def test_refund_allowed_before_any_message(engine: SimEngine, call: Call) -> None:
    engine.set_balance(Decimal("20"))
    code = rent(call)["rental_code"]
    assert engine.balance == Decimal("0.00")
    ok = call("rental/refund", rental_code=code)
    assert ok.status == 200 and ok.json() == fixture("rental_refund_ok")
    assert engine.balance == Decimal("20.00")
    again = call("rental/refund", rental_code=code)
    assert again.status == 400 and "already" in again.json()["message"]
    assert call("rental/retrieve_status", rental_code=code).status == 404
    assert call("rental/refund", rental_code="NOPE").json() == fixture("rental_refund_not_found")


def test_refund_refused_after_a_message(engine: SimEngine, clock: FakeClock, call: Call) -> None:
    engine.set_balance(Decimal("20"))
    code = rent(call)["rental_code"]
    clock.advance(21)
    refused = call("rental/refund", rental_code=code)
    assert refused.status == 400 and refused.json()["message"] == (
        "You cannot refund a rental after 2 hours or after receiving one message."
    )  # the doc's text, with this line's own window (refund_within 2)
    assert engine.balance == Decimal("0.00")


def test_refund_refused_after_12_hours(clock: FakeClock) -> None:
    engine = SimEngine(clock, rental_message_every=0)  # no automatic messages
    resp = engine.handle("POST", "purchase/rental", {"id": "4", "days": "3"}, engine.api_key, "b")
    code = resp.json()["rental_code"]
    clock.advance(12 * 3600 + 1)
    refused = engine.handle("POST", "rental/refund", {"rental_code": code}, engine.api_key, "b")
    assert refused.status == 400 and "12 hours" in refused.json()["message"]


def test_status_and_extend(engine: SimEngine, clock: FakeClock, call: Call) -> None:
    engine.set_balance(Decimal("100"))
    body = rent(call)
    code = body["rental_code"]
    status = call("rental/retrieve_status.php", rental_code=code).json()
    assert keys_and_types(status["status"]) == keys_and_types(fixture("rental_status_ok")["status"])  # type: ignore[index]
    assert status["status"]["expiry"] == body["expiry"]
    bad = call("rental/extend", rental_code=code, days="7")
    assert bad.status == 400 and "The following days are available: 30" in bad.json()["message"]
    ext = call("rental/extend.php", rental_code=code, days="30").json()
    assert ext["success"] == 1 and ext["expiration_date"] == body["expiry"] + 30 * 86400
    assert engine.balance == Decimal("60.00")
    assert call("rental/extend", rental_code="NOPE", days="30").json() == fixture(
        "rental_extend_not_found"
    )
    ru = rent(call, "4", "3")["rental_code"]
    assert call("rental/extend", rental_code=ru, days="3").status == 400  # not extendable


def test_my_rentals_info_pricing(engine: SimEngine, call: Call) -> None:
    engine.set_balance(Decimal("100"))
    code = rent(call, "7", "30", service_id="1108")["rental_code"]
    assert engine.balance == Decimal("90.00")  # single-service price
    (row,) = call("rental/retrieve").json()
    assert keys_and_types(row) == keys_and_types(fixture("rental_retrieve_active_ok")[0])  # type: ignore[index]
    info = call("rental/info", rental_code=code).json()
    assert keys_and_types(info) == keys_and_types(fixture("rental_info_ok"))  # type: ignore[arg-type]
    assert info["service_name"] == "Acorns" and info["price"] == "10.00"
    pricing = call("rental/retrieve_pricing", id="9").json()
    assert pricing == {
        "pricing": {"7": 12, "14": 18, "30": 28},
        "extend": {"7": 12, "14": 18, "30": 28},
    }


def test_legacy_shapes_behind_the_switch(clock: FakeClock) -> None:
    engine = SimEngine(clock, legacy_rentals=True)
    offers = engine.handle("GET", "rental/retrieve_all", {"type": "0"}, None, None).json()
    assert "success" not in offers and isinstance(offers["4"]["pricing"], str)
    assert json.loads(offers["8"]["pricing"]) == {"1": 15, "3": 20, "15": 63, "30": 110}
    code = engine.handle(
        "POST", "purchase/rental", {"id": "4", "days": "3"}, engine.api_key, "b"
    ).json()["rental_code"]
    clock.advance(41)
    body = engine.handle(
        "POST", "rental/retrieve_messages", {"rental_code": code}, engine.api_key, "b"
    ).json()
    assert isinstance(body["messages"], dict) and list(body["messages"]) == ["0", "1"]
    assert body["source"] == "2" and body["messages"]["0"]["sender"] is None


def test_refund_follows_the_lines_own_terms(engine: SimEngine, clock: FakeClock) -> None:
    """The desk refunds exactly as its catalog says: window, minimum days, refundable."""
    engine = SimEngine(clock, rental_message_every=0, balance=Decimal("500"))

    def post(path: str, **params: str):  # type: ignore[no-untyped-def]
        return engine.handle("POST", path, params, engine.api_key, "b")

    offers = {o["ID"]: o for o in post("rental/retrieve_all", type="1").json()["data"]}
    assert offers[9]["refund_within"] == 2 and offers[9]["refund_min_days"] == 28
    short = post("purchase/rental", id="9", days="7").json()["rental_code"]
    refused = post("rental/refund", rental_code=short)
    assert refused.status == 400 and "28 days or more" in refused.json()["message"]
    late = post("purchase/rental", id="9", days="30").json()["rental_code"]
    clock.advance(2 * 3600 + 1)
    assert "after 2 hours" in post("rental/refund", rental_code=late).json()["message"]
    gb = post("rental/retrieve_all", type="0").json()["data"]
    assert next(o for o in gb if o["ID"] == 8)["is_refundable"] == 0
    uk = post("purchase/rental", id="8", days="30").json()["rental_code"]
    refused = post("rental/refund", rental_code=uk).json()
    assert refused["message"] == "This rental is not refundable."


def test_single_service_lines_and_port_reset(engine: SimEngine, call: Call) -> None:
    engine.set_balance(Decimal("100"))
    services = call("rental/retrieve_services", rental="7").json()
    assert {"ID", "name", "pool"} == set(services[0]) and isinstance(services[0]["ID"], int)
    whatsapp = next(s for s in services if s["name"] == "WhatsApp")
    assert call("rental/retrieve_services", rental="6").json() == []  # not a single-service line
    price = call("rental/service_price", id="7", service_id=str(whatsapp["ID"])).json()
    assert price == {"pricing": {"30": 15}, "extend": {"30": 15}}
    rent(call, "7", "30", service_id=str(whatsapp["ID"]))
    assert engine.balance == Decimal("85.00")  # the service's own price
    code = rent(call, "6", "30")["rental_code"]
    ok = call("rental/reset", rental_code=code).json()
    assert ok["success"] == 1 and "reset succesfully" in ok["message"]
    ru = rent(call, "4", "3")["rental_code"]
    refused = call("rental/reset", rental_code=ru)
    assert refused.status == 400 and refused.json() == fixture("rental_reset_refused")
    assert call("rental/reset", rental_code="NOPE").status == 404
