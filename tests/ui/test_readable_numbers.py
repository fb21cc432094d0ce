"""Phone numbers as people read them, and copied as verification forms want them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from smspool_tui.ui.text import copy_number, phone
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase, settle


def test_the_country_prefix_stands_apart() -> None:
    assert phone("447436745016") == "+44 7436 745016"
    assert phone(15550100103) == "+1 555-010-0103"
    assert phone("+49 1521 2345678") == "+49 1521 2345678"
    assert phone("") == "" and phone(None) == ""
    assert phone("12") == "12"  # not a number phonenumbers can read: shown as it came
    assert phone("\x1b[31m447436745016") == "+44 7436 745016"  # never an escape sequence


def test_copy_gives_national_digits_or_e164() -> None:
    assert copy_number("447436745016") == "7436745016"
    assert copy_number("447436745016", "e164") == "+447436745016"
    assert copy_number("15550100103", "national") == "5550100103"
    assert copy_number("12", "e164") == "12"


def test_the_cli_and_the_first_screens_do_not_import_phonenumbers() -> None:
    code = (
        "import sys, smspool_tui.cli, smspool_tui.ui.text, smspool_tui.ui.app;"
        "assert 'phonenumbers' not in sys.modules, 'imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_board_shows_and_copies_the_readable_number(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_purchase(pilot)
        await pilot.press("y")
        await wait_until(lambda: type(app.screen).__name__ == "OrdersScreen")
        await settle(pilot)
        [order] = app.session.orders.orders_snapshot()
        cells = [str(c) for c in app.screen.query_one("OrderTable").get_row(order.order_id)]
        assert phone(order.number) in cells and phone(order.number).startswith("+")
        await pilot.press("n")
        assert app.clipboard == copy_number(order.number) and not app.clipboard.startswith("+")
        app.settings.display.copy_number = "e164"
        await pilot.press("n")
        assert app.clipboard == "+" + order.number
