"""Columns use the width they have and cut with "…"; at 80 columns what a user acts on stays
(cost in history, price and success in prices) and nothing scrolls sideways (issue 19)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from smspool_tui.ui.widgets.fit_columns import Fit, fit_widths
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_prices
from tests.ui.test_history import history_app, open_history, past_orders


def test_room_goes_by_priority_up_to_each_maximum() -> None:
    specs = [Fit("a", 5, 10, 1), Fit("b", 3, 20, 0), Fit("c", 2, 2)]
    assert fit_widths(specs, 10) == {"a": 5, "b": 3, "c": 2}
    assert fit_widths(specs, 20) == {"a": 5, "b": 13, "c": 2}
    assert fit_widths(specs, 99) == {"a": 10, "b": 20, "c": 2}


def _widths(table: DataTable) -> dict[str, int]:  # type: ignore[type-arg]
    return {str(c.key.value): c.width for c in table.columns.values()}


def _fits(table: DataTable) -> bool:  # type: ignore[type-arg]
    return table.virtual_size.width <= table.size.width


async def test_prices_use_200_columns_and_fit_80(sim: SimHandle, tmp_path: Path) -> None:
    for width in (200, 80):
        app = make_test_app(sim, tmp_path / str(width), monitors=False)
        async with app.run_test(size=(width, 30)) as pilot:
            await open_prices(pilot)
            table = app.screen.countries_table
            await wait_until(lambda: _fits(table))  # noqa: B023
            widths = _widths(table)
            if width == 200:
                assert widths["country"] >= len("United Arab Emirates")
                assert widths["mark"] >= len("$ cheapest · % most reliable")
            else:
                assert widths["price"] == 7 and widths["success"] == 7
            assert not table.show_horizontal_scrollbar


async def test_history_keeps_cost_at_80_columns(sim: SimHandle, tmp_path: Path) -> None:
    app = history_app(sim, tmp_path, past_orders(5))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        table = app.screen.query_one("#history-table", DataTable)
        await wait_until(lambda: _fits(table))
        cost = table.columns[next(k for k in table.columns if k.value == "cost")]
        assert cost.width >= 7
        assert table.get_row_at(0)[0].plain.count("-") == 1  # "11-20 09:59": the short date
