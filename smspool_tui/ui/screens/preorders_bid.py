"""The pre-order modal: bid for the next number of a service that is out of stock in a country.

It shows the current highest bid (`preorder/price`) and the balance; `y` (or the button) places
the bid through the pre-order service, exactly once: while it is out, `y` is ignored, and after
an unclear answer bidding stays off here. A refusal is explained with the server's numbers
(its minimum price, or the highest offer to beat) and the field is set to that amount.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from smspool_tui.api.errors import InsufficientBalance, PreorderRefused
from smspool_tui.core.errors import DuplicateRisk
from smspool_tui.core.preorders import BidOutcomeUnknown, for_session
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.screens.purchase_request import parse_max_price
from smspool_tui.ui.text import error_text, money, plain
from smspool_tui.ui.widgets.digits_input import DigitsInput

if TYPE_CHECKING:
    from smspool_tui.ui.protocol import SmsApp
    from smspool_tui.ui.screens.prices import PricesScreen

HOW_IT_WORKS = (
    "SMSPool holds the bid; the next number back goes to the highest bid, onto the board. "
    "Cancel before that for a refund."
)


@dataclass(frozen=True, slots=True)
class BidRequest:
    """What the prices screen knows about the number to pre-order."""

    service_id: int
    service_name: str
    country_id: int
    country_name: str
    pool: int | None = None  # None: whichever pool gets stock first
    pool_name: str | None = None
    price: Decimal | None = None  # the catalog's price: a first guess at the minimum
    stock: int | None = None  # numbers there now, when known


def refusal_text(exc: BaseException) -> tuple[str, Decimal | None]:
    """Why the bid was refused, in the user's terms, and the amount to suggest instead."""
    if isinstance(exc, PreorderRefused):
        if exc.minimum_price is not None:
            return (
                f"Refused: SMSPool's minimum for this service is {money(exc.minimum_price)}. "
                "Bid at least that.",
                exc.minimum_price,
            )
        if exc.highest_offer is not None:
            return (
                f"Outbid: someone bids {money(exc.highest_offer)} (filled first). Bid at least "
                "that.",
                exc.highest_offer,
            )
    if isinstance(exc, InsufficientBalance):
        return f"Refused: {error_text(exc)} Top up, or bid less.", None
    return f"Refused: {error_text(exc)}", None


