"""The Stats screen: its key, the figures after the first paint, filters, sort, export, and a
snapshot at 80x24 (the simulator's FakeClock is the session's clock: the date is frozen)."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from textual.widgets import DataTable, Select, Static

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.screens.stats import StatsScreen
from tests.harness import SimHandle, make_test_app, wait_until
from tests.journal_tools import insert_orders_bulk

SERVICES = ("Telegram", "WhatsApp", "Discord")
COUNTRIES = ("United States", "Germany", "=France")


def past_orders(sim: SimHandle, count: int) -> list[Order]:
    now = sim.clock.now()
    out = []
    for i in range(count):
        got = i % 3 != 2
        out.append(
            Order(
                order_id=f"T{i:04d}", service=SERVICES[i % 3], country=COUNTRIES[i % 4 % 3],
                number=f"1415555{i:04d}", status=OrderState.RECEIVED if got else OrderState.EXPIRED,
                code=f"{100000 + i}" if got else None, cost=Decimal("0.50") + i % 2,
                purchased_at=now - timedelta(hours=6 * i), pool=i % 2 + 1,
                ended_at=now - timedelta(hours=6 * i) + timedelta(minutes=20),
            )
        )  # fmt: skip
    return out


# how long each received order's code took: every bucket of the time-to-code picture gets some
WAITS = (12, 25, 48, 75, 95, 150, 240, 420, 700, 1300)


def stamp_code_times(journal, orders: list[Order]) -> None:
    """What the journal keeps on the row when a code is journaled (code_at, code_seconds)."""
    with journal._conn.tx() as db:
        for n, o in enumerate(x for x in orders if x.code):
            assert o.purchased_at is not None
            wait = WAITS[n % len(WAITS)]
            db.execute(
                "UPDATE orders SET code_at=?, code_seconds=? WHERE order_id=?",
                ((o.purchased_at + timedelta(seconds=wait)).isoformat(), wait, o.order_id),
            )


def stats_app(sim: SimHandle, tmp_path: Path, count: int = 30):
    app = make_test_app(sim, tmp_path, monitors=False)
    orders = past_orders(sim, count)
    insert_orders_bulk(app.session.journal, orders)
    stamp_code_times(app.session.journal, orders)
    return app


def screen_of(app) -> StatsScreen:
    assert isinstance(app.screen, StatsScreen)
    return app.screen


def text_of(app, widget_id: str) -> str:
    return str(screen_of(app).query_one(widget_id, Static).render())


async def test_stats_key_filters_sort_and_export(sim: SimHandle, tmp_path: Path) -> None:
    app = stats_app(sim, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        await wait_until(lambda: isinstance(app.screen, StatsScreen))
        await wait_until(lambda: "all: 30 orders, 20 codes" in text_of(app, "#stats-summary"))
        table = screen_of(app).query_one("#stats-table", DataTable)
        assert [r.key.value for r in table.ordered_rows] == ["Discord", "Telegram", "WhatsApp"]
        assert "Germany" in text_of(app, "#stats-countries")
        times = text_of(app, "#stats-times").splitlines()
        assert times[0] == "time to code, n=20"
        # 20 codes over the ten waits: two in each, so <30s 4, <1m 2, <2m 4, <5m 4, <10m 2, more 4
        counts = [int(line.split()[-1]) for line in times[1:]]
        assert counts == [4, 2, 4, 4, 2, 4]
        assert times[1].startswith("<30s █") and times[2].startswith("<1m  █")
        assert times[2].count("█") < times[1].count("█")  # half the count, half the bar
        await pilot.press("p")  # all -> day: the last 24 hours hold orders 0..4
        await wait_until(lambda: "day: 5 orders" in text_of(app, "#stats-summary"))
        await pilot.press("p")  # -> week: orders 0..28
        await wait_until(lambda: "week: 29 orders" in text_of(app, "#stats-summary"))
        screen_of(app).query_one("#stats-country", Select).value = "Germany"
        await wait_until(lambda: screen_of(app).filters.country == "Germany")
        await wait_until(lambda: "week: 7 orders" in text_of(app, "#stats-summary"))
        await pilot.press("v")  # by country
        assert [r.key.value for r in table.ordered_rows] == ["Germany"]
        await pilot.press("k")  # sort by codes
        assert "sort Codes" in text_of(app, "#stats-status")
        await pilot.press("e")
        await app.workers.wait_for_complete()
        [export] = (app.paths.data_dir / "exports").glob("smspool-ledger-*.csv")
        with export.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 7 and {r["country"] for r in rows} == {"Germany"}


async def test_first_paint_does_not_wait_for_the_figures(sim: SimHandle, tmp_path: Path) -> None:
    app = stats_app(sim, tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await wait_until(lambda: isinstance(app.screen, StatsScreen))
        await wait_until(lambda: "n=3?" in text_of(app, "#stats-summary"))


def test_stats_snapshot_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app = stats_app(sim, tmp_path)

    async def run_before(pilot) -> None:
        await pilot.press("g")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_palette_and_help_know_the_stats_screen(sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.commands import binding_rows
    from tests.ui.test_help_palette import _palette

    app = stats_app(sim, tmp_path, 3)
    async with app.run_test(size=(120, 40)) as pilot:
        assert any(r.key == "g" and "Stats" in r.description for r in binding_rows(app))
        await _palette(pilot, "go to stats", "Stats")
        await wait_until(lambda: isinstance(app.screen, StatsScreen))


async def test_rentals_bought_elsewhere_reach_the_summary(sim: SimHandle, tmp_path: Path) -> None:
    engine = sim.engine  # a rental bought on the web dashboard: only rental/history knows it
    answer = engine.handle("POST", "purchase/rental", {"id": "9", "days": "7"}, engine.api_key)
    assert answer.status == 200
    app = stats_app(sim, tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await wait_until(lambda: "+1 rental line from SMSPool" in text_of(app, "#stats-status"))
        await wait_until(lambda: "rentals 1 ($12.00)" in text_of(app, "#stats-summary"))
