"""Countries, services and prices, with an on-disk cache so the first frame never waits.

Countries and services change rarely: they are cached as JSON in `cache_dir` for a day and
refreshed behind the cached copy. Prices move: they are cached in memory for a minute per
(country, service), identical lookups in flight share one request, and a semaphore bounds how
many price requests run at once (a user scrolling a country list must not fire fifty at once).
The last country and the recently used services are remembered so they come first next time.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from smspool_tui.api.models import (
    Country,
    Pool,
    PoolPrice,
    Service,
    SuccessRate,
    SuggestedCountry,
)
from smspool_tui.atomic import atomic_writer
from smspool_tui.clock import Clock

if TYPE_CHECKING:
    from smspool_tui.api.client import SMSPoolClient

log = logging.getLogger("smspool_tui.catalog")

T = TypeVar("T")

LIST_TTL = 24 * 3600.0  # countries and services
PRICE_TTL = 60.0  # prices, rates, stock
MAX_IN_FLIGHT = 4
RECENT_LIMIT = 8
CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class CountryOffer:
    """One row of the prices screen: a country selling the service, with its odds."""

    country_id: int
    name: str
    short_name: str | None
    price: Decimal | None
    pool: int | None
    success_rate: Decimal | None
    high_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PoolOffer:
    """One pool selling a (country, service): price, area codes, stock when the API says."""

    pool: int
    name: str
    price: Decimal | None
    custom_area: bool
    stock: int | None = None


def _atomic_write(path: Path, payload: object) -> None:
    """JSON through the one atomic writer: a crash never leaves half a cache file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(path, text=True) as fh:
        json.dump(payload, fh, separators=(",", ":"))


def _consume_exception(task: asyncio.Task[Any]) -> None:
    # Every caller may have gone away; don't let asyncio log "exception never retrieved".
    if not task.cancelled():
        task.exception()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a damaged cache is only a cache
        log.warning("ignoring unreadable cache %s: %s", path.name, exc)
        return None


