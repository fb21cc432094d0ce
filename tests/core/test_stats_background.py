"""The background history import against the simulator on a FakeClock: every 15 minutes it
brings orders and rentals bought elsewhere into the journal, once; offline it waits; a failed
round is only logged."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

from smspool_tui.core.stats import StatsService
from smspool_tui.core.stats.background import IMPORT_EVERY, HistoryImporter
from smspool_tui.sim.engine import SimEngine
from tests.core import test_orders_sim as base
from tests.core.conftest import Rig
from tests.harness import wait_until

start_sim, clients, sim_rig = base.start_sim, base.clients, base.sim_rig
SimRig = Callable[..., tuple[Rig, SimEngine]]


def bought_elsewhere(engine: SimEngine) -> None:
    """The web dashboard: two SMS numbers and a rental the app never saw."""
    for _ in range(2):
        answer = engine.handle(
            "POST", "purchase/sms", {"country": "1", "service": "907"}, engine.api_key
        )
        assert answer.status == 200
    answer = engine.handle("POST", "purchase/rental", {"id": "9", "days": "7"}, engine.api_key)
    assert answer.status == 200


async def next_round(r: Rig, importer: HistoryImporter, done: int) -> None:
    """Move the clock to the next import and wait until that round is over."""
    r.clock.advance(IMPORT_EVERY)
    await wait_until(lambda: importer.rounds + importer.skipped > done)
    await wait_until(lambda: r.clock.sleepers >= 1)  # asleep again until the next one


async def test_imports_every_fifteen_minutes_once_and_waits_offline(sim_rig: SimRig) -> None:
    r, engine = sim_rig(seed=3, sms_delay=5.0, order_ttl=120)
    online: list[bool | None] = [True]
    stats = StatsService(r.journal, r.clock)
    importer = HistoryImporter(stats, r.svc, r.client, r.clock, online=lambda: online[0])
    task = asyncio.get_running_loop().create_task(importer.run(lambda _e: None))
    try:
        await wait_until(lambda: r.clock.sleepers >= 1)
        bought_elsewhere(engine)
        r.clock.advance(IMPORT_EVERY - 1)  # not yet: nothing asked
        await asyncio.sleep(0)
        assert engine.count("request/history") == 0 and importer.rounds == 0

        await next_round(r, importer, 0)
        assert importer.added == (2, 1)
        assert {o.order_id for o in r.journal.orders()} == set(engine.orders)
        report = stats.report_now()
        assert report.total.orders == 2 and report.rentals.purchased == Decimal("12.00")

        await next_round(r, importer, 1)  # nothing new: nothing added twice
        assert importer.added == (0, 0) and stats.report_now().total.orders == 2
        assert stats.report_now().rentals.rentals == 1

        online[0] = False  # the orders monitor says offline: the round is skipped
        asked = engine.count("request/history")
        await next_round(r, importer, 2)
        assert importer.skipped == 1 and engine.count("request/history") == asked

        online[0] = True
        engine.force_fault("500", count=20, path="request/history")
        await next_round(r, importer, 3)  # a failed round is logged; the loop goes on
        assert importer.rounds == 3 and importer.added == (0, 0)
        assert not task.done()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def test_the_session_runs_it_with_its_monitors(make_rig: Callable[..., Rig]) -> None:
    from smspool_tui.core.session import Session

    r = make_rig()
    account = SimpleNamespace(run=lambda emit: None)
    session = Session(r.client, r.journal, r.clock, r.svc, account)  # type: ignore[arg-type]
    names = [name for name, _ in session.monitors()]
    assert "history-import" in names
    importer = session.history_import
    assert importer is not None and importer.every == IMPORT_EVERY
    assert importer.online() is r.svc.loop.online
    session.monitors()
    assert session.history_import is importer  # one importer, however often it is asked
