"""Shared steps for the browse -> prices -> purchase tests (real keys against the simulator)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.harness import wait_until


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Let the screens' workers finish (HTTP to the sim) and the screen repaint.

    The App's monitor loops never finish, so they are left out.
    """
    app = pilot.app
    await pilot.pause()
    await wait_until(lambda: all(w.is_finished for w in app.workers if w.group != "monitors"))
    await pilot.pause()


async def open_browse(pilot: Pilot) -> None:  # type: ignore[type-arg]
    await pilot.press("b")
    await wait_until(lambda: type(pilot.app.screen).__name__ == "BrowseScreen")
    await settle(pilot)
    await wait_until(lambda: pilot.app.screen.services_list.option_count > 0)
    await pilot.press("slash")  # the list has focus on arrival; / focuses the filter


async def open_prices(pilot: Pilot, query: str = "telegram") -> None:  # type: ignore[type-arg]
    await open_browse(pilot)
    await pilot.press(*query, "enter")
    await wait_until(lambda: type(pilot.app.screen).__name__ == "PricesScreen")
    screen = pilot.app.screen
    await wait_until(lambda: screen.loaded)
    await settle(pilot)


async def open_purchase(pilot: Pilot, query: str = "telegram") -> None:  # type: ignore[type-arg]
    await open_prices(pilot, query)
    await pilot.press("enter")
    await wait_until(lambda: type(pilot.app.screen).__name__ == "PurchaseScreen")
    await settle(pilot)
