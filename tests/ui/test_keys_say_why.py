"""Every key that cannot act says why, instead of doing nothing silently."""

from __future__ import annotations

from pathlib import Path

from smspool_tui.ui.screens.orders import OrdersScreen
from tests.harness import SimHandle, make_test_app
from tests.ui.test_orders_board import SIZE, buy, quiet_sim, started  # noqa: F401


def status_line(app) -> str:
    """What the board said: its toasts (the line under the table is the selected order's)."""
    return " | ".join(str(n.message) for n in app._notifications)


async def test_archive_and_copy_with_nothing_to_act_on_say_why(
    quiet_sim: SimHandle,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = make_test_app(quiet_sim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, quiet_sim)
        await pilot.press("a")  # an empty board
        assert "Nothing to archive" in status_line(app)
        await buy(app)  # waiting: nothing finished, no code
        await pilot.pause()
        assert app.screen.check_action("archive", ()) is None  # greyed in the footer
        await pilot.press("c")
        assert "No code yet" in status_line(app)
        assert app.clipboard == ""
        app.clear_notifications()
        await pilot.press("a")
        assert "Nothing to archive" in status_line(app)
        assert isinstance(app.screen, OrdersScreen)
        assert quiet_sim.engine.count("request/archive") == 0
        assert any("Nothing to archive" in n.message for n in app._notifications)


def test_one_reload_key_everywhere_and_nothing_destructive_on_it() -> None:
    """f5 reloads on every screen that reloads; no screen binds ctrl+r, the old reload key that
    also meant "remove key" on Settings."""
    from smspool_tui.ui.commands import own_bindings, screen_classes

    reloads: dict[str, str] = {}
    for cls in screen_classes():
        for binding in own_bindings(cls):
            assert binding.key != "ctrl+r", cls.__name__
            if binding.action in ("reload", "refresh"):
                reloads[cls.__name__] = binding.key
            if binding.key == "f5":
                assert binding.action in ("reload", "refresh"), cls.__name__
    assert set(reloads) >= {"BrowseScreen", "PricesScreen", "RentalsScreen", "InboxScreen"}
    assert set(reloads.values()) == {"f5"}


async def test_ctrl_r_on_settings_does_not_offer_to_remove_the_key(
    quiet_sim: SimHandle,  # noqa: F811
    tmp_path: Path,
) -> None:
    from smspool_tui.ui.screens.confirm import ConfirmScreen

    app = make_test_app(quiet_sim, tmp_path, monitors=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.settings.api_key is not None
