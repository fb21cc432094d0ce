"""Every error class from the real response that produces it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from smspool_tui.api import (
    ApiError,
    AuthError,
    BadRequest,
    BadResponse,
    CancelTooEarly,
    InsufficientBalance,
    NotFound,
    OutOfStock,
    PriceNotFound,
    RateLimited,
    ServerError,
    SMSPoolClient,
    TransportError,
)
from smspool_tui.api.errors import clean_text, parse_retry_after

from .apifake import FakeApi

# (method, args, path, fixture, error class, http status, exact message)
FIXTURE_ERRORS: list[tuple[str, tuple[object, ...], str, str, type[ApiError], int, str]] = [
    ("balance", (), "request/balance", "auth_invalid_key", AuthError, 403, "Invalid API key (key)"),
    (
        "balance",
        (),
        "request/balance",
        "auth_missing_key",
        AuthError,
        400,
        "You are missing a required parameter for this request. (key)",
    ),
    (
        "purchase_sms",
        (1, 395),
        "purchase/sms",
        "purchase_sms_out_of_stock",
        OutOfStock,
        422,
        "Pool Foxtrot: We couldn't find an available phone number for you, please try again later!",
    ),
    (
        "purchase_sms",
        (1, 395),
        "purchase/sms",
        "purchase_sms_price_not_found",
        PriceNotFound,
        422,
        "We could not find a suitable pool below the price of: 0.01",
    ),
    (
        "purchase_sms",
        (1, 395),
        "purchase/sms",
        "purchase_sms_insufficient_balance",
        InsufficientBalance,
        422,
        "Pool Foxtrot: Insufficient balance, the price is: 0.24 while you only have: 0.00",
    ),
    (
        "cancel_sms",
        ("TSTORD01",),
        "sms/cancel",
        "sms_cancel_too_early",
        CancelTooEarly,
        400,
        "Your order cannot be cancelled yet, please try again later.",
    ),
    (
        "cancel_sms",
        ("TSTORD01",),
        "sms/cancel",
        "sms_cancel_too_early_live",
        CancelTooEarly,
        400,
        "This phone number cannot be cancelled yet, please try again later!",
    ),
    (
        "cancel_sms",
        ("X",),
        "sms/cancel",
        "sms_cancel_not_found",
        NotFound,
        404,
        "We could not find this order!",
    ),
    (
        "resend_sms",
        ("X",),
        "sms/resend",
        "sms_resend_not_found",
        NotFound,
        404,
        "This order could not be found.",
    ),
    (
        "resend_sms",
        ("X",),
        "sms/resend",
        "sms_resend_missing_orderid",
        BadRequest,
        400,
        "You are missing a required parameter for this request. (orderid)",
    ),
    (
        "resend_sms",
        ("X",),
        "sms/resend",
        "sms_resend_no_initial_sms",
        BadRequest,
        400,
        "You can only re-send to a phonenumber that has received a SMS",
    ),
    (
        "resend_sms",
        ("X",),
        "sms/resend",
        "sms_resend_not_available",
        BadRequest,
        400,
        "This phonenumber is not available for re-send, please keep in mind that one-time "
        "phonenumbers have no guarantee for resends.",
    ),
    (
        "check_resend",
        ("X",),
        "sms/check_resend",
        "sms_check_resend_not_available",
        BadRequest,
        400,
        "This number cannot be resent at the moment, please try again later.",
    ),
    (
        "price",
        ("", 395),
        "request/price",
        "request_price_missing_param",
        BadRequest,
        400,
        "You are missing a required parameter for this request. (country)",
    ),
    (
        "suggested_countries",
        ("",),
        "request/suggested_countries",
        "request_suggested_countries_missing_service",
        BadRequest,
        400,
        "You are missing a required parameter for this request. (service)",
    ),
    (
        "rental_catalog",
        (True,),
        "rental/retrieve_all",
        "rental_retrieve_all_not_found",
        NotFound,
        404,
        "No available rentals found for your search.",
    ),
    (
        "purchase_rental",
        (6, 30),
        "purchase/rental",
        "purchase_rental_insufficient_balance",
        InsufficientBalance,
        400,
        "You do not have enough balance, please top up your account with 10.00 dollars in order "
        "to purchase this rental.",
    ),
    (
        "purchase_rental",
        (6, 30),
        "purchase/rental",
        "purchase_rental_out_of_stock",
        OutOfStock,
        400,
        "This rental is currently out of stock!",
    ),
    (
        "purchase_rental",
        (6, 7),
        "purchase/rental",
        "purchase_rental_invalid_days",
        BadRequest,
        400,
        "You selected a invalid amount of days! The following days are available: 30",
    ),
    (
        "purchase_rental",
        (999, 30),
        "purchase/rental",
        "purchase_rental_invalid_id",
        BadRequest,
        400,
        "Invalid rental ID, please enter a valid rental ID from /rental/retrieve_all endpoint",
    ),
    (
        "rental_messages",
        ("X",),
        "rental/retrieve_messages",
        "rental_messages_not_found",
        NotFound,
        404,
        "No rental was found!",
    ),
    (
        "rental_status",
        ("X",),
        "rental/retrieve_status",
        "rental_status_not_found",
        NotFound,
        404,
        "No rental was found!",
    ),
    (
        "refund_rental",
        ("X",),
        "rental/refund",
        "rental_refund_not_found",
        NotFound,
        404,
        "This rental could not be found.",
    ),
    (
        "extend_rental",
        ("X", 30),
        "rental/extend",
        "rental_extend_not_found",
        NotFound,
        404,
        "This rental could not be found.",
    ),
    (
        "active_orders",
        (),
        "request/active",
        "infra_502_cloudflare_html",
        ServerError,
        502,
        "Server error 502 (Bad gateway)",
    ),
]


@pytest.mark.parametrize(
    ("method", "args", "path", "fixture", "cls", "status", "message"),
    FIXTURE_ERRORS,
    ids=[f"{row[0]}-{row[3]}" for row in FIXTURE_ERRORS],
)
async def test_error_from_fixture(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    method: str,
    args: tuple[object, ...],
    path: str,
    fixture: str,
    cls: type[ApiError],
    status: int,
    message: str,
) -> None:
    fake_api.on(path, fixture)
    async with make_client(retries=0) as client:
        with pytest.raises(ApiError) as info:
            await getattr(client, method)(*args)
    err = info.value
    assert type(err) is cls
    assert err.status == status
    assert err.message == message
    assert str(err) == message
    assert "<" not in str(err)
    assert err.payload is not None or cls is ServerError


async def test_cloudflare_page_is_not_dumped(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on("request/active", "infra_502_cloudflare_html")
    async with make_client(retries=0) as client:
        with pytest.raises(ServerError) as info:
            await client.active_orders()
    assert "Cloudflare" not in str(info.value) and "html" not in str(info.value).lower()
    assert info.value.retryable


@pytest.mark.parametrize("status", [520, 522, 524])
async def test_cloudflare_own_codes(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, status: int
) -> None:
    fake_api.on("request/balance", httpx.Response(status, text="<html>oops</html>"))
    async with make_client(retries=0) as client:
        with pytest.raises(ServerError, match=rf"^Server error {status} \(") as info:
            await client.balance()
    assert info.value.status == status


async def test_malformed_json_on_200(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on("request/balance", httpx.Response(200, text='{"balance": "5.0'))
    async with make_client(retries=0) as client:
        with pytest.raises(BadResponse) as info:
            await client.balance()
    assert str(info.value) == "The server sent a response that is not valid JSON"


async def test_html_on_200_is_bad_response(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on("request/active", httpx.Response(200, text="<html><body>hi</body></html>"))
    async with make_client(retries=0) as client:
        with pytest.raises(BadResponse):
            await client.active_orders()


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        ({"success": 0, "message": "This preorder does not exist."}, NotFound),
        ({"success": 0, "message": "We could not find this order!"}, NotFound),
        ({"success": 0, "message": "Invalid API key"}, AuthError),
        (
            {"success": 0, "message": "Insufficient balance, the price is: 0.85 while you only "},
            InsufficientBalance,
        ),
        ({"success": 0, "message": "Your order cannot be cancelled yet"}, CancelTooEarly),
        ({"success": "0", "message": "This rental is currently out of stock!"}, OutOfStock),
        (
            {"success": 0, "message": "No price was found for this query.", "price": 0},
            PriceNotFound,
        ),
        ({"success": 0, "message": "Something went horribly wrong, try again please!"}, BadRequest),
        ({"success": 0}, BadRequest),
        (
            {
                "success": 0,
                "errors": [
                    {"message": "Missing or invalid param: country"},
                    {"message": "Missing or invalid param: service"},
                ],
            },
            BadRequest,
        ),
    ],
)
async def test_200_with_success_zero(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    body: dict[str, Any],
    cls: type[ApiError],
) -> None:
    fake_api.on("sms/cancel", httpx.Response(200, json=body))
    async with make_client() as client:
        with pytest.raises(ApiError) as info:
            await client.cancel_sms("X")
    assert type(info.value) is cls
    assert info.value.status == 200
    assert str(info.value)  # always a readable message
    if "errors" in body:
        assert str(info.value) == (
            "Missing or invalid param: country; Missing or invalid param: service"
        )


async def test_html_and_entities_stripped(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    body = {"success": 0, "message": "<p>Pool <b>A&amp;B</b>: &quot;nope&quot; &lt;3</p>"}
    fake_api.on("sms/cancel", httpx.Response(400, json=body))
    async with make_client() as client:
        with pytest.raises(BadRequest) as info:
            await client.cancel_sms("X")
    assert str(info.value) == 'Pool A&B: "nope" <3'


def test_clean_text() -> None:
    assert clean_text("<p>Pool <b>Foxtrot</b>: <p>x</p></p>") == "Pool Foxtrot: x"
    assert clean_text("  a\n\tb  ") == "a b"


async def test_rate_limited_with_retry_after(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on(
        "sms/cancel",
        httpx.Response(
            429, json={"success": 0, "message": "Slow down"}, headers={"Retry-After": "7"}
        ),
    )
    async with make_client() as client:
        with pytest.raises(RateLimited) as info:
            await client.cancel_sms("X")
    assert info.value.retry_after == 7.0
    assert info.value.status == 429 and info.value.retryable
    assert str(info.value) == "Slow down"


async def test_rate_limited_html_without_retry_after(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on("sms/cancel", httpx.Response(429, text="<html>1015</html>"))
    async with make_client() as client:
        with pytest.raises(RateLimited) as info:
            await client.cancel_sms("X")
    assert info.value.retry_after is None


def test_parse_retry_after() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("2.5") == 2.5
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("exc", "text"),
    [
        (httpx.ReadTimeout, "The request to api.smspool.net timed out after 10 s"),
        (httpx.ConnectTimeout, "The request to api.smspool.net timed out after 10 s"),
        (httpx.ConnectError, "Could not connect to api.smspool.net"),
        (httpx.RemoteProtocolError, "Network error talking to api.smspool.net"),
    ],
)
async def test_transport_errors(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    exc: type[httpx.RequestError],
    text: str,
) -> None:
    fake_api.on("request/balance", exc)
    async with make_client(retries=0) as client:
        with pytest.raises(TransportError) as info:
            await client.balance()
    assert str(info.value).startswith(text)
    assert info.value.retryable and info.value.status is None
    assert info.value.__cause__ is None  # httpx internals stay out of tracebacks


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("request/active", "active_orders", {"order_code": "A"}),  # dict where a list belongs
        ("country/retrieve_all", "countries", [{"ID": 1, "name": {"x": 1}}]),  # wrong field type
        ("country/retrieve_all", "countries", [{"name": "no id"}]),  # required field missing
        ("request/history", "history", [{"order_code": "A", "expiry": "next tuesday"}]),
        ("request/price", "price", ["0.24"]),  # list where an object belongs
        ("request/price", "price", {"price": "cheap"}),
        ("request/balance", "balance", {"money": "5.00"}),
        ("rental/retrieve_status", "rental_status", {"success": 1, "status": "ok"}),
        ("rental/retrieve_all", "rental_catalog", {"0": "not an object"}),
        ("sms/check", "check_sms", {"status": "received"}),
    ],
)
async def test_wrong_shape_is_bad_response(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    path: str,
    method: str,
    body: object,
) -> None:
    fake_api.on(path, httpx.Response(200, json=body))
    args = {
        "price": (1, 2),
        "rental_status": ("R",),
        "rental_catalog": (True,),
        "check_sms": ("X",),
    }
    async with make_client(retries=0) as client:
        try:
            await getattr(client, method)(*args.get(method, ()))
        except ValidationError:  # pragma: no cover - the point of the test
            pytest.fail("pydantic ValidationError leaked")
        except BadResponse as err:
            assert err.status == 200
            assert "validation error" not in str(err)
        else:
            pytest.fail("no error raised")


def test_retryable_flags() -> None:
    assert TransportError("x").retryable and ServerError("x").retryable
    assert RateLimited("x").retryable and BadResponse("x").retryable
    for cls in (AuthError, NotFound, BadRequest, OutOfStock, PriceNotFound, InsufficientBalance):
        assert not cls("x").retryable
    assert not CancelTooEarly("x").retryable
    assert all(issubclass(c, ApiError) for c in (AuthError, RateLimited, BadResponse))


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(401, json={"success": 0, "message": "Unauthorized"}),
        httpx.Response(401, text="<html>401</html>"),
        httpx.Response(403, text="<html>Access denied | Cloudflare</html>"),
    ],
)
async def test_401_and_html_403_are_auth_errors(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, response: httpx.Response
) -> None:
    fake_api.on("request/balance", response)
    async with make_client() as client:
        with pytest.raises(AuthError) as info:
            await client.balance()
        assert client.request_count == 1  # not retryable
    assert info.value.status == response.status_code
    assert "<" not in str(info.value)
