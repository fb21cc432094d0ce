"""q, ctrl+q and ctrl+c quit cleanly; a queued cancel or a purchase in flight makes them ask."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.ui.screens.confirm import QuitConfirm, quit_warning
from tests.harness import SimHandle, make_test_app, start_sim, wait_until


@pytest.fixture
def quiet_sim():
    handle = start_sim(seed=2, no_sms_rate=1.0, balance=Decimal("100"))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
async def test_quit_with_nothing_pending_is_immediate(
    key: str, sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert app.return_code == 0
    assert app.session.client._http.is_closed  # on_unmount closed the session


async def test_quit_with_a_queued_cancel_asks_first(quiet_sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(quiet_sim, tmp_path, monitors=False)
    async with app.run_test(size=(100, 30)) as pilot:
        orders = app.session.orders
        order = await orders.purchase("US", "Telegram", country_name="US", service_name="Telegram")
        await orders.cancel(order.order_id)  # inside the cancel lock: queued
        assert orders.get(order.order_id).cancel_queued
        assert "queued cancel" in (quit_warning(app) or "")
        await pilot.press("q")
        await wait_until(lambda: isinstance(app.screen, QuitConfirm))
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, QuitConfirm)
        assert app.return_code is None
        await pilot.press("ctrl+c")
        await wait_until(lambda: isinstance(app.screen, QuitConfirm))
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0


async def test_quit_with_a_purchase_in_flight_asks_first(
    quiet_sim: SimHandle, tmp_path: Path
) -> None:
    quiet_sim.engine.force_fault("hang", count=1, path="purchase/sms")
    app = make_test_app(quiet_sim, tmp_path, monitors=False)
    async with app.run_test(size=(100, 30)) as pilot:
        orders = app.session.orders
        app.run_worker(
            orders.purchase("US", "Telegram", country_name="US", service_name="Telegram"),
            name="test-purchase",
            exit_on_error=False,
        )
        await wait_until(lambda: quit_warning(app) is not None)
        assert "1 purchase is still waiting for SMSPool's answer" in (quit_warning(app) or "")
        await pilot.press("q")
        await wait_until(lambda: isinstance(app.screen, QuitConfirm))
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code is None
        await pilot.press("q")
        await wait_until(lambda: isinstance(app.screen, QuitConfirm))
        await pilot.press("q")  # q again on the question quits
        await pilot.pause()
        assert app.return_code == 0
