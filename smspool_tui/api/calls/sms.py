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

    async def cancel_all(self) -> ActionResult:
        return await self._post("sms/cancel_all", {}, one(ActionResult), retry=False)

    async def archive_orders(self) -> ActionResult:
        return await self._post("request/archive", {}, one(ActionResult), retry=False)
