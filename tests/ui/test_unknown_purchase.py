"""A purchase whose answer is lost, through a real session, the real modal and the real board:
buy stays off, a second `y` sends nothing, and the board shows the order the server sold (no
"unknown" row beside it), or an unknown row the user can dismiss."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen
from smspool_tui.ui.widgets.order_table import OrderTable
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)


def _request(sim: SimHandle) -> PurchaseRequest:
    us = next(c for c in sim.engine.catalog.countries if c.short_name == "US")
    tg = next(s for s in sim.engine.catalog.services if s.name == "Telegram")
    return PurchaseRequest.simple(tg.id, "Telegram", us.id, "United States", price=Decimal("1"))


def _rows(app) -> dict:
    return app.screen.query_one(OrderTable).orders if isinstance(app.screen, OrdersScreen) else {}


async def test_lost_answer_then_the_real_order_on_the_board(tmp_path: Path) -> None:
    sim = start_sim(seed=4, no_sms_rate=1.0, balance=Decimal("100"))
    try:
        app = make_test_app(sim, tmp_path, poll_interval=2)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: app.session.orders.last_ok_at is not None)
            # The server sells the number, then the answer comes back garbled.
            sim.engine.force_fault("wrongtype", path="purchase/sms")
            app.push_screen(PurchaseScreen(_request(sim)))
            await wait_until(lambda: isinstance(app.screen, PurchaseScreen))
            modal = app.screen
            await pilot.press("y")
            await wait_until(lambda: modal.unknown_outcome)
            assert modal.check_action("buy", ()) is None
            await pilot.press("y")  # buy is off: nothing is sent
            await pilot.pause()
            assert sim.engine.count("purchase/sms") == 1
            [sold] = sim.engine.orders
            await pilot.press("escape")
            await wait_until(lambda: isinstance(app.screen, OrdersScreen))
            sim.clock.advance(3)
            await wait_until(lambda: sold in _rows(app) and len(_rows(app)) == 1)
            assert not any(k.startswith("intent:") for k in _rows(app))
            intent = app.session.journal.get_intent(1)
            assert intent is not None and intent.state == "done" and intent.order_id == sold
    finally:
        sim.stop()


async def test_never_sold_shows_unknown_and_can_be_dismissed(tmp_path: Path) -> None:
    sim = start_sim(seed=4, no_sms_rate=1.0, balance=Decimal("100"))
    try:
        app = make_test_app(sim, tmp_path, poll_interval=2)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: app.session.orders.last_ok_at is not None)
            sim.engine.force_fault("500", path="purchase/sms")  # refused before selling
            app.push_screen(PurchaseScreen(_request(sim)))
            await wait_until(lambda: isinstance(app.screen, PurchaseScreen))
            await pilot.press("y")
            await wait_until(lambda: app.screen.unknown_outcome)
            # A new modal for the same thing: the user is asked before a second purchase.
            await pilot.press("escape")
            app.push_screen(PurchaseScreen(_request(sim)))
            await wait_until(lambda: isinstance(app.screen, PurchaseScreen))
            await pilot.press("y")
            await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
            assert "unknown outcome" in str(app.screen.question)
            await pilot.press("escape")  # don't buy
            await wait_until(lambda: isinstance(app.screen, PurchaseScreen))
            assert sim.engine.count("purchase/sms") == 1
            await pilot.press("escape")
            await wait_until(lambda: "intent:1" in _rows(app))
            table = app.screen.query_one(OrderTable)
            assert table.cell_text("intent:1", "status") == "⚠ unknown"
            assert app.screen.check_action("buy_again", ()) is None
            await pilot.press("x")
            await wait_until(lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.click("#confirm-yes")
            await wait_until(lambda: "intent:1" not in _rows(app))
            assert app.session.journal.get_intent(1).state == "failed"
    finally:
        sim.stop()
