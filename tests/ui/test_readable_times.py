"""Times in the user's zone (the zone named once), or UTC when the setting says so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smspool_tui.ui.text import local_time, use_utc, zone_name
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle

NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    use_utc(False)


def test_local_time_and_its_zone(tokyo: None) -> None:
    assert local_time(NOON) == "2026-01-15 21:00"
    assert local_time(NOON, zone=True) == "2026-01-15 21:00 JST"
    assert zone_name(NOON) == "JST"
    use_utc(True)
    assert local_time(NOON, "%H:%M:%S", zone=True) == "12:00:00 UTC"
    assert local_time(None) == "—"


async def _history_first_cell(pilot, app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    await open_purchase(pilot)
    await pilot.press("y")
    await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    await pilot.press("h")
    await wait_until(lambda: type(app.screen).__name__ == "HistoryScreen")
    await wait_until(lambda: app.screen.table.row_count > 0)
    await settle(pilot)
    table = app.screen.table
    label = str(table.columns["when"].label)
    return label, str(table.get_row_at(0)[0])


async def test_history_in_the_local_zone(sim: SimHandle, tmp_path: Path, tokyo: None) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        label, cell = await _history_first_cell(pilot, app)
        [order] = app.session.orders.orders_snapshot()
    assert label == "Bought JST"
    assert order.purchased_at is not None
    assert cell == order.purchased_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert cell != order.purchased_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


async def test_the_setting_keeps_utc(sim: SimHandle, tmp_path: Path, tokyo: None) -> None:
    app = make_test_app(sim, tmp_path, monitors=False, display={"utc": True})
    async with app.run_test(size=(120, 40)) as pilot:
        label, cell = await _history_first_cell(pilot, app)
        [order] = app.session.orders.orders_snapshot()
    assert label == "Bought UTC"
    assert order.purchased_at is not None
    assert cell == order.purchased_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
