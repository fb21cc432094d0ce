"""Candidates (country + pool) ranked by a score the user can read.

    score = chance points - price points - slowness points
    chance  = the server's success rate for the country, blended with the user's own record
              there (codes per purchase, newest counting most): 100 points for a sure code
    price   = up to 20 points, the dearest candidate paying all 20
    slow    = up to 10 points, for a median time to code (the user's own) near the wait

Out of stock, no price, a price over the cap: skipped before anything is spent.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from smspool_tui.api.errors import ApiError, AuthError
from smspool_tui.core.autopilot.plan import Plan

if TYPE_CHECKING:
    from smspool_tui.api.models import Country, SuccessRate
    from smspool_tui.core.catalog import CountryOffer, PoolOffer
    from smspool_tui.core.journal import RecordRow

log = logging.getLogger(__name__)

PRIOR_WEIGHT = 3.0  # the server's rate counts like this many of the user's own purchases
UNRATED_CHANCE = 0.5  # a country the server gives no rate for
RECENCY = 0.8  # each older purchase of the user's counts this much less than the next newer
PRICE_POINTS = 20.0
SLOW_POINTS = 10.0
TOP_COUNTRIES = 6  # default plan: pools are looked up for this many suggested countries
MAX_CANDIDATES = 16


class CatalogLike(Protocol):
    """The part of CatalogService the autopilot uses."""

    async def countries(self, *, refresh: bool = False) -> list[Country]: ...
    async def country_offers(self, service_id: int) -> list[CountryOffer]: ...
    async def success_rates(
        self, service_id: int, country_id: int | None = None
    ) -> list[SuccessRate]: ...
    async def pool_offers(
        self, country_id: int, service_id: int, *, with_stock: bool = True
    ) -> list[PoolOffer]: ...
    async def pool_names(self) -> dict[int, str]: ...
    async def stock(self, country_id: int, service_id: int, pool: int | None = None) -> int: ...


@dataclass(frozen=True, slots=True)
class ScoreParts:
    server_rate: Decimal | None  # percent, from request/success_rate
    price: Decimal
    stock: int | None
    own_purchases: int  # the user's orders of this service here
    own_codes: int  # of which got a code
    median_seconds: float | None  # the user's median time to code here
    chance: float  # 0..1, the blend
    chance_points: float
    price_points: float
    slow_points: float

    @property
    def total(self) -> float:
        return round(self.chance_points - self.price_points - self.slow_points, 1)

    def explain(self) -> str:
        rate = "?" if self.server_rate is None else f"{self.server_rate}%"
        own = f", mine {self.own_codes}/{self.own_purchases}" if self.own_purchases else ""
        slow = f", median {self.median_seconds:.0f}s" if self.median_seconds is not None else ""
        return (
            f"{self.total:.0f} = {self.chance_points:.0f} chance (server {rate}{own}{slow}) "
            f"- {self.price_points:.0f} price (${self.price}) - {self.slow_points:.0f} slow"
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    country_id: int
    country: str
    pool: int | None
    pool_name: str
    price: Decimal
    parts: ScoreParts

    @property
    def score(self) -> float:
        return self.parts.total

    @property
    def label(self) -> str:
        return f"{self.country} / {self.pool_name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "country_id": self.country_id,
            "country": self.country,
            "pool": self.pool,
            "pool_name": self.pool_name,
            "price": str(self.price),
            "score": self.parts.explain(),
        }


@dataclass(frozen=True, slots=True)
class Ranking:
    candidates: tuple[Candidate, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (what, why): nothing spent


@dataclass
class _Record:
    weight: float = 0.0
    codes_weight: float = 0.0
    purchases: int = 0
    codes: int = 0
    times: list[float] = field(default_factory=list)


def own_record(rows: Sequence[RecordRow]) -> dict[tuple[int | None, int | None], _Record]:
    """(country_id, pool) -> the user's weighted record; `rows` newest first."""
    out: dict[tuple[int | None, int | None], _Record] = {}
    for row in rows:
        rec = out.setdefault((row.country_id, row.pool), _Record())
        w = RECENCY**rec.purchases
        rec.purchases += 1
        rec.weight += w
        if row.got_code:
            rec.codes += 1
            rec.codes_weight += w
            if row.code_at and row.purchased_at:
                rec.times.append(max(0.0, (row.code_at - row.purchased_at).total_seconds()))
    return out


