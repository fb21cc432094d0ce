"""Pick the service of a single-service rental line: "any service" at the line's general price,
or one service at its own (usually lower) price, each shown with the difference. Typing filters
the list; up/down move; enter picks; escape cancels. Dismisses with the LineService or None."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from smspool_tui.core.rental_model import DayPrice
from smspool_tui.core.rentals.extras import LineService
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.text import error_text, money, plain

if TYPE_CHECKING:
    from smspool_tui.api.models import RentalOffer
    from smspool_tui.core.rentals import RentalsService
    from smspool_tui.ui.screens.base import BaseScreen

ANY_ID = 0  # "any service": the line's general-use prices, no service_id sent


def prices_line(prices: tuple[DayPrice, ...]) -> str:
    return ", ".join(f"{p.days}d {money(p.price)}" for p in prices) or "no price"


def difference(prices: tuple[DayPrice, ...], general: tuple[DayPrice, ...]) -> str:
    """ "$20.00 less than any service (30d)" for the day counts both offer."""
    base = {p.days: p.price for p in general}
    parts = []
    for p in prices:
        if p.days in base:
            delta: Decimal = p.price - base[p.days]
            word = "less" if delta < 0 else "more"
            parts.append(
                f"{p.days}d: same as any service"
                if delta == 0
                else f"{p.days}d: {money(abs(delta))} {word} than any service"
            )
    return "; ".join(parts)


class ServicePickScreen(ModalScreen[LineService | None]):
    TITLE = "Rental service"
    CSS_PATH = tcss("rental_service")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="rental_service.cancel"),
        # The filter keeps focus; the arrows move the list under it.
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(
        self,
        line: str,
        general: tuple[DayPrice, ...],
        services: list[LineService],
        price_of: Callable[[LineService], Awaitable[LineService]],
    ) -> None:
        super().__init__()
        self.line = line
        self.general = general
        self.services = services
        self.price_of = price_of
        self.priced: dict[int, LineService] = {}
        self.shown: list[LineService] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="svc-box"):
            yield Static(Text(f"Which service? {plain(self.line)}"), id="svc-title")
            yield Input(placeholder="type to filter services", id="svc-filter")
            yield OptionList(id="svc-list")
            yield Static("", id="svc-detail")
            yield Static(
                Text("type: filter   ↑/↓: move   enter: pick   escape: cancel", style="dim"),
                id="svc-keys",
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        wanted = query.strip().lower()
        anyone = LineService(ANY_ID, "Any service", self.general)
        self.shown = [anyone] + [s for s in self.services if wanted in s.name.lower()]
        listing = self.query_one(OptionList)
        listing.set_options(
            Option(
                Text(f"Any service   {prices_line(self.general)}", style="bold")
                if s.id == ANY_ID
                else Text(plain(s.name)),
                id=str(s.id),
            )
            for s in self.shown
        )
        listing.highlighted = 1 if wanted and len(self.shown) > 1 else 0

    @on(Input.Changed, "#svc-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            current = listing.highlighted or 0
            listing.highlighted = max(0, min(listing.option_count - 1, current + step))

    @property
    def highlighted(self) -> LineService | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        service = self.highlighted
        if service is not None:
            self._show_price(service)

    @work(group="rental-service-price", exclusive=True, exit_on_error=False)
    async def _show_price(self, service: LineService) -> None:
        detail = self.query_one("#svc-detail", Static)
        if service.id == ANY_ID:
            detail.update(Text(f"Any service: {prices_line(self.general)}"))
            return
        if service.id not in self.priced:
            detail.update(Text(f"{plain(service.name)}: asking for its price…"))
            try:
                self.priced[service.id] = await self.price_of(service)
            except Exception as exc:  # shown, never fatal
                detail.update(Text(f"{plain(service.name)}: price unknown ({error_text(exc)})"))
                return
        priced = self.priced[service.id]
        diff = difference(priced.prices, self.general)
        detail.update(
            Text(
                f"{plain(service.name)} only: {prices_line(priced.prices)}"
                + (f"\n{diff}" if diff else "")
            )
        )

    @on(Input.Submitted, "#svc-filter")
    @on(OptionList.OptionSelected)
    def _picked(self, event: Input.Submitted | OptionList.OptionSelected) -> None:
        event.stop()
        service = self.highlighted
        if service is not None:
            self.dismiss(self.priced.get(service.id, service))

    def action_cancel(self) -> None:
        self.dismiss(None)


async def pick_service(
    screen: BaseScreen,
    service: RentalsService,
    offer: RentalOffer,
    general: tuple[DayPrice, ...],
) -> LineService | None:
    """Ask which service (from a screen worker); the pick comes back with its own prices, or
    None when cancelled or when the line's services cannot be loaded (said on `screen`)."""
    try:
        services = await service.line_services(offer)
    except Exception as exc:  # shown to the user, never fatal
        screen.say(f"Could not load this line's services: {error_text(exc)}", "error")
        return None

    async def price_of(choice: LineService) -> LineService:
        return await service.service_prices(offer, choice)

    line = plain(offer.tag or offer.name)
    picked = await screen.app.push_screen_wait(ServicePickScreen(line, general, services, price_of))
    if picked is not None and picked.id != ANY_ID and not picked.prices:
        try:
            picked = await price_of(picked)
        except Exception as exc:  # shown to the user, never fatal
            screen.say(f"Could not load the price of {plain(picked.name)}: {error_text(exc)}")
            return None
    return picked
