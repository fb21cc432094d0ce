"""The simulator's catalog: countries, services, pools and per-pool prices.

Names and IDs are stable (seed-independent) so tests and docs can name "Telegram = 907";
prices, success rates, availability and stock derive from the seed. Prices are computed on
demand from a hash instead of stored: 150 countries x 800 services x pools would be ~400k rows.
"""

from __future__ import annotations

import hashlib
import random
import threading
from dataclasses import dataclass, replace
from decimal import Decimal

from smspool_tui.sim.catalog_data import (
    COUNTRY_TABLE,
    FIXED_COUNTRY_IDS,
    MAJOR_COUNTRIES,
    NAME_HEADS,
    NAME_TAILS,
    POOLS,
    PREMIUM_SERVICES,
    REAL_SERVICES,
)

CENT = Decimal("0.01")
SERVICE_TARGET = 860
MAX_SERVICE_ID = 1408


@dataclass(frozen=True)
class Country:
    id: int
    name: str
    short_name: str
    region: str
    cc: str  # calling code, digits only


@dataclass(frozen=True)
class Service:
    id: int
    name: str
    favourite: int = 0


@dataclass(frozen=True)
class Pool:
    id: int
    name: str


@dataclass(frozen=True)
class PoolOffer:
    pool: Pool
    price: Decimal
    success_rate: int
    stock: int


def _build_countries() -> list[Country]:
    used = set(FIXED_COUNTRY_IDS.values())
    next_id = 3
    out: list[Country] = []
    for region, block in COUNTRY_TABLE.items():
        for line in block.strip().splitlines():
            iso, cc, name = line.split("|")
            cid = FIXED_COUNTRY_IDS.get(iso)
            if cid is None:
                while next_id in used:
                    next_id += 1
                cid = next_id
                used.add(cid)
            out.append(Country(cid, name, iso, region, cc))
    return out


def _generated_names(rng: random.Random, taken: set[str], count: int) -> list[str]:
    """Brand-like names in the messy styles the live list has (spaces, dots, lowercase starts)."""
    names: list[str] = []
    while len(names) < count:
        head, tail = rng.choice(NAME_HEADS), rng.choice(NAME_TAILS)
        style = rng.randrange(7)
        if style == 0:
            name = f"{head} {tail}"
        elif style == 1:
            name = f"{head.lower()}{tail.lower()}"
        elif style == 2:
            name = f"{head}-{tail}"
        elif style == 3:
            name = f"{head}{tail}.io"
        elif style == 4:
            name = f"{head}{tail} ({rng.choice(['EU', 'US', 'Asia', 'Global'])})"
        else:
            name = f"{head}{tail}"
        if name.lower() not in taken:
            taken.add(name.lower())
            names.append(name)
    return names


def _build_services() -> list[Service]:
    rng = random.Random(1408)  # fixed: IDs and names must not move with the engine seed
    favourites = {"Telegram", "WhatsApp"}
    services = [Service(sid, name, int(name in favourites)) for name, sid in REAL_SERVICES.items()]
    taken = {name.lower() for name in REAL_SERVICES}
    free_ids = sorted(set(range(2, MAX_SERVICE_ID + 1)) - set(REAL_SERVICES.values()))
    extra = SERVICE_TARGET - len(services)
    ids = sorted(rng.sample(free_ids, extra))
    for sid, name in zip(ids, _generated_names(rng, taken, extra), strict=True):
        services.append(Service(sid, name))
    return sorted(services, key=lambda s: s.id)


COUNTRIES: tuple[Country, ...] = tuple(_build_countries())
SERVICES: tuple[Service, ...] = tuple(_build_services())
POOL_LIST: tuple[Pool, ...] = tuple(Pool(pid, name) for pid, name in POOLS)


