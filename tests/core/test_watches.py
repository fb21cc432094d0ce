"""Watches against the simulator over HTTP, on one FakeClock: a check a minute, one request
each; fires once per firing (re-arms only after the condition went false); buys under its cap
through OrdersService.purchase; pauses while offline; survives a restart."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.core.session import Session
from smspool_tui.core.watches.model import WatchesChanged, WatchFired, WatchKind, WatchSpec
from smspool_tui.core.watches.service import WatchesService
from tests.harness import SimHandle, open_session, start_sim, wait_until

TELEGRAM, US = 907, 1


def stock_spec(**kw: object) -> WatchSpec:
    base: dict[str, object] = {
        "kind": WatchKind.STOCK,
        "service_id": TELEGRAM,
        "service_name": "Telegram",
        "country_id": US,
        "country_name": "United States",
    }
    return WatchSpec(**(base | kw))  # type: ignore[arg-type]


class Running:
    """A session whose watches monitor runs on the sim's FakeClock, with its events kept."""

    def __init__(self, sim: SimHandle, root: Path) -> None:
        self.sim = sim
        self.session: Session = open_session(sim, root)
        assert self.session.watches is not None
        self.watches: WatchesService = self.session.watches
        self.events: list[object] = []
        self.task: asyncio.Task[None] | None = None

    def fired(self) -> list[WatchFired]:
        return [e for e in self.events if isinstance(e, WatchFired)]

    async def start(self) -> None:
        self.session.attach(self.events.append)
        self.task = asyncio.get_running_loop().create_task(self.watches.run(self.events.append))
        await self.idle()

    async def idle(self) -> None:
        loop, clock = self.watches.loop, self.sim.clock
        await wait_until(
            lambda: (
                loop.asleep_until is not None
                and loop.asleep_until > clock.monotonic()
                and not loop.woken
            )
        )

    async def minutes(self, n: int = 1) -> None:
        for _ in range(n * 6):  # in 10 s steps, so every due check runs at its time
            self.sim.clock.advance(10)
            await self.idle()

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.session.aclose()


@pytest.fixture
async def sim() -> AsyncIterator[SimHandle]:
    handle = start_sim(seed=1)
    yield handle
    handle.stop()


@pytest.fixture
async def running(sim: SimHandle, tmp_path: Path) -> AsyncIterator[Callable[[], Running]]:
    made: list[Running] = []

    def make() -> Running:
        made.append(Running(sim, tmp_path))
        return made[-1]

    yield make
    for r in made:
        await r.close()


async def test_stock_watch_buys_once_per_firing_and_rearms(
    sim: SimHandle, running: Callable[[], Running]
) -> None:
    sim.engine.set_stock(US, TELEGRAM, 0)
    r = running()
    await r.start()
    r.watches.add(stock_spec(min_stock=3, auto_buy=True, buy_cap=Decimal("2.00")))
    await r.idle()
    assert sim.engine.count("sms/stock") == 1  # the first check at once
    assert r.watches.all()[0].last_seen == "0 in stock" and r.fired() == []

    sim.engine.set_stock(US, TELEGRAM, 5)
    await r.minutes(1)
    assert len(r.fired()) == 1
    assert r.fired()[0].action.startswith("bought ")
    assert len(sim.engine.orders) == 1
    assert r.fired()[0].order is not None

    # Still in stock: no second firing, no second purchase, one request a minute.
    before = sim.engine.count("sms/stock")
    await r.minutes(3)
    assert sim.engine.count("sms/stock") == before + 3
    assert len(r.fired()) == 1 and len(sim.engine.orders) == 1
    assert r.watches.all()[0].armed is False
    assert r.watches.all()[0].state.startswith("fired")

    # Out of stock re-arms it; back in stock fires (and buys) again.
    sim.engine.set_stock(US, TELEGRAM, 0)
    await r.minutes(1)
    assert r.watches.all()[0].armed is True
    sim.engine.set_stock(US, TELEGRAM, 5)
    await r.minutes(1)
    assert len(r.fired()) == 2 and len(sim.engine.orders) == 2
    assert r.watches.all()[0].fired_count == 2


async def test_a_watch_never_buys_above_its_cap(
    sim: SimHandle, running: Callable[[], Running]
) -> None:
    r = running()
    await r.start()
    balance = sim.engine.balance
    # Telegram in the US starts at $1.27: a $1.00 cap must buy nothing.
    r.watches.add(stock_spec(auto_buy=True, buy_cap=Decimal("1.00")))
    await r.idle()
    assert len(r.fired()) == 1
    assert r.fired()[0].action.startswith("not bought")
    assert sim.engine.orders == {}
    assert sim.engine.balance == balance
    assert "not bought" in r.watches.all()[0].state


