"""End to end: OrdersService + the real SMSPoolClient over loopback HTTP against the simulator.

The engine and the service share one FakeClock, so minutes pass in milliseconds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from smspool_tui.api.client import SMSPoolClient
from smspool_tui.clock import FakeClock
from smspool_tui.core.order_model import OrderState
from smspool_tui.core.orders import PurchaseOutcomeUnknown
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.server import SimServer
from tests.core.conftest import Rig
from tests.harness import wait_until

TELEGRAM = 907
US = 1


async def _no_sleep(_seconds: float) -> None:
    return None


SimFactory = Callable[..., Any]


@pytest.fixture
def start_sim() -> Iterator[SimFactory]:
    servers: list[SimServer] = []

    def start(**engine_kwargs: Any) -> tuple[SimEngine, str, FakeClock]:
        clock = FakeClock()
        engine = SimEngine(clock, **engine_kwargs)
        server = SimServer(engine)
        servers.append(server)
        return engine, server.start(), clock

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def clients() -> AsyncIterator[list[SMSPoolClient]]:
    made: list[SMSPoolClient] = []
    yield made
    for client in made:
        await client.aclose()


@pytest.fixture
def sim_rig(
    start_sim: SimFactory, make_rig: Callable[..., Rig], clients: list[SMSPoolClient]
) -> Callable[..., tuple[Rig, SimEngine]]:
    def make(**engine_kwargs: Any) -> tuple[Rig, SimEngine]:
        engine, url, clock = start_sim(**engine_kwargs)
        client = SMSPoolClient(DEMO_KEY, base_url=url, sleep=_no_sleep)
        clients.append(client)
        return make_rig(clock=clock, client=client), engine

    return make


async def buy(r: Rig, service: int = TELEGRAM, name: str = "Telegram") -> str:
    order = await r.svc.purchase(US, service, country_name="United States", service_name=name)
    await r.idle()
    return order.order_id


async def test_buy_and_receive_the_code(sim_rig: Callable[..., tuple[Rig, SimEngine]]) -> None:
    r, engine = sim_rig(sms_delay=8.0)
    await r.started()
    before = engine.balance
    oid = await buy(r)
    assert engine.balance == before - r.svc.get(oid).cost  # type: ignore[operator, union-attr]
    await r.run_for(20)
    [arrived] = r.codes
    assert arrived.order.order_id == oid
    assert arrived.order.code == engine.orders[oid].sms[0].code
    stored = r.journal.get_order(oid)
    assert stored is not None and stored.full_sms == engine.orders[oid].sms[0].text
    assert engine.count("purchase/sms") == 1
    assert engine.count("sms/check") == 0


async def test_cancel_queued_until_the_lock_opens(
    sim_rig: Callable[..., tuple[Rig, SimEngine]],
) -> None:
    r, engine = sim_rig(no_sms_rate=1.0, cancel_lock=90.0)
    await r.started()
    start = engine.balance
    oid = await buy(r)
    order = await r.svc.cancel(oid)
    assert order.cancel_queued
    await r.run_for(150)
    final = r.svc.get(oid)
    assert final is not None and final.status is OrderState.CANCELLED
    assert engine.balance == start  # refunded
    # Refused at 0, 10, ... 80 s, accepted at ~90 s: a steady 10 s from the first refusal.
    assert 9 <= engine.count("sms/cancel") <= 11
    # The lock is learned for the pool: the next number there shows it, not the 60 s guess.
    pool = final.pool
    assert r.svc.locks.guess(pool) == pytest.approx(90, abs=10)
    second = r.svc.get(await buy(r))
    assert second is not None and second.pool == pool
    assert second.cancel_in(r.clock.now()) == pytest.approx(r.svc.locks.guess(pool), abs=1)


async def test_lost_purchase_answer_is_adopted_not_rebought(
    sim_rig: Callable[..., tuple[Rig, SimEngine]],
) -> None:
    r, engine = sim_rig(no_sms_rate=1.0)
    await r.started()
    start = engine.balance
    engine.force_fault("wrongtype", 1, "purchase/sms")  # the order is made, the answer garbled
    with pytest.raises(PurchaseOutcomeUnknown):
        await r.svc.purchase(US, TELEGRAM, country_name="United States", service_name="Telegram")
    await wait_until(lambda: r.journal.get_intent(1).state == "done")  # type: ignore[union-attr]
    await r.idle()
    [order] = r.svc.orders_snapshot()
    assert order.order_id in engine.orders and order.intent_id == 1
    assert engine.count("purchase/sms") == 1
    assert len(engine.orders) == 1
    assert engine.balance == start - order.cost  # type: ignore[operator]


async def test_late_sms_after_expiry_is_caught(
    sim_rig: Callable[..., tuple[Rig, SimEngine]],
) -> None:
    r, engine = sim_rig(order_ttl=120, late_sms_rate=1.0)
    await r.started()
    oid = await buy(r)
    await r.run_for(130)
    assert r.svc.get(oid).status is OrderState.EXPIRED  # type: ignore[union-attr]
    assert r.codes == []
    await r.run_for(200)
    assert [c.order.order_id for c in r.codes] == [oid]
    assert r.journal.get_order(oid).code == engine.orders[oid].sms[0].code  # type: ignore[union-attr]
    assert engine.count("sms/check") == 2  # when it left the list, and the one late check


async def test_one_active_request_per_cycle_for_many_orders(
    sim_rig: Callable[..., tuple[Rig, SimEngine]],
) -> None:
    r, engine = sim_rig(no_sms_rate=1.0)
    await r.started()
    for _ in range(10):
        await buy(r)
    engine.reset_requests()
    cycles = r.svc.cycles
    await r.run_for(30)
    ran = r.svc.cycles - cycles
    assert ran == 6
    assert engine.count("request/active") == ran
    assert len(engine.requests) == ran  # nothing else: no per-order sms/check


async def test_restart_reconciles_without_duplicates(
    sim_rig: Callable[..., tuple[Rig, SimEngine]],
    make_rig: Callable[..., Rig],
) -> None:
    r, engine = sim_rig(sms_delay=5.0)
    await r.started()
    a = await buy(r)
    await r.run_for(10)
    b = await buy(r, 1012, "WhatsApp")
    await r.stop()
    r.journal.close()
    r.clock.advance(30)  # b's code lands while the app is closed
    again = make_rig(clock=r.clock, client=r.client)
    await again.started()
    board = again.svc.orders_snapshot()
    assert sorted(o.order_id for o in board) == sorted([a, b])
    assert [c.order.order_id for c in again.codes] == [b]  # a's code was shown before
    assert again.svc.get(b).code == engine.orders[b].sms[0].code  # type: ignore[union-attr]
    assert engine.count("purchase/sms") == 2


async def test_offline_then_online(sim_rig: Callable[..., tuple[Rig, SimEngine]]) -> None:
    r, engine = sim_rig(no_sms_rate=1.0)
    await r.started()
    await buy(r)
    engine.force_fault("500", 12, "request/active")  # 3 polls of 4 attempts (client retries)
    await r.run_for(20)
    offline = [h for h in r.health if not h.online]
    assert offline and offline[0].message.startswith("offline - retrying in")
    await r.run_for(60)
    waits = [h.retry_in for h in r.health if not h.online]
    assert len(waits) == 3 and waits == sorted(waits)  # type: ignore[type-var]
    assert r.health[-1].online and r.health[-1].retry_in is None
    assert r.health[-1].online
    assert len(r.svc.orders_snapshot()) == 1
    assert engine.balance < Decimal("50.00")
