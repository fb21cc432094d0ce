"""Auth, catalog shapes, routing, recording and faults of the engine (no HTTP)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.faults import FAULT_KINDS, FaultConfig

from .conftest import Call
from .test_rentals import fixture, keys_and_types

CONTRACTS = Path(__file__).resolve().parents[2] / "docs" / "contracts.md"

# Client method (docs/contracts.md) -> the path it calls.
METHOD_PATHS: dict[str, str] = {
    "countries": "country/retrieve_all",
    "services": "service/retrieve_all",
    "pools": "pool/retrieve_all",
    "balance": "request/balance",
    "history": "request/history",
    "active_orders": "request/active",
    "price": "request/price",
    "suggested_countries": "request/suggested_countries",
    "pool_prices": "pool/retrieve_valid",
    "success_rates": "request/success_rate",
    "stock": "sms/stock",
    "purchase_sms": "purchase/sms",
    "check_sms": "sms/check",
    "check_resend": "sms/check_resend",
    "resend_sms": "sms/resend",
    "cancel_sms": "sms/cancel",
    "cancel_all": "sms/cancel_all",
    "archive_orders": "request/archive",
    "rental_catalog": "rental/retrieve_all",
    "purchase_rental": "purchase/rental",
    "rental_messages": "rental/retrieve_messages",
    "rental_status": "rental/retrieve_status",
    "refund_rental": "rental/refund",
    "extend_rental": "rental/extend",
    "my_rentals": "rental/retrieve",
    "rental_auto_extend": "rental/auto_extend",
    "reset_rental": "rental/reset",
    "rental_services": "rental/retrieve_services",
    "rental_service_price": "rental/service_price",
    "rental_info": "rental/info",
    "rental_pricing": "rental/retrieve_pricing",
    "rental_stock": "rental/stock",
    "preorder_price": "preorder/price",
    "preorder_create": "preorder/create",
    "preorder_check": "preorder/check",
    "preorder_retrieve": "preorder/retrieve",
    "preorder_cancel": "preorder/cancel",
    "activate": "sms/activate",
    "unarchive": "sms/unarchive",
    "missed_sms": "sms/missed",
    "area_codes": "request/areacodes",
    "clear_cache": "sms/clear_cache",
}


def test_every_client_method_has_a_route(engine: SimEngine) -> None:
    text = CONTRACTS.read_text()
    section = text[text.index("Methods (all async)") :]
    section = section[: section.index("- Reads retry")]
    methods = set(re.findall(r"`(\w+)\(", section))
    assert len(methods) >= 25
    assert methods <= set(METHOD_PATHS), methods - set(METHOD_PATHS)
    for method in methods:
        assert METHOD_PATHS[method] in engine.routes, method


def test_auth_missing_and_invalid(call: Call) -> None:
    missing = call("request/balance", key=None)
    assert missing.status == 400 and missing.json() == fixture("auth_missing_key")
    wrong = call("request/balance", key="x" * 32)
    assert wrong.status == 403 and wrong.json() == fixture("auth_invalid_key")
    assert call("request/balance").json() == {"balance": "10.00"}


def test_public_endpoints_need_no_key(call: Call) -> None:
    for path, params in (
        ("country/retrieve_all", {}),
        ("service/retrieve_all", {}),
        ("pool/retrieve_all", {}),
        ("request/price", {"country": "US", "service": "Telegram"}),
        ("request/suggested_countries", {"service": "Telegram"}),
        ("request/success_rate", {"service": "907"}),
        ("pool/retrieve_valid", {"country": "1", "service": "907"}),
        ("rental/retrieve_all", {"type": "1"}),
    ):
        assert call(path, key=None, method="GET", **params).status == 200, path


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("country/retrieve_all", {}, "country_retrieve_all_ok"),
        ("service/retrieve_all", {}, "service_retrieve_all_ok"),
        ("pool/retrieve_all", {}, "pool_retrieve_all_ok"),
        ("pool/retrieve_valid", {"country": "US", "service": "Telegram"}, "pool_retrieve_valid_ok"),
        ("request/success_rate", {"service": "Telegram"}, "request_success_rate_ok"),
        ("request/suggested_countries", {"service": "Telegram"}, "request_suggested_countries_ok"),
        ("request/pricing", {"country": "MY", "service": "Snapchat"}, "request_pricing_ok"),
    ],
)
def test_list_shapes_match_fixtures(call: Call, path: str, params: dict, name: str) -> None:
    body = call(path, **params).json()
    assert isinstance(body, list) and body
    assert keys_and_types(body[0]) == keys_and_types(fixture(name)[0])  # type: ignore[index]


def test_catalog_content(call: Call) -> None:
    countries = call("country/retrieve_all").json()
    assert 140 <= len(countries) <= 180
    assert {
        "ID": 1,
        "name": "United States",
        "region": "North America",
        "short_name": "US",
    } in countries
    assert "Carribeans" in {c["region"] for c in countries}
    services = call("service/retrieve_all").json()
    names = {s["name"] for s in services}
    assert len(services) >= 800 and "Nordstrom " in names and "Ozon.ru — Озон" in names
    assert {"Telegram", "WhatsApp", "OpenAI / ChatGPT", "Google/Gmail", "Discord"} <= names
    assert max(len(n) for n in names) > 70
    suggested = call("request/suggested_countries", service="Telegram").json()
    prices = [float(r["price"]) for r in suggested]
    assert prices == sorted(prices)


def test_price_and_stock(call: Call) -> None:
    price = call("request/price", country="US", service="Telegram").json()
    assert keys_and_types(price) == keys_and_types(fixture("request_price_ok"))  # type: ignore[arg-type]
    assert call("request/price", service="1").json() == fixture("request_price_missing_param")
    stock = call("sms/stock", country="US", service="Telegram").json()
    assert keys_and_types(stock) == keys_and_types(fixture("sms_stock_ok"))  # type: ignore[arg-type]


def test_unfiltered_pricing_refused(call: Call) -> None:
    assert call("request/pricing").status == 400


def test_paths_php_slash_and_methods(call: Call) -> None:
    for path in (
        "request/balance",
        "/request/balance",
        "request/balance.php",
        "/request/balance.php/",
    ):
        for method in ("GET", "POST"):
            assert call(path, method=method).json() == {"balance": "10.00"}
    assert call("no/such").status == 404


def test_recorded_requests_never_hold_the_key(engine: SimEngine) -> None:
    engine.handle("POST", "request/balance", {"key": DEMO_KEY}, None, None)
    engine.handle("POST", "sms/check", {"orderid": "X"}, DEMO_KEY, "query", raw_query="orderid=X")
    assert [r.key_source for r in engine.requests] == ["form", "query"]
    assert DEMO_KEY not in repr(engine.requests)
    assert engine.count("balance") == 1 and engine.count("/sms/check.php") == 1
    engine.reset_requests()
    assert engine.requests == []


def test_force_fault_exactly_n(call: Call, engine: SimEngine) -> None:
    engine.force_fault("500", count=2, path="request/balance")
    statuses = [call("request/balance").status for _ in range(3)]
    assert statuses == [500, 500, 200]
    engine.force_fault("502html")
    page = call("country/retrieve_all")
    assert page.status == 502 and page.content_type.startswith("text/html")
    assert page.body.decode() == fixture("infra_502_cloudflare_html")
    engine.force_fault("malformed")
    with pytest.raises(ValueError):
        json.loads(call("request/active").body)
    assert [r.fault for r in engine.requests][-2:] == ["502html", "malformed"]


@pytest.mark.parametrize("kind", sorted(FAULT_KINDS))
def test_every_fault_kind_answers(call: Call, engine: SimEngine, kind: str) -> None:
    engine.force_fault(kind)
    resp = call("request/balance")
    assert engine.requests[-1].fault == kind
    if kind in ("hang", "timeout"):
        assert resp.hang > 0
    elif kind == "wrongtype":
        assert resp.json() == {"balance": ["10.00"]}
    elif kind == "huge":
        assert len(resp.body) > 1_000_000
    elif kind == "empty":
        assert resp.json() == []
    elif kind == "malformed":
        assert resp.status == 200
        with pytest.raises(ValueError):
            json.loads(resp.body)
    elif kind == "success0":
        assert resp.status == 200 and resp.json()["success"] == 0  # type: ignore[index]
    else:
        assert resp.status == ERROR_STATUS[kind], resp.body[:200]


# What each fault kind that is an HTTP error answers (the live API's statuses).
ERROR_STATUS = {
    "403": 403,
    "404": 404,
    "422_balance": 422,
    "422_out_of_stock": 422,
    "422_price": 422,
    "429": 429,
    "500": 500,
    "502html": 502,
}


def test_every_error_kind_has_an_expected_status() -> None:
    special = {"hang", "timeout", "wrongtype", "huge", "empty", "malformed", "success0"}
    assert set(ERROR_STATUS) | special == set(FAULT_KINDS)


def test_huge_inflates_lists(call: Call, engine: SimEngine) -> None:
    engine.force_fault("huge")
    assert len(call("pool/retrieve_all").json()) >= 50000  # type: ignore[arg-type]


def test_unknown_fault_kind_rejected(engine: SimEngine) -> None:
    with pytest.raises(ValueError):
        engine.force_fault("gremlins")


def test_random_faults_deterministic_for_a_seed(clock: FakeClock) -> None:
    def statuses(seed: int) -> list[int]:
        eng = SimEngine(clock, seed=seed, faults=FaultConfig(error_rate=0.3, html_rate=0.2))
        return [eng.handle("GET", "pool/retrieve_all", {}, None, None).status for _ in range(40)]

    first = statuses(1)
    assert first == statuses(1)
    assert {500, 502, 200} <= set(first)
    assert first != statuses(2)


def test_fault_paths_and_runtime_change(call: Call, engine: SimEngine) -> None:
    engine.set_faults(error_rate=1.0, paths={"sms/check"})
    assert call("request/balance").status == 200
    assert call("sms/check", orderid="X").status == 500
    engine.faults = FaultConfig(latency=0.5)
    resp = call("request/balance")
    assert resp.status == 200 and resp.delay == 0.5


def test_seed_demo_board(engine: SimEngine, clock: FakeClock, call: Call) -> None:
    engine.seed_demo()
    active = call("request/active").json()
    assert sorted(r["status"] for r in active) == ["completed", "pending"]
    (rental,) = call("rental/retrieve").json()
    msgs = call("rental/retrieve_messages", rental_code=rental["rental_code"]).json()["messages"]
    assert len(msgs) >= 2
    clock.advance(30)
    assert [r["status"] for r in call("request/active").json()] == ["completed", "completed"]
