"""SMS orders: purchase, check, resend, cancel, archive."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .._parse import (
    one,
    parse_purchase,
)
from .._transport import ParamValue, _area_codes
from ..models import ActionResult, PricingOption, Purchase, ResendCheck, ResendResult, SmsCheck
from ..models.orders import MissedSms
from .base import Caller

_MISSED_LISTS = ("data", "messages", "sms", "missed", "results")


def parse_action(body: object) -> ActionResult:
    """An unverified action's answer: an object as usual, or a bare true/1 (never a crash)."""
    if isinstance(body, dict):
        return ActionResult.model_validate(body)
    if body in (True, 1, "1"):
        return ActionResult(success=True, message="")
    raise ValueError("expected a JSON object")


def parse_missed(body: object) -> list[MissedSms]:
    """A list of messages; or an object holding one under a usual key; {} or [] for none. Rows
    that are not objects are skipped rather than failing the whole answer."""
    rows: object = body
    if isinstance(body, dict):
        found = next((body[k] for k in _MISSED_LISTS if isinstance(body.get(k), list | dict)), None)
        if found is None:
            return []  # {"success": 1} or {}: nothing missed
        rows = found
    if isinstance(rows, dict):
        rows = list(rows.values())
    if not isinstance(rows, list):
        raise ValueError("missed SMS answer is not a list")
    return [MissedSms.model_validate(r) for r in rows if isinstance(r, dict)]


class SmsCalls(Caller):
    async def purchase_sms(
        self,
        country: int | str,
        service: int | str,
        pool: int | str | None = None,
        max_price: Decimal | str | float | None = None,
        pricing_option: PricingOption | int | None = None,
        area_code: int | str | Sequence[int | str] | None = None,
        *,
        exclude: bool = False,
        quantity: int | None = None,
        activation_type: str | None = None,
        create_token: bool = False,
        carrier: int | None = None,
        phonenumber: str | None = None,
    ) -> Purchase:
        """Never retried. `exclude` turns the area codes into ones to avoid; `quantity` > 1
        buys several numbers (see `Purchase.numbers`); `create_token` answers with a share link
        instead of an order id; `activation_type` is SMS, VOICE or FLASH; `carrier` 1|2 (one US
        pool only); `phonenumber` asks for that number again."""
        areas = _area_codes(area_code)
        params: dict[str, ParamValue] = {
            "country": country,
            "service": service,
            "pool": pool,
            "max_price": None if max_price is None else str(max_price),
            "pricing_option": None if pricing_option is None else int(pricing_option),
            "areacode": areas,
            "exclude": 1 if exclude and areas else None,
            "quantity": quantity if quantity is not None and quantity > 1 else None,
            "activation_type": activation_type.upper() if activation_type else None,
            "create_token": 1 if create_token else None,
            "carrier": carrier,
            "phonenumber": phonenumber or None,
        }
        return await self._post("purchase/sms", params, parse_purchase, retry=False)

    async def check_sms(self, order_id: str) -> SmsCheck:
        return await self._post("sms/check", {"orderid": order_id}, one(SmsCheck))

    async def check_resend(self, order_id: str) -> ResendCheck:
        return await self._post("sms/check_resend", {"orderid": order_id}, one(ResendCheck))

    async def resend_sms(self, order_id: str) -> ResendResult:
        return await self._post("sms/resend", {"orderid": order_id}, one(ResendResult), retry=False)

    async def cancel_sms(self, order_id: str) -> ActionResult:
        return await self._post("sms/cancel", {"orderid": order_id}, one(ActionResult), retry=False)

    async def activate(self, order_id: str) -> ActionResult:
        """Keep a pool-7 number for resends; the order is then no longer refundable."""
        params = {"orderid": order_id}
        return await self._post("sms/activate", params, one(ActionResult), retry=False)

    async def unarchive(self, order_id: str) -> ActionResult:
        """Put an archived order back on request/history (shape unverified: any object)."""
        params = {"orderid": order_id}
        return await self._post("sms/unarchive", params, parse_action, retry=False)

    async def missed_sms(self, phonenumber: str | None = None, limit: int = 100) -> list[MissedSms]:
        """Messages that reached the account's numbers without completing an order."""
        params: dict[str, ParamValue] = {"phonenumber": phonenumber, "limit": limit}
        return await self._post("sms/missed", params, parse_missed)

    async def cancel_all(self) -> ActionResult:
        return await self._post("sms/cancel_all", {}, one(ActionResult), retry=False)

    async def archive_orders(self) -> ActionResult:
        return await self._post("request/archive", {}, one(ActionResult), retry=False)
