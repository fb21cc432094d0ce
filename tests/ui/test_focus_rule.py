"""One focus rule on every screen, stated in the footer; a footer a newcomer can read at 80
columns; a palette and help in the user's words (issue 19)."""

from __future__ import annotations

import itertools
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from smspool_tui.core.events import OrdersChanged
from smspool_tui.ui.commands import binding_rows, screen_classes
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import settle
from tests.ui.keys import footer_line
from tests.ui.test_orders_board import board_orders

SCREEN_KEYS = {"o": "Orders", "b": "Browse", "h": "History", "r": "Rentals", "s": "Settings",
               "g": "Stats"}  # fmt: skip


async def _goto(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    name = SCREEN_KEYS[key]
    await wait_until(lambda: pilot.app.screen.title == name)
    await settle(pilot)


async def test_settings_opens_on_no_field_and_esc_leaves_a_number_field(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _goto(pilot, "s")
        screen = app.screen
        assert not isinstance(app.focused, Input), "no field has focus on arrival"
        await pilot.press("tab")  # the key field is the first field
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        field = app.focused
        assert isinstance(field, Input) and field.id == "set-poll_interval"
        line = footer_line(screen)
        assert line.startswith("esc Leave field") and line.endswith("^q Quit")
        assert "o Orders" not in line, "letters type into the field, the footer says so"
        await pilot.press("o")
        await pilot.pause()
        assert app.screen is screen, "o is typed (refused by a number field), not a screen key"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.focused, Input)
        assert "o Orders" in footer_line(screen)
        await _goto(pilot, "o")


async def test_footer_at_80_columns_is_readable_and_keeps_help_and_quit(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("o", "b", "h", "r", "s", "g"):
            await _goto(pilot, key)
            screen = app.screen
            line = footer_line(screen)
            assert line.endswith("? Help  q Quit"), (key, line)
            assert "obhrs" not in line and "cn " not in line
            keys = list(screen.query(FooterKey))
            assert all(k.region.right <= 80 for k in keys), "nothing drawn past the edge"
            spans = sorted((k.region.x, k.region.right) for k in keys)
            assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), "entries never touch"
        await _goto(pilot, "o")
        app.emit(OrdersChanged(board_orders(sim.clock.now())))
        table = app.screen.query_one("OrderTable")
        await wait_until(lambda: table.row_count == 5)
        table.focus()
        await pilot.pause()
        line = footer_line(app.screen)
        assert line.startswith("[c Copy code]  n Copy number  x Cancel"), line
        assert line.endswith("? Help  q Quit")


async def test_palette_speaks_the_users_words(tmp_path: Path) -> None:
    from tests.harness import start_sim

    sim = start_sim(seed=1)
    try:
        app = make_test_app(sim, tmp_path, monitors=False, demo=True)
        async with app.run_test(size=(100, 60)) as pilot:
            await _goto(pilot, "s")
            await pilot.press("ctrl+p")
            await wait_until(lambda: isinstance(app.screen, CommandPalette))
            hits = app.screen.query_one(CommandList)
            await wait_until(lambda: hits.option_count > 20)
            titles = [
                str(hits.get_option_at_index(i).prompt).split("\n")[0]
                for i in range(hits.option_count)
            ]
    finally:
        sim.stop()
    assert sum("Quit" in t for t in titles) == 1, titles
    assert "Keys" not in titles and "Maximize" not in titles
    assert not any("Replace key" in t or "Remove key" in t for t in titles), "demo: no key"
    assert any(t.startswith("Go to Prices") for t in titles)
    assert any(t.startswith("Go to Inbox") for t in titles)
    assert not any("mode " in t or "esc" in t or "Back to" in t for t in titles)


async def test_help_headings_are_screen_names_and_aliases_read_once(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        rows = binding_rows(app, app.screen)
    headings = {r.where for r in rows}
    assert not headings & {c.__name__ for c in screen_classes()}
    derived = {"Quit confirm", "Problem", "Confirm", "Autopilot confirm", "Order detail"}
    assert not headings & derived, "a class name in words is still a class name"
    assert "Orders (this screen)" in headings and "Order details (enter on an order)" in headings
    assert not any(r.key == "$, $" for r in rows)
    here = {r.description for r in rows if r.where == "Orders (this screen)"}
    assert any(d.startswith("Pause auto") and d.endswith("(not now)") for d in here)
