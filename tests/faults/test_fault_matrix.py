"""Every main screen against every fault the simulator can inject.

One Pilot app per screen (starting an app per case would cost ~100 s); each fault is then a case
of its own in the printed grid. Per fault: inject it on the endpoint the screen depends on, make
the screen ask again, and check that (1) a clear message or the offline state is shown (optional
for answers that may legitimately parse: wrongtype, empty, huge), (2) the app keeps running,
(3) once the fault stops, the screen recovers. At the end the app must still answer a key, and
any exception inside it fails the test when run_test exits.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.sim.faults import FAULT_KINDS
from tests.faults.common import screen_text
from tests.faults.conftest import MATRIX
from tests.faults.drivers import DRIVERS, MESSAGE, purchase_reopen, shows_message
from tests.harness import SimHandle, make_test_app, start_sim, wait_until

SIZE = (120, 40)
KINDS = sorted(FAULT_KINDS)
HANG_SECONDS = 0.3  # the sim's stall; the client (READ_TIMEOUT) gives up first
READ_TIMEOUT = 0.1


def clear_forced(sim: SimHandle) -> None:
    with sim.engine._lock:
        sim.engine._injector._forced.clear()


@pytest.fixture(scope="module")
def msim() -> Iterator[SimHandle]:
    handle = start_sim(seed=7, rental_message_every=0, balance=Decimal("100000"))
    handle.engine.set_faults(hang_seconds=HANG_SECONDS)
    resp = handle.engine.handle("POST", "purchase/rental", {"id": "9", "days": "7"}, handle.key)
    assert resp.status == 200, resp.body  # one rental for the rentals and inbox screens
    try:
        yield handle
    finally:
        handle.stop()


async def back_to_board(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """escape out of filters and stacked screens, then `o`: the board must come up."""
    for _ in range(4):
        if type(app.screen).__name__ == "OrdersScreen":
            return
        await pilot.press("escape", "escape", "o")
        await pilot.pause()
    assert type(app.screen).__name__ == "OrdersScreen", app.screen


@pytest.mark.parametrize("screen", list(DRIVERS))
async def test_fault_matrix(msim: SimHandle, tmp_path: Path, screen: str) -> None:
    driver = DRIVERS[screen]
    clear_forced(msim)
    app = make_test_app(
        msim, tmp_path, monitors=driver.monitors, poll_interval=2, read_timeout=READ_TIMEOUT
    )
    failures: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await driver.open(pilot, app, msim)
        for kind in KINDS:
            try:
                if screen == "purchase":
                    await purchase_reopen(pilot, app)
                assert driver.is_ready(app), "not healthy before"
                assert not MESSAGE.search(screen_text(app)), "an error shows before the fault"
                msim.engine.force_fault(kind, count=50, path=driver.path)
                await driver.trigger(pilot, app, msim)
                if kind not in driver.soft:
                    await wait_until(lambda: shows_message(app), timeout=5)
                assert app.is_running
                clear_forced(msim)
                app.clear_notifications()
                if driver.after_fault is not None:
                    await driver.after_fault(pilot, app, msim)
                if screen != "purchase" or type(app.screen).__name__ == "PurchaseScreen":
                    await driver.trigger(pilot, app, msim)  # purchase: `y` again buys once
                await wait_until(lambda: driver.recovered(app), timeout=8)
                app.clear_notifications()
                MATRIX[(screen, kind)] = "✓"
            except Exception as exc:  # recorded per case; the test fails below
                MATRIX[(screen, kind)] = "✗"
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                first = (str(exc).splitlines() or [""])[0][:120]
                where = f"{Path(frame.filename).name}:{frame.lineno}"
                failures.append(f"{kind}: {type(exc).__name__} {first} @ {where}")
                clear_forced(msim)
                if not app.is_running:
                    break
            finally:
                clear_forced(msim)
        await back_to_board(pilot, app)  # still answers keys
    for kind in KINDS:
        MATRIX.setdefault((screen, kind), "✗")
    assert not failures, "\n".join(failures)
