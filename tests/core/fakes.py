"""A scriptable in-memory SMSPool for OrdersService tests: counts every call, fails on demand."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from smspool_tui.api.errors import ApiError, CancelTooEarly, NotFound
from smspool_tui.api.models import (
    ActionResult,
    ActiveOrder,
    HistoryOrder,
    Purchase,
    ResendCheck,
    ResendResult,
    SmsCheck,
)
from smspool_tui.clock import FakeClock


@dataclass
class ServerOrder:
    order_id: str
    service: str
    number: str
    created: datetime
    expires: datetime
    cost: Decimal = Decimal("0.24")
    state: str = "pending"  # pending | received | cancelled | expired
    code: str | None = None
    full: str | None = None
    listed: bool = True  # on request/active
    pool: int = 7


class FakeClient:
    """Implements the OrdersClient/BalanceClient methods the core uses."""

    def __init__(self, clock: FakeClock, *, ttl: float = 1200, cancel_lock: float = 60) -> None:
        self.clock = clock
        self.ttl = ttl
        self.cancel_lock = cancel_lock
        self.orders: dict[str, ServerOrder] = {}
        self.calls: Counter[str] = Counter()
        self.purchase_options: list[dict[str, Any]] = []  # the options of each purchase_sms
        self.failures: dict[str, list[BaseException]] = {}
        self.fail_always: dict[str, BaseException] = {}
        self.on_purchase: Callable[[], None] | None = None
        self.balance_value = Decimal("50.00")
        self.purchase_gate: asyncio.Event | None = None
        self._next = 1
        self.ts_skew = timedelta(0)  # the server's zone-less timestamps may be in another zone

    # -- scripting -------------------------------------------------------------------------------

    def fail(self, method: str, *errors: BaseException) -> None:
        self.failures.setdefault(method, []).extend(errors)

    def _enter(self, method: str) -> None:
        self.calls[method] += 1
        if method in self.fail_always:
            raise self.fail_always[method]
        queue = self.failures.get(method)
        if queue:
            raise queue.pop(0)

    def add_order(
        self, service: str = "Telegram", *, listed: bool = True, **kw: Any
    ) -> ServerOrder:
        """An order that exists on the server (bought here or on the web dashboard)."""
        now = self.clock.now()
        oid = kw.pop("order_id", None) or f"ORD{self._next:04d}"
        self._next += 1
        order = ServerOrder(
            oid,
            service,
            kw.pop("number", f"1555010{self._next:04d}"),
            now,
            now + timedelta(seconds=self.ttl),
            listed=listed,
            **kw,
        )
        self.orders[oid] = order
        return order

    def deliver(self, order_id: str, full: str, code: str | None = None) -> None:
        order = self.orders[order_id]
        order.state = "received"
        order.full = full
        order.code = code

    def expire(self, order_id: str) -> None:
        order = self.orders[order_id]
        order.state = "expired"
        order.listed = False

    # -- API -------------------------------------------------------------------------------------

    def _row(self, o: ServerOrder) -> dict[str, Any]:
        status = {"received": "completed", "cancelled": "refunded"}.get(o.state, o.state)
        return {
            "order_code": o.order_id,
            "phonenumber": o.number,
            "service": o.service,
            "short_name": "US",
            "status": status,
            "code": o.code or "0",
            "full_code": o.full or "",
            "cost": str(o.cost),
            "expiry": o.expires,
            "timestamp": o.created + self.ts_skew,
            "time_left": max(0, int((o.expires - self.clock.now()).total_seconds())),
        }

    async def active_orders(self) -> list[ActiveOrder]:
        self._enter("active_orders")
        return [ActiveOrder.model_validate(self._row(o)) for o in self.orders.values() if o.listed]

    async def history(
        self, search: str | None = None, start: int = 0, length: int = 100
    ) -> list[HistoryOrder]:
        self._enter("history")
        rows = [
            HistoryOrder.model_validate({**self._row(o), "pool": o.pool})
            for o in reversed(self.orders.values())
        ]
        return rows[start : start + length]

    async def purchase_sms(
        self,
        country: Any,
        service: Any,
        pool: Any = None,
        max_price: Any = None,
        pricing_option: Any = None,
        area_code: Any = None,
        **options: Any,
    ) -> Purchase:
        self.calls["purchase_sms"] += 1
        self.purchase_options.append(options)
        if self.on_purchase is not None:
            self.on_purchase()
        if self.purchase_gate is not None:
            await self.purchase_gate.wait()
        order = self.add_order(str(service) if not isinstance(service, int) else "Telegram")
        queue = self.failures.get("purchase_sms")
        if queue:  # the server created the order but the answer got lost
            raise queue.pop(0)
        return Purchase.model_validate(
            {
                "success": 1,
                "order_id": order.order_id,
                "number": int(order.number),
                "cc": "1",
                "phonenumber": order.number[1:],
                "country": "United States",
                "service": order.service,
                "pool": order.pool,
                "expires_in": int(self.ttl),
                "expiration": order.expires,
                "cost": str(order.cost),
                "message": "You have succesfully ordered",
            }
        )

    async def check_sms(self, order_id: str) -> SmsCheck:
        self._enter("check_sms")
        o = self.orders.get(order_id)
        if o is None:
            raise NotFound("We could not find this order!", status=404)
        if o.code or o.full:
            return SmsCheck.model_validate({"status": 3, "sms": o.code, "full_sms": o.full})
        if o.state == "pending":
            return SmsCheck.model_validate({"status": 1, "resend": 0, "expiration": o.expires})
        return SmsCheck.model_validate({"status": 6, "message": "This order has been refunded"})

    async def cancel_sms(self, order_id: str) -> ActionResult:
        self._enter("cancel_sms")
        o = self.orders.get(order_id)
        if o is None:
            raise NotFound("We could not find this order!", status=404)
        if o.state == "received":
            raise ApiError("This order has already received a SMS and cannot be cancelled.")
        if (self.clock.now() - o.created).total_seconds() < self.cancel_lock:
            raise CancelTooEarly(
                "This phone number cannot be cancelled yet, please try again later!"
            )
        o.state = "cancelled"
        o.listed = False
        return ActionResult(success=True, message=f"refunded {o.cost} dollars.")

    async def check_resend(self, order_id: str) -> ResendCheck:
        self._enter("check_resend")
        return ResendCheck.model_validate(
            {"message": "available", "resends": 1, "resendCost": "0.10", "expires_in_hour": 1}
        )

    async def resend_sms(self, order_id: str) -> ResendResult:
        self._enter("resend_sms")
        return ResendResult.model_validate(
            {"message": "Your number has been requested again!", "order_id": order_id, "charge": 0}
        )

    async def archive_orders(self) -> ActionResult:
        self._enter("archive_orders")
        return ActionResult(success=True, message="All your inactive orders have been archived.")

    async def balance(self) -> Decimal:
        self._enter("balance")
        return self.balance_value
