"""One journal, two processes: a board's session (this process, its monitor running) and
`smspool-tui get` scripts buy at the same time; every order the server sold is in the journal
exactly once, with its code, and no purchase is left open."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess

from smspool_tui.clock import SystemClock
from smspool_tui.core.session import Session
from tests.harness import make_loaded, make_paths
from tests.headless.conftest import Cli

SCRIPT_RUNS = 4
BOARD_BUYS = 4


async def test_a_script_and_the_board_share_one_journal(cli: Cli) -> None:
    paths = make_paths(cli.root)
    # The same folders the subprocess uses (SMSPOOL_DATA_DIR and friends in cli.env).
    assert str(paths.data_dir) == cli.env["SMSPOOL_DATA_DIR"]
    loaded = make_loaded(cli.sim, cli.root, poll_interval=2)
    session = Session.open(loaded, paths, clock=SystemClock())
    monitor = asyncio.create_task(session.orders.run(lambda _e: None))

    def scripts() -> list[subprocess.CompletedProcess[str]]:
        return [cli.run("get", "telegram", "--country", "US", "--yes") for _ in range(SCRIPT_RUNS)]

    try:
        running = asyncio.get_running_loop().run_in_executor(None, scripts)
        for _ in range(BOARD_BUYS):
            await session.orders.purchase(
                "GB", "WhatsApp", country_name="United Kingdom", service_name="WhatsApp"
            )
            await asyncio.sleep(0)
        results = await running
        assert [r.returncode for r in results] == [0] * SCRIPT_RUNS, [r.stderr for r in results]
        await session.orders.reconcile()
        sold = cli.sim.engine.orders
        stored = session.journal.orders()
        ids = [o.order_id for o in stored]
        assert len(ids) == len(set(ids))  # nothing doubled
        assert set(ids) == set(sold)  # nothing lost
        assert len(sold) == SCRIPT_RUNS + BOARD_BUYS
        for order in stored:
            if order.service == "Telegram":  # the scripts waited for their codes
                assert order.code == sold[order.order_id].sms[0].code
        assert session.journal.open_intents() == []
    finally:
        monitor.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await monitor
        await session.aclose()