class PreorderBidScreen(ModalScreen[bool]):
    TITLE = "Pre-order"
    CSS_PATH = tcss("preorders_bid")
    BINDINGS = [
        Binding("y", "bid", "Place bid", priority=True, id="preorder_bid.place"),
        Binding("escape", "close", "Close", id="preorder_bid.close"),
    ]

    def __init__(self, request: BidRequest) -> None:
        super().__init__()
        self.request = request
        self.placing = False
        self.unknown_outcome = False
        self.highest: Decimal | None = None
        self.highest_known = False

    @property
    def smsapp(self) -> SmsApp:
        return cast("SmsApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="bid-dialog"):
            yield Static(id="bid-title")
            with Grid(id="bid-facts"):
                for key, label in (
                    ("number", "Number"),
                    ("pool", "Pool"),
                    ("stock", "Stock now"),
                    ("highest", "Highest bid"),
                    ("balance", "Balance"),
                ):
                    yield Label(label, classes="fact-key")
                    yield Static(id=f"bid-{key}", classes="fact-value")
            yield Static(Text(HOW_IT_WORKS), id="bid-how")
            with Horizontal(id="bid-row"):
                yield Label("Your bid $", classes="fact-key")
                yield DigitsInput(placeholder="e.g. 0.50", restrict=r"[0-9.$]*", id="bid-amount")
            yield Static(id="bid-message")
            with Horizontal(id="bid-buttons"):
                yield Button("Place bid (y)", variant="success", id="bid-place")
                yield Button("Close (esc)", id="bid-close")
        yield Footer()

    def on_mount(self) -> None:
        req = self.request
        self._set("title", Text(f"Pre-order the next {plain(req.service_name)} number", "bold"))
        self._set("number", f"{plain(req.service_name)} in {plain(req.country_name)}")
        self._set("pool", plain(req.pool_name) if req.pool is not None else "any pool")
        if req.stock is None:
            stock = "unknown"
        elif req.stock == 0:
            stock = "out of stock"
        else:
            stock = f"{req.stock:,} (in stock: buying now is quicker)"
        self._set("stock", stock)
        self._set("highest", "checking…")
        balance = self.smsapp.balance
        self._set("balance", "checking…" if balance is None else money(balance))
        self.query_one("#bid-amount", Input).focus()
        self.load_highest()
        if balance is None:
            self.load_balance()

    @work(name="preorder-balance", group="preorder-balance", exit_on_error=False)
    async def load_balance(self) -> None:
        session = self.smsapp.session
        if session is None:
            return
        try:
            balance = await session.account.refresh()
        except Exception:  # the server checks the balance anyway
            self._set("balance", "unknown (could not check)")
            return
        self.smsapp.balance = balance
        self._set("balance", money(balance))

    def _set(self, key: str, value: str | Text) -> None:
        self.query_one(f"#bid-{key}", Static).update(
            value if isinstance(value, Text) else Text(value)
        )

    def _message(self, text: str, *, kind: str = "error") -> None:
        message = self.query_one("#bid-message", Static)
        message.update(Text(text))
        for name in ("error", "info", "busy"):
            message.set_class(kind == name, f"-{name}")
        message.display = bool(text)

    def _suggest(self, amount: Decimal | None) -> None:
        field = self.query_one("#bid-amount", Input)
        if amount is not None:
            field.value = f"{amount:.2f}"

    @work(name="preorder-highest", group="preorder-highest", exit_on_error=False)
    async def load_highest(self) -> None:
        session = self.smsapp.session
        if session is None:
            return
        req = self.request
        try:
            self.highest = await for_session(session).highest_bid(
                req.country_id, req.service_id, req.pool
            )
        except Exception as exc:  # the bid still works; the server checks it anyway
            self._set("highest", Text(f"unknown ({error_text(exc)})"))
            return
        self.highest_known = True
        self._set("highest", "no bids yet" if self.highest is None else money(self.highest))
        if not self.query_one("#bid-amount", Input).value:
            self._suggest(max(a for a in (self.highest, req.price, Decimal("0.01")) if a))

    # ---- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "bid":
            return None if self.placing or self.unknown_outcome else True
        return True

    @on(Button.Pressed, "#bid-place")
    def _place_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_bid()

    @on(Button.Pressed, "#bid-close")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter never bids: `y` or the button does, on purpose

    def action_close(self) -> None:
        if self.placing:
            self._message("The bid is on its way; wait for the answer.", kind="busy")
            return
        self.dismiss(False)

    def action_bid(self) -> None:
        if self.placing or self.unknown_outcome:
            return  # one bid at a time; none after an unclear answer
        if self.smsapp.session is None:
            self._message("No API key: add one in Settings first.")
            return
        try:
            amount = parse_max_price(self.query_one("#bid-amount", Input).value)
        except ValueError as exc:
            self._message(str(exc).replace("max price", "the bid"))
            return
        if amount is None:
            self._message("Enter the most you will pay for the number, like 0.50.")
            return
        self.placing = True
        self.query_one("#bid-place", Button).disabled = True
        self.refresh_bindings()
        self._message(f"Placing a {money(amount)} bid…", kind="busy")
        self.run_bid(amount)

    @work(name="preorder-bid", group="preorder-bid", exit_on_error=False)
    async def run_bid(self, amount: Decimal) -> None:
        session = self.smsapp.session
        assert session is not None
        req = self.request
        # Shielded: closing the app mid-request must not make the bid look abandoned.
        task = asyncio.ensure_future(
            for_session(session).bid(
                req.country_id,
                req.service_id,
                country_name=req.country_name,
                service_name=req.service_name,
                max_price=amount,
                pool=req.pool,
            )
        )
        try:
            bid = await asyncio.shield(task)
        except Exception as exc:
            self.placing = False
            self._failed(exc)
            return
        self.app.notify(
            f"Pre-order placed: {money(bid.row.bid)} held until a number comes back "
            "(or you cancel it).",
            markup=False,
        )
        from smspool_tui.ui.screens.preorders import PreordersScreen

        self.dismiss(True)
        self.app.push_screen(PreordersScreen(select=bid.id))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, BidOutcomeUnknown):
            self.unknown_outcome = True  # the bid may be placed: no second one from here
            self._message(error_text(exc))
        elif isinstance(exc, DuplicateRisk):
            self.unknown_outcome = True
            self._message(f"{error_text(exc)}. Open the pre-orders list (ctrl+p) to check it.")
        else:
            text, suggestion = refusal_text(exc)
            self._suggest(suggestion)
            self._message(text)
            if suggestion is not None and isinstance(exc, PreorderRefused):
                self.highest_known = True
                if exc.highest_offer is not None:
                    self.highest = exc.highest_offer
                    self._set("highest", money(exc.highest_offer))
        self.query_one("#bid-place", Button).disabled = self.unknown_outcome
        self.refresh_bindings()


def open_from_prices(screen: PricesScreen) -> None:
    """`p` on the prices screen: pre-order the highlighted country (and pool, when the pools
    table has focus), or the country chosen in browse when no country is listed."""
    country_id = screen.highlighted_country_id
    if country_id is None:
        country_id = screen.country_id
    if country_id is None:
        screen.notify("Highlight a country first.", severity="warning")
        return
    offer = screen.offer_for(country_id)
    pools = screen.pools.get(country_id, [])
    pool = None
    if screen.focused is screen.pools_table and screen.pools_table.row_count:
        row = screen.pools_table.coordinate_to_cell_key(screen.pools_table.cursor_coordinate)
        pool = next((p for p in pools if str(p.pool) == row.row_key.value), None)
    chosen = [pool] if pool is not None else pools
    stocks = [p.stock for p in chosen]
    stock = None if not chosen or None in stocks else sum(s or 0 for s in stocks)
    name = offer.name if offer is not None else (screen.country_name or str(country_id))
    request = BidRequest(
        service_id=screen.service_id,
        service_name=screen.service_name,
        country_id=country_id,
        country_name=name,
        pool=None if pool is None else pool.pool,
        pool_name=None if pool is None else pool.name,
        price=pool.price if pool is not None else (offer.price if offer is not None else None),
        stock=stock,
    )
    screen.app.push_screen(PreorderBidScreen(request))
