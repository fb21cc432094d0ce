"""Async client for the SMSPool API, speaking what the live API expects (see real-api.md).

Reads are retried with capped, jittered backoff; anything that spends money or changes an order
(purchase, resend, cancel, archive, refund, extend) is sent exactly once, since a timeout does not
tell us whether the server acted.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from smspool_tui.clock import Clock, SystemClock

from ._transport import (
    RETRY_AFTER_CAP,
    Params,
    Secret,
    SleepFn,
    SupportsSecret,
    TokenBucket,
    _form,
    backoff_delay,
    checked,
)
from .calls import CatalogCalls, NumberCalls, PreorderCalls, RentalCalls, SmsCalls
from .errors import (
    ApiError,
    BadResponse,
    RateLimited,
    TransportError,
)

log = logging.getLogger("smspool_tui.api")

DEFAULT_BASE_URL = "https://api.smspool.net"
MAX_CONCURRENCY = 8

T = TypeVar("T")


class SMSPoolClient(CatalogCalls, SmsCalls, RentalCalls, PreorderCalls, NumberCalls):
    """One shared httpx.AsyncClient; use as `async with SMSPoolClient(key) as api: ...`."""

    def __init__(
        self,
        api_key: str | SupportsSecret | None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10.0,
        connect_timeout: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retries: int = 3,
        max_rps: float = 16.0,
        clock: Clock | None = None,
        sleep: SleepFn | None = None,
    ) -> None:
        if api_key is not None and not isinstance(api_key, str):
            # A pydantic SecretStr: unwrapped straight into our Secret, never into a local.
            self._key = Secret(api_key.get_secret_value()) if api_key.get_secret_value() else None
        else:
            self._key = Secret(api_key) if api_key else None
        self.base_url = base_url.rstrip("/") + "/"
        self._host = urlsplit(self.base_url).netloc or self.base_url
        self.timeout = timeout
        self.retries = max(0, retries)
        self._clock = clock or SystemClock()
        self._sleep: SleepFn = sleep or self._clock.sleep
        self._rng = random.Random()
        self._limiter = TokenBucket(
            max_rps, monotonic=self._clock.monotonic, sleep=self._clock.sleep
        )
        self._semaphore = asyncio.Semaphore(MAX_CONCURRENCY)
        #: Every HTTP request sent, retries included (tests count requests per poll cycle).
        self.request_count = 0
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            # A dead host should fail fast; a slow answer gets the full read timeout.
            timeout=httpx.Timeout(timeout, connect=connect_timeout or timeout),
            transport=transport,
            headers={"User-Agent": "smspool-tui", "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        key = "set" if self._key else "none"
        return f"SMSPoolClient(base_url={self.base_url!r}, key={key})"

    def without_retries(self) -> SMSPoolClient:
        """The same client (connection, key, rate limit) with reads not retried: for monitors,
        whose own backoff is the retry, so a dead network is not asked four times a cycle."""
        view = copy.copy(self)
        view.retries = 0
        return view

    @property
    def has_key(self) -> bool:
        return self._key is not None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- plumbing -------------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        return self._key.redact(text) if self._key else text

    async def _send(self, method: str, path: str, params: Params) -> httpx.Response:
        """One HTTP request; transport failures become TransportError."""
        form = _form(params)
        shown = self._redact(" ".join(f"{k}={v}" for k, v in form.items() if k != "key"))
        async with self._semaphore:
            await self._limiter.acquire()
            self.request_count += 1
            started = self._clock.monotonic()
            try:
                response = await self._request(method, path, form)
            except httpx.TimeoutException as exc:
                self._log(method, path, shown, type(exc).__name__, started)
                raise TransportError(
                    f"The request to {self._host} timed out after {self.timeout:g} s"
                ) from None
            except httpx.ConnectError as exc:
                self._log(method, path, shown, type(exc).__name__, started)
                raise TransportError(f"Could not connect to {self._host}") from None
            except httpx.RequestError as exc:
                self._log(method, path, shown, type(exc).__name__, started)
                raise TransportError(
                    f"Network error talking to {self._host} ({type(exc).__name__})"
                ) from None
        self._log(method, path, shown, str(response.status_code), started)
        return response

    async def _request(self, method: str, path: str, form: dict[str, str]) -> httpx.Response:
        """The only frame holding the key. Crash reports print every frame's locals (Textual's
        traceback has show_locals=True), so the key is wiped from them before any error leaves."""
        headers: dict[str, str] = {}
        body: dict[str, str] = {}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key.reveal()}"
        if method == "GET":
            # GET endpoints are public; the key never goes into a URL.
            kwargs: dict[str, Any] = {"params": form}
        else:
            body = dict(form)
            if self._key:
                body["key"] = self._key.reveal()
            kwargs = {"data": body}
        try:
            return await self._http.request(method, path, headers=headers, **kwargs)
        except BaseException:
            headers.clear()
            body.clear()
            raise

    def _log(self, method: str, path: str, shown: str, outcome: str, started: float) -> None:
        elapsed = (self._clock.monotonic() - started) * 1000
        log.debug("%s /%s [%s] -> %s in %.0f ms", method, path, shown, outcome, elapsed)

    async def _call(
        self,
        method: str,
        path: str,
        params: Params,
        parse: Callable[[object], T],
        *,
        retry: bool = True,
    ) -> T:
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            try:
                body = checked(await self._send(method, path, params), self._clock.now())
                try:
                    return parse(body)
                except (ValidationError, ValueError, TypeError, KeyError, AttributeError):
                    # Never let pydantic's dump (which quotes the body) reach the user.
                    raise BadResponse(
                        f"The server sent an answer of an unexpected shape (/{path})",
                        status=200,
                        payload=body,
                    ) from None
            except ApiError as err:
                err._replace_message(self._redact(err.message))
                if not err.retryable or attempt + 1 >= attempts:
                    raise
                if isinstance(err, RateLimited) and err.retry_after is not None:
                    delay = min(err.retry_after, RETRY_AFTER_CAP)
                else:
                    delay = backoff_delay(attempt, self._rng)
                log.debug("retrying /%s in %.2f s after %s", path, delay, type(err).__name__)
                await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get(self, path: str, params: Params, parse: Callable[[object], T]) -> T:
        return await self._call("GET", path, params, parse)

    async def _post(
        self, path: str, params: Params, parse: Callable[[object], T], *, retry: bool = True
    ) -> T:
        return await self._call("POST", path, params, parse, retry=retry)
