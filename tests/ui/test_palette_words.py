"""The palette and Help speak a newcomer's words: no internal names, no duplicates."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from smspool_tui.ui.screens.help import HelpScreen
from tests.harness import SimHandle, make_test_app, wait_until


async def _entries(pilot, query: str) -> list[str]:
    """What the palette lists for `query` (prompt and help text of each hit)."""
    await pilot.press("ctrl+p")
    await wait_until(lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    palette.query_one(Input).value = query
    hits = palette.query_one(CommandList)
    await wait_until(lambda: hits.option_count > 0, 10)
    await pilot.pause()
    found = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return found


async def test_palette_has_one_quit_no_keys_and_no_internal_names(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        quits = [e for e in await _entries(pilot, "quit") if "Quit" in e]
        assert len(quits) == 1 and "Quit smspool-tui" in quits[0]
        assert not any(e.splitlines()[0].strip() == "Keys" for e in await _entries(pilot, "keys"))
        goto = await _entries(pilot, "go to orders")
        assert any("Open Orders board" in e for e in goto)
        assert not any("mode orders" in e for e in goto)


async def test_demo_palette_does_not_offer_to_replace_the_key(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        entries = await _entries(pilot, "settings")
        assert any("Settings" in e for e in entries)
        assert not any("Replace key" in e or "Remove key" in e for e in entries)
    app = make_test_app(sim, tmp_path / "real", monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert any("Replace key" in e for e in await _entries(pilot, "replace key"))


async def test_help_headings_are_words_and_keys_are_not_repeated(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.table)
        text = console.export_text()
    for internal in ("QuitConfirm", "OrderDetail", "DataTable", "$, $"):
        assert internal not in text, internal
    assert "Quit confirm" in text or "Order detail" in text


async def test_demo_settings_footer_has_no_key_actions_and_says_why(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        shown = [b.binding.description for b in app.screen.active_bindings.values() if b.enabled]
        assert "Replace key" not in shown and "Remove key" not in shown
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert any("demo" in n.message for n in app._notifications)
        assert app.settings.api_key is not None
