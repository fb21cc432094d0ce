"""The cancel lock is learned per pool from what the server did, and queued cancels retry on a
steady short interval from the first refusal."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from smspool_tui.core.order_model import OrderState
from smspool_tui.core.orders.locks import LockBook
from smspool_tui.sim.engine import SimEngine
from tests.core.conftest import Rig
from tests.core.test_orders_sim import TELEGRAM, US, clients, sim_rig, start_sim  # noqa: F401


def test_a_refusal_raises_the_guess_and_an_acceptance_bounds_it() -> None:
    book = LockBook(lambda: 60.0, step=10.0)
    assert book.guess(7) == 60 and not book.learned(7)
    assert not book.refused(7, 30)  # consistent with the 60 s guess: nothing learned
    assert book.refused(7, 70)  # longer than we thought
    assert book.guess(7) == 80
    assert book.accepted(7, 90, refused_at=70)  # the same order: the lock ended in between
    assert book.guess(7) == 90
    assert book.guess(4) == 60  # other pools keep the default


def test_a_late_cancel_of_another_order_does_not_raise_a_known_short_lock() -> None:
    book = LockBook(lambda: 60.0, step=10.0)
    book.accepted(7, 30, refused_at=20)  # lock in (20, 30]
    assert book.guess(7) == 30
    assert not book.accepted(7, 300)  # x pressed late on another order: says nothing new
    assert book.guess(7) == 30


def test_a_shorter_lock_is_learned_from_the_first_accepted_cancel() -> None:
    book = LockBook(lambda: 60.0, step=10.0)
    assert book.accepted(None, 25)  # cancelled at once, 25 s in: the lock is at most 25 s
    assert book.guess(None) == 25
    assert not book.accepted(None, 40)  # says nothing new (at most 40 s)
    assert book.guess(None) == 25


async def test_each_pool_learns_its_own_lock_against_the_sim(
    sim_rig: Callable[..., tuple[Rig, SimEngine]],  # noqa: F811
) -> None:
    r, engine = sim_rig(no_sms_rate=1.0, cancel_lock=90.0)
    engine.set_cancel_lock(20.0, pool=4)  # a pool whose lock is shorter than the 60 s guess
    await r.started()

    async def cancel_in_pool(pool: int) -> str:
        order = await r.svc.purchase(
            US, TELEGRAM, country_name="United States", service_name="Telegram", pool=pool
        )
        await r.idle()
        assert order.pool == pool
        queued = await r.svc.cancel(order.order_id)
        assert queued.cancel_queued
        assert queued.cancel_in(r.clock.now()) == pytest.approx(10, abs=1)  # not 60
        return order.order_id

    short, long_ = await cancel_in_pool(4), await cancel_in_pool(14)
    await r.run_for(30)
    done = r.svc.get(short)
    assert done is not None and done.status is OrderState.CANCELLED  # ~20 s, not 60
    await r.run_for(100)
    done = r.svc.get(long_)
    assert done is not None and done.status is OrderState.CANCELLED
    assert r.svc.locks.guess(4) == pytest.approx(20, abs=10)
    assert r.svc.locks.guess(14) == pytest.approx(90, abs=10)
    # The next number of the short pool shows the learned lock on its row.
    fresh = await r.svc.purchase(
        US, TELEGRAM, country_name="United States", service_name="Telegram", pool=4
    )
    assert fresh.cancel_in(r.clock.now()) == pytest.approx(r.svc.locks.guess(4), abs=1)


def test_the_demo_has_numbers_whose_sms_comes_late() -> None:
    from smspool_tui.clock import FakeClock
    from smspool_tui.sim.engine import DEMO_KEY

    clock = FakeClock()
    engine = SimEngine(clock, sms_delay=6.0, cancel_lock=45.0)
    engine.seed_demo()
    resp = engine.handle(
        "POST", "purchase/sms", {"country": "US", "service": "Instagram"}, DEMO_KEY
    )
    assert resp.status == 200
    order = list(engine.orders.values())[-1]
    assert order.service.name == "Instagram"
    assert order.sms and min(s.at for s in order.sms) - order.created > 45 + 10  # past the lock
