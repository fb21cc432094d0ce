"""One compact driver per main screen for the fault matrix: how to open the screen, which
endpoint it depends on, how to make it ask again, and what "working again" looks like."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tests.faults.common import screen_text, workers_done
from tests.harness import SimHandle, wait_until
from tests.ui.buyflow import open_prices, open_purchase

Step = Callable[[Any, Any, SimHandle], Awaitable[None]]
Check = Callable[[Any], bool]

# What a clear message looks like. Each case first checks the healthy screen does not match,
# so a match later really is the fault being reported.
MESSAGE = re.compile(
    r"could not|offline|unavailable|failed|invalid|timed out|too many|not found|"
    r"out of stock|no clear answer|may or may not|not enough|went wrong|error|refused|"
    r"unexpected|no answer|try again|rejected|no pool sells",
    re.IGNORECASE,
)

# Kinds whose answer may legitimately parse (the models are tolerant), so a message is optional:
# the screen must only keep running and recover.
SOFT_KINDS = frozenset({"wrongtype", "empty", "huge"})


def shows_message(app: Any) -> bool:
    return bool(MESSAGE.search(screen_text(app)))


async def tick_until(
    sim: SimHandle, predicate: Check, step: float = 5.0, timeout: float = 20.0
) -> None:
    """Advance the FakeClock a poll at a time until the monitors made `predicate` true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        sim.clock.advance(step)
        for _ in range(10):
            if predicate():
                return
            await asyncio.sleep(0.02)


@dataclass(frozen=True)
class Driver:
    name: str
    path: str  # the endpoint the fault is injected on
    open: Step  # healthy: the screen is up with its data
    trigger: Step  # make the screen ask the server again
    recovered: Check  # data is back and no error is shown
    monitors: bool = False
    # 404 on a rental endpoint means "no such rental": the app marks it ended (not an error)
    # and brings it back when the server lists it again.
    soft: frozenset[str] = SOFT_KINDS
    # Healthy before a fault: the screen is up, ready to ask again, no error shown. Most
    # screens are "ready" when they are "recovered"; the purchase modal is not (its recovery is
    # the board), so it says what ready means for it.
    ready: Check | None = None
    # After the fault has cleared, what a user does before trying again (purchase: settle a
    # purchase of unknown outcome on the board first).
    after_fault: Step | None = None

    def is_ready(self, app: Any) -> bool:
        return (self.ready or self.recovered)(app)


async def _settle(pilot: Any, app: Any) -> None:
    await pilot.pause()
    await workers_done(app, timeout=8)
    await pilot.pause()


async def _press(key: str, pilot: Any, app: Any, sim: SimHandle) -> None:
    await pilot.press(key)
    await _settle(pilot, app)


def _status(app: Any, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id).render())


# -- browse: the catalog is fetched when the screen opens (then cached), f5 fetches again --
async def _browse_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await pilot.press("b")
    await wait_until(lambda: type(app.screen).__name__ == "BrowseScreen")
    await _settle(pilot, app)


def _browse_ok(app: Any) -> bool:
    return app.screen.services_list.option_count > 100 and not MESSAGE.search(
        _status(app, "#browse-status")
    )


BROWSE = Driver(
    "browse",
    "service/retrieve_all",
    _browse_open,
    lambda p, a, s: _press("f5", p, a, s),
    _browse_ok,
)


# -- prices: suggested countries for one service; f5 forgets the prices and asks again ---
async def _prices_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await open_prices(pilot)


def _prices_ok(app: Any) -> bool:
    screen = app.screen
    return (
        type(screen).__name__ == "PricesScreen"
        and screen.loaded
        and screen.countries_table.row_count > 0
        and not MESSAGE.search(_status(app, "#prices-status"))
    )


PRICES = Driver(
    "prices",
    "request/suggested_countries",
    _prices_open,
    lambda p, a, s: _press("f5", p, a, s),
    _prices_ok,
)


# -- purchase: the modal's `y`; a failure keeps the modal open, `y` again buys once ----------
async def _purchase_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await open_purchase(pilot)  # once with real keys: browse, type, enter, enter
    _FIRST_REQUEST[:] = [app.screen.request]


async def _purchase_trigger(pilot: Any, app: Any, sim: SimHandle) -> None:
    await pilot.press("y")
    await wait_until(lambda: not getattr(app.screen, "buying", False), timeout=8)
    await _settle(pilot, app)


async def purchase_reopen(pilot: Any, app: Any) -> None:
    """After a purchase the board shows: the same modal again (what enter on Prices pushes)."""
    if type(app.screen).__name__ == "PurchaseScreen":
        return
    from smspool_tui.ui.screens.purchase import PurchaseScreen

    await app.push_screen(PurchaseScreen(_FIRST_REQUEST[0]))
    await _settle(pilot, app)


_FIRST_REQUEST: list[Any] = []


def _purchase_ready(app: Any) -> bool:
    """The modal is up, idle, its buy button enabled and no error in its message line."""
    screen = app.screen
    if type(screen).__name__ != "PurchaseScreen" or screen.buying:
        return False
    return not screen.query_one("#purchase-buy").disabled and not MESSAGE.search(
        _status(app, "#purchase-message")
    )


