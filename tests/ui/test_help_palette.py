"""Help lists every key of every screen (live BINDINGS); the palette reaches screens and buys."""

from __future__ import annotations

import importlib
import io
import pkgutil
from pathlib import Path

from rich.console import Console
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets import Input

import smspool_tui.ui.screens as screens_pkg
from smspool_tui.ui.app import SmsPoolApp
from smspool_tui.ui.commands import SCREEN_NAMES, binding_rows, screen_classes
from smspool_tui.ui.screens.help import HelpScreen
from smspool_tui.ui.screens.history import HistoryScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.screens.settings import SettingsScreen
from smspool_tui.ui.widgets.key_footer import label_of
from tests.harness import SimHandle, make_test_app, wait_until


def test_screen_discovery_finds_every_screen_module() -> None:
    names = {cls.__name__ for cls in screen_classes()}
    assert {"OrdersScreen", "SettingsScreen", "HelpScreen", "OnboardingScreen"} <= names
    assert "ConfirmScreen" in names


async def test_help_lists_every_binding_of_every_screen(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.table)
        text = console.export_text()
        # Read BINDINGS straight off every Screen class in every module under ui/screens,
        # independently of the code that builds the help.
        classes: list[type] = [SmsPoolApp]
        for info in pkgutil.iter_modules(screens_pkg.__path__):
            module = importlib.import_module(f"{screens_pkg.__name__}.{info.name}")
            classes += [
                v
                for v in vars(module).values()
                if isinstance(v, type) and issubclass(v, Screen) and v.__module__ == module.__name__
            ]
        expected: list[tuple[str, str, str]] = []
        for cls in classes:
            if SCREEN_NAMES.get(cls.__name__, "") is None:
                continue  # a yes/no question or an error: its keys are on its own footer
            for item in cls.__dict__.get("BINDINGS", []):
                binding = item if isinstance(item, Binding) else Binding(*item)
                if binding.description:
                    expected.append((cls.__name__, binding.key, label_of(binding)))
        assert len(expected) > 20
        lines = text.splitlines()
        missing = [
            (where, key, description)
            for where, key, description in expected
            if not any(description in line for line in lines)
        ]
        assert missing == []
        assert "Command palette" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)


async def test_help_rows_come_from_live_bindings(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        rows = binding_rows(app, app.screen)
        here = [r for r in rows if r.where.endswith("(this screen)")]
        assert {r.description for r in here} >= {"Replace key", "Remove key"}
        assert any(r.where == "Everywhere" and r.key == "q, ^q, ^c" for r in rows)


def _first_hit(palette: CommandPalette) -> str:
    hits = palette.query_one(CommandList)
    if hits.option_count == 0:
        return ""
    return str(hits.get_option_at_index(0).prompt)


async def _palette(pilot, text: str, expect: str) -> None:
    """ctrl+p, type, wait until the best hit is the expected one, enter."""
    await pilot.press("ctrl+p")
    await wait_until(lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    palette.query_one(Input).value = text
    await wait_until(lambda: expect in _first_hit(palette), 10)
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_goes_to_screens(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _palette(pilot, "go to settings", "Settings")
        await wait_until(lambda: isinstance(app.screen, SettingsScreen))
        await _palette(pilot, "go to order history", "Order history")
        await wait_until(lambda: isinstance(app.screen, HistoryScreen))
        await _palette(pilot, "help: all keys", "Help")
        await wait_until(lambda: isinstance(app.screen, HelpScreen))


async def test_palette_buys_service_in_country(sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.screens.purchase import PurchaseScreen

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _palette(pilot, "buy telegram in united kingdom", "Buy Telegram in United Kingdom")
        await wait_until(lambda: isinstance(app.screen, PurchaseScreen), 10)
        request = app.screen.request
        assert request.service_name == "Telegram"
        assert request.offer.name == "United Kingdom"
        assert sim.engine.count("/purchase/sms") == 0  # nothing bought without a `y`


async def test_palette_runs_another_screens_action(sim: SimHandle, tmp_path: Path) -> None:
    from textual.widgets import Input as TextInput

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _palette(pilot, "history: search", "History: Search")
        await wait_until(lambda: isinstance(app.screen, HistoryScreen))
        await wait_until(lambda: isinstance(app.focused, TextInput))


async def test_palette_buy_understands_country_codes(sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.screens.purchase import PurchaseScreen

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _palette(pilot, "buy telegram in uk", "Buy Telegram in United Kingdom")
        await wait_until(lambda: isinstance(app.screen, PurchaseScreen), 10)
        assert app.screen.request.offer.price is not None  # the real offer, with its price


async def test_palette_buy_where_not_sold_shows_prices(sim: SimHandle, tmp_path: Path) -> None:
    from smspool_tui.ui.screens.prices import PricesScreen

    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        catalog = app.session.catalog
        telegram = next(s for s in await catalog.services() if s.name == "Telegram")
        sold = {o.country_id for o in await catalog.country_offers(int(telegram.id))}
        missing = next(c for c in await catalog.countries() if c.id not in sold)
        await _palette(pilot, f"buy telegram in {missing.name}", f"in {missing.name}")
        await wait_until(lambda: isinstance(app.screen, PricesScreen), 10)
        assert sim.engine.count("/purchase/sms") == 0