async def test_a_price_watch_fires_at_or_under_its_price_and_only_notifies(
    sim: SimHandle, running: Callable[[], Running]
) -> None:
    r = running()
    await r.start()
    r.watches.add(stock_spec(kind=WatchKind.PRICE, max_price=Decimal("1.20")))
    r.watches.add(stock_spec(kind=WatchKind.PRICE, max_price=Decimal("1.27")))
    await r.idle()
    assert [f.watch.spec.max_price for f in r.fired()] == [Decimal("1.27")]
    assert r.fired()[0].seen == "$1.27" and r.fired()[0].action == ""
    assert sim.engine.orders == {}  # auto-buy was not turned on
    assert sim.engine.count("request/price") == 2


async def test_a_rental_stock_watch(sim: SimHandle, running: Callable[[], Running]) -> None:
    offer = next(iter(sim.engine.rental_desk.offers.values()))
    r = running()
    await r.start()
    spec = stock_spec(
        kind=WatchKind.RENTAL, service_id=offer.id, service_name="Rental", rental_days=30
    )
    r.watches.add(spec)
    await r.idle()
    assert sim.engine.count("rental/stock") == 1
    seen = r.watches.all()[0].last_seen
    assert seen.endswith("in stock")
    assert len(r.fired()) == (1 if offer.stock >= 1 else 0)


async def test_checks_pause_while_offline_and_back_off_when_unreachable(
    sim: SimHandle, running: Callable[[], Running]
) -> None:
    sim.engine.set_stock(US, TELEGRAM, 0)
    r = running()
    await r.start()
    r.watches.add(stock_spec(auto_buy=True, buy_cap=Decimal("2")))
    await r.idle()
    checks = sim.engine.count("sms/stock")
    # The orders monitor says the server is unreachable: nothing is sent.
    r.session.orders.loop.online = False
    sim.engine.set_stock(US, TELEGRAM, 5)
    await r.minutes(3)
    assert sim.engine.count("sms/stock") == checks
    assert r.watches.paused and r.fired() == [] and sim.engine.orders == {}
    # Back online: it checks (and fires) within seconds.
    r.session.orders.loop.online = True
    sim.clock.advance(10)
    await r.idle()
    assert len(r.fired()) == 1

    # Its own request failing for the connection's sake: the loop says offline and backs off.
    sim.engine.set_stock(US, TELEGRAM, 0)
    await r.minutes(1)
    sim.engine.set_faults(error_rate=1.0)
    await r.minutes(1)
    assert r.watches.loop.online is False
    assert "check failed" in r.watches.all()[0].state
    assert len(sim.engine.orders) == 1
    # Backing off asks no more than once a minute, and it recovers when the server does.
    tried = sim.engine.count("sms/stock")
    await r.minutes(4)
    assert sim.engine.count("sms/stock") - tried <= 4
    sim.engine.set_faults(error_rate=0.0)
    await r.minutes(5)
    assert r.watches.loop.online is True
    assert r.watches.all()[0].state == "watching"


async def test_watches_survive_a_restart_without_firing_twice(
    sim: SimHandle, running: Callable[[], Running]
) -> None:
    first = running()
    await first.start()
    first.watches.add(stock_spec(min_stock=2, auto_buy=True, buy_cap=Decimal("2")))
    await first.idle()
    assert len(first.fired()) == 1 and len(sim.engine.orders) == 1
    await first.close()

    second = running()
    [watch] = second.watches.all()
    assert watch.armed is False and watch.fired_count == 1
    assert watch.spec.buy_cap == Decimal("2") and watch.spec.min_stock == 2
    await second.start()
    await second.minutes(2)
    assert second.fired() == [] and len(sim.engine.orders) == 1
    assert second.watches.remove(watch.id)
    assert second.watches.all() == ()
    assert isinstance(second.events[-1], WatchesChanged)


def test_a_spec_that_cannot_be_a_watch_is_refused_with_a_reason() -> None:
    assert stock_spec(auto_buy=True).problem() == (
        "Buying when it fires needs a price cap above $0."
    )
    assert stock_spec(kind=WatchKind.PRICE).problem() == "A price watch needs a price above $0."
    assert stock_spec(min_stock=0).problem() is not None
    assert stock_spec().problem() is None
