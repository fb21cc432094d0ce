"""CatalogService: disk cache with TTL, shared and bounded price lookups, recents."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.api.errors import ServerError
from smspool_tui.api.models import (
    Country,
    PoolPrice,
    Service,
    Stock,
    SuccessRate,
    SuggestedCountry,
)
from smspool_tui.clock import FakeClock
from smspool_tui.core.catalog import CatalogService
from tests.harness import wait_until


class FakeClient:
    """Counts calls; `gate` holds price lookups so a test can pile up concurrent callers."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.gate: asyncio.Event | None = None
        self.running = 0
        self.peak = 0
        self.rates_fail = False

    async def _hold(self) -> None:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            if self.gate is not None:
                await self.gate.wait()
            else:
                await asyncio.sleep(0)
        finally:
            self.running -= 1

    async def countries(self) -> list[Country]:
        self.calls.append(("countries",))
        return [Country(ID=1, name="United States", short_name="US", region="North America")]

    async def services(self) -> list[Service]:
        self.calls.append(("services",))
        return [Service(ID=1, name="Telegram", favourite=1), Service(ID=2, name="WhatsApp")]

    async def suggested_countries(self, service: int) -> list[SuggestedCountry]:
        self.calls.append(("suggested", service))
        await self._hold()
        return [
            SuggestedCountry(country_id=1, name="United States", pool=7, price="0.24"),
            SuggestedCountry(country_id=2, name="United Kingdom", pool=1, price="0.30"),
        ]

    async def success_rates(self, service: int, country: int | None = None) -> list[SuccessRate]:
        self.calls.append(("rates", service, country))
        if self.rates_fail:
            raise ServerError("down", status=502)
        return [SuccessRate(country_id=1, name="United States", price="0.80", success_rate="97")]

    async def pool_prices(self, country: int, service: int) -> list[PoolPrice]:
        self.calls.append(("pools", country, service))
        await self._hold()
        return [PoolPrice(pool=7, name="Foxtrot", custom_area=1, price="0.30")]

    async def stock(self, country: int, service: int, pool: int | None = None) -> Stock:
        self.calls.append(("stock", country, service, pool))
        return Stock(amount=42)


def make(tmp_path: Path, client: FakeClient | None = None, **kw: object) -> CatalogService:
    return CatalogService(client or FakeClient(), FakeClock(), cache_dir=tmp_path / "cache", **kw)  # type: ignore[arg-type]


async def test_lists_are_cached_on_disk_and_reused(tmp_path: Path) -> None:
    first = make(tmp_path)
    assert first.cached_services() is None
    services = await first.services()
    assert [s.name for s in services] == ["Telegram", "WhatsApp"]
    raw = json.loads((tmp_path / "cache" / "services.json").read_text())
    assert raw["version"] == 1 and len(raw["items"]) == 2

    client = FakeClient()
    second = make(tmp_path, client)
    cached = second.cached_services()
    assert cached is not None and cached[0].name == "Telegram" and cached[0].favourite
    assert await second.services() == cached
    assert client.calls == []  # fresh cache: no request


async def test_stale_cache_is_shown_then_refreshed(tmp_path: Path) -> None:
    await make(tmp_path).countries()
    client = FakeClient()
    svc = make(tmp_path, client)
    svc.clock.advance(25 * 3600)  # type: ignore[attr-defined]
    assert svc.cached_countries() is not None  # still shown at once
    assert not svc.is_fresh("countries")
    await svc.countries()
    assert client.calls == [("countries",)]
    assert svc.is_fresh("countries")


async def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "countries.json").write_text("{not json")
    svc = make(tmp_path)
    assert svc.cached_countries() is None
    assert len(await svc.countries()) == 1


async def test_identical_lookups_share_one_request(tmp_path: Path) -> None:
    client = FakeClient()
    client.gate = asyncio.Event()
    svc = make(tmp_path, client)
    waiters = [asyncio.create_task(svc.suggested(5)) for _ in range(5)]
    await wait_until(lambda: client.running == 1)  # the first lookup is held at the server
    client.gate.set()
    results = await asyncio.gather(*waiters)
    assert all(r == results[0] for r in results)
    assert client.calls.count(("suggested", 5)) == 1


