"""The purchase modal: everything the money depends on, one confirmation, exactly one request.

`y` (a priority key, so it works from the inputs, which only take digits) or the Buy button
confirms. While the request is out the button is disabled and further `y` presses are ignored,
so a double press never buys twice. Every failure is explained inside the modal, which stays
open; nothing is ever retried on its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from smspool_tui.api.errors import ApiError, OutOfStock, PriceNotFound
from smspool_tui.api.models import PricingOption
from smspool_tui.config import PricingChoice
from smspool_tui.core.errors import DuplicateRisk
from smspool_tui.core.orders import PurchaseOutcomeUnknown
from smspool_tui.core.orders.purchase_options import PurchaseOptions, offers_carrier
from smspool_tui.ui.screens.base import OrderBought, tcss
from smspool_tui.ui.screens.purchase_asides import PurchaseAsides
from smspool_tui.ui.screens.purchase_form import PurchaseForm
from smspool_tui.ui.screens.purchase_request import (
    SAME_NUMBER_NOTE,
    PurchaseRequest,
    failure_text,
    parse_max_price,
)
from smspool_tui.ui.text import money
from smspool_tui.ui.text import plain as clean
from smspool_tui.ui.widgets.digits_input import DigitsInput
from smspool_tui.ui.widgets.key_footer import KeyFooter
from smspool_tui.ui.widgets.shaped import ShapedRadio

if TYPE_CHECKING:
    from smspool_tui.ui.app import SmsPoolApp

__all__ = ["PurchaseRequest", "PurchaseScreen"]

FACTS = {
    "service": "Service",
    "country": "Country",
    "pool": "Pool",
    "stock": "Stock",
    "price": "Price",
    "balance": "Balance",
    "after": "After",
}


class PurchaseScreen(PurchaseAsides, ModalScreen[bool]):
    CSS_PATH = tcss("purchase")
    BINDINGS = [
        Binding("y", "buy", "Buy", priority=True, id="purchase.buy"),
        Binding("n", "next_country", "Next country", priority=True, id="purchase.next"),
        Binding("a", "autopilot", "Autopilot…", priority=True, id="purchase.autopilot"),
        Binding("escape", "cancel", "Cancel", id="purchase.cancel"),
        Binding(
            "k",
            "clear_cache",
            "Clear number cache",
            priority=True,
            id="purchase.clear_cache",
            tooltip="Let SMSPool hand this account numbers it had before (sms/clear_cache)",
        ),
    ]

    def __init__(self, request: PurchaseRequest) -> None:
        super().__init__()
        self.request = request
        self.buying = False
        self.offer_next = False
        self.unknown_outcome = False  # an unclear answer: buy stays off in this modal
        self.balance: Decimal | None = None
        self.pool_names: dict[int, str] = {}
        self.stock: int | None = None
        self.stock_state = "checking"  # checking | known | unknown
        self.valid_areas: list[str] = []  # request/areacodes; empty: not known, the server judges

    @property
    def smsapp(self) -> SmsPoolApp:
        return cast("SmsPoolApp", self.app)

    def compose(self) -> ComposeResult:
        settings = self.smsapp.settings
        cheapest = settings.pricing_option == PricingChoice.CHEAPEST
        # One scrolling dialog: at 80x24 with every option shown, focus scrolls what it needs.
        with VerticalScroll(id="purchase-dialog"):
            yield Static(id="purchase-title")
            with Vertical(id="purchase-body"):
                with Grid(id="purchase-facts"):
                    for key in FACTS:
                        yield Label(FACTS[key], classes="fact-key")
                        yield Static(id=f"purchase-{key}", classes="fact-value")
                with Horizontal(classes="purchase-row"):
                    yield Label("Pick by", classes="fact-key")
                    with RadioSet(id="purchase-option", classes="inline-radio"):
                        yield ShapedRadio(
                            "Highest success rate", value=not cheapest, id="opt-success"
                        )
                        yield ShapedRadio("Cheapest", value=cheapest, id="opt-cheapest")
                with Horizontal(classes="purchase-row"):
                    yield Label("Max price $", classes="fact-key")
                    yield DigitsInput(
                        "" if settings.max_price is None else f"{settings.max_price}",
                        placeholder="no limit",
                        restrict=r"[0-9.$]*",
                        id="purchase-max-price",
                    )
                yield PurchaseForm(
                    single=bool(self.request.phonenumber),
                    areas=self.request.custom_area,
                    carrier=offers_carrier(
                        self.request.offer.short_name,
                        self._fixed_pool_name(),
                        self.request.offer.name,
                    ),
                )
            yield Static(id="purchase-message")
            with Horizontal(id="purchase-buttons"):
                yield Button("Buy (y)", variant="success", id="purchase-buy")
                yield Button("Cancel (esc)", id="purchase-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.balance = self.smsapp.balance
        self._show()
        self.query_one("#purchase-max-price", Input).focus()
        if self.request.phonenumber:
            self._message(SAME_NUMBER_NOTE, kind="info")
        if self.balance is None:
            self.fetch_balance()
        self.fetch_pool_facts()

    # ---- display -----------------------------------------------------------------------------

    @property
    def pricing_option(self) -> PricingOption:
        cheap = self.query_one("#opt-cheapest", RadioButton).value
        return PricingOption.CHEAPEST if cheap else PricingOption.HIGHEST_SUCCESS

    def expected_price(self) -> Decimal | None:
        """What the order will probably cost: the best-rate option may pick a dearer pool."""
        offer = self.request.offer
        price = offer.price
        if self.request.pool is None and self.pricing_option is PricingOption.HIGHEST_SUCCESS:
            price = offer.high_price or price
        try:
            cap = parse_max_price(self.query_one("#purchase-max-price", Input).value)
        except ValueError:
            cap = None
        if cap is not None and price is not None:
            price = min(price, cap)
        return price

    @property
    def form(self) -> PurchaseForm:
        return self.query_one(PurchaseForm)

    def expected_total(self) -> Decimal | None:
        price = self.expected_price()
        return None if price is None else price * self.form.quantity

    def _fixed_pool_name(self) -> str | None:
        return None if self.request.pool is None else self.request.pool.name

    def _set(self, key: str, value: str | Text) -> None:
        self.query_one(f"#purchase-{key}", Static).update(
            value if isinstance(value, Text) else Text(value)
        )

    def _show(self) -> None:
        req = self.request
        offer = req.offer
        title = f"Buy a {clean(req.service_name)} number"
        if req.phonenumber:
            title = f"Buy {clean(req.service_name)} number {clean(req.phonenumber)} again"
        self._set("title", Text(title, style="bold"))
        self._set("service", clean(req.service_name))
        self._set("country", clean(offer.name))
        self._set("pool", self._pool_text())
        self._set("stock", self._stock_text())
        price = money(offer.price)
        if req.pool is None and offer.high_price and offer.high_price != offer.price:
            price += f" – {money(offer.high_price)} (best rate may cost more)"
        if offer.success_rate is not None:
            price += f" · success {offer.success_rate.normalize():f}%"
        quantity = self.form.quantity
        if quantity > 1:  # the total is what the balance must cover
            each = self.expected_price()
            total = self.expected_total()
            price = f"{money(each)} × {quantity} numbers = ≈ {money(total)}"
            if total is None:
                price = f"{quantity} numbers (the price per number is not known yet)"
        self._set("price", price)
        self._set("balance", "checking…" if self.balance is None else money(self.balance))
        expected = self.expected_total()
        if self.balance is None or expected is None:
            after = "—"
            short = False
        else:
            left = self.balance - expected
            short = left < 0
            after = f"≈ {money(left)}" + ("  (not enough balance)" if short else "")
        self._set("after", Text(after, style="bold red" if short else ""))

    def _message(self, text: str, *, kind: str = "error") -> None:
        message = self.query_one("#purchase-message", Static)
        message.update(Text(text))
        for name in ("error", "info", "busy"):
            message.set_class(kind == name, f"-{name}")
        message.display = bool(text)

    @on(RadioSet.Changed, "#purchase-option")
    @on(Input.Changed, "#purchase-max-price")
    @on(Input.Changed, "#purchase-quantity")
    def _inputs_changed(self) -> None:
        self._show()

    # ---- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_country":
            return self.offer_next and bool(self.request.alternatives)
        if action == "buy":
            return None if self.buying or self.unknown_outcome else True
        if action == "clear_cache":
            return bool(self.request.phonenumber) and not self.buying
        return True

    @on(Button.Pressed, "#purchase-buy")
    def _buy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_buy()

    @on(Button.Pressed, "#purchase-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in a field never buys: `y` or the button does, on purpose

    def action_cancel(self) -> None:
        if self.buying:
            self._message("The purchase is on its way; wait for the answer.", kind="busy")
            return
        self.dismiss(False)

    def action_next_country(self) -> None:
        if not self.offer_next or not self.request.alternatives or self.buying:
            return
        nxt, *rest = self.request.alternatives
        self.request = replace(
            self.request,
            offer=nxt,
            pool=None,
            custom_area=False,
            alternatives=tuple(rest),
            pool_label=None,
        )
        self.offer_next = False
        self.stock, self.stock_state = None, "checking"
        self.fetch_pool_facts()
        self.refresh_bindings()
        self._message(f"Switched to {clean(nxt.name)}. Press y to buy.", kind="info")
        self._show()

    def action_buy(self, allow_duplicate: bool = False) -> None:
        if self.buying or self.unknown_outcome:
            return  # one purchase in flight at a time; none after an unclear answer
        session = self.smsapp.session
        if session is None:
            self._message("No API key: add one in Settings first.")
            return
        try:
            max_price = parse_max_price(self.query_one("#purchase-max-price", Input).value)
            options, area = self.form.read(self.request.phonenumber)
            bad = options.invalid_areas(area, self.valid_areas)
            if bad:
                shown = ", ".join(self.valid_areas[:12]) + (
                    " …" if len(self.valid_areas) > 12 else ""
                )
                raise ValueError(
                    f"{', '.join(bad)}: not an area code SMSPool offers here. Valid: {shown}"
                )
        except ValueError as exc:
            self._message(str(exc))
            return
        self.buying = True
        self.query_one("#purchase-buy", Button).disabled = True
        self.refresh_bindings()
        many = f"{options.quantity} numbers" if options.quantity > 1 else ""
        self._message(f"Buying {many}…" if many else "Buying…", kind="busy")
        self.run_purchase(max_price, area, options, allow_duplicate)

    @work(name="purchase", group="purchase", exit_on_error=False)
    async def run_purchase(
        self,
        max_price: Decimal | None,
        area: list[str] | None,
        options: PurchaseOptions,
        allow_duplicate: bool = False,
    ) -> None:
        session = self.smsapp.session
        assert session is not None
        req = self.request
        pool = req.pool.pool if req.pool is not None else None
        # Shielded: closing the app mid-request must not make a purchase look abandoned.
        task = asyncio.ensure_future(
            session.orders.purchase_many(
                req.offer.country_id,
                req.service_id,
                country_name=req.offer.name,
                service_name=req.service_name,
                pool=pool,
                max_price=max_price,
                pricing_option=int(self.pricing_option),
                area_code=area,
                allow_duplicate=allow_duplicate,
                options=options,
            )
        )
        try:
            await asyncio.shield(task)
        except Exception as exc:
            self.buying = False
            self._failed(exc)
            return
        # Still `buying`: a queued second `y` must not start another purchase before we close.
        bought = task.result()
        if bought[0].share_url:  # the link is the purchase: copy it and say where it is kept
            self.app.copy_to_clipboard(bought[0].share_url)
            self.app.notify(
                f"Share link copied: {clean(bought[0].share_url)}\n(kept on the board and in "
                "history; c on its row copies it again)",
                title="Number bought as a link",
                timeout=15,
            )
        await self._refresh_balance()
        self.smsapp.core_events.publish(OrderBought(bought[0].order_id))
        self.dismiss(True)
        self.app.switch_mode("orders")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, DuplicateRisk) and not exc.in_flight:
            self.query_one("#purchase-buy", Button).disabled = False
            self.refresh_bindings()
            self._message(f"{exc}.", kind="busy")
            self._confirm_duplicate(str(exc))
            return
        if isinstance(exc, PurchaseOutcomeUnknown):
            # The order may exist: buy stays off here; esc and the board say what happened.
            self.unknown_outcome = True
            self.refresh_bindings()
        else:
            self.query_one("#purchase-buy", Button).disabled = False
            self.refresh_bindings()
        if isinstance(exc, OutOfStock) and self.request.alternatives:
            self.offer_next = True
            self.refresh_bindings()
        if isinstance(exc, (OutOfStock, PriceNotFound)):
            self._invalidate_prices()
        text = failure_text(exc, self.request, self.expected_price(), self.balance)
        if self.request.phonenumber and isinstance(exc, ApiError) and not self.unknown_outcome:
            text += " If SMSPool says the account had it: k clears the cache, then y again."
        if isinstance(exc, OutOfStock) and not self.request.alternatives:
            text += " Esc, then p on Prices bids for the next number (pre-order)."
        self._message(text)
