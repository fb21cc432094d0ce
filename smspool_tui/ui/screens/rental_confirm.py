"""Choose a day count and confirm a paid rental action (buy or extend); dismisses with the days
or None. Every option shows its price and the balance after it, so nothing is a surprise."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smspool_tui.core.rental_model import DayPrice
from smspool_tui.core.rentals.refunds import RefundRules
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.text import money


def option_text(
    choice: DayPrice,
    balance: Decimal | None,
    extends: datetime | None = None,
    rules: RefundRules | None = None,
    stock: int | None = None,
) -> Text:
    """One line that fits the box at 80 columns: days, price, new expiry, balance after."""
    text = Text(f"{choice.days:>3} days  {money(choice.price):>8}")
    if extends is not None:
        until = extends + timedelta(days=choice.days)
        text.append(f"  until {until:%Y-%m-%d}")
    if balance is not None:
        after = balance - choice.price
        if after < 0:
            text.append(f"  short by {money(-after)}", style="bold red")
        else:
            text.append(f"  balance after {money(after)}", style="dim")
    if rules is not None and rules.refundable:  # a column: the stock after it lines up
        short = not rules.allows_days(choice.days)
        text.append("  no refund" if short else " " * 11, style="italic")
    if stock is not None:
        text.append(
            f"  {stock} left" if stock > 0 else "  out of stock", style="" if stock else "bold red"
        )
    return text


class RentalConfirmScreen(ModalScreen[int | None]):
    """`y` (or enter) confirms the highlighted day count; `n`/escape cancels. One answer only:
    the first key dismisses, so a double `y` can never buy twice."""

    TITLE = "Rental buy or extend"
    CSS_PATH = tcss("rental_confirm")
    BINDINGS = [
        Binding("y", "confirm", "Confirm", id="rental_confirm.yes"),
        Binding("n,escape", "cancel", "Cancel", id="rental_confirm.no"),
    ]

    def __init__(
        self,
        title: str,
        details: str,
        choices: tuple[DayPrice, ...],
        *,
        balance: Decimal | None,
        verb: str = "Buy",
        default_days: int | None = None,
        extends: datetime | None = None,
        rules: RefundRules | None = None,
        stock: dict[int, int | None] | None = None,
    ) -> None:
        super().__init__()
        self.heading = title
        self.details = details
        self.choices = choices
        self.balance = balance
        self.verb = verb
        self.default_days = default_days
        self.extends = extends  # the current expiry, when extending: show the new one
        self.rules = rules  # when buying: marks the day counts too short for a refund
        self.stock = stock or {}  # when buying: numbers left per day count (rental/stock)
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="rental-confirm-box"):
            yield Static(Text(self.heading), id="rental-confirm-title")
            yield Static(Text(self.details), id="rental-confirm-details")
            yield OptionList(
                *(
                    Option(
                        option_text(
                            c, self.balance, self.extends, self.rules, self.stock.get(c.days)
                        ),
                        id=str(c.days),
                    )
                    for c in self.choices
                ),
                id="rental-confirm-days",
            )
            balance = "unknown" if self.balance is None else money(self.balance)
            yield Static(Text(f"Balance now: {balance}", style="dim"), id="rental-confirm-balance")
            yield Static(
                Text(f"y / enter: {self.verb} for the highlighted days    n / escape: cancel"),
                id="rental-confirm-keys",
            )

    def on_mount(self) -> None:
        days = self.query_one(OptionList)
        index = next(
            (i for i, c in enumerate(self.choices) if c.days == self.default_days),
            0,
        )
        if self.choices:
            days.highlighted = index
        days.focus()

    @property
    def chosen(self) -> DayPrice | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not (0 <= index < len(self.choices)):
            return None
        return self.choices[index]

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        choice = self.chosen
        if choice is None or self._answered:
            return
        self._answered = True
        self.dismiss(choice.days)

    def action_cancel(self) -> None:
        if not self._answered:
            self._answered = True
            self.dismiss(None)
