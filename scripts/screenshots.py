"""Generate SVG screenshots of every main screen from the demo simulator (frozen FakeClock).

    python scripts/screenshots.py [OUT_DIR]      # default: screenshots/

Not part of CI; rerun after a visible change and commit the SVGs the README shows.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.widgets import Input  # noqa: E402

from tests.harness import make_test_app, start_sim, wait_until  # noqa: E402
from tests.ui.buyflow import open_browse, settle  # noqa: E402

SIZE = (120, 40)


async def shoot(out: Path) -> list[Path]:
    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign] # no blink mid-shot
    sim = start_sim(seed=1)
    sim.engine.seed_demo()
    saved: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(prefix="smspool-shots-") as root:
            app = make_test_app(sim, Path(root), demo=True)
            async with app.run_test(size=SIZE) as pilot:

                async def snap(name: str) -> None:
                    await settle(pilot)
                    app.clear_notifications()
                    await pilot.pause()
                    saved.append(Path(app.save_screenshot(f"{name}.svg", str(out))))

                orders = app.session.orders
                await wait_until(lambda: getattr(orders, "last_ok_at", None) is not None)
                await wait_until(lambda: len(orders.orders_snapshot()) >= 2)
                await snap("orders")
                await open_browse(pilot)
                await pilot.press(*"tele")
                await snap("browse")
                await pilot.press("enter")
                await wait_until(lambda: type(app.screen).__name__ == "PricesScreen")
                await wait_until(lambda: app.screen.loaded)
                await snap("prices")
                await pilot.press("enter")
                await wait_until(lambda: type(app.screen).__name__ == "PurchaseScreen")
                await snap("purchase")
                await pilot.press("escape")
                await pilot.press("h")
                await wait_until(lambda: type(app.screen).__name__ == "HistoryScreen")
                await snap("history")
                await app.session.rentals.refresh_mine()
                await pilot.press("r")
                await wait_until(lambda: type(app.screen).__name__ == "RentalsScreen")
                await snap("rentals")
                await pilot.press("enter")
                await wait_until(lambda: type(app.screen).__name__ == "InboxScreen")
                await snap("inbox")
                await pilot.press("escape", "s")
                await wait_until(lambda: type(app.screen).__name__ == "SettingsScreen")
                await snap("settings")
                await pilot.press("question_mark")
                await wait_until(lambda: type(app.screen).__name__ == "HelpScreen")
                await snap("help")
    finally:
        sim.stop()
    return saved


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(out)):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
