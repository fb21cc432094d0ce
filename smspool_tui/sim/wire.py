"""Wire-level helpers: response objects and the live API's body shapes and formats."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=UTF-8"
CENT = Decimal("0.01")

KEY_DESCRIPTION = "Your API key which can be found on your settings page at /my/settings"
MISSING_PARAM = "You are missing a required parameter for this request."
PARAM_DESCRIPTIONS: dict[str, str] = {
    "key": KEY_DESCRIPTION,
    "country": "Country name or country ID which can be retrieved at the /country/retrieve_all"
    " endpoint",
    "service": "Service name or service ID which can be retrieved at the /service/retrieve_all"
    " endpoint",
}


@dataclass
class SimResponse:
    """What the engine answers; `hang` asks the server to stall, `delay` to add latency first."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    hang: float = 0.0
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class RecordedRequest:
    method: str
    path: str  # normalized: no leading slash, no ".php"
    params: dict[str, str]  # never includes the key
    key_source: str | None  # "form" | "query" | "bearer" | None
    raw_query: str = ""
    status: int = 0
    fault: str | None = None


def normalize_path(path: str) -> str:
    """ "/sms/check.php?x" -> "sms/check": both spellings exist in the wild."""
    path = path.split("?", 1)[0].strip().strip("/")
    return path.removesuffix(".php").lower()


def respond(body: object, status: int = 200) -> SimResponse:
    # ensure_ascii=False: the live API sends raw UTF-8 (multi-byte SMS bodies).
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return SimResponse(status, data)


def fail(message: str, status: int = 400) -> SimResponse:
    """Shape A: {"success":0,"message":...}."""
    return respond({"success": 0, "message": message}, status)


def missing(*params: str) -> SimResponse:
    """Shape B, one entry per missing param (description only where the live API has one)."""
    errors: list[dict[str, str]] = []
    for name in params:
        err = {"message": MISSING_PARAM, "param": name}
        if name in PARAM_DESCRIPTIONS:
            err["description"] = PARAM_DESCRIPTIONS[name]
        errors.append(err)
    return respond({"success": 0, "errors": errors}, 400)


def invalid_key() -> SimResponse:
    err = {"message": "Invalid API key", "param": "key", "description": KEY_DESCRIPTION}
    return respond({"success": 0, "errors": [err]}, 403)


def pool_failure(kind: str, pool: str, text: str, status: int = 422) -> SimResponse:
    """Shape C: HTML in `message`, per-pool detail keyed by pool name; errors only on stock."""
    body: dict[str, object] = {
        "message": f"<p>Pool <b>{pool}</b>: {text}</p>",
        "success": 0,
        "pools": {pool: {"success": 0, "message": f"<p><b>{pool}</b> {text}</p>", "type": kind}},
        "type": kind,
    }
    if kind == "OUT_OF_STOCK":
        plain = "We couldn't find an available phone number for you, please try again later!"
        body["pools"][pool]["errors"] = [{"message": plain}]  # type: ignore[index]
        body["errors"] = [{"message": plain}]
    return respond(body, status)


def out_of_stock(pool: str) -> SimResponse:
    text = "<p>We couldn't find an available phone number for you, please try again later!</p>"
    return pool_failure("OUT_OF_STOCK", pool, text)


def no_balance(pool: str, price: Decimal, balance: Decimal) -> SimResponse:
    text = (
        f"Insufficient balance, the price is: {money(price)} while you only have: {money(balance)}"
    )
    return pool_failure("BALANCE_ERROR", pool, text)


def price_not_found(max_price: Decimal) -> SimResponse:
    return respond(
        {
            "success": 0,
            "message": f"We could not find a suitable pool below the price of: {money(max_price)}",
            "type": "PRICE_NOT_FOUND",
        },
        422,
    )


def money(value: Decimal) -> str:
    """Money is a 2-decimal string on the wire ("0.24", "5.00")."""
    return str(value.quantize(CENT))


def unix(ts: float) -> int:
    return int(ts)


def stamp(ts: float) -> str:
    """ "YYYY-MM-DD HH:MM:SS" without zone, UTC."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def legacy_stamp(ts: float) -> str:
    """The doc's "11 May 2022 18:39:54" form, only for legacy shapes."""
    return datetime.fromtimestamp(ts, UTC).strftime("%d %b %Y %H:%M:%S")


def parse_int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def parse_money(value: str | None) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else None
    except ArithmeticError:
        return None


CLOUDFLARE_502 = (
    "<!DOCTYPE html>\n<html><head><title>api.smspool.net | 502: Bad gateway</title></head><body>"
    "<h1>Bad gateway</h1><p>Error code 502</p><p>Cloudflare Ray ID: 0000000000000000</p>"
    "</body></html>"
)
CLOUDFLARE_524 = (
    "<!DOCTYPE html>\n<html><head><title>api.smspool.net | 524: A timeout occurred</title></head>"
    "<body><h1>A timeout occurred</h1><p>Error code 524</p>"
    "<p>Cloudflare Ray ID: 0000000000000000</p></body></html>"
)


def html(text: str, status: int) -> SimResponse:
    return SimResponse(status, text.encode(), HTML_TYPE)
