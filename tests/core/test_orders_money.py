"""The money rules of the purchase path: never two purchases while one's outcome is unknown, a
paid order is never called failed, an unknown intent is matched whenever its order shows up,
and cancels never race."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from smspool_tui.api.errors import ServerError, TransportError
from smspool_tui.core.errors import DuplicateRisk, NotConfirmed
from smspool_tui.core.intents import SETTLE_AFTER
from smspool_tui.core.order_model import OrderState
from smspool_tui.core.orders import PurchaseOutcomeUnknown
from tests.core.conftest import Rig
from tests.harness import wait_until

BUY: dict[str, Any] = {"country_name": "US", "service_name": "Telegram"}


async def test_no_second_purchase_while_the_first_is_unknown(rig: Rig) -> None:
    await rig.started()
    rig.client.fail("purchase_sms", TransportError("read timeout"))
    with pytest.raises(PurchaseOutcomeUnknown):
        await rig.svc.purchase(1, "Telegram", **BUY)
    rig.client.orders.clear()  # the server has not listed it (yet)
    with pytest.raises(DuplicateRisk, match="unknown outcome"):
        await rig.svc.purchase(1, "Telegram", **BUY)
    assert rig.client.calls["purchase_sms"] == 1  # nothing sent
    # Another service is another purchase; and the user may say "buy another anyway".
    await rig.svc.purchase(1, "WhatsApp", country_name="US", service_name="WhatsApp")
    await rig.svc.purchase(1, "Telegram", **BUY, allow_duplicate=True)
    assert rig.client.calls["purchase_sms"] == 3


async def test_no_second_purchase_while_the_first_is_in_flight(rig: Rig) -> None:
    await rig.started()
    rig.client.purchase_gate = asyncio.Event()
    first = asyncio.create_task(rig.svc.purchase(1, "Telegram", **BUY))
    await wait_until(lambda: rig.client.calls["purchase_sms"] == 1)
    with pytest.raises(DuplicateRisk, match="still waiting"):
        await rig.svc.purchase(1, "Telegram", **BUY, allow_duplicate=True)
    assert "purchase(s) still waiting" in (rig.svc.busy_reason() or "")
    rig.client.purchase_gate.set()
    await first
    assert rig.client.calls["purchase_sms"] == 1
    assert rig.svc.busy_reason() is None


async def test_order_listed_before_the_answer_is_lost_leaves_no_unknown_row(rig: Rig) -> None:
    """The server sells, request/active lists the order while the purchase still waits, then the
    answer is lost: the listed order is that purchase (no UNKNOWN row beside it, for good)."""
    await rig.started()
    gate = asyncio.Event()

    async def sells_then_loses_the_answer(*_a: object, **_k: object) -> None:
        rig.client.calls["purchase_sms"] += 1
        rig.client.add_order("Telegram")  # what the server sold, listed at once
        await gate.wait()
        raise TransportError("read timeout")

    rig.client.purchase_sms = sells_then_loses_the_answer  # type: ignore[method-assign]
    task = asyncio.create_task(rig.svc.purchase(1, "Telegram", **BUY))
    await wait_until(lambda: rig.client.calls["purchase_sms"] == 1)
    rig.svc.wake()
    await rig.idle()
    gate.set()
    order = await task  # matched while in flight: the answer is the listed order
    assert order.order_id == "ORD0001" and order.intent_id == 1
    assert [o.order_id for o in rig.svc.orders_snapshot()] == ["ORD0001"]
    assert rig.journal.get_intent(1).state == "done"  # type: ignore[union-attr]


async def test_unknown_intent_matched_to_an_order_adopted_earlier(rig: Rig) -> None:
    """An order adopted while its intent was still in flight, then the intent turned unknown
    (a restart cut it off): the next cycle links them and the UNKNOWN row goes."""
    await rig.started()
    intent_id = rig.journal.record_intent(
        "sms", {"country_id": 1, "service_id": "Telegram", "service_name": "Telegram"}
    )
    rig.journal.mark_intent_unknown(intent_id, "cut off")
    rig.client.add_order("Telegram")
    await rig.svc.poll_once()  # adopted (and matched at once)
    assert [o.order_id for o in rig.svc.orders_snapshot()] == ["ORD0001"]
    assert rig.svc.get("ORD0001").intent_id == intent_id  # type: ignore[union-attr]


async def test_unknown_intent_never_shown_is_settled_after_a_bounded_time(rig: Rig) -> None:
    await rig.started()

    async def lost(*_a: object, **_k: object) -> None:
        rig.client.calls["purchase_sms"] += 1
        raise ServerError("502 Bad Gateway", status=502)

    rig.client.purchase_sms = lost  # type: ignore[method-assign]
    with pytest.raises(PurchaseOutcomeUnknown):
        await rig.svc.purchase(1, "Telegram", **BUY)
    [row] = rig.svc.orders_snapshot()
    assert row.status is OrderState.UNKNOWN
    history_before = rig.client.calls["history"]
    await rig.run_for(SETTLE_AFTER.total_seconds() + 60, step=30)
    assert rig.svc.orders_snapshot() == ()
    assert rig.client.calls["history"] > history_before  # checked history before giving up
    assert rig.journal.get_intent(1).state == "failed"  # type: ignore[union-attr]
    assert any("not found on the server" in n.text for n in rig.notices)


async def test_journal_write_failing_after_the_order_id_keeps_the_order(rig: Rig) -> None:
    await rig.started()
    real = rig.journal.upsert_order
    failures = [True]

    def flaky(order: object) -> None:
        if failures:
            failures.pop()
            raise OSError("disk full")
        real(order)  # type: ignore[arg-type]

    rig.journal.upsert_order = flaky  # type: ignore[method-assign]
    order = await rig.svc.purchase(1, "Telegram", **BUY)  # bought: no exception
    assert order.order_id == "ORD0001"
    assert [o.order_id for o in rig.svc.orders_snapshot()] == ["ORD0001"]
    assert "not yet saved" in (rig.svc.busy_reason() or "")
    await rig.svc.poll_once()  # the write is retried
    assert rig.journal.get_order("ORD0001") is not None
    assert rig.svc.busy_reason() is None


async def test_user_cancel_and_queued_cancel_never_race(rig: Rig) -> None:
    await rig.started()
    order = await rig.svc.purchase(1, "Telegram", **BUY)
    rig.clock.advance(61)
    gate = asyncio.Event()
    real = rig.client.cancel_sms

    async def slow_cancel(order_id: str) -> Any:
        await gate.wait()
        return await real(order_id)

    rig.client.cancel_sms = slow_cancel  # type: ignore[method-assign]
    first = asyncio.create_task(rig.svc.cancel(order.order_id))
    await asyncio.sleep(0)
    second = await rig.svc.cancel(order.order_id)  # while the first is on its way
    assert any("already on its way" in n.text for n in rig.notices)
    gate.set()
    done = await first
    assert done.status is OrderState.CANCELLED and second.status is OrderState.PENDING
    assert rig.client.calls["cancel_sms"] == 1  # one request reached the server


async def test_queued_cancel_can_be_withdrawn(rig: Rig) -> None:
    await rig.started()
    order = await rig.svc.purchase(1, "Telegram", **BUY)
    queued = await rig.svc.cancel(order.order_id)  # too early: queued
    assert queued.cancel_queued
    back = await rig.svc.unqueue_cancel(order.order_id)
    assert not back.cancel_queued
    rig.clock.advance(120)
    await rig.svc.poll_once()
    assert rig.svc.get(order.order_id).status is OrderState.PENDING  # type: ignore[union-attr]


async def test_old_code_after_a_resend_keeps_a_queued_cancel(rig: Rig) -> None:
    await rig.started()
    order = await rig.svc.purchase(1, "Telegram", **BUY)
    rig.client.deliver(order.order_id, "Your code is 111111", "111111")
    await rig.svc.poll_once()
    await rig.svc.resend(order.order_id)
    rig.client.orders[order.order_id].state = "pending"  # waiting again, old code still listed
    rig.clock.advance(5)
    await rig.svc.cancel(order.order_id)  # too early for the new wait: queued
    await rig.svc.poll_once()  # request/active still shows the old code
    assert rig.svc.get(order.order_id).cancel_queued  # type: ignore[union-attr]


async def test_resend_without_an_answer_is_not_confirmed(rig: Rig) -> None:
    await rig.started()
    order = await rig.svc.purchase(1, "Telegram", **BUY)
    rig.client.fail("resend_sms", TransportError("read timeout"))
    with pytest.raises(NotConfirmed, match="not confirmed"):
        await rig.svc.resend(order.order_id)


async def test_one_order_failing_does_not_stall_the_others(rig: Rig) -> None:
    await rig.started()
    a = await rig.svc.purchase(1, "Telegram", **BUY)
    b = await rig.svc.purchase(1, "WhatsApp", country_name="US", service_name="WhatsApp")
    rig.client.orders[a.order_id].listed = False  # both left the list: sms/check for each
    rig.client.deliver(b.order_id, "Code 424242", "424242")
    rig.client.orders[b.order_id].listed = False
    rig.client.fail("check_sms", ServerError("500 on this order", status=500))
    await rig.svc.poll_once()  # does not raise: a's failure is a's
    assert rig.svc.get(b.order_id).code == "424242"  # type: ignore[union-attr]
    assert rig.svc.loop.online is not False
