"""80x24 is the floor: every main screen at that size, plus NO_COLOR keeping meaning in text.

Snapshots use a fixed data root (paths appear on the settings and first-run screens), the sim's
FakeClock (never advanced here) and no toasts, so they render the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.ui.screens.orders import OrdersScreen
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SMALL = (80, 24)
ROOT_NAME = "smspool-tui-snapshots"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data root private to this test (never a shared folder two runs could clobber) whose
    name, as the screens show it, is the same on every run: a relative path inside tmp_path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ROOT_NAME).mkdir()
    return Path(ROOT_NAME)


@pytest.fixture
def quiet_sim() -> Iterator[SimHandle]:
    """No SMS ever arrives, so no toast can land in a snapshot."""
    handle = start_sim(seed=3, no_sms_rate=1.0, balance=Decimal("42.50"))
    try:
        yield handle
    finally:
        handle.stop()


def _goto(key: str):
    async def run_before(pilot) -> None:
        await pilot.press(key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


def test_orders_80x24(snap_compare, quiet_sim: SimHandle, root: Path) -> None:
    app = make_test_app(quiet_sim, root)

    async def run_before(pilot) -> None:
        orders = app.session.orders
        for service in ("Telegram", "WhatsApp"):
            await orders.purchase("US", service, country_name="US", service_name=service)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        await wait_until(lambda: app.active_count == 2 and app.balance is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_browse_80x24(snap_compare, sim: SimHandle, root: Path) -> None:
    app = make_test_app(sim, root, monitors=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("b"))


def test_rentals_80x24(snap_compare, sim: SimHandle, root: Path) -> None:
    app = make_test_app(sim, root, monitors=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("r"))


def test_history_80x24(snap_compare, sim: SimHandle, root: Path) -> None:
    app = make_test_app(sim, root, monitors=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("h"))


def test_settings_80x24(snap_compare, sim: SimHandle, root: Path) -> None:
    app = make_test_app(sim, root, monitors=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("s"))


def test_help_80x24(snap_compare, sim: SimHandle, root: Path) -> None:
    app = make_test_app(sim, root, monitors=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("question_mark"))


def test_first_run_80x24(snap_compare, root: Path) -> None:
    app = make_test_app(None, root, monitors=False)
    assert snap_compare(app, terminal_size=SMALL)


async def test_no_color_keeps_meaning_in_words(
    monkeypatch: pytest.MonkeyPatch, sim: SimHandle, tmp_path: Path
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_test_app(sim, tmp_path, monitors=False, demo=True)
    assert app.no_color
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        mode = str(app.screen.query_one("#hdr-mode").render())
        assert "DEMO" in mode and "fake money" in mode
        await pilot.press("s")
        await pilot.pause()
        toast = app.screen.query_one("#set-notify-toast")
        bell = app.screen.query_one("#set-notify-bell")
        # A checked box shows a mark, not only a colour.
        assert "✓" in str(toast.render()) and "✓" not in str(bell.render())


async def test_larger_terminal_uses_the_room(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("s")
        await pilot.pause()
        body = app.screen.query_one("#set-body")
        small = body.size
        assert body.max_scroll_y > 0  # at 80x24 the settings need a scroll
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert app.screen.size == (160, 50)
        # The bigger terminal is used: the body grows both ways and every setting is in view.
        assert body.size.width > small.width and body.size.height > small.height
        assert body.max_scroll_y == 0
        last = app.screen.query_one("#set-theme")  # the last setting
        assert app.screen.region.contains_region(last.region), last.region


def test_settings_120x40(snap_compare, sim: SimHandle, root: Path) -> None:
    app = make_test_app(sim, root, monitors=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_goto("s"))


def test_first_run_120x40(snap_compare, root: Path) -> None:
    app = make_test_app(None, root, monitors=False)
    assert snap_compare(app, terminal_size=(120, 40))
