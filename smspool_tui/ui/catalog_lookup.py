"""Catalog lookups the screens need, in one place (no Textual here).

They belong on `CatalogService` (core/catalog.py, owned elsewhere): each function takes the
service or its lists and can move there as a method unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smspool_tui.api.models import Country, Service
    from smspool_tui.core.catalog import CatalogService


def country_name(countries: Iterable[Country], country_id: int | None) -> str | None:
    """The name of the country with this id."""
    return next((c.name for c in countries if c.id == country_id), None)


def service_id_named(services: Iterable[Service], name: str) -> int | None:
    """The id of the service with this name (case and outer spaces ignored)."""
    wanted = name.strip().lower()
    return next((s.id for s in services if s.name.strip().lower() == wanted), None)


def country_id_named(countries: Iterable[Country], name_or_code: str) -> int | None:
    """The id of the country with this name or ISO code (case ignored)."""
    wanted = name_or_code.strip().lower()
    return next(
        (c.id for c in countries if wanted in (c.name.lower(), (c.short_name or "").lower())),
        None,
    )


async def resolve_ids(
    catalog: CatalogService,
    service: int | str | None,
    service_name: str,
    country: int | str | None,
    country_name_: str,
) -> tuple[int | None, int | None]:
    """Ids for an order known only by name (adopted from the server, or bought by name)."""
    service_id = service if isinstance(service, int) else None
    country_id = country if isinstance(country, int) else None
    if service_id is None:
        service_id = service_id_named(await catalog.services(), str(service or service_name))
    if country_id is None:
        country_id = country_id_named(await catalog.countries(), str(country or country_name_))
    return service_id, country_id
