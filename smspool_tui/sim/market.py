"""Catalog and price endpoints (countries, services, pools, prices, stock)."""

from __future__ import annotations

from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Catalog, Country, PoolOffer, Service
from smspool_tui.sim.supply import Supply
from smspool_tui.sim.wire import SimResponse, money, respond


class Market:
    def __init__(self, catalog: Catalog, supply: Supply | None = None) -> None:
        self.catalog = catalog
        self.supply = supply or Supply()
        self.out_of_stock: set[str] = set()  # shared with the fault config by the engine

    def _blocked(self, service: Service) -> bool:
        names = {s.lower() for s in self.out_of_stock}
        return bool({str(service.id), service.name.lower(), service.name.strip().lower()} & names)

    def _stock(self, country: Country, service: Service, offer: PoolOffer) -> int:
        return 0 if self._blocked(service) else self.supply.left(country, service, offer)

    def _pair(self, p: dict[str, str]) -> tuple[Country, Service] | SimResponse:
        lacking = [n for n in ("country", "service") if not p.get(n)]
        if lacking:
            return wire.missing(*lacking)
        country, service = self.catalog.country(p["country"]), self.catalog.service(p["service"])
        if country is None:
            return wire.missing("country")
        if service is None:
            return wire.missing("service")
        return country, service

    def countries(self) -> SimResponse:
        return respond(
            [
                {"ID": c.id, "name": c.name, "region": c.region, "short_name": c.short_name}
                for c in self.catalog.countries
            ]
        )

    def services(self, p: dict[str, str]) -> SimResponse:
        items = self.catalog.services
        if p.get("country"):
            country = self.catalog.country(p["country"])
            if country is None:
                return wire.missing("country")
            items = tuple(s for s in items if self.catalog.offers(country, s))
        return respond([{"ID": s.id, "favourite": s.favourite, "name": s.name} for s in items])

    def pools(self) -> SimResponse:
        return respond([{"ID": p.id, "name": p.name} for p in self.catalog.pools])

    def price(self, p: dict[str, str]) -> SimResponse:
        pair = self._pair(p)
        if isinstance(pair, SimResponse):
            return pair
        offers = list(self.catalog.offers(*pair))
        if p.get("pool"):
            pool = self.catalog.pool(p["pool"])
            offers = [o for o in offers if pool is not None and o.pool.id == pool.id]
        if not offers:  # the doc's HTTP 200 + success 0 refusal
            return respond(
                {"success": 0, "message": "No price was found for this query.", "price": 0}
            )
        best = offers[0]
        return respond(
            {
                "high_price": money(max(o.price for o in offers)),
                "pool": best.pool.id,
                "price": money(best.price),
                "success_rate": best.success_rate,
            }
        )

    def suggested(self, p: dict[str, str]) -> SimResponse:
        service = self.catalog.service(p.get("service"))
        if service is None:
            return wire.missing("service")
        if self._blocked(service):
            return respond([])
        return respond(
            [
                {
                    "country_id": c.id,
                    "name": c.name,
                    "pool": o.pool.id,
                    "price": money(o.price),
                    "short_name": c.short_name,
                }
                for c, o in self.catalog.suggested(service)
            ]
        )

    def valid_pools(self, p: dict[str, str]) -> SimResponse:
        pair = self._pair(p)
        if isinstance(pair, SimResponse):
            return pair
        rows = []
        for o in self.catalog.offers(*pair):
            row: dict[str, object] = {
                "custom_area": int(o.pool.id == 7),
                "name": o.pool.name,
                "pool": o.pool.id,
                "price": money(o.price),
            }
            if p.get("include_stock") == "1":
                row["stock"] = self._stock(pair[0], pair[1], o)
            rows.append(row)
        return respond(rows)

    def success_rate(self, p: dict[str, str]) -> SimResponse:
        service = self.catalog.service(p.get("service"))
        if service is None:
            return wire.missing("service")
        countries = self.catalog.countries
        if p.get("country"):
            one = self.catalog.country(p["country"])
            countries = (one,) if one else ()
        rows = []
        for c in countries:
            offers = self.catalog.offers(c, service)
            if offers:
                rows.append(
                    {
                        "country": c.id,
                        "country_id": c.id,
                        "low_price": money(offers[0].price),
                        "name": c.name,
                        "price": money(max(o.price for o in offers)),
                        "short_name": c.short_name,
                        "success_rate": str(max(o.success_rate for o in offers)),
                    }
                )
        return respond(rows)

    def stock(self, p: dict[str, str]) -> SimResponse:
        pair = self._pair(p)
        if isinstance(pair, SimResponse):
            return pair
        offers = self.catalog.offers(*pair)
        if p.get("pool"):
            pool = self.catalog.pool(p["pool"])
            offers = tuple(o for o in offers if pool is not None and o.pool.id == pool.id)
        amount = sum(self._stock(pair[0], pair[1], o) for o in offers)
        return respond({"success": 1, "amount": amount})

    def pricing(self, p: dict[str, str]) -> SimResponse:
        """Filtered only: unfiltered the live list is 18 MB, and nobody should pull that."""
        if not p.get("country") and not p.get("service"):
            return wire.fail(
                "The simulator only serves a filtered price list: pass a country and/or a service."
            )
        countries = self.catalog.countries
        services = self.catalog.services
        if p.get("country"):
            one = self.catalog.country(p["country"])
            countries = (one,) if one else ()
        if p.get("service"):
            svc = self.catalog.service(p["service"])
            services = (svc,) if svc else ()
        pool = self.catalog.pool(p["pool"]) if p.get("pool") else None
        max_price = wire.parse_money(p.get("max_price"))
        rows = []
        for c in countries:
            for s in services:
                for o in self.catalog.offers(c, s):
                    if pool is not None and o.pool.id != pool.id:
                        continue
                    if max_price is not None and o.price > max_price:
                        continue
                    rows.append(
                        {
                            "country": c.id,
                            "country_name": c.name,
                            "pool": o.pool.id,
                            "price": money(o.price),
                            "service": s.id,
                            "service_name": s.name,
                            "short_name": c.short_name,
                        }
                    )
        return respond(rows)
