"""Watches in the TUI, with real keys against the simulator: made from the prices screen (`a`)
and from the palette, refused with a reason on bad input, listed on the Watches screen (`w`)
and removed there (`x`, asks first); plus a snapshot of the list at 80x24."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.core.watches.model import WatchKind, WatchSpec
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_prices, settle


def screen_name(app) -> str:  # type: ignore[no-untyped-def]
    return type(app.screen).__name__


async def test_a_watch_made_on_the_prices_screen_is_listed_and_removed(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_prices(pilot)
        country = app.screen.offer_for(app.screen.highlighted_country_id)
        await pilot.press("a")
        await wait_until(lambda: screen_name(app) == "NewWatchScreen")
        await pilot.press("3", "enter")  # "at least" is focused with its text selected
        await wait_until(lambda: screen_name(app) == "PricesScreen")
        [watch] = app.session.watches.all()
        assert watch.spec.kind is WatchKind.STOCK and watch.spec.min_stock == 3
        assert watch.spec.service_name == "Telegram"
        assert watch.spec.country_id == country.country_id and not watch.spec.auto_buy

        await pilot.press("w")
        await wait_until(lambda: screen_name(app) == "WatchesScreen")
        await settle(pilot)
        table = app.screen.table
        assert table.row_count == 1
        assert "Telegram" in str(table.get_row_at(0)[0])
        assert str(table.get_row_at(0)[1]) == "stock ≥ 3"

        await pilot.press("x")
        await wait_until(lambda: screen_name(app) == "ConfirmScreen")
        await pilot.press("n")  # keep it: nothing changes
        await wait_until(lambda: screen_name(app) == "WatchesScreen")
        assert len(app.session.watches.all()) == 1
        await pilot.press("x")
        await wait_until(lambda: screen_name(app) == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(lambda: screen_name(app) == "WatchesScreen")
        await wait_until(lambda: app.screen.table.row_count == 0)
        assert app.session.watches.all() == ()
        assert app.screen.query_one("#watches-empty").display


async def test_bad_input_says_why_and_creates_nothing(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_prices(pilot)
        await pilot.press("a")
        await wait_until(lambda: screen_name(app) == "NewWatchScreen")
        await pilot.press("0", "enter")
        await pilot.pause()
        assert screen_name(app) == "NewWatchScreen"
        error = str(app.screen.query_one("#watch-new-error").render())
        assert "a whole number of 1 or more" in error
        assert app.session.watches.all() == ()
        await pilot.press("escape")
        await wait_until(lambda: screen_name(app) == "PricesScreen")
        assert app.session.watches.all() == ()


async def test_a_price_watch_that_buys_under_a_cap(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_prices(pilot)
        await pilot.press("a")
        await wait_until(lambda: screen_name(app) == "NewWatchScreen")
        form = app.screen
        # The kind: shift+tab to the select, open it, pick "price at or under".
        await pilot.press("shift+tab", "enter", "down", "enter")
        await pilot.pause()
        assert not form.query_one("#watch-min-row").display
        await pilot.press("tab", *"0.9", "tab", "space")  # price 0.9, then "buy one"
        await pilot.pause()
        assert form.query_one("#watch-cap-row").display
        await pilot.press("tab", *"0.8", "enter")
        await wait_until(lambda: screen_name(app) == "PricesScreen")
        [watch] = app.session.watches.all()
        assert watch.spec.kind is WatchKind.PRICE
        assert watch.spec.max_price == Decimal("0.9")
        assert watch.spec.auto_buy and watch.spec.buy_cap == Decimal("0.8")


async def test_the_palette_makes_a_watch(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"watch telegram in us")
        await wait_until(
            lambda: (
                "Watch Telegram in United States"
                in " ".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
            )
        )
        await pilot.press("enter")
        await wait_until(lambda: screen_name(app) == "NewWatchScreen")
        assert app.screen.target.country_name == "United States"
        await pilot.press("enter")
        await wait_until(lambda: screen_name(app) != "NewWatchScreen")
        [watch] = app.session.watches.all()
        assert watch.spec.service_name == "Telegram" and watch.spec.min_stock == 1


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "snap").mkdir()
    return Path("snap")


def test_watches_screen_80x24(snap_compare, sim: SimHandle, root: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, root, monitors=False)
    watches = app.session.watches
    journal, now = app.session.journal, sim.clock.now()
    base = {"service_name": "Telegram", "country_id": 1, "country_name": "United States"}
    stock = watches.add(WatchSpec(WatchKind.STOCK, 907, min_stock=5, **base))
    journal.record_watch_check(stock.id, now - timedelta(seconds=42), seen="0 in stock")
    price = watches.add(
        WatchSpec(
            WatchKind.PRICE, 907, max_price=Decimal("1.30"), auto_buy=True,
            buy_cap=Decimal("1.30"), pool=13, pool_name="November", **base,
        )
    )  # fmt: skip
    journal.fire_watch(price.id, now - timedelta(minutes=3), seen="$1.27")
    journal.record_watch_action(price.id, "bought +15550001234 for $1.27")
    watches.add(WatchSpec(WatchKind.STOCK, 1, "WhatsApp", 2, "United Kingdom", min_stock=1))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("w")
        await wait_until(lambda: screen_name(pilot.app) == "WatchesScreen")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_palette_makes_a_rental_stock_watch(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"watch rental germany")
        await wait_until(
            lambda: (
                "Watch rental Germany (#10, extendable)"
                in " ".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
            )
        )
        await pilot.press("enter")
        await wait_until(lambda: screen_name(app) == "NewWatchScreen")
        form = app.screen
        assert form.query_one("#watch-days-row").display
        assert not form.query_one("#watch-buy").display  # rentals only notify
        await pilot.press("enter")
        await wait_until(lambda: screen_name(app) != "NewWatchScreen")
        [watch] = app.session.watches.all()
        assert watch.spec.kind is WatchKind.RENTAL
        assert (watch.spec.service_id, watch.spec.rental_days) == (10, 30)
        assert watch.what == "Rental Germany · 30d" and not watch.spec.auto_buy


def test_new_watch_form_80x24(snap_compare, sim: SimHandle, root: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(sim, root, monitors=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_prices(pilot)
        await pilot.press("a")
        await wait_until(lambda: screen_name(pilot.app) == "NewWatchScreen")
        await pilot.press("tab", "space")  # "buy one" on: the cap shows
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_help_and_the_palette_know_the_watch_keys(sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.commands import binding_rows

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = {(r.where, r.key, r.description.split(":")[0]) for r in binding_rows(app)}
        assert ("Everywhere", "w", "Watches") in rows
        assert ("Watches", "x, delete", "Remove") in rows or ("Watches", "x, del", "Remove") in rows
        assert ("Prices", "a", "Watch…") in rows
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"watches")
        await wait_until(
            lambda: (
                "Go to Watches"
                in " ".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
            )
        )


async def test_a_watch_fires_in_the_running_app_buys_and_toasts(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        spec = WatchSpec(
            WatchKind.STOCK, 907, "Telegram", 1, "United States",
            auto_buy=True, buy_cap=Decimal("2.00"),
        )  # fmt: skip
        app.session.watches.add(spec)
        await wait_until(lambda: len(sim.engine.orders) == 1)
        await wait_until(lambda: any(n.title == "Watch fired" for n in app._notifications))
        [toast] = [n for n in app._notifications if n.title == "Watch fired"]
        assert "Telegram · United States" in str(toast.message) and "bought" in str(toast.message)
        [order_id] = sim.engine.orders
        await wait_until(lambda: app.session.orders.get(order_id) is not None)
        await pilot.press("w")
        await wait_until(lambda: screen_name(app) == "WatchesScreen")
        await pilot.pause()
        assert "fired" in str(app.screen.table.get_row_at(0)[3])
