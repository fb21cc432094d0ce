"""Prices for one service: suggested countries with price, pool and success rate; pools per country.

Sorting keys are `$` (price, cheapest first) and `%` (success rate, best first), with `1`/`2` as
unshifted aliases; neither clashes with the global keys. The cheapest and the most reliable rows
are marked so the trade-off is visible without sorting. Pools for the highlighted country load in
a worker after a short pause, so scrolling down the list does not fire a request per row.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from smspool_tui.core.catalog import CountryOffer, PoolOffer
from smspool_tui.ui.screens.base import BaseScreen
from smspool_tui.ui.text import money, plain
from smspool_tui.ui.widgets.fit_columns import Fit, fit_columns

if TYPE_CHECKING:
    from smspool_tui.core.catalog import CatalogService

# Price and success always; then the country's name, its pool, the marks, as room allows.
COLUMNS = (Fit("country", 9, 28, 0), Fit("price", 7, 7), Fit("success", 7, 7),
           Fit("pool", 0, 12, 1), Fit("mark", 0, 30, 2))  # fmt: skip
POOL_DEBOUNCE = 0.15  # seconds the highlight must rest on a country before its pools load


def rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}%"


class PricesScreen(BaseScreen):
    TITLE = "Prices"
    BINDINGS = [
        Binding("enter", "buy", "Buy…", priority=True, id="prices.buy"),
        Binding(
            "dollar_sign,1",
            "sort('price')",
            "Sort by price",
            key_display="$",
            id="prices.sort_price",
        ),
        Binding(
            "percent_sign,2",
            "sort('success')",
            "Sort by success",
            key_display="%",
            id="prices.sort_success",
        ),
        Binding("escape", "back", "Back", id="prices.back"),
        Binding("f5", "reload", "Reload", id="prices.reload"),
        Binding(
            "p",
            "preorder",
            "Pre-order…",
            id="prices.preorder",
            tooltip="Bid for the next number when it is out of stock",
            show=False,  # the footer is full at 120 columns; the pools note names p when it helps
        ),
        Binding("a", "watch", "Watch…", id="prices.watch", show=False, tooltip="Alert me"),
    ]

    def __init__(
        self,
        service_id: int,
        service_name: str,
        *,
        country_id: int | None = None,
        country_name: str | None = None,
    ) -> None:
        super().__init__()
        self.service_id = service_id
        self.service_name = plain(service_name)
        self.country_id = country_id
        self.country_name = country_name
        self.offers: list[CountryOffer] = []
        self.pools: dict[int, list[PoolOffer]] = {}
        self.sort_by = "price"
        self.pool_names: dict[int, str] = {}
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="prices-title")
        with Horizontal(id="prices-body"):
            with Vertical(id="prices-countries-pane"):
                yield DataTable(id="prices-countries", cursor_type="row", zebra_stripes=True)
            with Vertical(id="prices-pools-pane"):
                yield DataTable(id="prices-pools", cursor_type="row")
                yield Static(id="prices-pools-note")
        yield Static(id="prices-status")

    @property
    def catalog(self) -> CatalogService | None:
        session = self.smsapp.session
        return None if session is None else session.catalog

    @property
    def countries_table(self) -> DataTable[object]:
        return self.query_one("#prices-countries", DataTable)

    @property
    def pools_table(self) -> DataTable[object]:
        return self.query_one("#prices-pools", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.countries_table
        # Price and success first: at 80 columns the right-hand columns are the ones cut.
        for label, fit in zip(("Country", "Price", "Success", "Pool", ""), COLUMNS, strict=True):
            table.add_column(label, key=fit.key, width=fit.most)
        pools = self.pools_table
        pools.add_column("Pool", key="pool", width=10)
        pools.add_column("Price", key="price", width=7)
        pools.add_column("Stock", key="stock", width=6)
        pools.add_column("Area", key="area", width=4)
        self.query_one("#prices-countries-pane").border_title = "Countries"
        self.query_one("#prices-pools-pane").border_title = "Pools"
        self._title()
        table.focus()
        table.loading = True
        self.load_offers()

    def on_resize(self) -> None:
        self.call_after_refresh(fit_columns, self.countries_table, COLUMNS)

    def _title(self) -> None:
        order = "cheapest first" if self.sort_by == "price" else "most reliable first"
        text = Text.assemble(
            (self.service_name, "bold"), ("  prices by country · ", "dim"), (order, "dim")
        )
        self.query_one("#prices-title", Static).update(text)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#prices-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")
        status.display = bool(text)

    # ---- loading ---------------------------------------------------------------------------

    @work(name="prices-offers", group="prices-offers", exclusive=True, exit_on_error=False)
    async def load_offers(self) -> None:
        catalog = self.catalog
        if catalog is None:
            return
        table = self.countries_table
        try:
            self.pool_names = await catalog.pool_names()
            offers = await catalog.country_offers(self.service_id)
            if self.country_id is not None and all(o.country_id != self.country_id for o in offers):
                offers = [*await self._chosen_country_offer(catalog), *offers]
        except Exception as exc:  # the error is the screen's content; escape still goes back
            table.loading = False
            self._status(f"Could not load prices: {exc}. f5 to retry.", error=True)
            return
        table.loading = False
        self.offers = offers
        self.loaded = True
        if not offers:
            again = " p pre-orders it." if self.country_id is not None else ""
            self._status(f"No country has {self.service_name} in stock right now.{again}")
            return
        self._status("")
        self._fill(focus_country=self.country_id)

    async def _chosen_country_offer(self, catalog: CatalogService) -> list[CountryOffer]:
        """The country picked in browse, priced from its pools when it isn't suggested."""
        assert self.country_id is not None
        pools = await catalog.pool_prices(self.country_id, self.service_id)
        priced = [p for p in pools if p.price is not None]
        if not priced:
            return []
        best = min(priced, key=lambda p: p.price or Decimal(0))
        try:
            rates = await catalog.success_rates(self.service_id, self.country_id)
        except Exception:  # rates are an extra
            rates = []
        success = next((r.success_rate for r in rates if r.country_id == self.country_id), None)
        name = self.country_name or str(self.country_id)
        return [CountryOffer(self.country_id, name, None, best.price, best.pool, success)]

    def _sorted(self) -> list[CountryOffer]:
        if self.sort_by == "price":
            return sorted(self.offers, key=lambda o: (o.price is None, o.price or 0, o.name))
        return sorted(
            self.offers,
            key=lambda o: (o.success_rate is None, -(o.success_rate or 0), o.price or 0),
        )

    def _marks(self) -> dict[int, str]:
        marks: dict[int, list[str]] = {}
        priced = [o for o in self.offers if o.price is not None]
        rated = [o for o in self.offers if o.success_rate is not None]
        if priced:
            cheapest = min(priced, key=lambda o: (o.price, -(o.success_rate or 0)))
            marks.setdefault(cheapest.country_id, []).append("$ cheapest")
        if rated:
            best = max(rated, key=lambda o: (o.success_rate, -(o.price or 0)))
            marks.setdefault(best.country_id, []).append("% most reliable")
        return {cid: " · ".join(m) for cid, m in marks.items()}

    def _fill(self, *, focus_country: int | None = None) -> None:
        table = self.countries_table
        keep = focus_country if focus_country is not None else self.highlighted_country_id
        marks = self._marks()
        with self.app.batch_update():
            table.clear()
            for offer in self._sorted():
                mark = marks.get(offer.country_id, "")
                table.add_row(
                    Text(plain(offer.name), no_wrap=True, overflow="ellipsis"),
                    money(offer.price),
                    rate(offer.success_rate),
                    Text(self._pool_label(offer.pool), no_wrap=True, overflow="ellipsis"),
                    Text(
                        mark, style="bold green" if mark else "", no_wrap=True, overflow="ellipsis"
                    ),
                    key=str(offer.country_id),
                )
            if keep is not None and str(keep) in table.rows:
                table.move_cursor(row=table.get_row_index(str(keep)))
            fit_columns(table, COLUMNS)  # the first fill: the table has its size by now
        self._title()

    def _pool_label(self, pool: int | None) -> str:
        if pool is None:
            return "—"
        return plain(self.pool_names.get(pool, str(pool)))

    @property
    def highlighted_country_id(self) -> int | None:
        table = self.countries_table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else int(key)

    def offer_for(self, country_id: int) -> CountryOffer | None:
        return next((o for o in self.offers if o.country_id == country_id), None)

    @on(DataTable.RowHighlighted, "#prices-countries")
    def _country_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.load_pools(int(event.row_key.value))

    @work(name="prices-pools", group="prices-pools", exclusive=True, exit_on_error=False)
    async def load_pools(self, country_id: int) -> None:
        catalog = self.catalog
        offer = self.offer_for(country_id)
        if catalog is None or offer is None:
            return
        self.query_one("#prices-pools-pane").border_title = f"Pools · {plain(offer.name)}"
        note = self.query_one("#prices-pools-note", Static)
        if country_id not in self.pools:
            self.pools_table.clear()
            note.update("Loading pools…")
            await asyncio.sleep(POOL_DEBOUNCE)  # a newer highlight cancels us here
            try:
                self.pools[country_id] = await catalog.pool_offers(country_id, self.service_id)
            except Exception as exc:
                note.update(Text(f"Could not load pools: {exc}"))
                return
        pools = self.pools[country_id]
        table = self.pools_table
        with self.app.batch_update():
            table.clear()
            for p in pools:
                table.add_row(
                    Text(plain(p.name)),
                    money(p.price),
                    "—" if p.stock is None else f"{p.stock:,}",
                    "yes" if p.custom_area else "",
                    key=str(p.pool),
                )
        note.update(
            "enter on a pool buys from that pool" if pools else "No pool sells it here right now."
        )
        if pools and all(p.stock == 0 for p in pools):
            note.update("Out of stock here: p bids for the next number (pre-order).")

    # ---- actions ---------------------------------------------------------------------------

    def action_sort(self, by: str) -> None:
        if by != self.sort_by:
            self.sort_by = by
            self._fill()

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        catalog = self.catalog
        if catalog is not None:
            catalog.forget_prices()
        self.pools.clear()
        self.countries_table.loading = True
        self.load_offers()

    def action_buy(self) -> None:
        country_id = self.highlighted_country_id
        if country_id is None:
            return
        offer = self.offer_for(country_id)
        if offer is None:
            return
        pool: PoolOffer | None = None
        if self.focused is self.pools_table and self.pools_table.row_count:
            row = self.pools_table.coordinate_to_cell_key(self.pools_table.cursor_coordinate)
            pool = next(
                (p for p in self.pools.get(country_id, []) if str(p.pool) == row.row_key.value),
                None,
            )
        if pool is not None:
            offer = replace(offer, pool=pool.pool, price=pool.price)
        self.open_purchase(offer, pool)

    def action_preorder(self) -> None:
        from smspool_tui.ui.screens.preorders_bid import open_from_prices

        open_from_prices(self)

    def open_purchase(self, offer: CountryOffer, pool: PoolOffer | None) -> None:
        from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen

        pools = self.pools.get(offer.country_id, [])
        custom_area = pool.custom_area if pool else any(p.custom_area for p in pools)
        later = [o for o in self._sorted() if o.country_id != offer.country_id]
        request = PurchaseRequest(
            service_id=self.service_id,
            service_name=self.service_name,
            offer=offer,
            pool=pool,
            custom_area=custom_area,
            alternatives=tuple(later),
            pool_label=None if offer.pool is None else self._pool_label(offer.pool),
        )
        self.app.push_screen(PurchaseScreen(request))

    def action_watch(self) -> None:
        """A watch on the highlighted country (and pool, from the pools table)."""
        from smspool_tui.ui.screens.watch_new import NewWatchScreen, WatchTarget

        country_id = self.highlighted_country_id
        offer = None if country_id is None else self.offer_for(country_id)
        if offer is None:
            return
        pool: PoolOffer | None = None
        if self.focused is self.pools_table and self.pools_table.row_count:
            row = self.pools_table.coordinate_to_cell_key(self.pools_table.cursor_coordinate)
            pool = next(
                (
                    p
                    for p in self.pools.get(offer.country_id, [])
                    if str(p.pool) == row.row_key.value
                ),
                None,
            )
        target = WatchTarget(
            self.service_id,
            self.service_name,
            offer.country_id,
            plain(offer.name),
            pool.pool if pool else None,
            plain(pool.name) if pool else "",
            pool.price if pool else offer.price,
        )
        self.app.push_screen(NewWatchScreen(target))