async def _purchase_after_fault(pilot: Any, app: Any, sim: SimHandle) -> None:
    """An unclear answer keeps buy off in the modal (the order may exist). The user goes to the
    board: the order the server sold is matched there, or the unknown row is dismissed with x
    once the dashboard shows nothing; then the modal again, and `y` buys once."""
    if not getattr(app.screen, "unknown_outcome", False):
        return
    await pilot.press("escape")
    await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen", timeout=5)
    orders = app.session.orders
    table = app.screen.query_one("OrderTable")
    await orders.poll_once()  # the board's next look at the server: a sold order is matched
    for intent in orders.ledger.open():
        row = f"intent:{intent.id}"
        await wait_until(lambda row=row: row in table.orders, timeout=5)
        table.focus()
        await pilot.press("ctrl+home", *["down"] * table.get_row_index(row))
        await wait_until(lambda row=row: getattr(table.selected_order, "order_id", "") == row)
        await pilot.press("x")
        await wait_until(lambda: type(app.screen).__name__ == "ConfirmScreen", timeout=5)
        await pilot.press("y")
        await wait_until(lambda row=row: row not in table.orders, timeout=5)
    assert orders.ledger.open() == []
    await purchase_reopen(pilot, app)


PURCHASE = Driver(
    "purchase",
    "purchase/sms",
    _purchase_open,
    _purchase_trigger,
    lambda app: type(app.screen).__name__ == "OrdersScreen",
    ready=_purchase_ready,
    after_fault=_purchase_after_fault,
)


# -- orders: the board's monitor polls request/active on the (fake) clock --------------------
async def _orders_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await wait_until(lambda: getattr(app.session.orders, "last_ok_at", None) is not None)
    await pilot.pause()


async def _orders_trigger(pilot: Any, app: Any, sim: SimHandle) -> None:
    """A few poll cycles (past any backoff) until the board says offline or is live again."""
    before = sim.engine.count("request/active")
    await tick_until(
        sim,
        lambda: sim.engine.count("request/active") > before and (shows_message(app) or _live(app)),
        step=30,
    )


def _live(app: Any) -> bool:
    """Live and updated: "live · connecting…" (no poll has answered yet) is not live."""
    health = _status(app, "#orders-health")
    return "live" in health and "updated" in health and "connecting" not in health


def _orders_ok(app: Any) -> bool:
    return _live(app) and not shows_message(app)


ORDERS = Driver(
    "orders", "request/active", _orders_open, _orders_trigger, _orders_ok, monitors=True
)


# -- history: the journal at once, request/history merged behind (once per screen) ----------
async def _history_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await _press("h", pilot, app, sim)


async def _history_trigger(pilot: Any, app: Any, sim: SimHandle) -> None:
    app.screen._sync()  # what opening History does; there is no key for it
    await _settle(pilot, app)


def _history_ok(app: Any) -> bool:
    return not MESSAGE.search(_status(app, "#history-status")) and app.screen._sync_note == ""


HISTORY = Driver("history", "request/history", _history_open, _history_trigger, _history_ok)


# -- rentals: my rentals; f5 reloads them from rental/retrieve -------------------------------
async def _rentals_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await app.session.rentals.refresh_mine()  # the rental was bought on the "website"
    await _press("r", pilot, app, sim)
    await wait_until(lambda: app.screen.mine.row_count > 0)


def _rentals_ok(app: Any) -> bool:
    return app.screen.mine.row_count > 0 and not MESSAGE.search(_status(app, "#rentals-status"))


RENTALS = Driver(
    "rentals",
    "rental/retrieve",
    _rentals_open,
    lambda p, a, s: _press("f5", p, a, s),
    _rentals_ok,
    soft=SOFT_KINDS | {"404"},
)


# -- inbox: one rental's messages; f5 checks now ---------------------------------------------
async def _inbox_open(pilot: Any, app: Any, sim: SimHandle) -> None:
    await _rentals_open(pilot, app, sim)
    await pilot.press("enter")
    await wait_until(lambda: type(app.screen).__name__ == "InboxScreen")
    await _settle(pilot, app)


def _inbox_ok(app: Any) -> bool:
    return type(app.screen).__name__ == "InboxScreen" and not MESSAGE.search(
        _status(app, "#inbox-status")
    )


async def _inbox_trigger(pilot: Any, app: Any, sim: SimHandle) -> None:
    rental = app.session.rentals.get(app.screen.rental_code)
    if rental is not None and not rental.is_live:  # ended by a 404: the server lists it again
        await app.session.rentals.refresh_mine()
    await _press("f5", pilot, app, sim)


INBOX = Driver(
    "inbox",
    "rental/retrieve_messages",
    _inbox_open,
    _inbox_trigger,
    _inbox_ok,
    soft=SOFT_KINDS | {"404"},
)

DRIVERS: dict[str, Driver] = {
    d.name: d for d in (BROWSE, PRICES, PURCHASE, ORDERS, HISTORY, RENTALS, INBOX)
}
