"""The palette's "Watch <service> in <country>": type `watch` and a service (and optionally
"in <country>") to open the new-watch form for it."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import Hit, Hits

from smspool_tui.ui.palette_buy import COUNTRY_ALIASES, EXACT, BuyCommands

MAX_WATCH_HITS = 8
HELP = "Notify (and optionally buy) when it is in stock or cheap enough"
RENTAL_HELP = "Notify when this rental is in stock for the days you choose"


class WatchCommands(BuyCommands):
    """Reuses the buy provider's service and country lists (cached by the catalog)."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if not self.services or not text.lower().startswith("watch"):
            return
        text = text[5:].lstrip(": ")
        if text.lower().startswith("rental"):
            async for hit in self._rentals(text[6:].strip(), query):
                yield hit
            return
        service_q, _, country_q = text.partition(" in ")
        if not service_q.strip():
            return
        service_m = self.matcher(service_q.strip())
        services = sorted(
            ((service_m.match(s.name), s) for s in self.services), key=lambda h: -h[0]
        )
        if country_q.strip():
            code = COUNTRY_ALIASES.get(country_q.strip().upper(), country_q.strip().upper())
            country_m = self.matcher(country_q.strip())
            ranked = [
                (EXACT if (c.short_name or "").upper() == code else country_m.match(c.name), c)
                for c in self.countries
            ]
            countries = [h for h in sorted(ranked, key=lambda h: -h[0]) if h[0] > 0][:3]
        else:
            countries = [(0.5, c) for c in self._default_countries()]
        whole = self.matcher(query)
        count = 0
        for s_score, service in [h for h in services if h[0] > 0][:3]:
            for c_score, country in countries:
                title = f"Watch {service.name} in {country.name}"
                run = partial(open_watch, self.app, service, country)
                score = EXACT + max(whole.match(title), (s_score + c_score) / 2)
                yield Hit(score, whole.highlight(title), run, text=title, help=HELP)
                count += 1
                if count >= MAX_WATCH_HITS:
                    return

    async def _rentals(self, name_q: str, query: str) -> Hits:
        """ "watch rental germany": rental offers by name (the catalog is fetched once)."""
        rentals = getattr(getattr(self.app, "session", None), "rentals", None)
        if rentals is None:
            return
        from smspool_tui.api.errors import ApiError

        offers: list[Any] = []
        try:
            for extendable in (False, True):
                offers += await rentals.catalog(extendable)
        except ApiError:  # offline: no rental hits
            return
        matcher, whole = self.matcher(name_q or "rental"), self.matcher(query)
        ranked = sorted(((matcher.match(o.name), o) for o in offers), key=lambda h: -h[0])
        for score, offer in [h for h in ranked if h[0] > 0 or not name_q][:MAX_WATCH_HITS]:
            kind = "extendable" if offer.extendable else "one-off"
            title = f"Watch rental {offer.name} (#{offer.id}, {kind})"
            run = partial(open_rental_watch, self.app, offer)
            yield Hit(EXACT + score, whole.highlight(title), run, text=title, help=RENTAL_HELP)


def open_rental_watch(app: Any, offer: Any) -> None:
    from smspool_tui.ui.screens.watch_new import NewWatchScreen, WatchTarget

    days = tuple(sorted(int(d) for d in offer.pricing)) or (30,)
    target = WatchTarget(int(offer.id), offer.name, 0, offer.region or "", rental_days=days)
    app.push_screen(NewWatchScreen(target))


def open_watch(app: Any, service: Any, country: Any) -> None:
    from smspool_tui.ui.screens.watch_new import NewWatchScreen, WatchTarget

    target = WatchTarget(int(service.id), service.name, int(country.id), country.name)
    app.push_screen(NewWatchScreen(target))
