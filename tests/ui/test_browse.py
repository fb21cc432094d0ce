"""Browse: fuzzy filter with focus, forwarded movement keys, country choice, recents, cache."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_browse, open_prices, settle
from tests.ui.keys import footer_line

TELEGRAM = "907"  # the simulator's fixed service id


def entry_name(screen, key: str | None) -> str | None:  # type: ignore[no-untyped-def]
    entry = screen.services_list.entry(key) if key else None
    return entry.name if entry else None


async def test_typing_filters_at_once_and_highlights_telegram(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        screen = app.screen
        assert isinstance(app.focused, Input)
        total = screen.services_list.option_count
        assert total > 800
        await pilot.press(*"tele")
        await pilot.pause()
        assert screen.services_list.option_count < 20
        assert entry_name(screen, screen.services_list.highlighted_key) == "Telegram"
        top = screen.services_list.get_option_at_index(0).prompt
        assert top.spans, "matched letters are highlighted"


async def test_tg_finds_telegram(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        await pilot.press("t", "g")
        await pilot.pause()
        lst = app.screen.services_list
        keys = [lst.get_option_at_index(i).id for i in range(lst.option_count)]
        assert TELEGRAM in keys
        assert lst.highlighted_key == TELEGRAM  # a favourite outranks plain word-start hits


async def test_one_focus_rule_list_first_slash_types_escape_leaves(
    sim: SimHandle, tmp_path: Path
) -> None:
    """Every visit starts on the list (screen keys work); `/` types into the filter, where
    screen letters are text; esc goes back to the list keeping the filter, esc again clears."""
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await wait_until(lambda: type(app.screen).__name__ == "BrowseScreen")
        await settle(pilot)
        screen = app.screen
        assert app.focused is screen.services_list, "first visit: the list has focus"
        assert "esc Leave field" not in footer_line(screen)
        await pilot.press("slash", *"qohrs")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        assert screen.filter.value == "qohrs"
        line = footer_line(screen)
        assert line.startswith("esc Back to list") and "^q Quit" in line
        assert "o Orders" not in line, "letters type while the filter has focus"
        await pilot.press("escape")
        assert app.focused is screen.services_list and screen.filter.value == "qohrs"
        await pilot.press("escape")
        assert screen.filter.value == ""
        await pilot.press("h")
        await wait_until(lambda: type(app.screen).__name__ == "HistoryScreen")
        await pilot.press("b")
        await wait_until(lambda: app.screen is screen)
        await pilot.pause()
        assert app.focused is screen.services_list, "later visits: the list too"
        await pilot.press("o")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")


async def test_arrow_keys_move_the_list_while_the_filter_keeps_focus(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        screen = app.screen
        await pilot.press(*"gram")
        await pilot.pause()
        lst = screen.services_list
        assert lst.highlighted == 0
        await pilot.press("down", "down")
        assert lst.highlighted == 2 and app.focused is screen.filter
        await pilot.press("end")
        assert lst.highlighted == lst.option_count - 1
        await pilot.press("home")
        assert lst.highlighted == 0
        await pilot.press("pagedown")
        assert lst.highlighted > 2


async def test_tab_picks_a_country_then_enter_opens_its_prices(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        screen = app.screen
        await pilot.press("tab")
        assert screen.active == "countries" and app.focused is screen.filter
        await pilot.press(*"united k", "enter")
        await pilot.pause()
        assert screen.country_name == "United Kingdom"
        assert screen.active == "services"
        assert app.session.catalog.last_country == screen.country_id
        await pilot.press(*"telegram", "enter")
        await wait_until(lambda: type(app.screen).__name__ == "PricesScreen")
        assert app.screen.country_id == screen.country_id
        assert app.screen.service_name == "Telegram"


async def test_recent_services_and_last_country_come_first(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_prices(pilot, "telegram")
        await pilot.press("escape")
        await wait_until(lambda: type(app.screen).__name__ == "BrowseScreen")
        await pilot.press("escape")  # clear the filter: the full list, recents on top
        await pilot.pause()
        lst = app.screen.services_list
        assert lst.get_option_at_index(0).id == TELEGRAM
        assert "recent" in str(lst.get_option_at_index(0).prompt)
        app.session.catalog.remember(country_id=44)

    again = make_test_app(sim, tmp_path, monitors=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        screen = again.screen
        assert screen.services_list.get_option_at_index(0).id == TELEGRAM
        assert screen.country_id == 44
        assert screen.countries_list.get_option_at_index(1).id == "44"


async def test_a_warm_cache_shows_lists_without_asking_the_server(
    sim: SimHandle, tmp_path: Path
) -> None:
    first = make_test_app(sim, tmp_path, monitors=False)
    async with first.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
    assert sim.engine.count("service/retrieve_all") == 1
    sim.engine.reset_requests()

    second = make_test_app(sim, tmp_path, monitors=False)
    async with second.run_test(size=(120, 40)) as pilot:
        await open_browse(pilot)
        assert second.screen.services_list.option_count > 800
    assert sim.engine.count("service/retrieve_all") == 0
    assert sim.engine.count("country/retrieve_all") == 0


async def test_catalog_failure_is_shown_not_frozen(sim: SimHandle, tmp_path: Path) -> None:
    sim.engine.force_fault("500", count=20, path="service/retrieve_all")
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await settle(pilot)
        status = str(app.screen.query_one("#browse-status").render())
        assert "Could not load the catalog" in status
        await pilot.press("slash", *"tele")
        assert app.screen.filter.value == "tele"  # still responsive


def _browse_with_query(query: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_browse(pilot)
        await pilot.press(*query)
        await pilot.pause()

    return run_before


def test_snapshot_browse_120x40(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, tmp_path, monitors=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_browse_with_query("tele"))


def test_snapshot_browse_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, tmp_path, monitors=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_browse_with_query("tg"))
