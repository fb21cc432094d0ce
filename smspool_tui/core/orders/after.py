"""The commands on orders after they are bought: cancel (through the queue), resend (its cost
asked first), archive, buy again. A mixin of OrdersService, kept apart so each file stays one
subject; it uses the service's client, board, cancel queue, wake-up and balance listener."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from smspool_tui.api.models import ResendCheck, ResendResult
from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.loop import describe
from smspool_tui.core.order_model import (
    ACTIVATE_POOL,
    ACTIVATED_NOTE,
    Order,
    OrderState,
    can_activate,
    is_activated,
)
from smspool_tui.core.orders.facts import Activated, CancelAllResult, ResendRequested
from smspool_tui.core.orders.missed import MissedMessage, newest_first
from smspool_tui.core.orders.types import UNSURE, BuyAgain

if TYPE_CHECKING:
    from smspool_tui.core.orders.board import Board
    from smspool_tui.core.orders.cancels import CancelQueue
    from smspool_tui.core.orders.types import OrdersClient


__all__ = ["ACTIVATED_NOTE", "ACTIVATE_POOL", "AfterBuying", "can_activate", "is_activated"]


class AfterBuying:
    client: OrdersClient
    board: Board
    cancels: CancelQueue

    def wake(self) -> None:
        raise NotImplementedError

    def _money_moved(self) -> None:
        raise NotImplementedError

    def get(self, order_id: str) -> Order | None:
        raise NotImplementedError

    def _require(self, order_id: str) -> Order:
        order = self.get(order_id)
        if order is None:
            raise KeyError(f"no order {order_id}")
        return order

    async def cancel(self, order_id: str) -> Order:
        """Ask for a cancel (refund). Too early -> queued, the poller sends it when allowed."""
        return await self.cancels.request(self._require(order_id))

    async def cancel_many(self, order_ids: list[str]) -> CancelAllResult:
        """Cancel all: each order through the normal cancel (its lock, its queue, its refund
        notice), one after the other; one order's failure does not stop the others."""
        cancelled = queued = failed = 0
        for oid in order_ids:
            try:
                order = await self.cancel(oid)
            except Exception as exc:  # noted on that order, the rest go on
                self.board.notice(oid, f"cancel failed: {describe(exc)}", "error")
                failed += 1
                continue
            if order.status is OrderState.CANCELLED:
                cancelled += 1
            elif order.cancel_queued:
                queued += 1
            else:
                failed += 1
        return CancelAllResult(cancelled, queued, failed)

    async def unqueue_cancel(self, order_id: str) -> Order:
        return self.cancels.withdraw(self._require(order_id))

    async def check_resend(self, order_id: str) -> ResendCheck:
        """Whether a resend is possible and what it costs (call before `resend`)."""
        return await self.client.check_resend(order_id)

    async def resend(self, order_id: str) -> ResendResult:
        """Ask for the SMS again (may be charged: see check_resend). Never retried."""
        order = self._require(order_id)
        try:
            result = await self.client.resend_sms(order_id)
        except UNSURE as exc:
            self.board.notice(order_id, f"resend not confirmed ({describe(exc)})", "warning")
            self.wake()
            raise NotConfirmed(
                f"Resend not confirmed ({describe(exc)}): it may have gone through (and been "
                "charged). Check the order before asking again."
            ) from exc
        self.board.event(order_id, "resend", f"{result.message} charge={result.charge}")
        # Waiting again; the old code stays visible until a new one replaces it.
        self.board.put(replace(self.board.orders.get(order_id, order), status=OrderState.PENDING))
        self.board.event(order_id, "notice", f"resend requested, charge {result.charge}")
        self.board.emit(ResendRequested(order_id, "resend requested", charge=result.charge))
        self.board.changed()
        self.wake()
        if result.charge:
            self._money_moved()
        return result

    async def activate(self, order_id: str) -> Order:
        """Keep a pool-7 number for resends (sms/activate). After this the order can no longer
        be cancelled or refunded, so a queued cancel is dropped. Never retried."""
        order = self._require(order_id)
        try:
            await self.client.activate(order_id)
        except UNSURE as exc:
            self.board.notice(order_id, f"activation not confirmed ({describe(exc)})", "warning")
            raise NotConfirmed(
                f"Activation not confirmed ({describe(exc)}): it may have gone through. Check "
                "the order before asking again."
            ) from exc
        current = self.board.orders.get(order_id, order)
        self.board.put(replace(current, note=ACTIVATED_NOTE, cancel_queued=False), why="activated")
        self.board.event(order_id, "notice", "activated for resends")
        self.board.emit(Activated(order_id, "activated for resends: no longer refundable"))
        self.board.changed()
        return self.board.orders[order_id]

    async def unarchive(self, order_id: str) -> Order | None:
        """Put an archived order back in SMSPool's history (sms/unarchive); the journal's copy
        is marked too. Returns the stored order (None if the journal has none)."""
        await self.client.unarchive(order_id)
        stored = self.board.journal.get_order(order_id)
        if stored is None:
            return None
        back = replace(stored, archived=False)
        self.board.journal.upsert_order(back)
        self.board.event(order_id, "unarchived", "")
        return back

    async def missed(self, limit: int = 100) -> list[MissedMessage]:
        """Messages that reached the account's numbers without completing an order."""
        return newest_first(await self.client.missed_sms(limit=limit))

    async def archive(self) -> int:
        """Archive finished orders on the server and take them off the board (history keeps
        them). Returns how many left the board."""
        await self.client.archive_orders()
        taken = 0
        for order in list(self.board.orders.values()):
            if order.ended_at is not None and not order.is_intent_row:
                self.board.put(replace(order, archived=True))
                self.board.drop(order.order_id)
                taken += 1
        self.board.changed()
        return taken

    def buy_again(self, order_id: str) -> BuyAgain:
        order = self._require(order_id)
        return BuyAgain(
            country_id=order.country_id if order.country_id is not None else order.country,
            service_id=order.service_id if order.service_id is not None else order.service,
            country_name=order.country,
            service_name=order.service,
            pool=order.pool,
        )
