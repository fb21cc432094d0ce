"""The Orders board end to end: the simulator over loopback, monitors on a FakeClock.

Time moves only when a test advances the sim's FakeClock; `poll` advances it and waits for the
monitor's next request/active, so no test sleeps for a fixed time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.core.events import BalanceChanged, OrdersChanged
from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.order_detail import OrderDetailScreen
from smspool_tui.ui.screens.orders import EMPTY_TEXT, OrdersScreen
from smspool_tui.ui.text import copy_number
from smspool_tui.ui.widgets.order_table import CODE_MARK, OrderTable, columns_for
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)
ORDER_PATHS = ("request/active", "sms/check")


@pytest.fixture
def quiet_sim() -> Iterator[SimHandle]:
    """A sim where no SMS ever arrives (expiry and cancel paths)."""
    handle = start_sim(seed=2, no_sms_rate=1.0, balance=Decimal("1000"))
    try:
        yield handle
    finally:
        handle.stop()


def board(app) -> OrderTable:
    assert isinstance(app.screen, OrdersScreen), app.screen
    return app.screen.query_one(OrderTable)


async def buy(app, service: str = "Telegram", country: str = "US") -> Order:
    order = await app.session.orders.purchase(
        country, service, country_name=country, service_name=service
    )
    await wait_until(lambda: order.order_id in board(app).orders)
    return order


async def started(app, sim: SimHandle) -> None:
    """The monitor has reconciled and sleeps on the FakeClock."""
    await wait_until(lambda: getattr(app.session.orders, "last_ok_at", None) is not None)
    monitors = len(app.session.monitors())
    await wait_until(lambda: sim.clock.sleepers >= monitors)


async def poll(sim: SimHandle, seconds: float) -> None:
    """Advance the clock and wait for the orders monitor's next cycle."""
    before = sim.engine.count("request/active")
    sim.clock.advance(seconds)
    # If the monitor was mid-cycle (a purchase wakes it), its next sleep started after this
    # advance: nudge the clock again until the cycle shows up.
    deadline = time.monotonic() + 5
    while sim.engine.count("request/active") <= before:
        assert time.monotonic() < deadline, "the orders monitor did not poll"
        nudge = time.monotonic() + 0.3
        while time.monotonic() < nudge and sim.engine.count("request/active") <= before:
            await asyncio.sleep(0.01)
        if sim.engine.count("request/active") <= before:
            sim.clock.advance(seconds)


def sim_buy(sim: SimHandle) -> None:
    """A purchase straight into the simulator, as if made on the website."""
    resp = sim.engine.handle(
        "POST", "purchase/sms", {"country": "US", "service": "Telegram"}, sim.key
    )
    assert resp.status == 200, resp


def status(app, order: Order) -> OrderState:
    return board(app).orders[order.order_id].status