async def test_lookups_in_flight_are_bounded(tmp_path: Path) -> None:
    client = FakeClient()
    client.gate = asyncio.Event()
    svc = make(tmp_path, client, max_in_flight=2)
    tasks = [asyncio.create_task(svc.pool_prices(c, 1)) for c in range(6)]
    await asyncio.sleep(0.01)
    assert client.peak == 2
    client.gate.set()
    await asyncio.gather(*tasks)
    assert client.peak == 2 and len(client.calls) == 6


async def test_prices_expire_after_the_ttl(tmp_path: Path) -> None:
    client = FakeClient()
    svc = make(tmp_path, client)
    await svc.suggested(1)
    await svc.suggested(1)
    assert client.calls.count(("suggested", 1)) == 1
    svc.clock.advance(61)  # type: ignore[attr-defined]
    await svc.suggested(1)
    assert client.calls.count(("suggested", 1)) == 2


async def test_a_cancelled_caller_does_not_cancel_the_shared_request(tmp_path: Path) -> None:
    client = FakeClient()
    client.gate = asyncio.Event()
    svc = make(tmp_path, client)
    quitter = asyncio.create_task(svc.suggested(3))
    stayer = asyncio.create_task(svc.suggested(3))
    await asyncio.sleep(0.01)
    quitter.cancel()
    client.gate.set()
    assert len(await stayer) == 2
    assert client.calls.count(("suggested", 3)) == 1


async def test_country_offers_merge_rates_and_survive_their_failure(tmp_path: Path) -> None:
    client = FakeClient()
    svc = make(tmp_path, client)
    offers = await svc.country_offers(1)
    assert offers[0].success_rate == Decimal("97") and offers[0].price == Decimal("0.24")
    assert offers[1].success_rate is None

    client2 = FakeClient()
    client2.rates_fail = True
    offers2 = await make(tmp_path / "b", client2).country_offers(1)
    assert [o.country_id for o in offers2] == [1, 2]
    assert all(o.success_rate is None for o in offers2)


async def test_pool_offers_carry_stock(tmp_path: Path) -> None:
    offers = await make(tmp_path).pool_offers(1, 1)
    assert offers[0].name == "Foxtrot" and offers[0].custom_area and offers[0].stock == 42


async def test_recents_are_remembered_across_instances(tmp_path: Path) -> None:
    svc = make(tmp_path)
    assert svc.last_country is None and svc.recent_services == []
    for sid in (1, 2, 3, 1):
        svc.remember(service_id=sid)
    svc.remember(country_id=44)
    again = make(tmp_path)
    assert again.recent_services == [1, 3, 2]
    assert again.last_country == 44
    again.forget_country()
    assert make(tmp_path).last_country is None


@pytest.mark.parametrize("content", ["[]", '{"services": "x", "last_country": "US"}', "garbage"])
async def test_bad_recents_file_is_harmless(tmp_path: Path, content: str) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "recents.json").write_text(content)
    svc = make(tmp_path)
    assert svc.recent_services == [] and svc.last_country is None


async def test_country_name_from_iso_code_uses_the_cache_only(tmp_path: Path) -> None:
    from smspool_tui.api.models import Country
    from smspool_tui.clock import FakeClock
    from smspool_tui.core.catalog import CatalogService

    class NoNetwork:
        async def countries(self) -> list[Country]:
            raise AssertionError("country_name must not touch the network")

    catalog = CatalogService(NoNetwork(), FakeClock(), cache_dir=tmp_path)  # type: ignore[arg-type]
    assert catalog.country_name("GB") is None  # no cache yet: callers keep the code
    catalog._store_list("countries", [Country(id=2, name="United Kingdom", short_name="GB")])
    assert catalog.country_name("gb") == "United Kingdom"
    assert catalog.country_name("ZZ") is None
