"""The simulator's pre-orders and moving market: bids refused below the minimum or the highest
offer, a bid filled (as an ordinary order) when stock comes back, cancel refunds, and stock and
prices that move on the FakeClock."""

from __future__ import annotations

from decimal import Decimal

from smspool_tui.api.models import Preorder, PreorderCheck, PreorderPlaced, PreorderPrice
from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import SimEngine

from .conftest import Call

US_IG = {"country": "US", "service": "Instagram"}


def stock(call: Call) -> int:
    return int(call("sms/stock", **US_IG).json()["amount"])  # type: ignore[index]


def minimum(engine: SimEngine) -> Decimal:
    country, service = engine.catalog.country("US"), engine.catalog.service("Instagram")
    assert country is not None and service is not None
    found = engine.preorder_desk.minimum(country, service, None)
    assert found is not None
    return found


def test_price_is_zero_without_bids_and_a_number_with_one(engine: SimEngine, call: Call) -> None:
    assert call("preorder/price", **US_IG).json() == {"cost": 0}
    engine.set_rival_bid("US", "Instagram", Decimal("0.78"))
    body = call("preorder/price", **US_IG).json()
    assert body == {"cost": 0.78}
    assert PreorderPrice.model_validate(body).highest == Decimal("0.78")


def test_bids_below_the_minimum_or_the_highest_are_refused(engine: SimEngine, call: Call) -> None:
    low = minimum(engine) - Decimal("0.01")
    resp = call("preorder/create", **US_IG, max_price=str(low))
    assert resp.status == 400
    body = resp.json()
    assert body["minimum_price"] == float(minimum(engine)) and body["success"] == 0  # type: ignore[index]
    engine.set_rival_bid("US", "Instagram", minimum(engine) + 1)
    resp = call("preorder/create", **US_IG, max_price=str(minimum(engine)))
    assert resp.status == 400
    assert resp.json()["highest_offer"] == str(minimum(engine) + 1)  # type: ignore[index]
    assert engine.balance == Decimal("10.00")  # nothing charged
    assert engine.preorder_desk.preorders == {}


def test_a_bid_is_held_then_fills_as_an_order_when_stock_returns(
    engine: SimEngine, call: Call, clock: FakeClock
) -> None:
    engine.set_stock("US", "Instagram", 0)
    bid = minimum(engine) + Decimal("0.10")
    resp = call("preorder/create", **US_IG, max_price=str(bid))
    assert resp.status == 200, resp.body
    placed = PreorderPlaced.model_validate(resp.json())
    assert engine.balance == Decimal("10.00") - bid
    (row,) = [Preorder.model_validate(r) for r in call("preorder/retrieve").json()]  # type: ignore[union-attr]
    assert row.order_code == placed.order_code and row.cost == bid
    check = PreorderCheck.model_validate(call("preorder/check", orderid=placed.order_code).json())
    assert not check.finished
    assert call("request/active").json() == []

    engine.set_stock("US", "Instagram", 3)
    clock.advance(1)
    check = PreorderCheck.model_validate(call("preorder/check", orderid=placed.order_code).json())
    assert check.finished and check.order_code and check.phonenumber
    (active,) = call("request/active").json()  # type: ignore[misc]
    assert active["order_code"] == check.order_code and active["cost"] == str(bid)
    assert call("preorder/retrieve").json() == []
    assert stock(call) == 3 * len(engine.catalog.offers(*_pair(engine))) - 1
    assert engine.balance == Decimal("10.00") - bid  # charged once, at the bid
    cancel = call("preorder/cancel", orderid=placed.order_code)
    assert cancel.status == 400 and "already completed" in cancel.json()["message"]  # type: ignore[index]


def _pair(engine: SimEngine):  # type: ignore[no-untyped-def]
    return engine.catalog.country("US"), engine.catalog.service("Instagram")


