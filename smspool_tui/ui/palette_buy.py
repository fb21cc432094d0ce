"""The palette's "Buy <service> in <country>" and "Autopilot: <service>" hits, from the catalog."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import Hit, Hits, Provider

from smspool_tui.ui.countries import COUNTRY_ALIASES

MAX_BUY_HITS = 12
EXACT = 1000.0  # above any fuzzy score (Textual's matcher scores are not capped at 1)


class BuyCommands(Provider):
    """ "Buy <service> in <country>": type a service (and optionally "in <country>") to jump to
    the purchase modal. Uses the catalog's lists (cached on disk, fetched once if missing)."""

    async def startup(self) -> None:
        self.services: list[Any] = []
        self.countries: list[Any] = []
        self.last_country: int | None = None
        session = getattr(self.app, "session", None)
        catalog = getattr(session, "catalog", None)
        if catalog is None:
            return
        from smspool_tui.api.errors import ApiError  # api/__init__ loads pydantic models

        try:
            self.services = list(catalog.cached_services() or await catalog.services())
            self.countries = list(catalog.cached_countries() or await catalog.countries())
        except ApiError:  # the palette works without buy hits when offline
            self.services, self.countries = [], []
        self.last_country = catalog.last_country  # the country bought in last

    def _default_countries(self) -> list[Any]:
        by_id = {c.id: c for c in self.countries}
        first = by_id.get(self.last_country) if self.last_country is not None else None
        return ([first] if first else []) + [c for c in self.countries[:3] if c is not first]

    async def search(self, query: str) -> Hits:
        if not self.services:
            return
        text = query.strip()
        lowered = text.lower()
        autopilot = lowered.startswith(("autopilot", "auto "))
        if lowered.startswith("buy "):
            text = text[4:]
        elif autopilot:
            text = text.partition(" ")[2].lstrip(": ")
        service_q, _, country_q = text.partition(" in ")
        service_m = self.matcher(service_q.strip() or text)
        services = sorted(
            ((service_m.match(s.name), s) for s in self.services), key=lambda h: -h[0]
        )
        services = [(score, s) for score, s in services if score > 0][:4]
        if country_q.strip():
            country_m = self.matcher(country_q.strip())
            code = COUNTRY_ALIASES.get(country_q.strip().upper(), country_q.strip().upper())
            countries = sorted(
                (
                    # "uk", "US", "de": a country code beats any fuzzy name match.
                    (EXACT if (c.short_name or "").upper() == code else country_m.match(c.name), c)
                    for c in self.countries
                ),
                key=lambda h: -h[0],
            )
            countries = [(score, c) for score, c in countries if score > 0][:4]
        else:
            countries = [(0.5, c) for c in self._default_countries()]
        count = 0
        whole = self.matcher(query)
        for s_score, service in services if not lowered.startswith("buy ") else ():
            where = countries[0][1] if country_q.strip() and countries else None
            title = f"Autopilot: {service.name}" + (f" in {where.name}" if where else "")
            run = partial(open_autopilot, self.app, service, where)
            # Below the buy hits unless the query asks for the autopilot.
            score = whole.match(title) + EXACT if autopilot else whole.match(title) / 2
            yield Hit(score or s_score / 2, whole.highlight(title), run, text=title,
                      help="Get a code hands-off (asks first)")  # fmt: skip
        for s_score, service in services:
            for c_score, country in countries:
                title = f"Buy {service.name} in {country.name}"
                run = partial(open_purchase, self.app, service, country)
                score = max(whole.match(title), (s_score + c_score) / 2)
                if c_score >= EXACT:
                    score = c_score + s_score  # the country code the user typed comes first
                yield Hit(score, whole.highlight(title), run, text=title, help="Opens the purchase")
                count += 1
                if count >= MAX_BUY_HITS:
                    return


def open_autopilot(app: Any, service: Any, country: Any | None) -> None:
    """The autopilot's confirm screen for this service (and country, if one was typed)."""
    from smspool_tui.ui.screens.autopilot_confirm import AutopilotConfirm

    where = [(country.id, country.name)] if country is not None else []
    app.push_screen(AutopilotConfirm(int(service.id), service.name, where))


def open_purchase(app: Any, service: Any, country: Any) -> None:
    """Look up this country's offer (price, pool, odds), then open the purchase modal."""

    async def load() -> None:
        from smspool_tui.api.errors import ApiError
        from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen

        request = PurchaseRequest.simple(service.id, service.name, country.id, country.name)
        try:
            offers = await app.session.catalog.country_offers(int(service.id))
        except ApiError as exc:  # the modal still opens; say why there is no price
            app.notify(f"No price list: {exc}", severity="warning", markup=False)
            offers = []
        for index, offer in enumerate(offers):
            if offer.country_id == country.id:
                rest = tuple(offers[index + 1 : index + 4])
                request = PurchaseRequest(service.id, service.name, offer, alternatives=rest)
                app.push_screen(PurchaseScreen(request))
                return
        if offers:
            # Not sold there (or not priced): show where it is sold instead of a blind modal.
            from smspool_tui.ui.screens.prices import PricesScreen

            app.notify(
                f"No {service.name} price listed for {country.name}; here is where it is sold.",
                markup=False,
            )
            app.push_screen(PricesScreen(int(service.id), service.name))
            return
        app.push_screen(PurchaseScreen(request))

    app.run_worker(load(), name="palette-buy", group="palette", exit_on_error=False)
