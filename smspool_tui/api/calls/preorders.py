"""Pre-orders: a bid for a number that is out of stock (`preorder/*`, see real-api.md).

`preorder_create` spends money (the bid is held until the pre-order fills or is cancelled) and
`preorder_cancel` moves it back: both are sent exactly once, never retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .._parse import list_of, one
from .._transport import _area_codes
from ..models import ActionResult, Preorder, PreorderCheck, PreorderPlaced, PreorderPrice
from .base import Caller


class PreorderCalls(Caller):
    async def preorder_price(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> PreorderPrice:
        params = {"country": country, "service": service, "pool": pool}
        return await self._post("preorder/price", params, one(PreorderPrice))

    async def preorder_create(
        self,
        country: int | str,
        service: int | str,
        max_price: Decimal | str,
        pool: int | str | None = None,
        area_code: int | str | Sequence[int | str] | None = None,
    ) -> PreorderPlaced:
        params = {
            "country": country,
            "service": service,
            "pool": pool,
            "max_price": str(max_price),
            "areacode": _area_codes(area_code),
        }
        return await self._post("preorder/create", params, one(PreorderPlaced), retry=False)

    async def preorder_check(self, preorder_code: str) -> PreorderCheck:
        return await self._post("preorder/check", {"orderid": preorder_code}, one(PreorderCheck))

    async def preorder_retrieve(self) -> list[Preorder]:
        return await self._post("preorder/retrieve", {}, list_of(Preorder))

    async def preorder_cancel(self, preorder_code: str) -> ActionResult:
        params = {"orderid": preorder_code}
        return await self._post("preorder/cancel", params, one(ActionResult), retry=False)
