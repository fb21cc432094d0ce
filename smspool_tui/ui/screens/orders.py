"""The Orders board: the live monitor people leave open all day (the default mode).

The table follows `OrdersChanged` snapshots from the orders monitor (reconciled in place, the
cursor stays on its order); a 1 s display-only timer repaints the countdowns from the session
clock. Actions ask `app.session.orders` in named screen workers and report back with a toast and
a status line (OSC 52 is ignored by some terminals, so the user must see what was copied).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from smspool_tui.core import events as ev
from smspool_tui.core.order_model import Order
from smspool_tui.ui.autopilot_glue import is_autopilot_event
from smspool_tui.ui.screens.base import BaseScreen, OrderBought, tcss
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.order_actions import (
    activate_flow,
    buy_again_flow,
    cancel_all_flow,
    resend_flow,
)
from smspool_tui.ui.screens.order_detail import OrderDetailScreen
from smspool_tui.ui.screens.order_keys import (
    AUTOPILOT_ACTIONS,
    BINDINGS,
    ROW_ACTIONS,
    can_act,
    cancellable,
    why_not,
)
from smspool_tui.ui.screens.order_words import archived_text, notice_text
from smspool_tui.ui.text import copy_number, error_text, plain
from smspool_tui.ui.widgets.autopilot_panel import AutopilotPanel
from smspool_tui.ui.widgets.countdown import ago_text, order_line
from smspool_tui.ui.widgets.order_table import OrderTable

if TYPE_CHECKING:
    from smspool_tui.core.orders import BuyAgain, OrdersService

EMPTY_TEXT = "No active orders — press b to buy a number"
SCROLLBAR = 2


class OrdersScreen(BaseScreen):
    TITLE = "Orders"
    CSS_PATH = tcss("orders")
    REDRAW_ON_RESUME = True  # a reconcile: cheap when nothing changed
    BINDINGS = BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self._offline: str = ""
        self._health_text = Text("")
        self._status_text = ""
        self._bought: str | None = None  # just bought by the user: gets the cursor when shown

    def compose_body(self) -> ComposeResult:
        yield Static("", id="orders-health")
        yield AutopilotPanel(id="orders-autopilot")
        yield OrderTable(id="orders-table")
        yield Static(Text(EMPTY_TEXT), id="orders-empty", classes="empty-state")
        yield Static("", id="orders-status")

    # ---- plumbing --------------------------------------------------------------------------

    @property
    def table(self) -> OrderTable:
        return self.query_one(OrderTable)

    @property
    def service(self) -> OrdersService | None:
        session = self.session
        return session.orders if session is not None else None

    def on_mount(self) -> None:
        # BaseScreen.on_mount (run by Textual too) subscribes us to the core events.
        self.table.fit(max(20, self.size.width - SCROLLBAR))
        self._refresh_board()
        self._countdown = self.ticker(1.0, self._tick, name="orders-countdown")

    def on_resize(self, event: events.Resize) -> None:
        self.table.fit(max(20, event.size.width - SCROLLBAR))

    def on_screen_suspend(self) -> None:
        # A modal over the board (the order detail, a confirm) leaves it visible: it keeps
        # counting down; only another screen or mode on top pauses it. (BaseScreen's handler
        # runs after this one and pauses the ticker: resume it once that is done.)
        if self.is_seen:
            self.call_later(self._countdown.resume)

    def redraw(self) -> None:
        self._refresh_board()

    def _refresh_board(self) -> None:
        service = self.service
        orders = service.orders_snapshot() if service is not None else ()
        self._show(orders)

    def _show(self, orders: tuple[Order, ...]) -> None:
        self.table.marked = frozenset(self.smsapp.autopilot.order_ids)
        self.table.show(orders, self.now())
        self._paint_autopilot()
        self._cursor_to_bought()
        empty = not orders
        self.query_one("#orders-empty").display = empty
        self.table.display = not empty
        self._paint_health()
        self._paint_status()
        self.refresh_footer()

    def _tick(self) -> None:
        if not self.is_seen:  # hidden under a modal's own screen push: nothing to repaint
            return
        self.table.tick(self.now())
        self._paint_health()
        self._paint_autopilot()
        self._paint_status()

    def _paint_status(self) -> None:
        """The line under the table says what is under way for the selected order (a queued
        cancel's next try, counting down); events go to toasts only, so nothing is said twice
        and nothing stays on screen after it stopped being true."""
        text = order_line(self.table.selected_order, self.now())
        line = self.query_one("#orders-status", Static)
        if text != self._status_text:
            self._status_text = text
            line.update(Text(text))

    def say(self, message: str, severity: str = "information") -> None:
        """A toast (the status line is for the selected order's live state, see above)."""
        self.notify(message, markup=False, severity=severity)  # type: ignore[arg-type]

    def _paint_autopilot(self) -> None:
        self.query_one(AutopilotPanel).paint(self.smsapp.autopilot, self.now())

    def _paint_health(self) -> None:
        line = self.query_one("#orders-health", Static)
        service = self.service
        if service is None:
            text = Text("not signed in", style="dim")
        elif self._offline:
            text = Text(f"● {self._offline}", style="bold")
        else:
            last: datetime | None = getattr(service, "last_ok_at", None)
            when = (
                "connecting…"
                if last is None
                else f"updated {ago_text((self.now() - last).total_seconds())}"
            )
            now = self.now()
            active = sum(1 for o in self.table.orders.values() if o.is_active(now))
            text = Text(f"● live · {when} · {active} active", style="dim")
        if text != self._health_text:  # most ticks change nothing here
            self._health_text = text
            line.set_class(bool(self._offline), "-offline")
            line.update(text)

    # ---- core events -----------------------------------------------------------------------

    def on_core_event(self, event: object) -> None:
        if isinstance(event, OrderBought):
            self._bought = event.order_id
            self._cursor_to_bought()
        elif is_autopilot_event(event):
            self._refresh_board()  # the panel, the attempts' marks, the footer's keys
        elif isinstance(event, ev.OrdersChanged):
            self._show(event.orders)
        elif isinstance(event, ev.CodeArrived):
            self.table.flash(event.order.order_id, self.now())
        elif isinstance(event, ev.OrderNotice):
            order = self.table.orders.get(event.order_id)
            who = f"{plain(order.service)} {plain(order.number)}: " if order else ""
            self.say(who + notice_text(event), event.severity)
        elif isinstance(event, ev.MonitorHealth) and event.name == "orders":
            self._offline = "" if event.online else plain(event.message)
            self._paint_health()

    def _cursor_to_bought(self) -> None:
        """The order the user just bought gets the cursor once its row is there."""
        oid = self._bought
        if oid is not None and oid in self.table.rows:
            self._bought = None
            self.table.move_cursor(row=self.table.get_row_index(oid))

    def on_hidden_core_event(self, event: object) -> None:
        """Off screen: notices still toast; the board and health line wait for the resume."""
        if isinstance(event, OrderBought):
            self._bought = event.order_id
            self._stale = True
        elif isinstance(event, ev.OrderNotice):
            self.on_core_event(event)
        elif isinstance(event, ev.CodeArrived):  # still flashes if we are back in time
            self.table.flash(event.order.order_id, self.now(), paint=False)
        elif isinstance(event, ev.MonitorHealth) and event.name == "orders":
            self._offline = "" if event.online else plain(event.message)
        super().on_hidden_core_event(event)

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions are hidden on an empty board and greyed out where they don't apply."""
        if action in AUTOPILOT_ACTIONS:
            return self.smsapp.autopilot.running
        if action not in ROW_ACTIONS:
            return True
        tables = self.query(OrderTable)
        if not tables or not tables.first().orders:
            return False
        table = tables.first()
        return True if can_act(action, table.selected_order, table.orders, self.now()) else None

    def why_not(self, action: str) -> str | None:
        if action not in ROW_ACTIONS:
            return None
        tables = self.query(OrderTable)
        return why_not(action, tables.first().selected_order if tables else None)

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self.refresh_footer()
        self._paint_status()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_details()

    def action_details(self) -> None:
        order = self.table.selected_order
        if order is not None:
            history = self.smsapp.autopilot.history(order.order_id)
            self.app.push_screen(OrderDetailScreen(order, self.now(), history=history))

    def action_autopilot_pause(self) -> None:
        glue = self.smsapp.autopilot
        glue.toggle_pause()
        if glue.pilot is not None:
            self.say("Autopilot paused: no new purchases" if glue.pilot.paused
                     else "Autopilot resumed")  # fmt: skip
        self._paint_autopilot()

    def action_autopilot_skip(self) -> None:
        self.smsapp.autopilot.skip()
        self.say("Autopilot: cancelling the live number, then the next candidate")

    def action_autopilot_stop(self) -> None:
        self.smsapp.autopilot.stop()
        self.say("Autopilot stopping: its live numbers are being cancelled")

    def action_copy_code(self) -> None:
        order = self.table.selected_order
        if order is not None and not order.code and order.share_url:  # a token order
            self.app.copy_to_clipboard(order.share_url)
            self.say(f"Copied the share link {plain(order.share_url)}")
            return
        if order is None or not order.code:
            return
        self.app.copy_to_clipboard(order.code)
        self.say(f"Copied code {plain(order.code)} ({plain(order.service)})")

    def action_copy_number(self) -> None:
        order = self.table.selected_order
        if order is None or not order.number:
            return
        self.app.copy_to_clipboard(
            copy_number(order.number, self.smsapp.settings.display.copy_number)
        )
        self.say(f"Copied number {plain(order.number)}")

    def action_cancel_order(self) -> None:
        """x: cancel (no confirm: it only refunds); on a queued cancel, withdraw it; on a
        purchase of unknown outcome, dismiss it once the user has checked the dashboard."""
        order = self.table.selected_order
        if order is None or self.service is None:
            return
        if order.is_intent_row and order.intent_id is not None:
            self._dismiss_unknown(order.intent_id)
        else:
            self._cancel(order.order_id, withdraw=order.cancel_queued)

    @work(name="orders-cancel", group="orders-actions", exit_on_error=False)
    async def _cancel(self, order_id: str, withdraw: bool = False) -> None:
        assert self.service is not None
        try:
            if withdraw:
                await self.service.unqueue_cancel(order_id)
            else:
                await self.service.cancel(order_id)
        except Exception as exc:  # shown to the user, never fatal
            self.say(f"Cancel failed: {error_text(exc)}", "error")

    @work(name="orders-dismiss-unknown", group="orders-actions", exit_on_error=False)
    async def _dismiss_unknown(self, intent_id: int) -> None:
        question = (
            "This purchase got no clear answer, and the server has not listed it yet.\n"
            "Dismiss it only if the SMSPool dashboard shows no such order."
        )
        ok = await self.app.push_screen_wait(
            ConfirmScreen(question, title="Dismiss unknown purchase", yes="Dismiss", no="Keep")
        )
        if ok and self.service is not None:
            self.service.dismiss_unknown(intent_id)

    def action_resend(self) -> None:
        order = self.table.selected_order
        if order is not None and self.service is not None:
            self._check_resend(order)

    @work(name="orders-check-resend", group="orders-actions", exit_on_error=False)
    async def _check_resend(self, order: Order) -> None:
        await resend_flow(self, order)

    def action_missed(self) -> None:
        from smspool_tui.ui.screens.missed import MissedScreen  # opened rarely: off first paint

        self.app.push_screen(MissedScreen())

    @work(name="orders-cancel-all", group="orders-actions", exclusive=True, exit_on_error=False)
    async def action_cancel_all(self) -> None:
        if self.service is not None:
            await cancel_all_flow(self, cancellable(self.table.orders, self.now()))

    @work(name="orders-activate", group="orders-actions", exit_on_error=False)
    async def action_activate(self) -> None:
        order = self.table.selected_order
        if order is not None and self.service is not None:
            await activate_flow(self, order)

    @work(name="orders-archive", group="orders-actions", exit_on_error=False)
    async def action_archive(self) -> None:
        if self.service is None:
            return
        try:
            count = await self.service.archive()
        except Exception as exc:  # shown to the user, never fatal
            self.say(f"Archive failed: {error_text(exc)}", "error")
            return
        self.say(archived_text(count))

    def action_buy_again(self) -> None:
        order = self.table.selected_order
        if order is None or self.service is None or order.is_intent_row:
            return
        self._buy_again(self.service.buy_again(order.order_id))

    @work(name="orders-buy-again", group="orders-actions", exclusive=True, exit_on_error=False)
    async def _buy_again(self, again: BuyAgain) -> None:
        """Open the purchase modal for the same service and country (it asks before buying)."""
        await buy_again_flow(self, again)
