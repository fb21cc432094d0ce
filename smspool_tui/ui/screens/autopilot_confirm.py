"""The autopilot's confirm screen: what it may buy, and the worst case, before anything is
bought. Nothing starts without `y` (or the Start button) here.

Opened from the purchase modal (`a`: that service, that country) and from the palette
("Autopilot: <service>"). Countries are names or codes, comma separated, in order of
preference; empty means the server's suggestions, ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.text import money, plain
from smspool_tui.ui.widgets.digits_input import DigitsInput
from smspool_tui.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from smspool_tui.core.autopilot import Plan
    from smspool_tui.ui.protocol import SmsApp

FIELDS = (  # id, label, placeholder, allowed characters
    ("max-price", "Max price $", "no limit", r"[0-9.$]*"),
    ("budget", "Budget $", "no limit", r"[0-9.$]*"),
    ("wait", "Wait (s)", "per attempt", r"[0-9]*"),
    ("attempts", "Attempts", "one per candidate", r"[0-9]*"),
    ("race", "At once", "1-3", r"[0-9]*"),
)


def _money(text: str, what: str) -> Decimal | None:
    text = text.strip().lstrip("$")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what}: not an amount") from None
    if value <= 0:
        raise ValueError(f"{what} must be more than 0")
    return value


def _int(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{what} must be a whole number, at least 1")
    return int(text)


class AutopilotConfirm(ModalScreen[None]):
    CSS_PATH = tcss("autopilot")
    BINDINGS = [
        Binding("y", "start", "Start", priority=True, id="autopilot.start"),
        Binding("escape", "cancel", "Cancel", id="autopilot.cancel"),
    ]

    def __init__(
        self,
        service_id: int,
        service_name: str,
        countries: Sequence[tuple[int, str]] = (),
        *,
        top_price: Decimal | None = None,
        max_price: Decimal | None = None,
    ) -> None:
        super().__init__()
        self.service_id = service_id
        self.service_name = service_name
        self.countries = list(countries)
        self.top_price = top_price
        self.max_price = max_price
        self.known: dict[str, int] = {name.lower(): cid for cid, name in self.countries}
        self.started = False

    @property
    def smsapp(self) -> SmsApp:
        return cast("SmsApp", self.app)

    def compose(self) -> ComposeResult:
        wait = f"{self.smsapp.settings.autopilot.wait_seconds:.0f}"
        values = {
            "max-price": "" if self.max_price is None else str(self.max_price),
            "wait": wait,
            "race": "1",
        }
        with Vertical(id="autopilot-dialog"):
            yield Static(
                Text(f"Autopilot: {plain(self.service_name)}", style="bold"), id="autopilot-title"
            )
            yield Static(
                Text(
                    "Buys one number at a time until a code arrives; a number without a code "
                    "in time is cancelled (refunded) and the next candidate is tried."
                ),
                id="autopilot-about",
            )
            with Horizontal(classes="autopilot-row"):
                yield Label("Countries", classes="fact-key")
                yield Input(
                    ", ".join(name for _, name in self.countries),
                    placeholder="empty: the server's suggestions, ranked",
                    id="autopilot-countries",
                )
            with Grid(id="autopilot-fields"):
                for key, label, hint, allowed in FIELDS:
                    yield Label(label, classes="fact-key")
                    yield DigitsInput(
                        values.get(key, ""),
                        placeholder=hint,
                        restrict=allowed,
                        id=f"autopilot-{key}",
                    )
            yield Static(id="autopilot-worst")
            with Horizontal(id="autopilot-buttons"):
                yield Button("Start (y)", variant="warning", id="autopilot-start")
                yield Button("Cancel (esc)", id="autopilot-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#autopilot-budget", Input).focus()
        self._show()
        if self.top_price is None:
            self.fetch_top_price()

    # ---- the plan ----------------------------------------------------------------------------

    def _value(self, key: str) -> str:
        return self.query_one(f"#autopilot-{key}", Input).value

    def _country_ids(self) -> tuple[int, ...]:
        names = [n.strip() for n in self._value("countries").split(",") if n.strip()]
        ids: list[int] = []
        for name in names:
            cid = self.known.get(name.lower())
            if cid is None:
                cid = self._lookup(name)
            if cid is None:
                raise ValueError(f"unknown country {name!r}")
            if cid not in ids:
                ids.append(cid)
        return tuple(ids)

    def _lookup(self, name: str) -> int | None:
        session = self.smsapp.session
        catalog = session.catalog if session is not None else None
        countries: list[Any] = (catalog.cached_countries() if catalog else None) or []
        low = name.lower()
        for c in countries:
            if c.name.lower() == low or (c.short_name or "").lower() == low or str(c.id) == low:
                return int(c.id)
        return None

    def plan(self) -> Plan:
        """The plan as typed (raises ValueError with the reason)."""
        from smspool_tui.core.autopilot import Plan

        settings = self.smsapp.settings.autopilot
        return Plan(
            service_id=self.service_id,
            service_name=self.service_name,
            countries=self._country_ids(),
            max_price=_money(self._value("max-price"), "max price"),
            budget=_money(self._value("budget"), "budget"),
            wait=float(_int(self._value("wait"), "wait") or settings.wait_seconds),
            max_attempts=_int(self._value("attempts"), "attempts"),
            race=_int(self._value("race"), "at once") or 1,
        )

    def worst_case(self) -> str:
        plan = self.plan()
        session = self.smsapp.session
        lock = session.orders.timing.cancel_lock_guess if session is not None else 0.0
        checked, notes = plan.checked(lock)
        numbers = checked.max_attempts or "one per candidate"
        top = checked.max_price or self.top_price
        held = money(checked.worst_case(top), exact=True) if top else None
        if held is None and checked.budget is not None:
            held = money(checked.budget, exact=True)
        at_once = f"at most {held} held at once" if held else "the candidates' price held"
        lines = [
            f"Worst case: at most {numbers} numbers, {at_once}"
            f" ({checked.race} at a time, {checked.wait:.0f}s each)."
        ]
        if checked.budget is None:
            lines.append("No budget: set one to cap held + spent.")
        lines += [f"Note: {n}" for n in notes]
        return "\n".join(lines)

    def _show(self) -> None:
        worst = self.query_one("#autopilot-worst", Static)
        try:
            worst.update(Text(self.worst_case()))
            worst.set_class(False, "-error")
        except ValueError as exc:
            worst.update(Text(f"Cannot start: {exc}"))
            worst.set_class(True, "-error")

    @on(Input.Changed)
    def _changed(self) -> None:
        self._show()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter in a field never starts it: `y` or the button does

    @work(name="autopilot-price", group="autopilot-price", exit_on_error=False)
    async def fetch_top_price(self) -> None:
        """The dearest offer among the chosen countries (all, if none): the worst case."""
        session = self.smsapp.session
        if session is None or session.catalog is None:
            return
        try:
            offers = await session.catalog.country_offers(self.service_id)
        except Exception:  # the worst case then leans on the max price or the budget
            return
        try:
            wanted = set(self._country_ids())
        except ValueError:
            wanted = set()
        chosen = [o for o in offers if not wanted or o.country_id in wanted]
        prices = [p for o in chosen if (p := o.high_price or o.price)]
        if prices:
            self.top_price = max(prices)
            self._show()

    # ---- actions -----------------------------------------------------------------------------

    @on(Button.Pressed, "#autopilot-start")
    def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed, "#autopilot-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_start(self) -> None:
        if self.started:
            return
        try:
            plan = self.plan()
            self.worst_case()
        except ValueError as exc:
            self._show()
            self.notify(f"Not started: {exc}", severity="error", markup=False)
            return
        self.started = True
        if self.smsapp.start_autopilot(plan):
            self.dismiss(None)
            self.app.switch_mode("orders")
        else:
            self.started = False

    def action_cancel(self) -> None:
        self.dismiss(None)
