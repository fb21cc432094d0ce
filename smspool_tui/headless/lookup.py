"""Services and countries by what a person types, from the catalog (cached a day on disk)."""

from __future__ import annotations

from smspool_tui.core.catalog import CatalogService
from smspool_tui.headless.resolve import Named, resolve


async def resolve_service(catalog: CatalogService, query: str) -> Named:
    services = catalog.cached_services() or await catalog.services()
    return resolve("service", query, [Named(s.id, s.name) for s in services])


async def resolve_country(catalog: CatalogService, query: str) -> Named:
    countries = catalog.cached_countries() or await catalog.countries()
    return resolve("country", query, [Named(c.id, c.name, c.short_name) for c in countries])
