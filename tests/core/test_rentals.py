"""RentalsService against the simulator over loopback HTTP, on a FakeClock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.api.client import SMSPoolClient
from smspool_tui.api.errors import ApiError
from smspool_tui.core import events as ev
from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.journal import Journal
from smspool_tui.core.rental_model import ENDED, REFUNDED
from smspool_tui.core.rentals import PurchaseUnknown, RentalsService
from tests.harness import SimHandle, start_sim, wait_until


async def _no_sleep(_s: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    # No generated messages: each test adds the ones it wants.
    handle = start_sim(seed=3, rental_message_every=0)
    try:
        yield handle
    finally:
        handle.stop()


class Rig:
    def __init__(self, sim: SimHandle, root: Path) -> None:
        self.sim = sim
        self.root = root
        self.clients: list[SMSPoolClient] = []
        self.journals: list[Journal] = []
        self.events: list[object] = []

    def service(self, **kw: object) -> RentalsService:
        client = SMSPoolClient(self.sim.key, base_url=self.sim.url, sleep=_no_sleep, max_rps=1000.0)
        journal = Journal(self.root / "journal.sqlite3", now=self.sim.clock.now)
        self.clients.append(client)
        self.journals.append(journal)
        kw.setdefault("poll_interval", 5.0)
        svc = RentalsService(client, journal, self.sim.clock, **kw)  # type: ignore[arg-type]
        svc._emit = self.events.append
        return svc

    async def close(self) -> None:
        for c in self.clients:
            await c.aclose()
        for j in self.journals:
            j.close()


@pytest.fixture
async def rig(sim: SimHandle, tmp_path: Path) -> AsyncIterator[Rig]:
    r = Rig(sim, tmp_path)
    yield r
    await r.close()


async def _offer(svc: RentalsService, rental_id: int, extendable: bool = True):
    return next(o for o in await svc.catalog(extendable) if o.id == rental_id)


async def test_catalog_has_prices_and_refund_window(rig: Rig) -> None:
    svc = rig.service()
    ext = await svc.catalog(True)
    non = await svc.catalog(False)
    assert {o.id for o in ext} == {6, 7, 9, 10} and all(o.extendable for o in ext)
    assert {o.id for o in non} == {4, 8, 11, 12} and not any(o.extendable for o in non)
    nl = next(o for o in ext if o.id == 9)
    assert nl.pricing == {7: Decimal(12), 14: Decimal(18), 30: Decimal(28)}
    assert nl.refund_within == 2 and nl.refund_min_days == 28
    single = next(o for o in ext if o.id == 7)
    assert single.single_service == {30: Decimal(10)}
    # cached: a second look costs no request
    before = rig.sim.engine.count("rental/retrieve_all")
    await svc.catalog(True)
    assert rig.sim.engine.count("rental/retrieve_all") == before


async def test_purchase_journals_intent_before_request_and_code_before_return(rig: Rig) -> None:
    svc = rig.service()
    offer = await _offer(svc, 9)
    seen_at_request: list[list[str]] = []
    real = svc.client.purchase_rental

    async def spy(*args: object, **kw: object):
        seen_at_request.append([i.state for i in svc.journal.open_intents("rental")])
        return await real(*args, **kw)

    svc.client.purchase_rental = spy  # type: ignore[method-assign]
    # Whoever hears of the rental first must find its code already on disk.
    on_disk_when_emitted: list[bool] = []

    def emit(event: object) -> None:
        if isinstance(event, ev.RentalsChanged):
            codes = {r.rental_code for r in svc.journal.rentals()}
            on_disk_when_emitted.append(all(r.code in codes for r in event.rentals))

    svc._emit = emit
    rental = await svc.purchase(offer, 7)
    assert seen_at_request == [["sent"]]
    assert on_disk_when_emitted and all(on_disk_when_emitted)
    stored = {r.rental_code: r for r in svc.journal.rentals()}[rental.code]
    assert rental.code in rig.sim.engine.rentals
    assert stored.expires_at == rig.sim.clock.now().replace(microsecond=0) + timedelta(days=7)
    assert stored.cost == Decimal(12) and stored.rental_id == 9 and stored.days == 7
    assert svc.journal.open_intents("rental") == []
    assert rig.sim.engine.count("purchase/rental") == 1
    assert rig.sim.engine.balance == Decimal("38.00")


async def test_purchase_refused_is_failed_intent_and_not_retried(rig: Rig) -> None:
    svc = rig.service()
    offer = await _offer(svc, 9)
    with pytest.raises(ApiError, match="invalid amount of days"):
        await svc.purchase(offer, 5)
    assert rig.sim.engine.count("purchase/rental") == 1
    assert svc.journal.open_intents("rental") == []
    assert svc.rentals() == ()


async def test_lost_answer_is_unknown_then_reconciled(rig: Rig) -> None:
    svc = rig.service()
    offer = await _offer(svc, 9)
    # The server buys, then the answer is garbled on the way back.
    rig.sim.engine.force_fault("wrongtype", path="purchase/rental")
    with pytest.raises(PurchaseUnknown, match="not confirmed"):
        await svc.purchase(offer, 7)
    assert rig.sim.engine.count("purchase/rental") == 1  # never retried
    [intent] = svc.journal.open_intents("rental")
    assert intent.state == "unknown"
    # Shown as an unknown row until the server settles it, and the quit warning is clear of it.
    [row] = svc.rentals()
    assert row.is_intent_row and row.label(rig.sim.clock.now()) == "unknown - checking"
    assert svc.busy_reason() is None
    await svc.poll_once()  # reconcile via rental/retrieve
    [code] = rig.sim.engine.rentals
    assert [r.code for r in svc.rentals()] == [code]
    assert svc.get(code).days == 7 and svc.get(code).cost == Decimal(12)  # from the intent
    assert svc.journal.open_intents("rental") == []
    assert svc.journal.get_intent(intent.id).rental_code == code


async def test_request_that_never_arrived_stays_unknown_without_a_rental(rig: Rig) -> None:
    svc = rig.service()
    offer = await _offer(svc, 9)
    rig.sim.engine.force_fault("500", path="purchase/rental")
    with pytest.raises(PurchaseUnknown):
        await svc.purchase(offer, 7)
    await svc.poll_once()
    assert [r.is_intent_row for r in svc.rentals()] == [True] and rig.sim.engine.rentals == {}
    assert [i.state for i in svc.journal.open_intents("rental")] == ["unknown"]
    rig.sim.clock.advance(25 * 3600)
    await svc.refresh_mine()
    assert svc.journal.open_intents("rental") == []  # given up after a day, marked failed
    assert svc.rentals() == ()


async def test_status_gates_messages(rig: Rig) -> None:
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 7)
    rig.sim.engine.add_rental_message(rental.code, "Your code is 123456")
    real = svc.client.rental_status

    async def not_yet(code: str):
        return (await real(code)).model_copy(update={"available": False})

    svc.client.rental_status = not_yet  # type: ignore[method-assign]
    svc.set_watched({rental.code})
    rig.sim.engine.reset_requests()
    await svc.poll_once()
    await svc.poll_once()
    assert rig.sim.engine.count("rental/retrieve_status") == 2
    assert rig.sim.engine.count("rental/retrieve_messages") == 0
    assert svc.get(rental.code).label(rig.sim.clock.now()) == "activating"
    svc.client.rental_status = real  # type: ignore[method-assign]
    await svc.poll_once()
    assert rig.sim.engine.count("rental/retrieve_messages") == 1
    assert svc.get(rental.code).available is True
    # activeFor still running: next cycle reads messages only
    rig.sim.engine.reset_requests()
    await svc.poll_once()
    assert [r.path for r in rig.sim.engine.requests] == ["rental/retrieve_messages"]
    # activeFor runs out: status again before messages
    rig.sim.clock.advance(301)
    rig.sim.engine.reset_requests()
    await svc.poll_once()
    paths = [r.path for r in rig.sim.engine.requests]
    assert paths == ["rental/retrieve_status", "rental/retrieve_messages"]


@pytest.mark.parametrize("legacy", [False, True], ids=["array", "legacy-dict"])
async def test_new_messages_emitted_once(rig: Rig, legacy: bool) -> None:
    rig.sim.engine.legacy_rentals = legacy
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 7)
    svc.set_watched({rental.code})
    rig.sim.engine.add_rental_message(rental.code, "Your Acorns code is 4417", "22395")
    rig.sim.clock.advance(10)
    rig.sim.engine.add_rental_message(rental.code, "Uber: your code is 8812.", "89203")
    rig.events.clear()
    await svc.poll_once()
    arrived = [e for e in rig.events if isinstance(e, ev.RentalMessageArrived)]
    assert len(arrived) == 1 and len(arrived[0].messages) == 2
    assert arrived[0].messages[0].text == "Uber: your code is 8812."  # newest first
    assert arrived[0].code == "8812"
    assert svc.get(rental.code).unread == 2
    rig.events.clear()
    await svc.poll_once()
    assert not [e for e in rig.events if isinstance(e, ev.RentalMessageArrived)]
    rig.sim.clock.advance(10)
    rig.sim.engine.add_rental_message(rental.code, "Code 777111", "1")
    await svc.poll_once()
    [one] = [e for e in rig.events if isinstance(e, ev.RentalMessageArrived)]
    assert [m.text for m in one.messages] == ["Code 777111"]
    assert next(m.text for m in svc.messages(rental.code)) == "Code 777111"
    svc.mark_seen(rental.code)
    assert svc.get(rental.code).unread == 0 and svc.get(rental.code).messages == 3


async def test_refund_refused_after_a_message_then_allowed_on_a_fresh_one(rig: Rig) -> None:
    rig.sim.engine.set_balance(Decimal("100"))
    svc = rig.service()
    used = await svc.purchase(await _offer(svc, 9), 30)
    rig.sim.engine.add_rental_message(used.code, "Your code is 1234")
    await svc.refresh_rental(used.code)
    info = await svc.refund_info(used.code)
    assert info.likely is False and info.rules.within_hours == 2
    assert "A message has already arrived" in info.reason
    with pytest.raises(ApiError, match="after receiving one message"):
        await svc.refund(used.code)
    assert svc.get(used.code).state == ""
    fresh = await svc.purchase(await _offer(svc, 9), 30)
    assert (await svc.refund_info(fresh.code)).likely is None
    balance = rig.sim.engine.balance
    await svc.refund(fresh.code)
    assert svc.get(fresh.code).state == REFUNDED
    assert rig.sim.engine.balance == balance + Decimal(28)
    assert {r.rental_code: r.status for r in svc.journal.rentals()}[fresh.code] == REFUNDED


async def test_extend_uses_server_prices_and_expiry(rig: Rig) -> None:
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 7)
    options = await svc.extend_options(rental.code)
    assert [(p.days, p.price) for p in options.prices] == [
        (7, Decimal(12)),
        (14, Decimal(18)),
        (30, Decimal(28)),
    ]
    extended = await svc.extend(rental.code, 14)
    assert extended.expires_at == rental.expires_at + timedelta(days=14)
    assert extended.days == 21
    stored = {r.rental_code: r for r in svc.journal.rentals()}[rental.code]
    assert stored.expires_at == extended.expires_at
    non = await svc.purchase(await _offer(svc, 12, extendable=False), 3)
    assert (await svc.extend_options(non.code)).prices == ()


async def test_restart_merges_journal_and_server(rig: Rig) -> None:
    svc = rig.service()
    bought = await svc.purchase(await _offer(svc, 9), 7)
    rig.sim.engine.add_rental_message(bought.code, "Your code is 1234")
    await svc.refresh_rental(bought.code)
    # One bought elsewhere (the website): only the server knows it.
    offer = rig.sim.engine.rental_desk.offers[6]
    web = rig.sim.engine.rental_desk.create(offer, 30, Decimal(20), rig.sim.clock.now().timestamp())
    again = rig.service()  # a new process on the same journal
    assert [r.code for r in again.rentals()] == [bought.code]
    assert again.get(bought.code).messages == 1 and again.get(bought.code).country == "Netherlands"
    await again.poll_once()
    codes = [r.code for r in again.rentals()]
    assert sorted(codes) == sorted([bought.code, web.code]) and len(codes) == 2
    assert again.get(bought.code).country == "Netherlands"  # our name kept, not "NL"
    assert again.get(web.code).number == web.phonenumber
    third = rig.service()
    assert sorted(r.code for r in third.rentals()) == sorted(codes)


async def test_gone_rental_is_ended_not_deleted(rig: Rig) -> None:
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 7)
    rig.sim.engine.rental_desk.rentals[rental.code].refunded = True  # refunded on the website
    svc.set_watched({rental.code})
    await svc.poll_once()
    assert svc.get(rental.code).state == ENDED
    rig.sim.engine.reset_requests()
    await svc.poll_once()
    assert rig.sim.engine.count("rental/retrieve_status") == 0
    assert [r.rental_code for r in svc.journal.rentals()] == [rental.code]


async def _buy_many(rig: Rig, svc: RentalsService, n: int) -> list[str]:
    offer = rig.sim.engine.rental_desk.offers[9]
    now = rig.sim.clock.now().timestamp()
    for _ in range(n):
        rig.sim.engine.rental_desk.create(offer, 30, Decimal(28), now)
    await svc.refresh_mine()
    return [r.code for r in svc.rentals()]


@pytest.mark.parametrize("n", [1, 5, 20])
async def test_requests_per_cycle_stay_bounded(rig: Rig, n: int) -> None:
    rig.sim.engine.set_balance(Decimal(10_000))
    svc = rig.service(slow_every=6)
    codes = await _buy_many(rig, svc, n)
    svc.set_watched({codes[0]})
    for _ in range(6):  # warm up: every rental has had its status read
        await svc.poll_once()
    per_cycle: list[int] = []
    for _ in range(6):
        before = svc.client.request_count
        rig.sim.engine.reset_requests()
        await svc.poll_once()
        per_cycle.append(svc.client.request_count - before)
        watched = [r for r in rig.sim.engine.requests if r.params.get("rental_code") == codes[0]]
        assert [r.path for r in watched] == ["rental/retrieve_messages"]
    # statuses are cached while activeFor runs; each unwatched rental is read once per 6 cycles
    assert sum(per_cycle) == 6 + (n - 1)
    assert max(per_cycle) <= 1 + -(-(n - 1) // 6) + 1
    assert all(svc.get(c).available for c in codes)


async def test_monitor_runs_on_fake_clock_and_reports_health(rig: Rig) -> None:
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 7)
    svc.set_watched({rental.code})
    events: list[object] = []
    task = asyncio.create_task(svc.run(events.append))
    try:
        await wait_until(lambda: rig.sim.clock.sleepers >= 1)
        assert isinstance(events[0], ev.RentalsChanged)
        rig.sim.engine.force_fault("500", count=10, path="rental/retrieve_status")
        rig.sim.clock.advance(301)  # status due again: fails
        await wait_until(
            lambda: any(isinstance(e, ev.MonitorHealth) and not e.online for e in events)
        )
        down = next(e for e in events if isinstance(e, ev.MonitorHealth) and not e.online)
        assert down.name == "rentals" and down.retry_in
        assert down.message.startswith("offline - retrying in")
        rig.sim.engine.add_rental_message(rental.code, "Code 4242")
        for _ in range(20):
            await wait_until(lambda: rig.sim.clock.sleepers >= 1)
            rig.sim.clock.advance(300)
            if any(isinstance(e, ev.RentalMessageArrived) for e in events):
                break
            await asyncio.sleep(0.02)
        await wait_until(lambda: any(isinstance(e, ev.RentalMessageArrived) for e in events))
        assert any(isinstance(e, ev.MonitorHealth) and e.online for e in events)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_watchers_are_kept_per_screen(rig: Rig) -> None:
    svc = rig.service()
    svc.set_watched({"A"}, owner="board")
    svc.set_watched({"B"}, owner="inbox")
    assert svc.watched == {"A", "B"}
    svc.set_watched((), owner="board")  # the board hides: the inbox still watches B
    assert svc.watched == {"B"}
    assert svc.loop.woken  # a newly watched rental is polled without waiting a cycle


async def test_one_rental_refused_does_not_starve_the_others(rig: Rig) -> None:
    svc = rig.service()
    rig.sim.engine.set_balance(Decimal(1000))
    codes = await _buy_many(rig, svc, 2)
    svc.set_watched(codes)
    await svc.poll_once()
    rig.sim.engine.reset_requests()
    rig.sim.engine.force_fault("success0", path="rental/retrieve_messages")  # a 200 refusal
    await svc.poll_once()  # does not raise: the other rental is still read
    assert rig.sim.engine.count("rental/retrieve_messages") == 2
    # One rental's 500s (4 tries by the client) are its own: the other is still read.
    rig.sim.engine.reset_requests()
    rig.sim.engine.force_fault("500", count=4, path="rental/retrieve_messages")
    await svc.poll_once()
    assert rig.sim.engine.count("rental/retrieve_messages") == 5
    # Every rental unreachable: an outage, so the cycle raises and the monitor backs off.
    rig.sim.engine.force_fault("500", count=8, path="rental/retrieve_messages")
    with pytest.raises(ApiError):
        await svc.poll_once()


async def test_quit_warning_counts_rental_purchases_and_extensions_in_flight(rig: Rig) -> None:
    svc = rig.service()
    offer = await _offer(svc, 9)
    gate = asyncio.Event()
    real_buy, real_extend = svc.client.purchase_rental, svc.client.extend_rental

    async def slow_buy(*args: object, **kw: object):
        await gate.wait()
        return await real_buy(*args, **kw)

    async def slow_extend(*args: object, **kw: object):
        await gate.wait()
        return await real_extend(*args, **kw)

    svc.client.purchase_rental = slow_buy  # type: ignore[method-assign]
    buying = asyncio.create_task(svc.purchase(offer, 7))
    await wait_until(lambda: svc.busy_reason() is not None)
    assert "rental purchase(s) still waiting" in (svc.busy_reason() or "")
    gate.set()
    rental = await buying
    assert svc.busy_reason() is None
    gate.clear()
    svc.client.extend_rental = slow_extend  # type: ignore[method-assign]
    extending = asyncio.create_task(svc.extend(rental.code, 7))
    await wait_until(lambda: svc.busy_reason() is not None)
    assert "extension(s) still waiting" in (svc.busy_reason() or "")
    gate.set()
    await extending
    assert svc.busy_reason() is None


async def test_unclear_refund_is_not_confirmed_not_refused(rig: Rig) -> None:
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 7)
    rig.sim.engine.force_fault("502html", path="rental/refund")  # did it refund? unknown
    with pytest.raises(NotConfirmed, match="not confirmed"):
        await svc.refund(rental.code)
    assert rig.sim.engine.count("rental/refund") == 1  # never retried
