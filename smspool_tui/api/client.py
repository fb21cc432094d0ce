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
from collections.abc import Callable, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from smspool_tui.clock import Clock, SystemClock

from ._parse import (
    list_of,
    one,
    parse_balance,
    parse_rental_catalog,
    parse_rental_messages,
    parse_rental_status,
)
from ._transport import (
    RETRY_AFTER_CAP,
    Params,
    ParamValue,
    Secret,
    SleepFn,
    SupportsSecret,
    TokenBucket,
    _area_codes,
    _form,
    backoff_delay,
    checked,
)
from .errors import (
    ApiError,
    BadResponse,
    RateLimited,
    TransportError,
)
from .models import (
    ActionResult,
    ActiveOrder,
    Country,
    HistoryOrder,
    MyRental,
    Pool,
    PoolPrice,
    PriceQuote,
    PricingOption,
    Purchase,
    RentalExtend,
    RentalInfo,
    RentalMessage,
    RentalOffer,
    RentalPricing,
    RentalPurchase,
    RentalStatus,
    ResendCheck,
    ResendResult,
    Service,
    SmsCheck,
    Stock,
    SuccessRate,
    SuggestedCountry,
)

log = logging.getLogger("smspool_tui.api")

DEFAULT_BASE_URL = "https://api.smspool.net"
MAX_CONCURRENCY = 8

T = TypeVar("T")


class SMSPoolClient:
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

    # --- catalog --------------------------------------------------------------------------------

    async def countries(self) -> list[Country]:
        return await self._get("country/retrieve_all", {}, list_of(Country))

    async def services(self, country: int | str | None = None) -> list[Service]:
        return await self._get("service/retrieve_all", {"country": country}, list_of(Service))

    async def pools(self) -> list[Pool]:
        return await self._post("pool/retrieve_all", {}, list_of(Pool))

    async def price(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> PriceQuote:
        params = {"country": country, "service": service, "pool": pool}
        return await self._post("request/price", params, one(PriceQuote))

    async def suggested_countries(self, service: int | str) -> list[SuggestedCountry]:
        return await self._post(
            "request/suggested_countries", {"service": service}, list_of(SuggestedCountry)
        )

    async def pool_prices(self, country: int | str, service: int | str) -> list[PoolPrice]:
        params = {"country": country, "service": service}
        return await self._post("pool/retrieve_valid", params, list_of(PoolPrice))

    async def success_rates(
        self, service: int | str, country: int | str | None = None
    ) -> list[SuccessRate]:
        params = {"service": service, "country": country}
        return await self._post("request/success_rate", params, list_of(SuccessRate))

    async def stock(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> Stock:
        params = {"country": country, "service": service, "pool": pool}
        return await self._post("sms/stock", params, one(Stock))

    # --- account --------------------------------------------------------------------------------

    async def balance(self) -> Decimal:
        return await self._post("request/balance", {}, parse_balance)

    async def history(
        self, search: str | None = None, start: int = 0, length: int = 100
    ) -> list[HistoryOrder]:
        params = {"search": search or None, "start": start, "length": length}
        return await self._post("request/history", params, list_of(HistoryOrder))

    async def active_orders(self) -> list[ActiveOrder]:
        return await self._post("request/active", {}, list_of(ActiveOrder))

    # --- SMS orders -----------------------------------------------------------------------------

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

    # --- rentals --------------------------------------------------------------------------------

    async def rental_catalog(self, extendable: bool) -> list[RentalOffer]:
        def parse(body: object) -> list[RentalOffer]:
            return parse_rental_catalog(body, extendable)

        return await self._post("rental/retrieve_all", {"type": 1 if extendable else 0}, parse)

    async def purchase_rental(
        self, rental_id: int | str, days: int, service_id: int | str | None = None
    ) -> RentalPurchase:
        params = {"id": rental_id, "days": days, "service_id": service_id}
        return await self._post("purchase/rental", params, one(RentalPurchase), retry=False)

    async def rental_messages(self, rental_code: str) -> list[RentalMessage]:
        return await self._post(
            "rental/retrieve_messages", {"rental_code": rental_code}, parse_rental_messages
        )

    async def rental_status(self, rental_code: str) -> RentalStatus:
        return await self._post(
            "rental/retrieve_status", {"rental_code": rental_code}, parse_rental_status
        )

    async def refund_rental(self, rental_code: str) -> ActionResult:
        return await self._post(
            "rental/refund", {"rental_code": rental_code}, one(ActionResult), retry=False
        )

    async def extend_rental(self, rental_code: str, days: int) -> RentalExtend:
        params = {"rental_code": rental_code, "days": days}
        return await self._post("rental/extend", params, one(RentalExtend), retry=False)

    async def my_rentals(self) -> list[MyRental]:
        return await self._post("rental/retrieve", {}, list_of(MyRental))

    async def rental_info(self, rental_code: str) -> RentalInfo:
        return await self._post("rental/info", {"rental_code": rental_code}, one(RentalInfo))

    async def rental_pricing(self, rental_id: int | str) -> RentalPricing:
        return await self._post("rental/retrieve_pricing", {"id": rental_id}, one(RentalPricing))