class Catalog:
    """Lookups plus seeded pricing. Thread-safe: the cache is guarded by its own lock."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.countries = COUNTRIES
        self.services = SERVICES
        self.pools = POOL_LIST
        self.buyable_pools = tuple(p for p in POOL_LIST if p.id != 0)
        self._country_ix = self._index(COUNTRIES, lambda c: (str(c.id), c.short_name, c.name))
        self._service_ix = self._index(SERVICES, lambda s: (str(s.id), s.name, s.name.strip()))
        self._pool_ix = self._index(POOL_LIST, lambda p: (str(p.id), p.name))
        self._cache: dict[tuple[int, int], tuple[PoolOffer, ...]] = {}
        self._lock = threading.Lock()
        # (country id, service id) -> price multiplier now (sim/supply.py PriceSwing).
        self.price_factors: dict[tuple[int, int], Decimal] = {}

    @staticmethod
    def _index(items: tuple, keys) -> dict[str, object]:  # type: ignore[type-arg]
        ix: dict[str, object] = {}
        for item in items:
            for key in keys(item):
                ix.setdefault(key.lower(), item)
        return ix

    def country(self, token: str | None) -> Country | None:
        """By ID, ISO code or name, like the live API."""
        return self._country_ix.get((token or "").strip().lower())  # type: ignore[return-value]

    def service(self, token: str | None) -> Service | None:
        return self._service_ix.get((token or "").strip().lower())  # type: ignore[return-value]

    def pool(self, token: str | None) -> Pool | None:
        return self._pool_ix.get((token or "").strip().lower())  # type: ignore[return-value]

    def _unit(self, *parts: object) -> float:
        """A stable pseudo-random float in [0, 1) for these parts and the seed."""
        raw = ":".join(str(p) for p in (self.seed, *parts)).encode()
        return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big") / 2**64

    def offers(self, country: Country, service: Service) -> tuple[PoolOffer, ...]:
        """Pools selling this country+service, cheapest first; empty when not available."""
        key = (country.id, service.id)
        with self._lock:
            hit = self._cache.get(key)
        if hit is None:
            hit = self._compute_offers(country, service)
            with self._lock:
                if len(self._cache) > 20000:
                    self._cache.clear()
                self._cache[key] = hit
        factor = self.price_factors.get(key)
        if factor is None or factor == 1:
            return hit
        moved = (
            replace(o, price=max(Decimal("0.02"), (o.price * factor).quantize(CENT))) for o in hit
        )
        return tuple(sorted(moved, key=lambda o: (o.price, o.pool.id)))

    def _compute_offers(self, country: Country, service: Service) -> tuple[PoolOffer, ...]:
        if (
            country.short_name not in MAJOR_COUNTRIES
            and self._unit("av", country.id, service.id) > 0.4
        ):
            return ()
        base = 0.06 + 0.9 * self._unit("svc", service.id) ** 2
        if service.name in PREMIUM_SERVICES:
            base += 0.25
        cmult = 1.0 if country.short_name == "US" else 0.25 + 1.4 * self._unit("cty", country.id)
        out: list[PoolOffer] = []
        for pool in self.buyable_pools:
            forced = pool.id == 7 and country.short_name == "US"
            if not forced and self._unit("pool", country.id, service.id, pool.id) > 0.35:
                continue
            pmult = 0.8 + 0.9 * self._unit("pm", pool.id, service.id % 17)
            price = max(Decimal("0.02"), Decimal(str(base * cmult * pmult)).quantize(CENT))
            rate = 1 + int(99 * self._unit("sr", country.id, service.id, pool.id) ** 0.4)
            stock_u = self._unit("st", country.id, service.id, pool.id)
            stock = 0 if stock_u < 0.05 else int(10 + 9000 * stock_u**3)
            out.append(PoolOffer(pool, price, rate, stock))
        if not out:  # every available pair has at least one pool
            pool = self.buyable_pools[int(self._unit("p1", country.id, service.id) * 10)]
            price = max(Decimal("0.02"), Decimal(str(base * cmult)).quantize(CENT))
            out.append(PoolOffer(pool, price, 90, 500))
        return tuple(sorted(out, key=lambda o: (o.price, o.pool.id)))

    def suggested(self, service: Service) -> list[tuple[Country, PoolOffer]]:
        """Cheapest in-stock offer per country, cheapest first."""
        rows: list[tuple[Country, PoolOffer]] = []
        for country in self.countries:
            offers = [o for o in self.offers(country, service) if o.stock > 0]
            if offers:
                rows.append((country, offers[0]))
        rows.sort(key=lambda r: (r[1].price, r[0].id))
        return rows
