"""OrdersService against a scripted fake SMSPool, driven by a FakeClock."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from smspool_tui.api.errors import OutOfStock, ServerError, TransportError
from smspool_tui.core.order_model import INTENT_ROW_PREFIX, OrderState
from smspool_tui.core.orders import PurchaseOutcomeUnknown
from tests.core.conftest import Rig
from tests.harness import wait_until


async def buy(r: Rig, service: str = "Telegram") -> str:
    order = await r.svc.purchase(1, service, country_name="United States", service_name=service)
    await r.idle()
    return order.order_id


async def test_code_arrives_once_and_is_journaled(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    assert rig.svc.orders_snapshot()[0].status is OrderState.PENDING
    await rig.run_for(10)
    assert rig.codes == []
    rig.client.deliver(oid, "G-482913 is your Google verification code.", "482913")
    await rig.run_for(60)
    assert len(rig.codes) == 1
    assert rig.codes[0].order.code == "482913"
    stored = rig.journal.get_order(oid)
    assert stored is not None and stored.code == "482913"
    assert stored.full_sms == "G-482913 is your Google verification code."
    assert stored.status is OrderState.RECEIVED
    assert rig.client.calls["check_sms"] == 0  # still on request/active: no per-order checks


async def test_purchase_writes_intent_before_the_request(rig: Rig) -> None:
    seen: list[str] = []

    def check_journal() -> None:
        intents = rig.journal.open_intents("sms")
        assert len(intents) == 1 and intents[0].state == "sent"
        assert intents[0].params["service_name"] == "Telegram"
        seen.append("ok")

    rig.client.on_purchase = check_journal
    await rig.svc.purchase(1, 2, country_name="United States", service_name="Telegram")
    assert seen == ["ok"]
    assert rig.journal.open_intents() == []
    intent = rig.journal.get_intent(1)
    assert intent is not None and intent.state == "done" and intent.order_id == "ORD0001"


async def test_purchase_wakes_the_monitor_at_once(rig: Rig) -> None:
    await rig.started()
    await rig.run_for(5)
    before = rig.client.calls["active_orders"]
    await rig.svc.purchase(1, 2, country_name="US", service_name="Telegram")
    # No clock movement at all: the purchase alone triggers the next poll.
    await wait_until(lambda: rig.client.calls["active_orders"] == before + 1)


async def test_purchase_refused_fails_the_intent(rig: Rig) -> None:
    rig.client.fail("purchase_sms", OutOfStock("We couldn't find an available phone number"))
    with pytest.raises(OutOfStock):
        await rig.svc.purchase(1, 2, country_name="US", service_name="Telegram")
    assert rig.client.calls["purchase_sms"] == 1
    assert rig.journal.open_intents() == []
    assert rig.journal.get_intent(1).state == "failed"  # type: ignore[union-attr]
    assert rig.svc.orders_snapshot() == ()


@pytest.mark.parametrize("error", [TransportError("timed out"), ServerError("502 Bad gateway")])
async def test_unknown_purchase_outcome_is_never_retried_and_gets_adopted(
    rig: Rig, error: Exception
) -> None:
    await rig.started()
    rig.client.fail("purchase_sms", error)  # the server made the order; the answer was lost
    with pytest.raises(PurchaseOutcomeUnknown, match="may or may not exist"):
        await rig.svc.purchase(1, "Telegram", country_name="US", service_name="Telegram")
    assert rig.client.calls["purchase_sms"] == 1
    assert rig.journal.get_intent(1).state == "unknown"  # type: ignore[union-attr]
    # The next poll (woken at once) finds the order and adopts it in place of the UNKNOWN row.
    await wait_until(lambda: rig.journal.get_intent(1).state == "done")  # type: ignore[union-attr]
    await rig.idle()
    board = rig.svc.orders_snapshot()
    assert [o.order_id for o in board] == ["ORD0001"]
    assert board[0].intent_id == 1 and board[0].status is OrderState.PENDING
    assert rig.client.calls["purchase_sms"] == 1


async def test_unknown_purchase_that_never_appears_stays_visible(rig: Rig) -> None:
    await rig.started()
    rig.client.fail("purchase_sms", TransportError("connection reset"))

    async def lost(*_a: object, **_k: object) -> None:
        rig.client.calls["purchase_sms"] += 1
        raise TransportError("connection reset")

    rig.client.purchase_sms = lost  # type: ignore[method-assign]
    with pytest.raises(PurchaseOutcomeUnknown):
        await rig.svc.purchase(1, 2, country_name="US", service_name="Telegram")
    await rig.run_for(30)
    [row] = rig.svc.orders_snapshot()
    assert row.order_id == f"{INTENT_ROW_PREFIX}1" and row.status is OrderState.UNKNOWN
    assert "unknown" in row.note
    rig.svc.dismiss_unknown(1)
    assert rig.svc.orders_snapshot() == ()


async def test_expiry_linger_and_one_late_check_catches_a_late_code(rig: Rig) -> None:
    rig.client.ttl = 60
    await rig.started()
    oid = await buy(rig)
    await rig.run_for(60)
    rig.client.expire(oid)
    await rig.run_for(5)
    order = rig.svc.get(oid)
    assert order is not None and order.status is OrderState.EXPIRED and order.ended_at
    assert rig.client.calls["check_sms"] == 1  # asked once how it ended
    rig.client.deliver(oid, "Your code is 55120", "55120")  # arrives after the expiry
    rig.client.orders[oid].listed = False
    await rig.run_for(150)
    assert rig.client.calls["check_sms"] == 1  # nothing during the linger
    assert rig.codes == []
    await rig.run_for(40)
    assert rig.client.calls["check_sms"] == 2  # the one late check
    assert [c.order.code for c in rig.codes] == ["55120"]
    assert oid in {o.order_id for o in rig.svc.orders_snapshot()}
    await rig.run_for(400)
    assert rig.client.calls["check_sms"] == 2
    assert rig.svc.orders_snapshot() == ()  # off the board ...
    assert rig.journal.get_order(oid).code == "55120"  # type: ignore[union-attr] ... not lost


async def test_expired_order_without_late_code_is_dropped_after_linger(rig: Rig) -> None:
    rig.client.ttl = 20
    await rig.started()
    oid = await buy(rig)
    await rig.run_for(20)
    rig.client.expire(oid)
    await rig.run_for(30)
    assert rig.svc.orders_snapshot()[0].status is OrderState.EXPIRED
    await rig.run_for(200)
    assert rig.svc.orders_snapshot() == ()
    assert rig.client.calls["check_sms"] == 2
    assert rig.journal.get_order(oid).late_check_done  # type: ignore[union-attr]
    await rig.run_for(600)
    assert rig.client.calls["check_sms"] == 2


async def test_cancel_too_early_is_queued_and_sent_when_due(make_rig: Callable[..., Rig]) -> None:
    r = make_rig()
    r.client.cancel_lock = 75  # longer than the 60 s guess: the monitor has to try again
    times: list[float] = []
    real_cancel = r.client.cancel_sms

    async def timed_cancel(order_id: str):  # type: ignore[no-untyped-def]
        times.append(r.clock.monotonic())
        return await real_cancel(order_id)

    r.client.cancel_sms = timed_cancel  # type: ignore[method-assign]
    await r.started()
    oid = await buy(r)
    order = await r.svc.cancel(oid)
    assert order.cancel_queued and order.status is OrderState.PENDING
    assert order.cancel_opens_at is not None
    assert order.cancel_in(r.clock.now()) == pytest.approx(60, abs=1)
    assert "queued" in r.notices[-1].text
    again = await r.svc.cancel(oid)  # pressing x again does not hammer the server
    assert again.cancel_queued and len(times) == 1
    await r.run_for(200)
    final = r.svc.get(oid)
    assert final is not None and final.status is OrderState.CANCELLED
    assert not final.cancel_queued
    assert len(times) >= 3
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 10 - 1e-6 for g in gaps), gaps
    assert times[-1] - times[0] >= 75
    assert r.client.orders[oid].state == "cancelled"
    kinds = [e.kind for e in r.journal.events(oid)]
    assert "cancel" in kinds and "status" in kinds


async def test_code_arriving_while_cancel_queued_drops_the_cancel(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    await rig.svc.cancel(oid)
    assert rig.client.calls["cancel_sms"] == 1
    await rig.run_for(20)
    rig.client.deliver(oid, "Telegram code: 77123", "77123")
    await rig.run_for(120)
    order = rig.svc.get(oid)
    assert order is not None and order.code == "77123" and not order.cancel_queued
    assert order.status is OrderState.RECEIVED
    assert rig.client.calls["cancel_sms"] == 1
    assert any("dropped" in n.text for n in rig.notices)
    assert len(rig.codes) == 1


async def test_cancel_success_after_lock(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    await rig.run_for(65)
    order = await rig.svc.cancel(oid)
    assert order.status is OrderState.CANCELLED and order.ended_at is not None
    assert rig.client.calls["cancel_sms"] == 1
    await rig.run_for(400)
    assert rig.svc.orders_snapshot() == ()
    assert rig.client.calls["check_sms"] == 0  # a confirmed cancel needs no checks


async def test_resend_brings_a_second_code(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    rig.client.deliver(oid, "Your code is 111222", "111222")
    await rig.run_for(10)
    check = await rig.svc.check_resend(oid)
    assert check.resend_cost == Decimal("0.10")
    result = await rig.svc.resend(oid)
    assert result.order_id == oid and rig.client.calls["resend_sms"] == 1
    assert rig.svc.get(oid).status is OrderState.PENDING  # type: ignore[union-attr]
    await rig.run_for(10)  # polls still list the old code: still waiting for the new one
    assert rig.svc.get(oid).status is OrderState.PENDING  # type: ignore[union-attr]
    rig.client.deliver(oid, "Your code is 333444", "333444")
    await rig.run_for(10)
    assert [c.order.code for c in rig.codes] == ["111222", "333444"]
    assert rig.journal.get_order(oid).code == "333444"  # type: ignore[union-attr]


@pytest.mark.parametrize("count", [1, 10, 50])
async def test_one_request_per_cycle_whatever_the_number_of_orders(rig: Rig, count: int) -> None:
    for _ in range(count):
        rig.client.add_order()
    await rig.started()
    assert len(rig.svc.orders_snapshot()) == count
    rig.client.calls.clear()
    cycles = rig.svc.cycles
    await rig.run_for(50)
    ran = rig.svc.cycles - cycles
    assert ran == 10  # every poll_interval (5 s) while orders are pending
    assert rig.client.calls["active_orders"] == ran
    assert rig.client.calls["check_sms"] == 0
    assert sum(rig.client.calls.values()) == ran


async def test_idle_interval_when_nothing_is_active(rig: Rig) -> None:
    await rig.started()
    rig.client.calls.clear()
    await rig.run_for(120)
    assert rig.client.calls["active_orders"] == 4  # every 30 s


async def test_network_down_then_back(rig: Rig) -> None:
    rig.client.add_order()
    await rig.started()
    rig.client.fail_always["active_orders"] = TransportError("connection refused")
    await rig.run_for(200)
    offline = [h for h in rig.health if not h.online]
    assert len(offline) >= 4
    waits = [h.retry_in for h in offline]
    assert all(w is not None for w in waits)
    assert waits[0] < waits[1] < waits[2] < waits[3]  # backoff grows
    assert max(w for w in waits if w is not None) <= 60
    assert offline[0].message.startswith("offline - retrying in")
    del rig.client.fail_always["active_orders"]
    await rig.run_for(61)
    assert rig.health[-1].online and rig.health[-1].retry_in is None
    assert len(rig.svc.orders_snapshot()) == 1  # nothing lost while offline


async def test_orders_bought_elsewhere_are_adopted(rig: Rig) -> None:
    await rig.started()
    web = rig.client.add_order("WhatsApp")
    await rig.run_for(30)
    [order] = rig.svc.orders_snapshot()
    assert order.order_id == web.order_id and order.service == "WhatsApp"
    assert rig.journal.get_order(web.order_id) is not None


async def test_crash_then_reconcile_on_the_same_journal(make_rig: Callable[..., Rig]) -> None:
    first = make_rig()
    await first.started()
    kept = await buy(first)
    first.client.deliver(kept, "Your code is 909090", "909090")
    await first.run_for(10)
    assert len(first.codes) == 1
    # Crash mid-purchase: the intent is written, the server makes the order, no answer is kept.
    first.journal.record_intent(
        "sms", {"country_id": 1, "service_id": 5, "service_name": "Discord", "country_name": "US"}
    )
    lost = first.client.add_order("Discord")
    await first.stop()
    first.journal.close()

    second = make_rig(clock=first.clock, client=first.client)
    # First paint, before any request: the journal's orders and the pending intent.
    ids = {o.order_id for o in second.svc.orders_snapshot()}
    assert kept in ids and f"{INTENT_ROW_PREFIX}2" in ids
    await second.started()
    board = second.svc.orders_snapshot()
    assert sorted(o.order_id for o in board) == sorted([kept, lost.order_id])  # nothing twice
    adopted = second.svc.get(lost.order_id)
    assert adopted is not None and adopted.intent_id == 2 and adopted.service_id == 5
    assert second.journal.get_intent(2).state == "done"  # type: ignore[union-attr]
    assert second.codes == []  # the code was announced before the crash, not again
    assert second.svc.get(kept).code == "909090"  # type: ignore[union-attr]


async def test_reconcile_settles_orders_that_ended_while_closed(
    make_rig: Callable[..., Rig],
) -> None:
    first = make_rig()
    await first.started()
    oid = await buy(first)
    await first.stop()
    first.journal.close()
    first.client.deliver(oid, "Your code is 4455", "4455")
    first.client.orders[oid].listed = False  # finished while the app was closed
    first.clock.advance(3600)
    second = make_rig(clock=first.clock, client=first.client)
    await second.started()
    order = second.svc.get(oid)
    assert order is not None and order.code == "4455" and order.ended_at is not None
    assert [c.order.order_id for c in second.codes] == [oid]


async def test_snapshot_sorts_pending_first_then_newest(rig: Rig) -> None:
    await rig.started()
    a = await buy(rig)
    rig.clock.advance(1)
    b = await buy(rig)
    rig.clock.advance(1)
    c = await buy(rig)
    rig.client.deliver(c, "code 123456", "123456")
    await rig.run_for(10)
    assert [o.order_id for o in rig.svc.orders_snapshot()] == [b, a, c]
    assert rig.boards and rig.boards[-1].orders == rig.svc.orders_snapshot()


async def test_buy_again_and_archive(rig: Rig) -> None:
    await rig.started()
    oid = (await rig.svc.purchase(3, 7, country_name="UK", service_name="Uber", pool=2)).order_id
    again = rig.svc.buy_again(oid)
    order = rig.svc.get(oid)
    assert order is not None
    assert (again.country_id, again.service_id, again.pool) == (3, 7, 7)  # ids we bought with
    assert (again.country_name, again.service_name) == (order.country, order.service)
    assert rig.client.calls["purchase_sms"] == 1  # buy_again never buys
    rig.client.expire(oid)
    await rig.run_for(10)
    message = await rig.svc.archive()
    assert "archived" in message
    assert rig.svc.orders_snapshot() == ()
    assert rig.journal.get_order(oid).archived  # type: ignore[union-attr]


async def test_cancel_of_finished_order_is_refused_locally(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    rig.client.deliver(oid, "code 246810", "246810")
    await rig.run_for(10)
    await rig.svc.cancel(oid)
    assert rig.client.calls["cancel_sms"] == 0
    assert rig.notices[-1].severity == "warning"


async def test_times_come_from_the_server_expiry(rig: Rig) -> None:
    order = await rig.svc.purchase(1, 2, country_name="US", service_name="Telegram")
    server = rig.client.orders[order.order_id]
    assert order.expires_at == server.expires
    assert order.time_left(rig.clock.now()) == pytest.approx(1200)
    assert order.cancel_opens_at == rig.clock.now() + timedelta(seconds=60)
    assert order.cost == Decimal("0.24")


async def test_cancel_not_confirmed_is_retried_not_lost(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    await rig.run_for(65)
    rig.client.fail("cancel_sms", TransportError("read timeout"))
    order = await rig.svc.cancel(oid)
    assert order.cancel_queued and "not confirmed" in rig.notices[-1].text
    await rig.run_for(15)
    assert rig.client.calls["cancel_sms"] == 2
    assert rig.svc.get(oid).status is OrderState.CANCELLED  # type: ignore[union-attr]


async def test_cancel_refused_because_code_arrived(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    await rig.run_for(65)
    rig.client.deliver(oid, "Your code is 99881", "99881")  # not polled yet
    order = await rig.svc.cancel(oid)
    assert not order.cancel_queued
    assert rig.notices[-1].severity == "error" and "cancel failed" in rig.notices[-1].text
    await wait_until(lambda: len(rig.codes) == 1)  # the cancel woke the monitor: code shown
    assert rig.client.calls["cancel_sms"] == 1


async def test_purchase_interrupted_leaves_an_unknown_intent(rig: Rig) -> None:
    rig.client.purchase_gate = asyncio.Event()
    task = asyncio.ensure_future(rig.svc.purchase(1, 2, country_name="US", service_name="Telegram"))
    await wait_until(lambda: rig.client.calls["purchase_sms"] == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert rig.journal.get_intent(1).state == "unknown"  # type: ignore[union-attr]
    [row] = rig.svc.orders_snapshot()
    assert row.status is OrderState.UNKNOWN


async def test_purchase_tells_the_account_service(make_rig: Callable[..., Rig]) -> None:
    class Spy:
        calls = 0

        def spent(self) -> None:
            Spy.calls += 1

    r = make_rig(account=Spy())
    await r.svc.purchase(1, 2, country_name="US", service_name="Telegram")
    assert Spy.calls == 1


async def test_sync_history_fills_the_journal_without_touching_the_board(rig: Rig) -> None:
    await rig.started()
    old = rig.client.add_order("Uber", listed=False, state="expired")
    rig.clock.advance(3600)
    added = await rig.svc.sync_history()
    assert added == 1
    assert rig.journal.get_order(old.order_id) is not None
    assert rig.svc.orders_snapshot() == ()
    assert await rig.svc.sync_history() == 0  # idempotent


async def test_health_reports_online_on_first_success(rig: Rig) -> None:
    await rig.started()
    assert [(h.name, h.online) for h in rig.health] == [("orders", True)]


async def test_unknown_purchase_matched_even_if_server_timestamps_are_hours_off(
    rig: Rig,
) -> None:
    rig.client.ts_skew = timedelta(hours=-5)  # e.g. server stamps in US Eastern time
    await rig.started()
    rig.client.fail("purchase_sms", TransportError("read timeout"))
    with pytest.raises(PurchaseOutcomeUnknown):
        await rig.svc.purchase(1, "Telegram", country_name="US", service_name="Telegram")
    await wait_until(lambda: rig.journal.get_intent(1).state == "done")  # type: ignore[union-attr]
    await rig.idle()
    assert [o.order_id for o in rig.svc.orders_snapshot()] == ["ORD0001"]


async def test_order_the_server_forgets_is_not_left_waiting(rig: Rig) -> None:
    await rig.started()
    oid = await buy(rig)
    del rig.client.orders[oid]  # gone from request/active and unknown to sms/check
    await rig.run_for(30)
    assert rig.client.calls["check_sms"] >= 1
    stored = rig.journal.get_order(oid)
    assert stored is not None and stored.status is OrderState.EXPIRED
    assert stored.ended_at is not None


async def test_adopted_orders_get_country_names_once_the_catalog_knows_them(rig: Rig) -> None:
    names: dict[str, str] = {}
    rig.svc.country_name = names.get
    web = rig.client.add_order("Discord")  # bought on the web dashboard: the row says "US"
    await rig.started()
    assert rig.journal.get_order(web.order_id).country == "US"
    names["US"] = "United States"  # the catalog's country list arrived
    await rig.run_for(10)
    assert rig.journal.get_order(web.order_id).country == "United States"
    assert rig.svc.orders_snapshot()[0].country == "United States"
