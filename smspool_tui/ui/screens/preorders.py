"""Pre-orders: the account's bids for numbers that are out of stock, and cancelling them.

The list comes from the journal at once, then from the server (`preorder/retrieve`, and
`preorder/check` for a bid that left it) on open, on f5 and every half minute while shown. A
filled bid says so and its number is on the orders board; `x` cancels a waiting bid (SMSPool
refunds it) or, for a bid of unknown outcome, dismisses it once the user has checked.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.preorders import Bid, PreordersService, for_session
from smspool_tui.ui.screens.base import BaseScreen, tcss
from smspool_tui.ui.text import NONE, error_text, money, plain
from smspool_tui.ui.widgets.keyed_table import KeyedTable

LIVE = ("sent", "unknown", "open")
ENDED = ("filled", "cancelled", "gone")  # money moved: listed a while (refusals never held any)
REFRESH_EVERY = 30.0  # seconds, while the screen is shown
RECENT = timedelta(hours=1)  # ended bids stay listed this long, so a fill or refund is seen
COLUMNS = (
    ("Service", "service", 14),
    ("Country", "country", 14),
    ("Bid", "bid", 7),
    ("Highest", "highest", 7),
    ("State", "state", 24),
)
STATE_STYLES = {
    "open": "",
    "filled": "bold green",
    "unknown": "bold yellow",
    "sent": "yellow",
    "cancelled": "dim",
    "gone": "dim",
    "refused": "dim",
    "dismissed": "dim",
}
EMPTY = (
    "No pre-orders. When a number is out of stock, p on the prices screen bids for the next "
    "one that comes back."
)


def cells(bid: Bid) -> dict[str, Text]:
    row = bid.row
    style = STATE_STYLES.get(row.state, "")
    if row.state == "open" and bid.outbid:
        style = "yellow"
    return {
        "service": Text(plain(row.service), no_wrap=True, overflow="ellipsis"),
        "country": Text(plain(row.country), no_wrap=True, overflow="ellipsis"),
        "bid": Text(money(row.bid), justify="right"),
        "highest": Text(NONE if bid.highest is None else money(bid.highest), justify="right"),
        "state": Text(bid.label, style=style, no_wrap=True, overflow="ellipsis"),
    }


class PreordersScreen(BaseScreen):
    TITLE = "Pre-orders"
    CSS_PATH = tcss("preorders")
    STATUS_ID = "preorders-status"
    BINDINGS = [
        Binding("x", "cancel_bid", "Cancel bid", id="preorders.cancel",
                tooltip="Cancel the highlighted bid (refunded), or dismiss an unknown one"),
        Binding("f5", "reload", "Reload", id="preorders.reload"),
        Binding("escape", "back", "Back", id="preorders.back"),
    ]  # fmt: skip

    def __init__(self, *, select: int | None = None) -> None:
        super().__init__()
        self.select = select
        self.loaded = False  # the server's list has been read at least once
        self.busy: set[int] = set()  # bids with a cancel on its way

    @property
    def service(self) -> PreordersService | None:
        session = self.session
        return None if session is None else for_session(session)

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Pre-orders: bids for numbers out of stock", style="bold"),
                     id="preorders-title")  # fmt: skip
        yield KeyedTable(id="preorders-table")
        yield Static(Text(EMPTY), id="preorders-empty", classes="empty-state")
        yield Static(id="preorders-status")

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#preorders-table", KeyedTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.set_columns(COLUMNS)
        self.table.focus()
        self.show()
        self.ticker(REFRESH_EVERY, self.action_reload, name="preorders-refresh")
        self.action_reload()

    # ---- display -----------------------------------------------------------------------------

    def shown_bids(self) -> list[Bid]:
        service = self.service
        if service is None:
            return []
        since = self.now() - RECENT
        every = service.bids(live_only=False)
        return [
            b for b in every if b.state in LIVE or (b.state in ENDED and b.row.updated_at >= since)
        ]

    def show(self) -> None:
        bids = self.shown_bids()
        keep = str(self.select) if self.select is not None else None
        self.table.reconcile([(str(b.id), cells(b)) for b in bids], keep=keep)
        self.select = None
        self.table.display = bool(bids)
        self.query_one("#preorders-empty").display = not bids
        self.refresh_bindings()

    @property
    def highlighted(self) -> Bid | None:
        key = self.table.cursor_key if self.table.row_count else None
        service = self.service
        if key is None or service is None:
            return None
        return service.get(int(key))

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_footer()

    # ---- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_bid":
            bid = self.highlighted
            if bid is None:
                return False
            ok = (bid.can_cancel or bid.state == "unknown") and bid.id not in self.busy
            return True if ok else None
        return True

    def why_not(self, action: str) -> str | None:
        if action == "cancel_bid":
            bid = self.highlighted
            if bid is not None and bid.id in self.busy:
                return "The cancel is on its way."
            if bid is not None:
                return f"This pre-order is {bid.label}: nothing to cancel."
        return None

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        if self.service is not None:
            self.refresh_list()

    @work(name="preorders-refresh", group="preorders-refresh", exclusive=True, exit_on_error=False)
    async def refresh_list(self) -> None:
        service = self.service
        if service is None:
            return
        try:
            await service.refresh()
        except Exception as exc:  # the journal's list stays on screen
            self.query_one("#preorders-status", Static).update(
                Text(f"Could not reach SMSPool: {error_text(exc)}. f5 to retry.")
            )
            self.show()
            return
        self.loaded = True
        self.query_one("#preorders-status", Static).update(
            Text("x cancels a waiting bid (refunded) · f5 reloads · a filled bid is on the board")
        )
        self.show()

    def action_cancel_bid(self) -> None:
        bid = self.highlighted
        service = self.service
        if bid is None or service is None or bid.id in self.busy:
            return
        if bid.state == "unknown":
            service.dismiss(bid.id)
            self.say("Dismissed: that bid was not placed (as you checked on the dashboard).")
            self.show()
            return
        if not bid.can_cancel:
            return
        self.busy.add(bid.id)
        self.refresh_bindings()
        self.run_cancel(bid.id)

    @work(name="preorders-cancel", group="preorders-cancel", exit_on_error=False)
    async def run_cancel(self, bid_id: int) -> None:
        service = self.service
        assert service is not None
        try:
            bid = await service.cancel(bid_id)
        except NotConfirmed as exc:
            self.say(error_text(exc), "warning")
        except Exception as exc:
            self.say(f"Not cancelled: {error_text(exc)}", "error")
        else:
            if bid.state == "cancelled":
                self.say(f"Pre-order cancelled: {money(bid.row.bid)} refunded.")
            elif bid.state == "filled":
                self.say("Too late to cancel: it filled, and the number is on the orders board.")
            else:
                self.say(f"This pre-order is {bid.label}.")
        finally:
            self.busy.discard(bid_id)
        self.show()
