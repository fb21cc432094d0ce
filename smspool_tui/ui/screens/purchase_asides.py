"""What the purchase modal does besides buying: the facts it fetches (balance, pool names,
stock), the words for them, the hand-over to the autopilot, the "buy another anyway?" question.
A mixin of `PurchaseScreen`, kept apart so the modal's money path reads on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.widgets import Input

from smspool_tui.ui.screens.purchase_request import PurchaseRequest, parse_max_price
from smspool_tui.ui.text import error_text
from smspool_tui.ui.text import plain as clean

if TYPE_CHECKING:
    from decimal import Decimal

    from smspool_tui.ui.app import SmsPoolApp


class PurchaseAsides:
    request: PurchaseRequest
    buying: bool
    balance: Decimal | None
    pool_names: dict[int, str]
    stock: int | None
    stock_state: str
    valid_areas: list[str]
    smsapp: SmsPoolApp

    # The screen provides these (declared for readers; no stubs, they would shadow Screen's).
    if TYPE_CHECKING:

        def _show(self) -> None: ...
        def _set(self, key: str, value: str | Text) -> None: ...
        def query_one(self, *args: Any) -> Any: ...
        def dismiss(self, result: bool) -> Any: ...
        def action_buy(self, allow_duplicate: bool = False) -> None: ...
        def _message(self, text: str, *, kind: str = "error") -> None: ...

    def pool_name(self, pool: int) -> str:
        """A pool as users know it (Foxtrot), its id only while the names are not known."""
        return clean(self.pool_names.get(pool) or str(pool))

    def _pool_text(self) -> str:
        req, offer = self.request, self.request.offer
        if req.pool is not None:
            return f"{clean(req.pool.name)} (fixed)"
        if offer.pool is not None:
            label = self.pool_names.get(offer.pool) or req.pool_label or str(offer.pool)
            return f"chosen by SMSPool (suggested: {clean(label)})"
        return "chosen by SMSPool"

    def _stock_text(self) -> Text:
        if self.stock_state == "checking":
            return Text("checking…")
        if self.stock is None:
            return Text("unknown (could not check)", style="dim")
        where = "in this pool" if self.request.pool is not None else "across pools"
        if self.stock <= 0:
            return Text(f"none {where}: SMSPool will likely say out of stock", style="bold red")
        return Text(f"{self.stock:,} numbers {where}")

    @work(name="purchase-balance", group="purchase-balance", exit_on_error=False)
    async def fetch_balance(self) -> None:
        session = self.smsapp.session
        if session is None:
            return
        try:
            self.balance = await session.account.refresh()
        except Exception:  # the modal still works; "after" stays unknown
            self._set("balance", "unknown (could not check)")
            return
        self.smsapp.balance = self.balance
        self._show()

    @work(name="purchase-facts", group="purchase-facts", exit_on_error=False)
    async def fetch_pool_facts(self) -> None:
        """Pool names and stock, so the user sees what they buy from and whether any is left."""
        session = self.smsapp.session
        catalog = None if session is None else session.catalog
        if catalog is None:
            self.stock_state = "unknown"
            self._show()
            return
        req = self.request
        pool = req.pool.pool if req.pool is not None else None
        self.pool_names = await catalog.pool_names()
        self._show()
        try:
            self.stock = await catalog.stock(req.offer.country_id, req.service_id, pool)  # type: ignore[arg-type]
        except Exception:  # a hint, not a reason to block the purchase
            self.stock = None
        self.stock_state = "known" if self.stock is not None else "unknown"
        self._show()
        if req.custom_area and session is not None:
            await self._fetch_area_codes(session.orders, pool)

    async def _fetch_area_codes(self, orders: Any, pool: int | None) -> None:
        req = self.request
        try:
            codes = await orders.buyer.area_codes(req.offer.country_id, req.service_id, pool)
        except Exception:  # the server still checks them when buying
            return
        self.valid_areas = list(codes)
        if codes:
            example = ", ".join(codes[:3])
            field = self.query_one("#purchase-area")
            field.placeholder = f"any of {len(codes)} valid (e.g. {example})"

    def action_autopilot(self) -> None:
        """Hand this service and country to the autopilot's confirm screen (nothing bought)."""
        if self.buying:
            return
        from smspool_tui.ui.screens.autopilot_confirm import AutopilotConfirm

        req, offer = self.request, self.request.offer
        try:
            cap = parse_max_price(self.query_one("#purchase-max-price", Input).value)
        except ValueError:
            cap = None
        top = offer.high_price or offer.price
        self.dismiss(False)
        self.app.push_screen(AutopilotConfirm(
            req.service_id, req.service_name, [(offer.country_id, offer.name)],
            top_price=top, max_price=cap,
        ))  # fmt: skip

    async def _refresh_balance(self) -> None:
        session = self.smsapp.session
        if session is None:
            return
        try:
            self.smsapp.balance = await session.account.refresh()
        except Exception:
            session.account.spent()  # the balance monitor will try again shortly

    @work(name="purchase-duplicate", group="purchase", exit_on_error=False)
    async def _confirm_duplicate(self, why: str) -> None:
        from smspool_tui.ui.screens.confirm import ConfirmScreen

        question = (
            f"{why}.\n\nLook at the orders board first. Buy another number anyway? "
            "You may end up with two."
        )
        ok = await self.app.push_screen_wait(
            ConfirmScreen(question, title="Buy another?", yes="Buy another anyway", no="Don't buy")
        )
        if ok and not self.buying:
            self.action_buy(allow_duplicate=True)

    def _invalidate_prices(self) -> None:
        session = self.smsapp.session
        if session is not None and session.catalog is not None:
            session.catalog.forget_prices()

    def action_clear_cache(self) -> None:
        if self.request.phonenumber and not self.buying:
            self._clear_cache()

    @work(name="purchase-clear-cache", group="purchase", exit_on_error=False)
    async def _clear_cache(self) -> None:
        session = self.smsapp.session
        if session is None:
            return
        self._message("Clearing the account's number cache…", kind="busy")
        try:
            said = await session.orders.buyer.clear_cache()
        except Exception as exc:  # shown, never fatal; nothing was bought
            self._message(f"Could not clear the cache: {error_text(exc)}")
            return
        self._message(f"SMSPool: {clean(said)} Press y to buy the number again.", kind="info")