async def test_code_arrives_stands_out_and_copies(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await buy(app)
        table = board(app)
        assert table.cell_text(order.order_id, "code") == ""
        assert table.cell_text(order.order_id, "cancel").startswith("cancel in ")
        await poll(sim, 10)  # past the sim's SMS delay
        await wait_until(lambda: status(app, order) is OrderState.RECEIVED)
        code = table.orders[order.order_id].code
        assert code
        await pilot.pause()
        assert table.cell_text(order.order_id, "code") == CODE_MARK + code
        cell = table.get_cell(order.order_id, "code")
        assert cell.style.bold and cell.style.reverse  # flashing: just arrived
        assert table.cell_text(order.order_id, "status") == "received"
        await pilot.press("c")
        assert app.clipboard == code
        assert any(code in str(n.message) for n in app._notifications)  # a toast says it
        await pilot.press("n")
        assert app.clipboard == copy_number(table.orders[order.order_id].number)  # national digits
        sim.clock.advance(9)  # the flash ends on the next display tick
        await wait_until(lambda: not table.get_cell(order.order_id, "code").style.reverse)


async def test_countdown_ticks_from_the_clock_without_requests(
    quiet_sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=5)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        table = board(app)
        first = table.cell_text(order.order_id, "left")
        await pilot.pause()
        before = [quiet_sim.engine.count(p) for p in ORDER_PATHS]
        # Less than a poll interval: only the display timer can change the cell.
        quiet_sim.clock.advance(3)
        await wait_until(lambda: table.cell_text(order.order_id, "left") != first, timeout=3)
        assert [quiet_sim.engine.count(p) for p in ORDER_PATHS] == before
        # The tick re-renders only changed rows: the screen must show the new time, not a cache.
        await pilot.pause()
        shown = app.export_screenshot()
        assert table.cell_text(order.order_id, "left") in shown
        assert first not in shown


async def test_expired_row(quiet_sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        await poll(quiet_sim, 1300)  # past the sim's 20 min order life
        await wait_until(lambda: status(app, order) is OrderState.EXPIRED)
        await pilot.pause()
        table = board(app)
        assert table.cell_text(order.order_id, "status") == "expired"
        assert table.cell_text(order.order_id, "left") == "—"
        assert table.cell_text(order.order_id, "cancel") == ""
        assert app.screen.check_action("cancel_order", ()) is None  # greyed out
        assert app.screen.check_action("copy_code", ()) is None


async def test_cancel_after_the_lock_cancels_at_once(quiet_sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        await poll(quiet_sim, 61)  # past the sim's cancel lock
        await wait_until(lambda: board(app).cell_text(order.order_id, "cancel") == "can cancel")
        await pilot.press("x")
        await wait_until(lambda: status(app, order) is OrderState.CANCELLED)
        await pilot.pause()
        assert board(app).cell_text(order.order_id, "status") == "cancelled"
        assert quiet_sim.engine.count("sms/cancel") == 1


async def test_cancel_too_early_is_queued_then_sent(quiet_sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        await pilot.press("x")
        table = board(app)
        await wait_until(lambda: table.cell_text(order.order_id, "cancel").startswith("queued"))
        assert status(app, order) is OrderState.PENDING
        await poll(quiet_sim, 61)
        await wait_until(lambda: status(app, order) is OrderState.CANCELLED)
        await pilot.pause()
        assert table.cell_text(order.order_id, "status") == "cancelled"


async def test_queued_cancel_loses_to_a_code(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await buy(app)
        await pilot.press("x")
        await wait_until(lambda: board(app).orders[order.order_id].cancel_queued)
        sim.engine.deliver_sms(order.order_id)
        await poll(sim, 2)
        await wait_until(lambda: status(app, order) is OrderState.RECEIVED)
        await pilot.pause()
        assert board(app).cell_text(order.order_id, "code").startswith(CODE_MARK)
        assert board(app).cell_text(order.order_id, "cancel") == ""


async def test_resend_asks_with_its_cost(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await buy(app)
        sim.engine.deliver_sms(order.order_id)
        await poll(sim, 2)
        await wait_until(lambda: status(app, order) is OrderState.RECEIVED)
        await pilot.pause()
        await pilot.press("R")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#confirm-question").render())
        assert "free" in question and order.number in question
        assert sim.engine.count("sms/resend") == 0
        await pilot.press("y")
        await wait_until(lambda: sim.engine.count("sms/resend") == 1)
        await wait_until(
            lambda: any("asked for again (free)" in str(n.message) for n in app._notifications)
        )


async def test_resend_declined_sends_nothing(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await buy(app)
        sim.engine.deliver_sms(order.order_id)
        await poll(sim, 2)
        await wait_until(lambda: status(app, order) is OrderState.RECEIVED)
        await pilot.pause()
        await pilot.press("R")
        await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        assert sim.engine.count("sms/resend") == 0


async def test_archive_takes_finished_rows_off(quiet_sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        old = await buy(app)
        await poll(quiet_sim, 1300)
        await wait_until(lambda: status(app, old) is OrderState.EXPIRED)
        fresh = await buy(app, service="WhatsApp")
        await pilot.pause()
        assert app.screen.check_action("archive", ()) is True
        await pilot.press("a")
        await wait_until(lambda: old.order_id not in board(app).orders)
        assert fresh.order_id in board(app).orders
        assert quiet_sim.engine.count("request/archive") == 1


async def test_cursor_stays_on_its_order_when_rows_arrive(
    quiet_sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        await buy(app)
        quiet_sim.clock.advance(1)
        await buy(app, service="WhatsApp")
        table = board(app)
        await pilot.press("down")
        await pilot.pause()
        picked = table.selected_order
        assert picked is not None and table.cursor_row == 1
        quiet_sim.clock.advance(1)
        newest = await buy(app, service="Discord")  # newest goes on top
        await pilot.pause()
        assert table.ordered_rows[0].key.value == newest.order_id
        assert table.selected_order is not None
        assert table.selected_order.order_id == picked.order_id
        assert table.cursor_row == 2


async def test_enter_opens_details_with_full_sms(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, sim)
        order = await buy(app)
        sim.engine.deliver_sms(order.order_id, "Your code is 482913 [red]x[/red]\x1b[2J done")
        await poll(sim, 2)
        await wait_until(lambda: status(app, order) is OrderState.RECEIVED)
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, OrderDetailScreen))
        body = str(app.screen.query_one("#detail-sms").render())
        assert "[red]x[/red]" in body  # shown as text, not markup
        assert "\x1b" not in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)


async def test_empty_board_and_narrow_columns(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, poll_interval=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, sim)
        empty = app.screen.query_one("#orders-empty")
        assert empty.display and EMPTY_TEXT in str(empty.render())
        await buy(app)
        await pilot.pause()
        assert not empty.display
        cols = board(app).visible_columns
        assert {"number", "status", "code", "left"} <= set(cols)
        assert "country" in cols and "cancel" not in cols  # the country a user acts on stays
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert "country" in board(app).visible_columns


def test_columns_drop_by_priority() -> None:
    wide = [c.key for c in columns_for(118)]
    assert wide == ["service", "country", "number", "status", "code", "left", "cancel"]
    narrow = columns_for(78)  # 80 columns: everything shrinks, the cancel window goes first
    assert [c.key for c in narrow] == ["service", "country", "number", "status", "code", "left"]
    assert [c.width for c in narrow if c.key in ("service", "country")] == [11, 11]
    tiny = [c.key for c in columns_for(40)]
    assert tiny == ["number", "status", "code", "left"]


@pytest.mark.parametrize("active", [1, 10, 50])
async def test_one_request_per_cycle(active: int, quiet_sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        for _ in range(active):  # bought elsewhere (the website): the monitor adopts them
            sim_buy(quiet_sim)
        await poll(quiet_sim, 30)  # an empty board polls at the idle interval
        await wait_until(lambda: len(board(app).orders) == active)
        await poll(quiet_sim, 2)  # let the purchase wake-ups settle
        await pilot.pause()
        quiet_sim.engine.reset_requests()
        for _ in range(3):
            await poll(quiet_sim, 2)
        await pilot.pause()
        counts = {p: quiet_sim.engine.count(p) for p in ORDER_PATHS}
        assert counts == {"request/active": 3, "sms/check": 0}
        assert len(board(app).orders) == active


# ---- snapshots: monitors off, the board fed one OrdersChanged on the sim's frozen clock -------


def board_orders(now: datetime) -> tuple[Order, ...]:
    """One row of each kind, sorted the way the service sorts them."""
    minute = timedelta(minutes=1)
    return (
        Order("P1WAIT", "Telegram", "United States", "14155550101", cost=Decimal("0.33"),
              purchased_at=now - 0.25 * minute, expires_at=now + 19.75 * minute,
              cancel_opens_at=now + 0.75 * minute),
        Order("P2QUEUE", "[bold]Discord[/bold]", "United Kingdom", "447700900123",
              purchased_at=now - 0.5 * minute, expires_at=now + 19.5 * minute,
              cancel_opens_at=now + 0.5 * minute, cancel_queued=True),
        Order("R3CODE", "WhatsApp", "Germany", "4915123456789", OrderState.RECEIVED,
              code="643089", full_sms="Your WhatsApp code: 643-089", cost=Decimal("0.67"),
              purchased_at=now - 4 * minute, expires_at=now + 16 * minute),
        Order("E4LATE", "Google", "France", "33612345678", OrderState.EXPIRED,
              purchased_at=now - 30 * minute, expires_at=now - 10 * minute,
              ended_at=now - 10 * minute),
        Order("C5GONE", "Uber", "Canada", "16475550199", OrderState.CANCELLED,
              purchased_at=now - 6 * minute, expires_at=now + 14 * minute,
              ended_at=now - 2 * minute),
    )  # fmt: skip


def snapshot_app(sim: SimHandle, tmp_path: Path):
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        now = sim.clock.now()
        app.session.orders.last_ok_at = now - timedelta(seconds=3)
        app.emit(BalanceChanged(Decimal("42.50")))
        app.emit(OrdersChanged(board_orders(now)))
        await pilot.pause()
        await pilot.pause()

    return app, run_before


def test_board_snapshot_wide(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app, run_before = snapshot_app(sim, tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_board_snapshot_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app, run_before = snapshot_app(sim, tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_board_snapshot_empty(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    assert snap_compare(app, terminal_size=(80, 24))


async def test_buy_again_opens_the_purchase_modal(quiet_sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.screens.purchase import PurchaseScreen

    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        await buy(app, service="WhatsApp", country="US")  # known by name only
        purchases = quiet_sim.engine.count("purchase/sms")
        await pilot.press("B")
        await wait_until(lambda: isinstance(app.screen, PurchaseScreen))
        request = app.screen.request
        assert request.service_name == "WhatsApp"
        assert isinstance(request.service_id, int)
        assert request.offer.country_id == next(
            c.id for c in await app.session.catalog.countries() if c.short_name == "US"
        )
        assert quiet_sim.engine.count("purchase/sms") == purchases  # nothing bought without `y`
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)


async def test_offline_shows_on_the_board_and_recovers(
    quiet_sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE):
        await started(app, quiet_sim)
        order = await buy(app)
        health = app.screen.query_one("#orders-health")
        await wait_until(lambda: "live" in str(health.render()))
        quiet_sim.engine.set_faults(error_rate=1.0, paths={"request/active"})
        await poll(quiet_sim, 2)
        await wait_until(lambda: "offline" in str(health.render()))
        assert health.has_class("-offline")
        assert order.order_id in board(app).orders  # the rows stay while offline
        quiet_sim.engine.set_faults(error_rate=0.0, paths=None)
        before = quiet_sim.engine.count("request/active")
        quiet_sim.clock.advance(120)  # past the backoff
        await wait_until(lambda: quiet_sim.engine.count("request/active") > before)
        await wait_until(lambda: "live" in str(health.render()))
        assert not health.has_class("-offline")


def test_server_text_is_made_plain() -> None:
    from smspool_tui.ui.text import plain
    from smspool_tui.ui.widgets.countdown import format_duration

    assert plain("Code\x1b[31m 123\x1b[0m\x07 [b]x[/b]\n\tnext") == "Code 123 [b]x[/b] next"
    assert plain("a\r\nb", one_line=False) == "a\nb"
    assert plain(None) == ""
    assert format_duration(0) == "0:00"
    assert format_duration(0.2) == "0:01"  # rounds up: 0:00 means really over
    assert format_duration(72) == "1:12"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(None) == "—"


async def test_unknown_purchase_row(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        now = sim.clock.now()
        row = Order("intent:7", "Telegram", "US", "", OrderState.UNKNOWN, purchased_at=now,
                    intent_id=7, note="purchase outcome unknown")  # fmt: skip
        app.emit(OrdersChanged((row,)))
        await wait_until(lambda: "intent:7" in board(app).orders)
        await pilot.pause()
        assert board(app).cell_text("intent:7", "status") == "⚠ unknown"
        assert app.screen.check_action("buy_again", ()) is None  # not until the server answers
        assert app.screen.check_action("copy_number", ()) is None
