"""What the orders service talks to and hands out: the client protocol, the purchase outcome
that is not known, and "buy again"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from smspool_tui.api.errors import ApiError, BadResponse, ServerError, TransportError
from smspool_tui.api.models import (
    ActionResult,
    ActiveOrder,
    HistoryOrder,
    Purchase,
    ResendCheck,
    ResendResult,
    SmsCheck,
)
from smspool_tui.api.models.orders import MissedSms
from smspool_tui.core.loop import describe

# Outcomes that leave us unsure whether the server carried the request out.
UNSURE = (TransportError, ServerError, BadResponse)


class OrdersClient(Protocol):
    """The part of SMSPoolClient this service uses (fakes in tests implement just this)."""

    async def active_orders(self) -> list[ActiveOrder]: ...
    async def history(
        self, search: str | None = None, start: int = 0, length: int = 100
    ) -> list[HistoryOrder]: ...
    async def purchase_sms(
        self,
        country: int | str,
        service: int | str,
        pool: int | str | None = None,
        max_price: Decimal | str | float | None = None,
        pricing_option: Any = None,
        area_code: Any = None,
        **options: Any,  # quantity, activation_type, create_token, exclude, carrier, phonenumber
    ) -> Purchase: ...
    async def check_sms(self, order_id: str) -> SmsCheck: ...
    async def check_resend(self, order_id: str) -> ResendCheck: ...
    async def resend_sms(self, order_id: str) -> ResendResult: ...
    async def cancel_sms(self, order_id: str) -> ActionResult: ...
    async def archive_orders(self) -> ActionResult: ...
    async def activate(self, order_id: str) -> ActionResult: ...
    async def unarchive(self, order_id: str) -> ActionResult: ...
    async def missed_sms(
        self, phonenumber: str | None = None, limit: int = 100
    ) -> list[MissedSms]: ...


class SpendListener(Protocol):
    def spent(self) -> None: ...


class PurchaseOutcomeUnknown(ApiError):
    """The purchase request went out but no clear answer came back: the order may or may not
    exist. The journal keeps the intent and the poller resolves it; never buy again blindly."""

    def __init__(self, intent_id: int, cause: BaseException) -> None:
        super().__init__(
            "No clear answer from SMSPool: the order may or may not exist. Do not buy again yet; "
            f"the orders board will show it as soon as the server lists it. ({describe(cause)})",
            status=getattr(cause, "status", None),
        )
        self.intent_id = intent_id
        self.cause = cause


@dataclass(frozen=True, slots=True)
class BuyAgain:
    """What the purchase modal needs to offer the same order again (the UI asks to confirm)."""

    country_id: int | str
    service_id: int | str
    country_name: str
    service_name: str
    pool: int | None
