"""SMS orders: purchase, check, resend, cancel, archive."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .._parse import (
    one,
)
from .._transport import ParamValue, _area_codes
from ..models import ActionResult, PricingOption, Purchase, ResendCheck, ResendResult, SmsCheck
from .base import Caller


class SmsCalls(Caller):
    async def purchase_sms(
        self,
        country: int | str,
        service: int | str,
        pool: int | str | None = None,
        max_price: Decimal | str | float | None = None,
        pricing_option: PricingOption | int | None = None,
        area_code: int | str | Sequence[int | str] | None = None,
    ) -> Purchase:
        params: dict[str, ParamValue] = {
            "country": country,
            "service": service,
            "pool": pool,
            "max_price": None if max_price is None else str(max_price),
            "pricing_option": None if pricing_option is None else int(pricing_option),
            "areacode": _area_codes(area_code),
        }
        return await self._post("purchase/sms", params, one(Purchase), retry=False)

    async def check_sms(self, order_id: str) -> SmsCheck:
        return await self._post("sms/check", {"orderid": order_id}, one(SmsCheck))

    async def check_resend(self, order_id: str) -> ResendCheck:
        return await self._post("sms/check_resend", {"orderid": order_id}, one(ResendCheck))

    async def resend_sms(self, order_id: str) -> ResendResult:
        return await self._post("sms/resend", {"orderid": order_id}, one(ResendResult), retry=False)

    async def cancel_sms(self, order_id: str) -> ActionResult:
        return await self._post("sms/cancel", {"orderid": order_id}, one(ActionResult), retry=False)

    async def cancel_all(self) -> ActionResult:
        return await self._post("sms/cancel_all", {}, one(ActionResult), retry=False)

    async def archive_orders(self) -> ActionResult:
        return await self._post("request/archive", {}, one(ActionResult), retry=False)
