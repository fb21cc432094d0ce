"""Fault injection: random (seeded) infrastructure failures plus exact forced ones for tests."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from smspool_tui.sim import wire
from smspool_tui.sim.wire import SimResponse

FAULT_KINDS: frozenset[str] = frozenset(
    {
        "500",
        "502html",
        "malformed",
        "hang",
        "timeout",
        "403",
        "404",
        "429",
        "422_out_of_stock",
        "422_price",
        "422_balance",
        "success0",
        "wrongtype",
        "empty",
        "huge",
    }
)
# These mangle the real handler's answer, so the handler runs (with its side effects) first.
POST_KINDS: frozenset[str] = frozenset({"wrongtype", "huge"})


@dataclass
class FaultConfig:
    latency: float = 0.0  # seconds added to every response (real time, on the server thread)
    error_rate: float = 0.0  # share of requests answered 500
    html_rate: float = 0.0  # share answered with a Cloudflare 502 HTML page
    malformed_rate: float = 0.0  # share answered 200 with truncated JSON
    hang_rate: float = 0.0  # share that stall for hang_seconds
    hang_seconds: float = 30.0
    out_of_stock_services: set[str] = field(default_factory=set)  # IDs or names
    paths: set[str] | None = None  # only these path suffixes get random faults

    def applies_to(self, path: str) -> bool:
        return self.paths is None or any(path.endswith(wire.normalize_path(p)) for p in self.paths)


@dataclass
class _Forced:
    kind: str
    remaining: int
    path: str | None


class FaultInjector:
    """Decides per request whether a fault fires. Not locked itself: the engine's lock covers it."""

    def __init__(self, config: FaultConfig | None = None, seed: int = 0) -> None:
        self.config = config or FaultConfig()
        self._rng = random.Random(f"faults:{seed}")
        self._forced: list[_Forced] = []

    def force(self, kind: str, count: int = 1, path: str | None = None) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        self._forced.append(_Forced(kind, count, wire.normalize_path(path) if path else None))

    def pick(self, path: str) -> str | None:
        for forced in self._forced:
            if forced.remaining > 0 and (forced.path is None or path.endswith(forced.path)):
                forced.remaining -= 1
                self._forced = [f for f in self._forced if f.remaining > 0]
                return forced.kind
        cfg = self.config
        if not cfg.applies_to(path):
            return None
        # One draw per request keeps the sequence reproducible for a seed whatever the rates.
        roll = self._rng.random()
        for kind, rate in (
            ("500", cfg.error_rate),
            ("502html", cfg.html_rate),
            ("malformed", cfg.malformed_rate),
            ("hang", cfg.hang_rate),
        ):
            if roll < rate:
                return kind
            roll -= rate
        return None


def fault_response(kind: str, path: str, hang_seconds: float) -> SimResponse:
    """The canned answer for a pre-handler fault kind."""
    if kind == "500":
        return wire.fail("Something went horribly wrong, try again please!", 500)
    if kind == "502html":
        return wire.html(wire.CLOUDFLARE_502, 502)
    if kind == "malformed":
        return SimResponse(200, b'{"success":1,"data":[{"ID":1,"name":"Unit')
    if kind in ("hang", "timeout"):
        # After the stall the server answers like Cloudflare does when the origin is too slow.
        return SimResponse(524, wire.CLOUDFLARE_524.encode(), wire.HTML_TYPE, hang=hang_seconds)
    if kind == "403":
        return wire.invalid_key()
    if kind == "404":
        text = (
            "No rental was found!" if path.startswith("rental") else "We could not find this order!"
        )
        return wire.fail(text, 404)
    if kind == "429":
        resp = wire.fail("Too many requests, please slow down.", 429)
        resp.headers["Retry-After"] = "1"
        return resp
    if kind == "422_out_of_stock":
        return wire.out_of_stock("Foxtrot")
    if kind == "422_price":
        return wire.price_not_found(Decimal("0.01"))
    if kind == "422_balance":
        return wire.no_balance("Foxtrot", Decimal("0.24"), Decimal("0.00"))
    if kind == "success0":
        return wire.respond(
            {"success": 0, "message": "Something went horribly wrong, try again please!"}
        )
    if kind == "empty":
        return wire.respond([])
    raise ValueError(kind)


def _wrap(value: object) -> object:
    return [value]


def mangle(kind: str, real: SimResponse) -> SimResponse:
    """Post-handler kinds: "wrongtype" wraps every field in a list; "huge" inflates lists."""
    try:
        body = json.loads(real.body)
    except ValueError:
        return real
    if kind == "wrongtype":
        fix: Callable[[object], object] = _wrap
        if isinstance(body, dict):
            return wire.respond({k: fix(v) for k, v in body.items()}, real.status)
        if isinstance(body, list):
            rows = [
                {k: fix(v) for k, v in r.items()} if isinstance(r, dict) else fix(r) for r in body
            ]
            return wire.respond(rows or {"data": "wrong"}, real.status)
        return wire.respond({"value": body}, real.status)
    if isinstance(body, list):
        seed = body or [{"ID": 0, "name": "filler"}]
        return wire.respond((seed * (60000 // len(seed) + 1))[:60000], real.status)
    if isinstance(body, dict):
        body["padding"] = "x" * 2_000_000
        return wire.respond(body, real.status)
    return real
