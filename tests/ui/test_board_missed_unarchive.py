"""Missed SMS (m on the board, and the palette) with the code or link picked out; unarchive from
History (u), both served by the simulator over HTTP."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from smspool_tui.core.order_model import OrderState
from smspool_tui.ui.screens.history import HistoryScreen
from smspool_tui.ui.screens.missed import MissedScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.test_orders_board import SIZE, board, buy, poll, quiet_sim, started  # noqa: F401
from tests.ui.test_palette_words import _entries


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_missed_sms_lists_messages_with_the_code_or_link(
    sim: SimHandle, tmp_path: Path
) -> None:
    now = sim.clock.now().timestamp()
    sim.engine.extras.add_missed("14155550142", "Your Lyft code is 551902", now - 600)
    sim.engine.extras.add_missed("447700900517", "Sign in: https://example.com/l/9Fq2.", now - 60)
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert any("Missed SMS" in e for e in await _entries(pilot, "missed"))
        await pilot.press("m")
        await wait_until(lambda: isinstance(app.screen, MissedScreen))
        screen = app.screen
        await wait_until(lambda: len(screen.messages) == 2)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        newest, older = screen.messages
        assert newest.link == "https://example.com/l/9Fq2" and newest.number == "447700900517"
        assert older.code == "551902"
        await pilot.press("c")
        assert app.clipboard == "https://example.com/l/9Fq2"
        await pilot.press("down", "c")
        assert app.clipboard == "551902"
        assert "2 messages" in str(screen.query_one("#missed-note").render())
        assert sim.engine.count("sms/missed") == 1
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, OrdersScreen))


async def test_unarchive_from_history(
    quiet_sim: SimHandle,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        order = await buy(app)
        await poll(quiet_sim, 1300)
        await wait_until(lambda: board(app).orders[order.order_id].status is OrderState.EXPIRED)
        await pilot.press("a")
        await wait_until(lambda: order.order_id not in board(app).orders)
        assert quiet_sim.engine.orders[order.order_id].archived
        await pilot.press("h")
        await wait_until(lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        await wait_until(lambda: any(o.order_id == order.order_id for o in history.loaded))
        await pilot.pause()
        row = next(i for i, o in enumerate(history.loaded) if o.order_id == order.order_id)
        history.query_one("#history-table", DataTable).move_cursor(row=row)
        await pilot.pause()
        await pilot.press("u")
        await wait_until(lambda: not quiet_sim.engine.orders[order.order_id].archived)
        await wait_until(lambda: any("unarchived" in t for t in toasts(app)))
        stored = app.session.journal.get_order(order.order_id)
        assert stored is not None and not stored.archived


def test_missed_snapshot_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    now = sim.clock.now().timestamp()
    sim.engine.extras.add_missed("14155550142", "Your Lyft code is 551902", now - 600)
    sim.engine.extras.add_missed("447700900517", "Tap to sign in: https://example.com/l/9F", now)
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:
        await pilot.press("m")
        await wait_until(lambda: isinstance(app.screen, MissedScreen) and app.screen.messages)
        app.clear_notifications()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