def test_cancel_refunds_and_a_second_cancel_is_a_200_not_found(
    engine: SimEngine, call: Call
) -> None:
    engine.set_stock("US", "Instagram", 0)
    code = call("preorder/create", **US_IG, max_price="2.00").json()["order_code"]  # type: ignore[index]
    assert engine.balance == Decimal("8.00")
    assert call("preorder/cancel", orderid=code).json() == {
        "message": "Your preorder has been refunded.",
        "success": 1,
    }
    assert engine.balance == Decimal("10.00")
    again = call("preorder/cancel", orderid=code)
    assert again.status == 200 and again.json()["success"] == 0  # type: ignore[index]
    assert call("preorder/check", orderid=code).status == 404
    engine.set_stock("US", "Instagram", 5)
    assert call("request/active").json() == []  # a cancelled bid never fills


def test_the_highest_bid_fills_first(engine: SimEngine, call: Call) -> None:
    engine.set_stock("US", "Instagram", 0)
    low = call("preorder/create", **US_IG, max_price="1.00").json()["order_code"]  # type: ignore[index]
    high = call("preorder/create", **US_IG, max_price="1.50").json()["order_code"]  # type: ignore[index]
    engine.set_stock("US", "Instagram", 1, pool=engine.catalog.offers(*_pair(engine))[0].pool.id)
    assert call("preorder/check", orderid=high).json()["status"] == 3  # type: ignore[index]
    assert call("preorder/check", orderid=low).json()["status"] == 1  # type: ignore[index]


def test_stock_runs_out_and_comes_back_on_the_clock(
    engine: SimEngine, call: Call, clock: FakeClock
) -> None:
    engine.set_stock_cycle("US", "Instagram", amount=4, on=60, off=30)
    assert stock(call) == 0
    clock.advance(31)
    full = stock(call)
    assert full == 4 * len(engine.catalog.offers(*_pair(engine)))
    assert call("purchase/sms", **US_IG).status == 200
    assert stock(call) == full - 1  # runs down per purchase, not refilled mid-period
    clock.advance(60)
    assert stock(call) == 0
    clock.advance(30)
    assert stock(call) == full


def test_a_pending_bid_fills_when_the_cycle_brings_stock_back(
    engine: SimEngine, call: Call, clock: FakeClock
) -> None:
    engine.set_stock_cycle("US", "Instagram", amount=2, on=60, off=30)
    code = call("preorder/create", **US_IG, max_price="1.00").json()["order_code"]  # type: ignore[index]
    clock.advance(29)
    assert call("preorder/check", orderid=code).json()["status"] == 1  # type: ignore[index]
    clock.advance(2)
    assert call("preorder/check", orderid=code).json()["status"] == 3  # type: ignore[index]


def test_prices_swing_on_the_clock(engine: SimEngine, call: Call, clock: FakeClock) -> None:
    def price() -> Decimal:
        return Decimal(call("request/price", **US_IG).json()["price"])  # type: ignore[index]

    base = price()
    engine.set_price_swing("US", "Instagram", ("1", "2"), every=100)
    assert price() == base
    clock.advance(100)
    assert price() == (base * 2).quantize(Decimal("0.01"))
    bought = call("purchase/sms", **US_IG).json()
    assert Decimal(bought["cost"]) == (base * 2).quantize(Decimal("0.01"))  # type: ignore[index]
    clock.advance(100)
    assert price() == base


def test_unclaimed_bids_expire_and_are_refunded(
    engine: SimEngine, call: Call, clock: FakeClock
) -> None:
    engine.set_stock("US", "Instagram", 0)
    code = call("preorder/create", **US_IG, max_price="1.00").json()["order_code"]  # type: ignore[index]
    clock.advance(engine.preorder_desk.ttl + 1)
    assert call("preorder/check", orderid=code).status == 404
    assert engine.balance == Decimal("10.00")


def test_the_demo_market_moves(engine: SimEngine, call: Call, clock: FakeClock) -> None:
    gb_whatsapp = {"country": "GB", "service": "WhatsApp"}
    before = call("request/price", **gb_whatsapp).json()["price"]  # type: ignore[index]
    engine.seed_market_moves()
    assert stock(call) == 0  # Instagram is out in the US at the start: pre-order it
    rival = Decimal(str(call("preorder/price", **US_IG).json()["cost"]))  # type: ignore[index]
    assert rival >= minimum(engine)  # a bid the demo user can see and beat
    clock.advance(91)
    assert stock(call) > 0
    clock.advance(150)
    assert call("request/price", **gb_whatsapp).json()["price"] != before  # type: ignore[index]