def score(
    price: Decimal,
    server_rate: Decimal | None,
    stock: int | None,
    record: _Record | None,
    top_price: Decimal,
    wait: float,
) -> ScoreParts:
    prior = float(server_rate) / 100 if server_rate is not None else UNRATED_CHANCE
    rec = record or _Record()
    chance = (prior * PRIOR_WEIGHT + rec.codes_weight) / (PRIOR_WEIGHT + rec.weight)
    median = statistics.median(rec.times) if rec.times else None
    slow = 0.0 if median is None else SLOW_POINTS * min(1.0, median / max(wait, 1.0))
    share = float(price / top_price) if top_price > 0 else 0.0
    return ScoreParts(
        server_rate=server_rate,
        price=price,
        stock=stock,
        own_purchases=rec.purchases,
        own_codes=rec.codes,
        median_seconds=median,
        chance=round(chance, 4),
        chance_points=round(100 * chance, 1),
        price_points=round(PRICE_POINTS * share, 1),
        slow_points=round(slow, 1),
    )


async def rank(plan: Plan, catalog: CatalogLike, record: Sequence[RecordRow]) -> Ranking:
    """Candidates best first. Raises the catalog's ApiError when no country list could be had."""
    skipped: list[tuple[str, str]] = []
    if plan.countries:
        rates = {r.country_id: r for r in await _quiet_rates(catalog, plan.service_id)}
        names = {c.id: c.name for c in await catalog.countries()}
        countries = [
            (cid, names.get(cid) or (rates[cid].name if cid in rates else str(cid)))
            for cid in plan.countries
        ]
        server_rates = {cid: r.success_rate for cid, r in rates.items()}
    else:
        offers = await catalog.country_offers(plan.service_id)
        offers = [o for o in offers if o.price is not None]
        if plan.max_price is not None:
            cheap = [o for o in offers if o.price is not None and o.price <= plan.max_price]
            if len(cheap) < len(offers):
                skipped.append(("dearer countries", f"cheapest number over ${plan.max_price}"))
            offers = cheap
        offers.sort(
            key=lambda o: (-(float(o.success_rate) if o.success_rate is not None else 50), o.price)
        )
        countries = [(o.country_id, o.name) for o in offers[:TOP_COUNTRIES]]
        server_rates = {o.country_id: o.success_rate for o in offers if o.success_rate is not None}
    pool_names = await catalog.pool_names()
    found: list[tuple[int, str, Any]] = []
    for cid, name in countries:
        try:
            pools = await catalog.pool_offers(cid, plan.service_id, with_stock=True)
        except ApiError as exc:
            if isinstance(exc, AuthError):
                raise
            skipped.append((name, f"no pool prices ({exc})"))
            continue
        if not pools:
            skipped.append((name, "not sold there"))
        for p in pools:
            found.append((cid, name, p))
    raw: list[tuple[int, str, Any]] = []
    for cid, name, p in found:
        what = f"{name} / {pool_names.get(p.pool, p.name)}"
        if plan.pools and p.pool not in plan.pools:
            continue
        if p.price is None:
            skipped.append((what, "no price"))
        elif plan.max_price is not None and p.price > plan.max_price:
            skipped.append((what, f"${p.price} is over the cap ${plan.max_price}"))
        elif p.stock == 0:
            skipped.append((what, "out of stock"))
        else:
            raw.append((cid, name, p))
    if not raw:
        return Ranking((), tuple(skipped))
    top = max(p.price for _, _, p in raw)
    mine = own_record(record)
    preference = {cid: i for i, (cid, _) in enumerate(countries)}
    made: list[Candidate] = []
    for cid, name, p in raw:
        parts = score(
            p.price,
            server_rates.get(cid),
            p.stock,
            mine.get((cid, p.pool)) or mine.get((cid, None)),
            top,
            plan.wait,
        )
        made.append(Candidate(cid, name, p.pool, pool_names.get(p.pool, p.name), p.price, parts))
    if plan.countries:  # the user's order of countries first, the score within a country
        made.sort(key=lambda c: (preference[c.country_id], -c.score, c.price))
    else:
        made.sort(key=lambda c: (-c.score, c.price, c.country_id))
    return Ranking(tuple(made[:MAX_CANDIDATES]), tuple(skipped))


async def _quiet_rates(catalog: CatalogLike, service_id: int) -> list[SuccessRate]:
    try:
        return await catalog.success_rates(service_id)
    except ApiError as exc:
        if isinstance(exc, AuthError):
            raise
        log.warning("success rates unavailable: %s", exc)
        return []


def candidate_from_json(data: dict[str, Any]) -> Candidate:
    """A candidate as journaled (its score text kept as it was shown)."""
    price = Decimal(str(data["price"]))
    parts = ScoreParts(None, price, None, 0, 0, None, 0.0, 0.0, 0.0, 0.0)
    return _Stored(
        int(data["country_id"]),
        str(data["country"]),
        data.get("pool"),
        str(data.get("pool_name") or data.get("pool") or ""),
        price,
        parts,
        str(data.get("score") or ""),
    )


@dataclass(frozen=True, slots=True)
class _Stored(Candidate):
    shown: str = ""

    def to_json(self) -> dict[str, Any]:
        body = Candidate.to_json(self)
        body["score"] = self.shown
        return body
