"""The purchase modal's options beyond price: how the code comes, how many numbers, a share link,
area codes to pick or avoid, the US carrier. Kept apart from the modal, which owns the money."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Label, RadioSet

from smspool_tui.core.orders.purchase_options import (
    ACTIVATION_LABELS,
    CARRIERS,
    MAX_QUANTITY,
    PurchaseOptions,
)
from smspool_tui.ui.screens.purchase_request import parse_area_codes
from smspool_tui.ui.widgets.digits_input import DigitsInput
from smspool_tui.ui.widgets.shaped import OnOffBox, ShapedRadio


def parse_quantity(text: str) -> int:
    """'' -> 1; otherwise 1..MAX_QUANTITY (ValueError with the words for the modal)."""
    text = text.strip()
    if not text:
        return 1
    if not text.isdigit():
        raise ValueError("quantity is a whole number, like 3")
    value = int(text)
    if not 1 <= value <= MAX_QUANTITY:
        raise ValueError(f"quantity is 1 to {MAX_QUANTITY} numbers at a time")
    return value


class PurchaseForm(Vertical):
    """The option rows; `read()` turns them into PurchaseOptions and area codes, or says why
    not (ValueError), so nothing is sent on bad input."""

    def __init__(self, *, areas: bool, carrier: bool, single: bool = False) -> None:
        super().__init__(id="purchase-form")
        self.areas = areas
        self.carrier = carrier
        self.single = single  # one fixed number (buy it again): no quantity, no share link

    def compose(self) -> ComposeResult:
        with Horizontal(classes="purchase-row"):
            yield Label("Code by", classes="fact-key")
            with RadioSet(id="purchase-activation", classes="inline-radio"):
                for kind, label in ACTIVATION_LABELS.items():
                    yield ShapedRadio(label, value=kind == "SMS", id=f"act-{kind.lower()}")
        with Horizontal(classes="purchase-row", id="purchase-quantity-row"):
            yield Label("Quantity", classes="fact-key")
            yield DigitsInput(
                placeholder=f"1 (up to {MAX_QUANTITY})", restrict=r"[0-9]*", id="purchase-quantity"
            )
        with Horizontal(classes="purchase-row", id="purchase-token-row"):
            yield Label("Share link", classes="fact-key")
            yield OnOffBox(
                "a link to this number's inbox instead of an order id", id="purchase-token"
            )
        with Horizontal(classes="purchase-row", id="purchase-area-row"):
            yield Label("Area codes", classes="fact-key")
            yield DigitsInput(
                placeholder="any (e.g. 212, 646)", restrict=r"[0-9, ]*", id="purchase-area"
            )
            yield OnOffBox("exclude", id="purchase-exclude")
        with Horizontal(classes="purchase-row", id="purchase-carrier-row"):
            yield Label("Carrier", classes="fact-key")
            with RadioSet(id="purchase-carrier", classes="inline-radio"):
                yield ShapedRadio("Any", value=True, id="carrier-any")
                for number, name in CARRIERS.items():
                    yield ShapedRadio(name, id=f"carrier-{number}")

    def on_mount(self) -> None:
        self.query_one("#purchase-area-row").display = self.areas
        self.query_one("#purchase-carrier-row").display = self.carrier
        self.query_one("#purchase-quantity-row").display = not self.single
        self.query_one("#purchase-token-row").display = not self.single

    @property
    def activation(self) -> str:
        pressed = self.query_one("#purchase-activation", RadioSet).pressed_button
        return "SMS" if pressed is None or pressed.id is None else pressed.id[4:].upper()

    @property
    def quantity(self) -> int:
        """For the totals while typing: a bad entry counts as 1 (buy says why)."""
        try:
            return parse_quantity(self.query_one("#purchase-quantity", DigitsInput).value)
        except ValueError:
            return 1

    def area_text(self) -> str:
        return self.query_one("#purchase-area", DigitsInput).value

    def read(self, phonenumber: str | None = None) -> tuple[PurchaseOptions, list[str] | None]:
        quantity = 1 if self.single else parse_quantity(
            self.query_one("#purchase-quantity", DigitsInput).value
        )  # fmt: skip
        token = not self.single and self.query_one("#purchase-token", Checkbox).value
        if token and quantity > 1:
            raise ValueError("a share link is for one number: set quantity to 1")
        areas = parse_area_codes(self.area_text()) if self.areas else None
        carrier = None
        if self.carrier:
            pressed = self.query_one("#purchase-carrier", RadioSet).pressed_button
            if pressed is not None and pressed.id and pressed.id != "carrier-any":
                carrier = int(pressed.id.removeprefix("carrier-"))
        options = PurchaseOptions(
            quantity=quantity,
            activation_type=self.activation,
            create_token=token,
            exclude_areas=bool(areas) and self.query_one("#purchase-exclude", Checkbox).value,
            carrier=carrier,
            phonenumber=phonenumber,
        )
        return options, areas
