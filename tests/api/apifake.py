"""A fake SMSPool behind httpx.MockTransport, serving the spec fixtures (helpers for tests/api)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

SPEC = Path(__file__).parent.parent / "fixtures" / "spec"
KEY = "SeCrEtKeY0123456789abcdefGHIJKLM"

# path -> fixture served when a test does not script the path itself.
DEFAULT_ROUTES: dict[str, str] = {
    "country/retrieve_all": "country_retrieve_all_ok",
    "service/retrieve_all": "service_retrieve_all_ok",
    "pool/retrieve_all": "pool_retrieve_all_ok",
    "request/balance": "request_balance_ok",
    "request/history": "request_history_ok",
    "request/active": "request_active_ok",
    "request/price": "request_price_ok",
    "request/suggested_countries": "request_suggested_countries_ok",
    "pool/retrieve_valid": "pool_retrieve_valid_ok",
    "request/success_rate": "request_success_rate_ok",
    "sms/stock": "sms_stock_ok",
    "purchase/sms": "purchase_sms_ok",
    "sms/check": "sms_check_pending",
    "sms/check_resend": "sms_check_resend_ok",
    "sms/resend": "sms_resend_ok",
    "sms/cancel": "sms_cancel_ok",
    "sms/cancel_all": "sms_cancel_all_ok",
    "request/archive": "request_archive_ok",
    "rental/retrieve_all": "rental_retrieve_all_ok",
    "purchase/rental": "purchase_rental_ok",
    "rental/retrieve_messages": "rental_messages",
    "rental/retrieve_status": "rental_status_ok",
    "rental/refund": "rental_refund_ok",
    "rental/extend": "rental_extend_ok",
    "rental/retrieve": "rental_retrieve_active_ok",
    "rental/info": "rental_info_ok",
    "rental/retrieve_pricing": "rental_retrieve_pricing_ok",
    "rental/stock": "rental_stock_ok",
    "preorder/price": "preorder_price_bid",
    "preorder/create": "preorder_create_ok",
    "preorder/check": "preorder_check_pending",
    "preorder/retrieve": "preorder_retrieve_ok",
    "preorder/cancel": "preorder_cancel_ok",
    "sms/clear_cache": "sms_clear_cache_ok",
}

# Every client method with sample arguments, and the path it must hit.
ALL_CALLS: list[tuple[str, tuple[object, ...], str]] = [
    ("countries", (), "country/retrieve_all"),
    ("services", (1,), "service/retrieve_all"),
    ("pools", (), "pool/retrieve_all"),
    ("balance", (), "request/balance"),
    ("history", (), "request/history"),
    ("active_orders", (), "request/active"),
    ("price", (1, 395), "request/price"),
    ("suggested_countries", (395,), "request/suggested_countries"),
    ("pool_prices", (1, 395), "pool/retrieve_valid"),
    ("success_rates", (395,), "request/success_rate"),
    ("stock", (1, 395), "sms/stock"),
    ("purchase_sms", (1, 395), "purchase/sms"),
    ("check_sms", ("TSTORD01",), "sms/check"),
    ("check_resend", ("TSTORD01",), "sms/check_resend"),
    ("resend_sms", ("TSTORD01",), "sms/resend"),
    ("cancel_sms", ("TSTORD01",), "sms/cancel"),
    ("cancel_all", (), "sms/cancel_all"),
    ("archive_orders", (), "request/archive"),
    ("rental_catalog", (True,), "rental/retrieve_all"),
    ("purchase_rental", (6, 30), "purchase/rental"),
    ("rental_messages", ("TSTRNT01",), "rental/retrieve_messages"),
    ("rental_status", ("TSTRNT01",), "rental/retrieve_status"),
    ("refund_rental", ("TSTRNT01",), "rental/refund"),
    ("extend_rental", ("TSTRNT01", 30), "rental/extend"),
    ("my_rentals", (), "rental/retrieve"),
    ("rental_info", ("TSTRNT01",), "rental/info"),
    ("rental_pricing", (6,), "rental/retrieve_pricing"),
    ("rental_stock", (6, 30), "rental/stock"),
    ("preorder_price", (1, 395, 7), "preorder/price"),
    ("preorder_create", (1, 395, "0.50", 7), "preorder/create"),
    ("preorder_check", ("TSTPRE01",), "preorder/check"),
    ("preorder_retrieve", (), "preorder/retrieve"),
    ("preorder_cancel", ("TSTPRE01",), "preorder/cancel"),
    ("clear_cache", (), "sms/clear_cache"),
]

MUTATIONS: list[tuple[str, tuple[object, ...], str]] = [
    c
    for c in ALL_CALLS
    if c[0]
    in {
        "purchase_sms",
        "resend_sms",
        "cancel_sms",
        "cancel_all",
        "archive_orders",
        "purchase_rental",
        "refund_rental",
        "extend_rental",
        "preorder_create",
        "preorder_cancel",
        "clear_cache",
    }
]
READS = [c for c in ALL_CALLS if c not in MUTATIONS]


def load(name: str) -> dict[str, object]:
    return json.loads((SPEC / f"{name}.json").read_text(encoding="utf-8"))


def fixture_response(name: str, headers: dict[str, str] | None = None) -> httpx.Response:
    data = load(name)
    status = int(data["status"])  # type: ignore[call-overload]
    body = data["body"]
    if isinstance(body, str):  # raw page, e.g. Cloudflare HTML
        return httpx.Response(
            status, text=body, headers={"content-type": "text/html", **(headers or {})}
        )
    return httpx.Response(status, json=body, headers=headers)


# A scripted step: a fixture name, a ready response, or an httpx exception class to raise.
Step = str | httpx.Response | type[httpx.RequestError]


class FakeApi:
    """Routes by path; a scripted queue is served in order and its last step repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Step]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, path: str, *steps: Step) -> None:
        self.routes[path] = list(steps)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.lstrip("/")
        queue = self.routes.get(path)
        if queue is None:
            step: Step = DEFAULT_ROUTES[path]
        else:
            step = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(step, type):
            raise step("simulated failure", request=request)
        if isinstance(step, str):
            return fixture_response(step)
        return step

    def form(self, index: int = -1) -> dict[str, str]:
        request = self.requests[index]
        return dict(parse_qsl(request.content.decode(), keep_blank_values=True))

    @property
    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]
