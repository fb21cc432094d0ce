"""Prices: suggested countries with price, pool and success rate; sorting; pools per country."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_browse, open_prices, settle


def column(screen, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    table = screen.countries_table
    return [str(table.get_cell(row, key)) for row in table.rows]


def prices(screen) -> list[Decimal]:  # type: ignore[no-untyped-def]
    return [Decimal(v.lstrip("$")) for v in column(screen, "price") if v != "—"]


def rates(screen) -> list[Decimal]:  # type: ignore[no-untyped-def]
    return [Decimal(v.rstrip("%")) for v in column(screen, "success") if v != "—"]


async def test_prices_list_countries_cheapest_first_with_marks(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot)
        screen = app.screen
        assert screen.countries_table.row_count > 10
        assert prices(screen) == sorted(prices(screen))
        marks = [m for m in column(screen, "mark") if m]
        assert any("cheapest" in m for m in marks)
        assert any("most reliable" in m for m in marks)
        assert column(screen, "mark")[0].startswith("$ cheapest")
    # one suggested-countries call, never the unfiltered price list
    assert sim.engine.count("request/suggested_countries") == 1
    assert sim.engine.count("request/pricing") == 0


async def test_sort_keys_reorder_and_keep_the_highlighted_country(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot)
        screen = app.screen
        await pilot.press("down", "down")
        chosen = screen.highlighted_country_id
        await pilot.press("percent_sign")
        await pilot.pause()
        assert rates(screen) == sorted(rates(screen), reverse=True)
        assert screen.highlighted_country_id == chosen
        assert "most reliable first" in str(screen.query_one("#prices-title").render())
        await pilot.press("dollar_sign")
        await pilot.pause()
        assert prices(screen) == sorted(prices(screen))
        await pilot.press("2")
        assert rates(screen) == sorted(rates(screen), reverse=True)
        await pilot.press("1")
        assert prices(screen) == sorted(prices(screen))


async def test_pools_of_the_highlighted_country_load_in_a_worker(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot)
        screen = app.screen
        first = screen.highlighted_country_id
        await wait_until(lambda: first in screen.pools)
        await settle(pilot)
        assert screen.pools_table.row_count == len(screen.pools[first]) > 0
        assert any(p.stock is not None for p in screen.pools[first])
        await pilot.press("down")
        second = screen.highlighted_country_id
        await wait_until(lambda: second in screen.pools)
        await settle(pilot)
        pool_title = str(screen.query_one("#prices-pools-pane").border_title)
        assert screen.offer_for(second).name in pool_title


async def test_escape_goes_back_to_browse(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot)
        await pilot.press("escape")
        await wait_until(lambda: type(app.screen).__name__ == "BrowseScreen")


async def test_a_service_out_of_stock_everywhere_says_so(sim: SimHandle, tmp_path: Path) -> None:
    sim.engine.set_faults(out_of_stock_services={"Telegram"})
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot)
        status = str(app.screen.query_one("#prices-status").render())
        assert "No country has Telegram in stock" in status


def test_snapshot_prices_120x40(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, tmp_path, monitors=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_prices(pilot)
        screen = pilot.app.screen
        await wait_until(lambda: screen.highlighted_country_id in screen.pools)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


async def test_enter_on_a_pool_buys_from_that_pool(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot)
        screen = app.screen
        await wait_until(lambda: screen.highlighted_country_id in screen.pools)
        await settle(pilot)
        await pilot.press("tab")
        assert app.focused is screen.pools_table
        pools = screen.pools[screen.highlighted_country_id]
        await pilot.press("down")
        pool = pools[min(1, len(pools) - 1)]
        await pilot.press("enter")
        await wait_until(lambda: type(app.screen).__name__ == "PurchaseScreen")
        assert app.screen.request.pool == pool
        assert pool.name in str(app.screen.query_one("#purchase-pool").render())
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
    (request,) = [r for r in sim.engine.requests if r.path.endswith("purchase/sms")]
    assert request.params["pool"] == str(pool.pool)


async def test_p_on_the_list_opens_prices(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        browse = app.screen
        await pilot.press("escape")  # empty filter: focus goes to the list
        assert app.focused is browse.services_list
        await pilot.press("down", "down")
        key = browse.services_list.highlighted_key
        await pilot.press("p")
        await wait_until(lambda: type(app.screen).__name__ == "PricesScreen")
        assert app.screen.service_id == int(key)
