"""Plumbing under the client: rate limiting, backoff, secret handling."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from .errors import error_for_failure, error_for_non_json

if TYPE_CHECKING:
    from datetime import datetime

    import httpx

SleepFn = Callable[[float], Awaitable[object]]

#: Backoff for retried reads: full jitter over base * 2**attempt, capped.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
#: A server asking us to wait longer than this is treated as asking for this long.
RETRY_AFTER_CAP = 60.0


def backoff_delay(attempt: int, rng: random.Random) -> float:
    """Full jitter (AWS style): spreads retries of many clients instead of synchronising them."""
    return rng.uniform(0.0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt))


class Secret:
    """Holds the API key so that repr/str of anything holding it shows only stars."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def redact(self, text: str) -> str:
        return text.replace(self._value, "***") if self._value else text


class TokenBucket:
    """At most `rate` requests per second on average, with a small burst.

    The burst is half a second's worth so any one-second window stays under ~1.5x rate even after
    an idle spell; SMSPool's documented limit (~32/s) is twice our default rate.
    """

    def __init__(
        self,
        rate: float,
        *,
        monotonic: Callable[[], float],
        sleep: SleepFn,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate / 2)
        self._tokens = self.capacity
        self._monotonic = monotonic
        self._sleep = sleep
        self._last = monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        if self.rate <= 0:  # limiter disabled
            return
        async with self._lock:  # FIFO: waiters are served in order
            while True:
                now = self._monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                # The epsilon absorbs float rounding, which could otherwise spin on a 1e-17 s wait.
                if self._tokens >= 1.0 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep((1.0 - self._tokens) / self.rate)


ParamValue = str | int | Decimal | None
Params = Mapping[str, ParamValue]


def _form(params: Params) -> dict[str, str]:
    """Drop unset params and render the rest as the form strings the server expects."""
    return {name: str(value) for name, value in params.items() if value is not None}


def _area_codes(area_code: int | str | Sequence[int | str] | None) -> str | None:
    """`areacode` is a JSON array in a string, e.g. "[123]" or "[123,456]"."""
    if area_code is None:
        return None
    if isinstance(area_code, str):
        text = area_code.strip()
        if text.startswith("["):
            return text
        area_code = [part for part in text.replace(" ", ",").split(",") if part]
    elif isinstance(area_code, int):
        area_code = [area_code]
    codes = [int(c) if str(c).isdigit() else str(c) for c in area_code]
    return json.dumps(codes, separators=(",", ":")) if codes else None


class SupportsSecret(Protocol):
    """pydantic's SecretStr, or anything that hands out its secret only when asked."""

    def get_secret_value(self) -> str: ...


def checked(response: httpx.Response, now: datetime) -> object:
    """The JSON body of a successful answer, or the matching ApiError raised."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise error_for_non_json(status, response.headers, now=now) from None
    if status >= 400:
        raise error_for_failure(status, body, response.headers, now=now)
    # Success is signalled by status + `success` != 0; `success: 1` is often absent.
    if isinstance(body, dict) and str(body.get("success", "")).strip() in ("0", "False"):
        raise error_for_failure(status, body, response.headers, now=now)
    return body
