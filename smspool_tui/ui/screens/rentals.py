"""Rentals: my rentals (live countdowns, availability, unread counts) and the rental catalog.

The tables follow `RentalsChanged` from the rentals monitor; a 1 s display-only timer repaints
the countdowns from the session clock. The highlighted rental is "watched" (the monitor polls it
every cycle) while this tab is on screen. Paid actions go through a confirm that shows the price
and the balance after; the requests run in named screen workers.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from smspool_tui.api.models import RentalOffer
from smspool_tui.core import events as ev
from smspool_tui.core.rental_model import Rental, day_prices
from smspool_tui.core.rentals import PurchaseUnknown
from smspool_tui.core.rentals.extras import LineService
from smspool_tui.core.rentals.refunds import RefundRules
from smspool_tui.ui.screens.base import BaseScreen, tcss
from smspool_tui.ui.screens.rental_actions import RENTAL_ACTIONS, RentalActions
from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen
from smspool_tui.ui.screens.rental_service import ANY_ID, difference, pick_service
from smspool_tui.ui.text import error_text, phone, plain
from smspool_tui.ui.widgets.rental_table import CatalogTable, MyRentalsTable

if TYPE_CHECKING:
    from smspool_tui.core.rentals import RentalsService

WATCH_OWNER = "rentals-board"
EMPTY_MINE = "No rentals yet. Press t for the catalog, pick a line, enter to buy."


class RentalsScreen(RentalActions, BaseScreen):
    TITLE = "Rentals"
    CSS_PATH = tcss("rentals")
    STATUS_ID = "rentals-status"
    REDRAW_ON_RESUME = True  # a reconcile: cheap when nothing changed
    BINDINGS = [
        Binding("t", "switch_tab", "Mine/Catalog", id="rentals.tab", tooltip="Switch tab"),
        # priority: the footer shows them (a focused DataTable would otherwise own enter).
        Binding("enter", "open_inbox", "Inbox", id="rentals.inbox", priority=True),
        Binding("enter", "buy", "Buy", id="rentals.buy", priority=True),
        Binding("e", "toggle_kind", "Ext./non-ext.", id="rentals.kind"),
        Binding("n", "copy_number", "Copy number", id="rentals.copy_number"),
        Binding("E", "extend", "Extend", id="rentals.extend", tooltip="Extend (paid)"),
        Binding("X", "refund", "Refund", id="rentals.refund", tooltip="Ask for a refund"),
        Binding(
            "A",
            "auto_extend",
            "Auto-extend",
            id="rentals.auto_extend",
            tooltip="Turn automatic renewal on or off",
        ),
        Binding(
            "R",
            "reset",
            "Reset port",
            id="rentals.reset",
            tooltip="Free: unstick a line that receives no messages",
        ),
        Binding("f5", "reload", "Reload", id="rentals.reload", tooltip="Reload from the server"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.extendable = True
        self._health: ev.MonitorHealth | None = None
        self._catalog_loaded: bool | None = None  # which kind the table shows

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="rentals-tabs", initial="rentals-mine"):
            with TabPane("My rentals", id="rentals-mine"):
                yield Static("", id="rentals-health")
                yield MyRentalsTable(id="rentals-mine-table")
                yield Static(Text(EMPTY_MINE), id="rentals-mine-empty", classes="empty-state")
            with TabPane("Catalog", id="rentals-catalog"):
                yield Static("", id="rentals-kind")
                yield CatalogTable(id="rentals-catalog-table")
                yield Static("", id="rentals-catalog-empty", classes="empty-state")
        yield Static("", id="rentals-status")

    # ---- plumbing --------------------------------------------------------------------------

    @property
    def service(self) -> RentalsService | None:
        session = self.smsapp.session
        return session.rentals if session is not None else None

    @property
    def mine(self) -> MyRentalsTable:
        return self.query_one(MyRentalsTable)

    @property
    def catalog(self) -> CatalogTable:
        return self.query_one(CatalogTable)

    @property
    def on_catalog(self) -> bool:
        return self.query_one(TabbedContent).active == "rentals-catalog"

    def on_mount(self) -> None:
        self.query_one("#rentals-health").display = False
        self._paint_kind()
        self._show_mine(self.service.rentals() if self.service else ())
        if not self.mine.rentals:
            self.query_one(TabbedContent).active = "rentals-catalog"
        self.ticker(1.0, self._tick, name="rentals-countdown")

    def on_screen_suspend(self) -> None:
        if self.service is not None:
            self.service.set_watched((), owner=WATCH_OWNER)

    def redraw(self) -> None:
        if self.service is not None:
            self._show_mine(self.service.rentals())
        self._paint_health()
        self._watch_highlighted()

    def _tick(self) -> None:
        self.mine.tick(self.now())

    def _watch_highlighted(self) -> None:
        if self.service is None:
            return
        rental = self.mine.selected
        visible = self.screen.is_current and not self.on_catalog and rental is not None
        codes = {rental.code} if visible and rental is not None else set()
        self.service.set_watched(codes, owner=WATCH_OWNER)

    def _show_mine(self, rentals: tuple[Rental, ...]) -> None:
        self.mine.show(rentals, self.now())
        self.mine.display = bool(rentals)
        self.query_one("#rentals-mine-empty").display = not rentals
        self.refresh_footer()

    def _paint_kind(self) -> None:
        kind = "Extendable" if self.extendable else "Non-extendable"
        other = "non-extendable" if self.extendable else "extendable"
        self.query_one("#rentals-kind", Static).update(
            Text.assemble((f"{kind} rentals", "bold"), f"  ·  e: show {other}  ·  enter: buy")
        )

    # ---- core events -----------------------------------------------------------------------

    def on_core_event(self, event: object) -> None:
        if isinstance(event, ev.RentalsChanged):
            self._show_mine(event.rentals)
        elif isinstance(event, ev.MonitorHealth) and event.name == "rentals":
            self._health = event
            self._paint_health()

    def on_hidden_core_event(self, event: object) -> None:
        if isinstance(event, ev.MonitorHealth) and event.name == "rentals":
            self._health = event  # painted on resume
        super().on_hidden_core_event(event)

    def _paint_health(self) -> None:
        if self._health is None:
            return
        line = self.query_one("#rentals-health", Static)
        line.update(Text(f"● {plain(self._health.message)}", style="bold"))
        line.display = not self._health.online

    # ---- tabs and catalog ------------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        if self.on_catalog:
            self.catalog.focus()
            if self._catalog_loaded is not self.extendable:
                self._load_catalog(False)
        else:
            self.mine.focus()
        self._watch_highlighted()
        self.refresh_footer()

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "rentals-mine" if self.on_catalog else "rentals-catalog"

    def action_toggle_kind(self) -> None:
        self.extendable = not self.extendable
        self._paint_kind()
        self._load_catalog(False)

    def action_reload(self) -> None:
        if self.on_catalog:
            self._load_catalog(True)
        else:
            self._reload_mine()

    @work(name="rentals-catalog", group="rentals-catalog", exclusive=True, exit_on_error=False)
    async def _load_catalog(self, refresh: bool) -> None:
        if self.service is None:
            return
        kind = self.extendable
        empty = self.query_one("#rentals-catalog-empty", Static)
        empty.update(Text("Loading the rental catalog…"))
        empty.display = True
        try:
            offers = await self.service.catalog(kind, refresh=refresh)
        except Exception as exc:  # shown to the user, never fatal
            empty.update(Text(f"Could not load the catalog: {error_text(exc)} (f5 to retry)"))
            return
        self.catalog.show(offers)
        self._catalog_loaded = kind
        empty.update(Text("No rentals offered in this list right now."))
        empty.display = not offers
        self.catalog.display = bool(offers)
        self.refresh_footer()

    @work(name="rentals-reload", group="rentals-actions", exit_on_error=False)
    async def _reload_mine(self) -> None:
        if self.service is None:
            return
        try:
            await self.service.refresh_mine()
        except Exception as exc:  # shown to the user, never fatal
            self.say(f"Could not reload rentals: {error_text(exc)}", "error")
            return
        self.query_one("#rentals-status", Static).update("")  # an old failure is over
        self._show_mine(self.service.rentals())

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        catalog = self.on_catalog
        rental = None if catalog else self.mine.selected
        if action == "buy":
            return (self.catalog.selected is not None or None) if catalog else False
        if action == "toggle_kind":
            return catalog
        if action in ("open_inbox", "copy_number"):
            if catalog:
                return False
            return (rental is not None and not rental.is_intent_row) or None
        if action in RENTAL_ACTIONS:
            return False if catalog else self.rental_action_ok(action)
        return True

    def why_not(self, action: str) -> str | None:
        if action in RENTAL_ACTIONS:
            if self.on_catalog:
                return "Switch to My rentals (t) first."
            return self.rental_why_not(action)
        return None

    def acting_rental(self) -> Rental | None:
        return self.mine.selected

    def rental_changed(self) -> None:
        if self.service is not None:
            self._show_mine(self.service.rentals())

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self._watch_highlighted()
        self.refresh_footer()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table is self.catalog:
            self.action_buy()
        else:
            self.action_open_inbox()

    def action_open_inbox(self) -> None:
        from smspool_tui.ui.screens.inbox import InboxScreen

        rental = self.mine.selected
        if rental is not None and not rental.is_intent_row:  # no code yet: nothing to open
            self.app.push_screen(InboxScreen(rental.code))

    def action_copy_number(self) -> None:
        rental = self.mine.selected
        if rental is not None and rental.number:
            self.app.copy_to_clipboard(rental.number)
            self.say(f"Copied number {phone(rental.number)}")

    def action_buy(self) -> None:
        offer = self.catalog.selected
        if offer is not None and self.service is not None and not self._rental_busy:
            self._buy(offer)

    @work(name="rentals-buy", group="rentals-actions", exit_on_error=False)
    async def _buy(self, offer: RentalOffer) -> None:
        assert self.service is not None
        choices = day_prices(offer.pricing)
        if not choices:
            self.say("This line has no prices right now.", "warning")
            return
        rules = RefundRules.of(offer)
        kind = "extendable" if offer.extendable else "not extendable"
        where = f"{plain(offer.tag or offer.name)} · {plain(offer.region or '')}"
        pick: LineService | None = None
        lines = [f"{where} · {kind}"]
        if offer.single_service:  # a single-service line: which service first
            pick = await pick_service(self, self.service, offer, choices)
            if pick is None:
                return
            if pick.id == ANY_ID:
                pick = None
                lines.append("For any service.")
            else:
                choices = pick.prices or choices
                diff = difference(choices, day_prices(offer.pricing))
                lines.append(f"For {plain(pick.name)} only" + (f" ({diff})." if diff else "."))
        details = "\n".join([*lines, rules.summary()])
        service_id = pick.id if pick is not None else None
        counts = await asyncio.gather(
            *(self.service.stock(offer, c.days, service_id) for c in choices)
        )
        days = await self.app.push_screen_wait(
            RentalConfirmScreen(
                "Buy a rental number",
                details,
                choices,
                balance=self.smsapp.balance,
                rules=rules,
                stock={c.days: n for c, n in zip(choices, counts, strict=True)},
            )
        )
        if days is None or self._rental_busy:
            return
        self._rental_busy = True
        try:
            if pick is None:
                rental = await self.service.purchase(offer, days)
            else:
                price = next(c.price for c in choices if c.days == days)
                rental = await self.service.purchase(
                    offer, days, pick.id, price=price, service_name=pick.name
                )
        except PurchaseUnknown as exc:
            self.say(error_text(exc), "warning")
            self._show_mine(self.service.rentals())  # its "unknown" row, until settled
            return
        except Exception as exc:  # the server's refusal, shown as is
            self.say(f"Not bought: {error_text(exc)}", "error")
            return
        finally:
            self._rental_busy = False
            self._money_moved()
        self.say(
            f"Rented {phone(rental.number)} for {rental.days} days "
            f"(rental code {plain(rental.code)})"
        )
        self.query_one(TabbedContent).active = "rentals-mine"
        self._show_mine(self.service.rentals())
        self.mine.select_code(rental.code)
