"""Purchase options end to end: OrdersService + SMSPoolClient over HTTP against the simulator."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from smspool_tui.api.errors import BadRequest
from smspool_tui.core.order_model import OrderState
from smspool_tui.core.orders import PurchaseOutcomeUnknown
from smspool_tui.core.orders.purchase_options import PurchaseOptions
from smspool_tui.sim.engine import SimEngine
from tests.core import test_orders_sim as base
from tests.core.conftest import Rig
from tests.core.test_orders_sim import TELEGRAM, US

# The simulator rig's fixtures, shared with the other end-to-end order tests.
clients, start_sim, sim_rig = base.clients, base.start_sim, base.sim_rig

SimRig = Callable[..., tuple[Rig, SimEngine]]


def sent(engine: SimEngine) -> dict[str, str]:
    return [r for r in engine.requests if r.path == "purchase/sms"][-1].params


async def buy(r: Rig, options: PurchaseOptions, **kw: object) -> list:  # type: ignore[type-arg]
    orders = await r.svc.purchase_many(
        US, TELEGRAM, country_name="United States", service_name="Telegram",
        options=options, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    await r.idle()
    return orders


async def test_a_voice_call_code(sim_rig: SimRig) -> None:
    r, engine = sim_rig(sms_delay=8.0)
    await r.started()
    [order] = await buy(r, PurchaseOptions(activation_type="VOICE"))
    assert sent(engine)["activation_type"] == "VOICE"
    assert engine.orders[order.order_id].activation == "VOICE"
    assert engine.orders[order.order_id].pool.name == "Foxtrot"  # the pool that calls
    await r.run_for(20)
    assert r.svc.get(order.order_id).code  # type: ignore[union-attr]
    intent = r.journal.get_intent(order.intent_id)
    assert intent is not None and intent.params["activation_type"] == "VOICE"


async def test_a_pool_without_calls_refuses_and_nothing_is_charged(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    before = engine.balance
    us, telegram = engine.catalog.country("US"), engine.catalog.service("Telegram")
    assert us is not None and telegram is not None
    other = next(o.pool.name for o in engine.catalog.offers(us, telegram) if o.pool.id != 7)
    with pytest.raises(BadRequest, match="does not support this activation type"):
        await buy(r, PurchaseOptions(activation_type="FLASH"), pool=other)
    assert engine.balance == before and not engine.orders
    assert not r.svc.ledger.open()  # a refusal settles the intent: the next buy is not blocked


async def test_three_numbers_in_one_request_each_on_its_own_row(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    before = engine.balance
    orders = await buy(r, PurchaseOptions(quantity=3))
    assert engine.count("purchase/sms") == 1 and sent(engine)["quantity"] == "3"
    assert len(orders) == 3 and len({o.order_id for o in orders}) == 3
    assert {o.order_id for o in orders} == set(engine.orders)
    assert engine.balance == before - sum((o.cost for o in orders), Decimal(0))
    on_board = {o.order_id for o in r.svc.orders_snapshot()}
    assert on_board == {o.order_id for o in orders}
    assert all(r.journal.get_order(o.order_id) is not None for o in orders)
    assert len({o.intent_id for o in orders}) == 1  # one intent for the batch


async def test_an_unclear_batch_answer_is_one_unknown_intent(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    engine.force_fault("500", path="purchase/sms")
    with pytest.raises(PurchaseOutcomeUnknown):
        await buy(r, PurchaseOptions(quantity=4))
    unknown = [o for o in r.svc.orders_snapshot() if o.status is OrderState.UNKNOWN]
    assert len(unknown) == 1  # one row for the whole batch, not four
    [intent] = r.svc.ledger.open()
    assert intent.params["quantity"] == 4
    # never a blind retry: the same purchase is refused until the user says so
    from smspool_tui.core.errors import DuplicateRisk

    with pytest.raises(DuplicateRisk):
        await buy(r, PurchaseOptions(quantity=4))
    assert engine.count("purchase/sms") == 1


async def test_area_codes_picked_or_avoided(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    assert "212" in await r.svc.buyer.area_codes(US, TELEGRAM, 7)
    [inside] = await buy(r, PurchaseOptions(), pool=7, area_code=["212"])
    assert engine.orders[inside.order_id].national.startswith("212")
    assert sent(engine)["areacode"] == "[212]" and "exclude" not in sent(engine)
    [outside] = await buy(
        r, PurchaseOptions(exclude_areas=True), pool=7, area_code=["212"], allow_duplicate=True
    )
    assert sent(engine)["exclude"] == "1"
    assert not engine.orders[outside.order_id].national.startswith("212")


async def test_an_invalid_area_code_is_refused_by_the_server_too(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    with pytest.raises(BadRequest, match="not valid"):
        await buy(r, PurchaseOptions(), pool=7, area_code=["999"])
    assert not engine.orders


async def test_the_us_carrier(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    [order] = await buy(r, PurchaseOptions(carrier=2))
    assert sent(engine)["carrier"] == "2"
    assert engine.orders[order.order_id].pool.name == "Foxtrot"


async def test_the_same_number_again_needs_a_cleared_cache(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    [first] = await buy(r, PurchaseOptions())
    again = PurchaseOptions(phonenumber=first.number)
    with pytest.raises(BadRequest, match="already been used on your account"):
        await buy(r, again, allow_duplicate=True)
    assert sent(engine)["phonenumber"] == first.number
    assert "cleared" in (await r.svc.buyer.clear_cache()).lower()
    [second] = await buy(r, again, allow_duplicate=True)
    assert second.order_id != first.order_id and second.number == first.number
