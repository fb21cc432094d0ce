"""History: journal rows (plus request/history), search, paging and CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from textual.widgets import DataTable, Input

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.ui.screens.history import PAGE, HistoryScreen, csv_cell
from tests.harness import SimHandle, make_test_app, wait_until
from tests.journal_tools import insert_orders_bulk

SIZE = (120, 40)
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SERVICES = ("Telegram", "WhatsApp", "Discord", "Google")
COUNTRIES = ("United States", "Germany", "France")


def past_orders(count: int) -> list[Order]:
    out = []
    for i in range(count):
        got = i % 3 != 2
        out.append(
            Order(
                order_id=f"H{i:05d}",
                service=SERVICES[i % len(SERVICES)],
                country=COUNTRIES[i % len(COUNTRIES)],
                number=f"1415555{i:04d}",
                status=OrderState.RECEIVED if got else OrderState.EXPIRED,
                code=f"{100000 + i}" if got else None,
                full_sms=f"Your code is {100000 + i}" if got else None,
                cost=Decimal("0.50"),
                purchased_at=T0 + timedelta(minutes=i),
                expires_at=T0 + timedelta(minutes=i + 20),
                ended_at=T0 + timedelta(minutes=i + 20),
            )
        )
    return out


def history_app(sim: SimHandle, tmp_path: Path, orders: list[Order]):
    app = make_test_app(sim, tmp_path, monitors=False)
    insert_orders_bulk(app.session.journal, orders)
    return app


def screen_of(app) -> HistoryScreen:
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


def table_of(app) -> DataTable:
    return screen_of(app).query_one("#history-table", DataTable)


def status_text(app) -> str:
    return str(screen_of(app).query_one("#history-status").render())


async def open_history(app, pilot) -> None:
    await pilot.press("h")
    await wait_until(lambda: isinstance(app.screen, HistoryScreen))
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_lists_newest_first_and_searches(sim: SimHandle, tmp_path: Path) -> None:
    app = history_app(sim, tmp_path, past_orders(30))
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot)
        table = table_of(app)
        assert table.row_count == 30
        assert table.ordered_rows[0].key.value == "H00029"
        assert "30 of 30 orders" in status_text(app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"whats")
        await wait_until(lambda: table.row_count == 8)  # every 4th of 30 is WhatsApp
        await wait_until(lambda: "8 of 30 orders match" in status_text(app))
        assert all(str(table.get_cell(r.key, "service")) == "WhatsApp" for r in table.ordered_rows)
        # by number, by code
        await pilot.press(*["backspace"] * 5, *"55550012")
        await wait_until(lambda: table.row_count == 1)
        assert table.ordered_rows[0].key.value == "H00012"
        await pilot.press(*["backspace"] * 8, *"100004")
        await wait_until(lambda: [r.key.value for r in table.ordered_rows] == ["H00004"])
        await pilot.press(*["backspace"] * 6, *"nothing-like-this")
        await wait_until(lambda: table.row_count == 0)
        await wait_until(lambda: "No orders match" in status_text(app))


async def test_pages_in_as_the_cursor_nears_the_end(sim: SimHandle, tmp_path: Path) -> None:
    app = history_app(sim, tmp_path, past_orders(PAGE * 2 + 50))
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot)
        table = table_of(app)
        assert table.row_count == PAGE
        assert f"{PAGE} of {PAGE * 2 + 50} orders" in status_text(app)
        await pilot.press("ctrl+end")
        await wait_until(lambda: table.row_count == PAGE * 2)
        await pilot.press("ctrl+end")
        await wait_until(lambda: table.row_count == PAGE * 2 + 50)
        keys = [r.key.value for r in table.ordered_rows]
        assert len(set(keys)) == len(keys)
        assert keys[-1] == "H00000"


async def test_export_csv_of_the_filtered_list(sim: SimHandle, tmp_path: Path) -> None:
    orders = past_orders(12)
    orders[1] = Order(
        "HFORMULA", "=HYPERLINK(\"x\")", "US", "14155550000", OrderState.RECEIVED,
        code="777111", full_sms="=cmd|' /C calc'!A0 code 777111",
        purchased_at=T0 - timedelta(days=1),
    )  # fmt: skip
    app = history_app(sim, tmp_path, orders)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        exports = sorted((app.paths.data_dir / "exports").glob("smspool-orders-*.csv"))
        assert len(exports) == 1
        with exports[0].open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 12
        by_id = {r["order_id"]: r for r in rows}
        assert by_id["H00000"]["code"] == "100000"
        assert by_id["H00000"]["full_sms"] == "Your code is 100000"
        assert by_id["H00002"]["status"] == "expired"
        assert by_id["HFORMULA"]["service"].startswith("'=")  # no formula runs in a spreadsheet
        assert by_id["HFORMULA"]["full_sms"].startswith("'=")
        text = exports[0].read_text()
        assert sim.key not in text
        assert exports[0].stat().st_mode & 0o777 == 0o600

        # a filtered export holds only the matches
        await pilot.press("slash", *"Discord", "enter")
        await wait_until(lambda: table_of(app).row_count == 3)
        screen_of(app)._export("Discord", tmp_path / "discord.csv")
        await app.workers.wait_for_complete()
        with (tmp_path / "discord.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["service"] for r in rows} == {"Discord"}


async def test_server_history_is_merged_in(sim: SimHandle, tmp_path: Path) -> None:
    # Bought on the website: the app never saw these orders.
    for service in ("Telegram", "WhatsApp"):
        resp = sim.engine.handle(
            "POST", "purchase/sms", {"country": "US", "service": service}, sim.key
        )
        assert resp.status == 200
    sim.clock.advance(1300)  # both finished (expired or received) on the server
    app = history_app(sim, tmp_path, [])
    async with app.run_test(size=SIZE) as pilot:
        await open_history(app, pilot)
        await wait_until(lambda: table_of(app).row_count == 2)
        assert sim.engine.count("request/history") == 1
        services = {
            str(table_of(app).get_cell(r.key, "service")) for r in table_of(app).ordered_rows
        }
        assert services == {"Telegram", "WhatsApp"}


def test_csv_cell_guards_formulas() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("+14155550100") == "'+14155550100"
    assert csv_cell("Telegram") == "Telegram"
    assert csv_cell(None) == ""
    assert csv_cell(OrderState.EXPIRED) == "expired"


def test_history_snapshot(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app = history_app(sim, tmp_path, past_orders(60))

    async def run_before(pilot) -> None:
        await pilot.press("h")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_history_snapshot_80x24(snap_compare, sim: SimHandle, tmp_path: Path) -> None:
    app = history_app(sim, tmp_path, past_orders(60))

    async def run_before(pilot) -> None:
        await pilot.press("h")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def _csv_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["order_id"]: row for row in csv.DictReader(handle)}


def _as_exported(order: Order) -> dict[str, str]:
    """The fields a user checks in the spreadsheet, as the journal holds them."""
    return {
        "service": order.service,
        "country": order.country,
        "number": order.number,
        "status": order.status.value,
        "code": order.code or "",
        "cost": "" if order.cost is None else str(order.cost),
        "purchased_at": order.purchased_at.isoformat() if order.purchased_at else "",
    }


async def test_e_on_history_writes_the_listed_orders_to_a_csv(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = history_app(sim, tmp_path, past_orders(12))
    exports = app.paths.data_dir / "exports"

    def written() -> list[Path]:
        return sorted(exports.glob("smspool-orders-*.csv")) if exports.exists() else []

    def toasts() -> list[str]:
        return [str(n.message) for n in app._notifications if n.title == "CSV written"]

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # One order bought through the app, beside the twelve from before.
        bought = await app.session.orders.purchase(
            "US", "Discord", country_name="United States", service_name="Discord"
        )
        await open_history(app, pilot)
        assert table_of(app).row_count == 13
        assert written() == []
        await pilot.press("e")
        await wait_until(lambda: len(written()) == 1 and len(toasts()) == 1)
        everything = written()[0]
        await pilot.pause()
        assert f"Exported 13 orders to {everything}" in status_text(app)  # a line that stays
        assert "status line" in toasts()[0]
        journal = {o.order_id: o for o in app.session.journal.history(limit=1000)}
        rows = _csv_rows(everything)
        assert set(rows) == set(journal) and bought.order_id in rows
        for order_id, order in journal.items():
            row = rows[order_id]
            assert {k: row[k] for k in _as_exported(order)} == _as_exported(order), order_id

        # A search narrows the list, and `e` then writes only what is listed.
        await pilot.press("slash", *"Discord", "enter")
        await wait_until(lambda: table_of(app).row_count == 4)  # 3 from before + the bought one
        assert app.focused is table_of(app)
        # Same second as the first export (the clock is frozen): a second file, not a failure.
        await pilot.press("e")
        await wait_until(lambda: len(written()) == 2 and len(toasts()) == 2)
        (narrowed,) = [p for p in written() if p != everything]
        matching = {o.order_id for o in app.session.journal.history("Discord", limit=1000)}
        listed = {row.key.value for row in table_of(app).ordered_rows}
        assert set(_csv_rows(narrowed)) == matching == listed
        assert len(matching) == 4 and {r["service"] for r in _csv_rows(narrowed).values()} == {
            "Discord"
        }


async def test_search_by_spaced_number_and_country_code_and_the_count_of_all(
    sim: SimHandle, tmp_path: Path
) -> None:
    orders = past_orders(4)
    orders[0] = Order(
        "HUK1", "Telegram", "United Kingdom", "447436745016", OrderState.RECEIVED,
        code="123456", cost=Decimal("0.40"), purchased_at=T0 - timedelta(hours=1),
    )  # fmt: skip
    orders[1] = Order(
        "HUK2", "WhatsApp", "United Kingdom", "447436700000", OrderState.EXPIRED,
        cost=Decimal("0.40"), purchased_at=T0 - timedelta(hours=2),
    )  # fmt: skip
    app = history_app(sim, tmp_path, orders)
    async with app.run_test(size=SIZE) as pilot:
        await app.session.catalog.countries()  # the names the palette knows ("uk" is GB)
        await open_history(app, pilot)
        for query in ("+44 7436", "uk", "gb", "GB"):
            field = screen_of(app).query_one("#history-filter", Input)
            field.value = query
            await wait_until(lambda: table_of(app).row_count == 2)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert status_text(app).startswith("2 of 4 orders match"), (query, status_text(app))


async def test_demo_export_lands_in_downloads_and_stays_on_the_status_line(
    sim: SimHandle, tmp_path: Path, monkeypatch
) -> None:
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    app = make_test_app(sim, tmp_path, monitors=False, demo=True)
    insert_orders_bulk(app.session.journal, past_orders(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [export] = (home / "Downloads").glob("smspool-orders-*.csv")
        assert f"Exported 3 orders to {export}" in status_text(app)
        await pilot.press("down", "down")  # moving on keeps the note
        await pilot.pause()
        assert str(export) in status_text(app)
