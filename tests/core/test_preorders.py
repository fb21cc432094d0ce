"""Pre-order life cycle against the simulator over HTTP: a bid refused below the minimum, a bid
placed (and paid), filled when stock comes back and then on the orders board, a cancel refunded,
and the money rules: a bid whose answer is lost blocks the next one until the server's list
shows it (or it is settled as not placed)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.api.errors import PreorderRefused
from smspool_tui.core.errors import DuplicateRisk, NotConfirmed
from smspool_tui.core.intents import SETTLE_AFTER
from smspool_tui.core.preorders import BidOutcomeUnknown, PreordersService, for_session
from smspool_tui.core.session import Session
from tests.harness import SimHandle, open_session, start_sim, wait_until

INSTAGRAM = 457
US = 1


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    handle = start_sim(seed=1, balance=Decimal("10.00"))
    handle.engine.set_stock("US", "Instagram", 0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
async def session(sim: SimHandle, tmp_path: Path):  # type: ignore[no-untyped-def]
    s = open_session(sim, tmp_path)
    try:
        yield s
    finally:
        await s.aclose()


def minimum(sim: SimHandle) -> Decimal:
    c, s = sim.engine.catalog.country("US"), sim.engine.catalog.service("Instagram")
    assert c is not None and s is not None
    found = sim.engine.preorder_desk.minimum(c, s, None)
    assert found is not None
    return found


async def place(svc: PreordersService, amount: Decimal):  # type: ignore[no-untyped-def]
    return await svc.bid(
        US, INSTAGRAM, country_name="United States", service_name="Instagram", max_price=amount
    )


async def test_life_cycle_refused_placed_filled_on_the_board(
    sim: SimHandle, session: Session
) -> None:
    svc = for_session(session)
    assert for_session(session) is svc
    low = minimum(sim) - Decimal("0.01")
    with pytest.raises(PreorderRefused) as info:
        await place(svc, low)
    assert info.value.minimum_price == minimum(sim)
    assert sim.engine.balance == Decimal("10.00")
    assert svc.bids() == []  # a refusal holds no money and blocks nothing
    assert svc.bids(live_only=False)[0].state == "refused"

    amount = minimum(sim) + Decimal("0.10")
    bid = await place(svc, amount)
    assert bid.state == "open" and bid.code
    assert sim.engine.balance == Decimal("10.00") - amount
    assert await svc.highest_bid(US, INSTAGRAM) == amount
    (listed,) = await svc.refresh()
    assert listed.code == bid.code and listed.highest == amount and not listed.outbid

    sim.engine.set_stock("US", "Instagram", 2)
    assert await svc.refresh() == []  # filled: no longer holding money as a bid
    got = svc.get(bid.id)
    assert got is not None and got.state == "filled" and got.row.order_id
    assert svc.bids() == []
    await session.orders.reconcile()
    order = session.orders.get(got.row.order_id)
    assert order is not None and order.service == "Instagram"
    assert order.cost == amount
    assert sim.engine.balance == Decimal("10.00") - amount  # charged once


async def test_cancel_is_refunded(sim: SimHandle, session: Session) -> None:
    svc = for_session(session)
    bid = await place(svc, Decimal("1.00"))
    assert sim.engine.balance == Decimal("9.00")
    cancelled = await svc.cancel(bid.id)
    assert cancelled.state == "cancelled" and "refunded" in cancelled.row.note
    assert sim.engine.balance == Decimal("10.00")
    assert svc.bids() == []
    with pytest.raises(ValueError, match="nothing to cancel"):
        await svc.cancel(bid.id)
    assert sim.engine.count("preorder/cancel") == 1


async def test_cancel_of_a_bid_that_filled_meanwhile_says_filled(
    sim: SimHandle, session: Session
) -> None:
    svc = for_session(session)
    bid = await place(svc, Decimal("1.00"))
    sim.engine.set_stock("US", "Instagram", 1)
    result = await svc.cancel(bid.id)
    assert result.state == "filled" and result.row.order_id
    assert sim.engine.balance == Decimal("9.00")  # the number was bought with the bid


async def test_a_lost_answer_blocks_the_next_bid_until_the_list_shows_it(
    sim: SimHandle, session: Session
) -> None:
    svc = for_session(session)
    sim.engine.force_fault("wrongtype", path="preorder/create")  # placed, answer unreadable
    with pytest.raises(BidOutcomeUnknown):
        await place(svc, Decimal("1.00"))
    (unknown,) = svc.bids()
    assert unknown.state == "unknown"
    with pytest.raises(DuplicateRisk):
        await place(svc, Decimal("1.00"))
    assert sim.engine.count("preorder/create") == 1  # never sent twice
    (matched,) = await svc.refresh()
    assert matched.id == unknown.id and matched.state == "open" and matched.code
    await place(svc, Decimal("1.20"))  # known now: bidding again is the user's choice
    assert sim.engine.count("preorder/create") == 2


async def test_an_unknown_bid_never_listed_is_settled_as_not_placed(
    sim: SimHandle, session: Session
) -> None:
    svc = for_session(session)
    sim.engine.force_fault("500", path="preorder/create")
    with pytest.raises(BidOutcomeUnknown):
        await place(svc, Decimal("1.00"))
    assert sim.engine.balance == Decimal("10.00")
    await svc.refresh()
    assert svc.bids()[0].state == "unknown"
    sim.clock.advance(SETTLE_AFTER.total_seconds() + 1)
    assert await svc.refresh() == []
    assert svc.bids(live_only=False)[0].state == "refused"


async def test_a_cancel_without_an_answer_is_not_confirmed(
    sim: SimHandle, session: Session
) -> None:
    svc = for_session(session)
    bid = await place(svc, Decimal("1.00"))
    sim.engine.force_fault("500", path="preorder/cancel")
    with pytest.raises(NotConfirmed):
        await svc.cancel(bid.id)
    assert svc.get(bid.id).state == "open"  # type: ignore[union-attr]
    assert sim.engine.count("preorder/cancel") == 1  # not retried


async def test_bids_survive_a_restart_and_one_cut_off_is_unknown(
    sim: SimHandle, session: Session, tmp_path: Path
) -> None:
    svc = for_session(session)
    bid = await place(svc, Decimal("1.00"))
    cut = session.journal.record_bid(
        service_id=INSTAGRAM, service="Instagram", country_id=US, country="United States",
        pool=None, bid=Decimal("2.00"),
    )  # fmt: skip
    sim.clock.advance(300)
    again = PreordersService(session.client, session.journal, session.clock)
    states = {b.id: b.state for b in again.bids()}
    assert states == {bid.id: "open", cut: "unknown"}


async def test_bad_amounts_send_nothing(sim: SimHandle, session: Session) -> None:
    svc = for_session(session)
    for amount in (Decimal(0), Decimal("-1"), Decimal("NaN")):
        with pytest.raises(ValueError):
            await place(svc, amount)
    assert sim.engine.count("preorder/create") == 0


async def test_a_refresh_while_the_bid_is_in_flight_does_not_list_it_twice(
    sim: SimHandle, session: Session
) -> None:
    svc = for_session(session)
    sim.engine.set_faults(latency=0.3)  # the answer is slow: the list comes back first
    task = asyncio.ensure_future(place(svc, Decimal("1.00")))
    await wait_until(lambda: sim.engine.preorder_desk.preorders != {})
    sim.engine.set_faults(latency=0.0)
    (pending,) = await svc.refresh()  # the listed code is its own bid's, not a second one
    assert pending.state == "sent"
    bid = await task
    (only,) = svc.bids()
    assert only.id == bid.id and only.state == "open" and only.code == bid.code


async def test_a_bid_in_flight_is_a_reason_not_to_quit(sim: SimHandle, session: Session) -> None:
    from smspool_tui.core.preorders import busy_reason_for

    assert busy_reason_for(session) is None  # no service built yet: nothing in flight
    svc = for_session(session)
    sim.engine.set_faults(latency=0.3)
    task = asyncio.ensure_future(place(svc, Decimal("1.00")))
    await wait_until(lambda: busy_reason_for(session) is not None)
    assert "waiting for SMSPool's answer" in str(busy_reason_for(session))
    await task
    assert busy_reason_for(session) is None
