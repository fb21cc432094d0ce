"""The new-watch form: what to wait for (stock or a price), and whether to buy one, under a cap
stated here, when it fires. Opened from the prices screen (`a`) and the palette ("watch ...")."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from smspool_tui.core.watches.model import Watch, WatchKind, WatchSpec
from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.text import plain
from smspool_tui.ui.widgets.shaped import OnOffBox

KINDS = [("in stock (at least N)", WatchKind.STOCK.value), ("price at or under", "price")]


@dataclass(frozen=True, slots=True)
class WatchTarget:
    service_id: int
    service_name: str
    country_id: int
    country_name: str
    pool: int | None = None
    pool_name: str = ""
    price: Decimal | None = None  # the price seen now, to start the fields from
    rental_days: tuple[int, ...] = ()  # a rental offer (service_id is its id): days it sells

    @property
    def is_rental(self) -> bool:
        return bool(self.rental_days)


def money_or_none(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


class NewWatchScreen(ModalScreen[Watch | None]):
    """Dismisses with the stored watch, or None when cancelled."""

    CSS_PATH = tcss("watches")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="watch_new.cancel")]

    def __init__(self, target: WatchTarget) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        t = self.target
        where = f"{t.service_name} in {t.country_name}" + (f" · {t.pool_name}" if t.pool else "")
        if t.is_rental:
            where = f"rental {t.service_name} (#{t.service_id})"
        price = "" if t.price is None else str(t.price)
        with Vertical(id="watch-new"):
            yield Static(Text(f"Watch {plain(where)}"), id="watch-new-title")
            if t.price is not None:
                yield Static(Text(f"Now ${t.price}", style="dim"))
            with Horizontal(classes="watch-row", id="watch-kind-row"):
                yield Label("Fire when", classes="watch-label")
                yield Select(KINDS, value="stock", allow_blank=False, compact=True, id="watch-kind")
            with Horizontal(classes="watch-row", id="watch-days-row"):
                yield Label("Rented for", classes="watch-label")
                days = [(f"{d} days", d) for d in t.rental_days] or [("30 days", 30)]
                yield Select(
                    days, value=days[-1][1], allow_blank=False, compact=True, id="watch-days"
                )
            with Horizontal(classes="watch-row", id="watch-min-row"):
                yield Label("At least", classes="watch-label")
                yield Input("1", type="integer", compact=True, id="watch-min")
            with Horizontal(classes="watch-row", id="watch-price-row"):
                yield Label("Price ≤ $", classes="watch-label")
                yield Input(price, type="number", compact=True, id="watch-price")
            yield OnOffBox("Buy one when it fires", False, compact=True, id="watch-buy")
            yield Static("Rentals only notify: buy the rental yourself.", id="watch-rental-note")
            with Horizontal(classes="watch-row", id="watch-cap-row"):
                yield Label("Pay at most $", classes="watch-label")
                yield Input(price, type="number", compact=True, id="watch-cap")
            yield Static("", id="watch-new-error")
            with Horizontal(id="watch-new-buttons"):
                yield Button("Cancel (esc)", id="watch-new-cancel", compact=True)
                yield Button(
                    "Create (enter)", id="watch-new-create", variant="primary", compact=True
                )

    def on_mount(self) -> None:
        self._show_fields()
        self.query_one("#watch-min", Input).focus()

    @on(Select.Changed, "#watch-kind")
    @on(Checkbox.Changed, "#watch-buy")
    def _show_fields(self) -> None:
        rental = self.target.is_rental
        price = self.query_one("#watch-kind", Select).value == WatchKind.PRICE.value and not rental
        self.query_one("#watch-kind-row").display = not rental
        self.query_one("#watch-days-row").display = rental
        self.query_one("#watch-min-row").display = not price
        self.query_one("#watch-price-row").display = price
        self.query_one("#watch-buy").display = not rental
        self.query_one("#watch-rental-note").display = rental
        buy = self.query_one("#watch-buy", Checkbox).value and not rental
        self.query_one("#watch-cap-row").display = buy

    def error(self, text: str) -> None:
        self.query_one("#watch-new-error", Static).update(Text(text))

    def spec(self) -> WatchSpec | str:
        """The watch the fields describe, or why they do not describe one."""
        t = self.target
        kind = WatchKind(str(self.query_one("#watch-kind", Select).value))
        buy = self.query_one("#watch-buy", Checkbox).value
        days: int | None = None
        if t.is_rental:
            kind, buy = WatchKind.RENTAL, False
            days = int(str(self.query_one("#watch-days", Select).value))
        min_stock, max_price, cap = 1, None, None
        if kind is not WatchKind.PRICE:
            raw = self.query_one("#watch-min", Input).value.strip()
            if not raw.isdigit() or int(raw) < 1:
                return "At least: a whole number of 1 or more."
            min_stock = int(raw)
        else:
            max_price = money_or_none(self.query_one("#watch-price", Input).value)
            if max_price is None:
                return "Price: a dollar amount above 0, like 0.50."
        if buy:
            cap = money_or_none(self.query_one("#watch-cap", Input).value)
            if cap is None:
                return "Pay at most: a dollar amount above 0; nothing is bought above it."
        spec = WatchSpec(
            kind=kind,
            service_id=t.service_id,
            service_name=t.service_name,
            country_id=t.country_id,
            country_name=t.country_name,
            pool=t.pool,
            pool_name=t.pool_name,
            min_stock=min_stock,
            max_price=max_price,
            rental_days=days,
            auto_buy=buy,
            buy_cap=cap,
        )
        return spec.problem() or spec

    @on(Input.Submitted)
    @on(Button.Pressed, "#watch-new-create")
    def create(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        spec = self.spec()
        if isinstance(spec, str):
            self.error(spec)
            return
        session = getattr(self.app, "session", None)
        watches = getattr(session, "watches", None)
        if watches is None:
            self.error("Watches need a signed-in session.")
            return
        try:
            watch = watches.add(spec)
        except (ValueError, OSError, sqlite3.Error) as exc:  # refused, or the journal failed
            self.error(f"Not created: {exc}")
            return
        self.app.notify(
            f"Watching {watch.what} ({watch.condition}, {watch.buy_text}). w: Watches",
            markup=False,
        )
        self.dismiss(watch)

    @on(Button.Pressed, "#watch-new-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