class CatalogService:
    def __init__(
        self,
        client: SMSPoolClient,
        clock: Clock,
        *,
        cache_dir: Path,
        list_ttl: float = LIST_TTL,
        price_ttl: float = PRICE_TTL,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.client = client
        self.clock = clock
        self.cache_dir = Path(cache_dir)
        self._names: dict[str, str] | None = None
        self.list_ttl = list_ttl
        self.price_ttl = price_ttl
        self._limit = asyncio.Semaphore(max_in_flight)
        self._lists: dict[str, tuple[float, list[Any]]] = {}  # kind -> (saved_at wall, items)
        self._memo: dict[tuple[object, ...], tuple[float, Any]] = {}  # key -> (monotonic, value)
        self._inflight: dict[tuple[object, ...], asyncio.Task[Any]] = {}
        self._recents: dict[str, Any] | None = None

    # ---- countries and services (disk cache, TTL) ------------------------------------------

    def _list_path(self, kind: str) -> Path:
        return self.cache_dir / f"{kind}.json"

    def _load_list(self, kind: str, model: type[Any]) -> tuple[float, list[Any]] | None:
        if kind in self._lists:
            return self._lists[kind]
        raw = _read_json(self._list_path(kind))
        if not isinstance(raw, dict) or raw.get("version") != CACHE_VERSION:
            return None
        try:
            items = [model.model_validate(item) for item in raw["items"]]
            entry = (float(raw["saved_at"]), items)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("ignoring malformed %s cache: %s", kind, exc)
            return None
        self._lists[kind] = entry
        return entry

    def _store_list(self, kind: str, items: list[Any]) -> None:
        saved_at = self.clock.now().timestamp()
        self._lists[kind] = (saved_at, items)
        if kind == "countries":
            self._names = None
        payload = {
            "version": CACHE_VERSION,
            "saved_at": saved_at,
            "items": [item.model_dump(mode="json") for item in items],
        }
        try:
            _atomic_write(self._list_path(kind), payload)
        except OSError as exc:  # read-only home: keep working from memory
            log.warning("could not write %s cache: %s", kind, exc)

    def cached_countries(self) -> list[Country] | None:
        """What the disk holds, fresh or not (None if nothing); never touches the network."""
        entry = self._load_list("countries", Country)
        return None if entry is None else entry[1]

    def country_name(self, short_name: str) -> str | None:
        """The name of a country from its ISO code, from the disk cache (no network)."""
        if self._names is None:
            self._names = {c.short_name.upper(): c.name for c in self.cached_countries() or []}
        return self._names.get(short_name.strip().upper())

    def country_by_id(self, country_id: int | None) -> str | None:
        """The name of the country with this id, from the disk cache (no network)."""
        return next((c.name for c in self.cached_countries() or [] if c.id == country_id), None)

    async def resolve_ids(
        self, service: int | str | None, service_name: str, country: int | str | None,
        country_name: str,
    ) -> tuple[int | None, int | None]:  # fmt: skip
        """Ids for an order known only by names (adopted from the server, or bought by name):
        a service by its name, a country by its name or ISO code (case ignored)."""
        service_id = service if isinstance(service, int) else None
        country_id = country if isinstance(country, int) else None
        if service_id is None:
            wanted = str(service or service_name).strip().lower()
            found = (s.id for s in await self.services() if s.name.strip().lower() == wanted)
            service_id = next(found, None)
        if country_id is None:
            wanted = str(country or country_name).strip().lower()
            codes = (
                (c.id, c.name.lower(), (c.short_name or "").lower()) for c in await self.countries()
            )
            country_id = next((i for i, name, iso in codes if wanted in (name, iso)), None)
        return service_id, country_id

    def cached_services(self) -> list[Service] | None:
        entry = self._load_list("services", Service)
        return None if entry is None else entry[1]

    def is_fresh(self, kind: str) -> bool:
        """True when the `countries` / `services` cache is younger than the TTL."""
        entry = self._lists.get(kind)
        if entry is None:
            return False
        return self.clock.now().timestamp() - entry[0] < self.list_ttl

    async def countries(self, *, refresh: bool = False) -> list[Country]:
        return await self._list("countries", Country, self.client.countries, refresh)

    async def services(self, *, refresh: bool = False) -> list[Service]:
        return await self._list("services", Service, self.client.services, refresh)

    async def pools(self, *, refresh: bool = False) -> list[Pool]:
        return await self._list("pools", Pool, self.client.pools, refresh)

    async def pool_names(self) -> dict[int, str]:
        """Pool id -> name for display; empty when the list can't be had (ids still show)."""
        try:
            return {p.id: p.name for p in await self.pools()}
        except Exception as exc:  # a label, not worth failing a screen for
            log.warning("pool names unavailable: %s", exc)
            return {}

    async def _list(
        self,
        kind: str,
        model: type[Any],
        fetch: Callable[[], Awaitable[list[Any]]],
        refresh: bool,
    ) -> list[Any]:
        entry = self._load_list(kind, model)
        if entry is not None and not refresh and self.is_fresh(kind):
            return entry[1]
        items = await self._shared(("list", kind), fetch)
        if items:  # an empty answer is a server hiccup, not a catalog
            self._store_list(kind, items)
        return items or (entry[1] if entry else [])

    # ---- prices (memory cache, shared in-flight requests, bounded) -------------------------

    async def _shared(
        self, key: tuple[object, ...], fetch: Callable[[], Awaitable[T]], *, memo: bool = False
    ) -> T:
        """One request per key at a time; later callers await the first one's result.

        The request runs in its own task, so a caller that gives up (a screen closed, a worker
        cancelled) neither cancels it for the others nor loses the answer for the cache.
        """
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch(key, fetch, memo))
            task.add_done_callback(_consume_exception)
            self._inflight[key] = task
        return await asyncio.shield(task)  # type: ignore[no-any-return]

    async def _fetch(
        self, key: tuple[object, ...], fetch: Callable[[], Awaitable[T]], memo: bool
    ) -> T:
        try:
            async with self._limit:
                value = await fetch()
            if memo:
                self._memo[key] = (self.clock.monotonic(), value)
            return value
        finally:
            self._inflight.pop(key, None)

    async def _cached(self, key: tuple[object, ...], fetch: Callable[[], Awaitable[T]]) -> T:
        hit = self._memo.get(key)
        if hit is not None and self.clock.monotonic() - hit[0] < self.price_ttl:
            return hit[1]  # type: ignore[no-any-return]
        return await self._shared(key, fetch, memo=True)

    def forget_prices(self) -> None:
        """Drop cached prices (after a purchase failed on price or stock, say)."""
        self._memo.clear()

    async def suggested(self, service_id: int) -> list[SuggestedCountry]:
        return await self._cached(
            ("suggested", service_id), lambda: self.client.suggested_countries(service_id)
        )

    async def success_rates(
        self, service_id: int, country_id: int | None = None
    ) -> list[SuccessRate]:
        return await self._cached(
            ("rates", service_id, country_id),
            lambda: self.client.success_rates(service_id, country_id),
        )

    async def pool_prices(self, country_id: int, service_id: int) -> list[PoolPrice]:
        return await self._cached(
            ("pools", country_id, service_id),
            lambda: self.client.pool_prices(country_id, service_id),
        )

    async def stock(self, country_id: int, service_id: int, pool: int | None = None) -> int:
        async def fetch() -> int:
            return (await self.client.stock(country_id, service_id, pool)).amount

        return await self._cached(("stock", country_id, service_id, pool), fetch)

    async def country_offers(self, service_id: int) -> list[CountryOffer]:
        """Suggested countries merged with success rates; rates are optional extras."""
        suggested, rates = await asyncio.gather(
            self.suggested(service_id),
            self.success_rates(service_id),
            return_exceptions=True,
        )
        if isinstance(suggested, BaseException):
            raise suggested
        by_country = {} if isinstance(rates, BaseException) else {r.country_id: r for r in rates}
        offers = []
        for s in suggested:
            rate = by_country.get(s.country_id)
            offers.append(
                CountryOffer(
                    country_id=s.country_id,
                    name=s.name,
                    short_name=s.short_name,
                    price=s.price,
                    pool=s.pool,
                    success_rate=rate.success_rate if rate else None,
                    high_price=rate.price if rate else None,
                )
            )
        return offers

    async def pool_offers(
        self, country_id: int, service_id: int, *, with_stock: bool = True
    ) -> list[PoolOffer]:
        """Per-pool prices for one country; stock per pool when the API answers (best effort)."""
        pools = await self.pool_prices(country_id, service_id)
        stocks: list[int | BaseException | None] = [None] * len(pools)
        if with_stock and pools:
            stocks = list(
                await asyncio.gather(
                    *(self.stock(country_id, service_id, p.pool) for p in pools),
                    return_exceptions=True,
                )
            )
        return [
            PoolOffer(
                pool=p.pool,
                name=p.name,
                price=p.price,
                custom_area=p.custom_area,
                stock=None if isinstance(st, BaseException) else st,
            )
            for p, st in zip(pools, stocks, strict=True)
        ]

    # ---- recents ---------------------------------------------------------------------------

    def _recents_path(self) -> Path:
        return self.cache_dir / "recents.json"

    def _load_recents(self) -> dict[str, Any]:
        if self._recents is None:
            raw = _read_json(self._recents_path())
            ok = isinstance(raw, dict)
            services = raw.get("services") if ok else None
            country = raw.get("last_country") if ok else None
            self._recents = {
                "last_country": country if isinstance(country, int) else None,
                "services": [s for s in services if isinstance(s, int)]
                if isinstance(services, list)
                else [],
            }
        return self._recents

    @property
    def last_country(self) -> int | None:
        value = self._load_recents()["last_country"]
        return value if isinstance(value, int) else None

    @property
    def recent_services(self) -> list[int]:
        return list(self._load_recents()["services"])

    def remember(self, *, service_id: int | None = None, country_id: int | None = None) -> None:
        """Move a service to the front of the recents and/or set the last country; persisted."""
        recents = self._load_recents()
        if service_id is not None:
            rest = [s for s in recents["services"] if s != service_id]
            recents["services"] = [service_id, *rest][:RECENT_LIMIT]
        if country_id is not None:
            recents["last_country"] = country_id
        try:
            _atomic_write(self._recents_path(), recents)
        except OSError as exc:
            log.warning("could not save recents: %s", exc)

    def forget_country(self) -> None:
        recents = self._load_recents()
        recents["last_country"] = None
        try:
            _atomic_write(self._recents_path(), recents)
        except OSError as exc:
            log.warning("could not save recents: %s", exc)
