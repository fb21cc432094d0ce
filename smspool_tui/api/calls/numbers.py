"""Which numbers a purchase can get: the valid area codes, and the account's number cache
(SMSPool does not hand out a number the account had before until the cache is cleared)."""

from __future__ import annotations

from .._parse import one
from ..models import ActionResult
from .base import Caller

_CODE_KEYS = ("areacode", "area_code", "code", "prefix")
_LIST_KEYS = ("areacodes", "area_codes", "data", "codes")


def parse_area_codes(body: object) -> list[str]:
    """request/areacodes has no recording: read an array of codes (strings or numbers), of
    objects naming the code, or an object holding such an array, or keyed by the codes."""
    if isinstance(body, dict):
        for key in _LIST_KEYS:
            if isinstance(body.get(key), list | dict):
                return parse_area_codes(body[key])
        rest = [k for k in body if k not in ("success", "message")]
        if rest and all(str(k).isdigit() for k in rest):
            return sorted(rest)
        if body.get("success") == 0:
            raise ValueError("no area codes")
        return []
    if not isinstance(body, list):
        raise ValueError("area codes are neither a list nor an object")
    codes: list[str] = []
    for item in body:
        if isinstance(item, dict):
            item = next((item[k] for k in _CODE_KEYS if k in item), None)
        if isinstance(item, bool) or item is None:
            continue
        text = str(item).strip()
        if text.isdigit():
            codes.append(text)
    return codes


class NumberCalls(Caller):
    async def area_codes(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> list[str]:
        params = {"country": country, "service": service, "pool": pool}
        return await self._post("request/areacodes", params, parse_area_codes)

    async def clear_cache(self) -> ActionResult:
        """Let the account be given numbers it had before (sent once: it changes the account)."""
        return await self._post("sms/clear_cache", {}, one(ActionResult), retry=False)
