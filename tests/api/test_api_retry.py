"""Reads retry with backoff; mutations never do; Retry-After is honoured; rate and concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from smspool_tui.api import (
    BadResponse,
    NotFound,
    RateLimited,
    ServerError,
    SMSPoolClient,
    TransportError,
)
from smspool_tui.api._transport import BACKOFF_BASE, BACKOFF_CAP, TokenBucket

from .apifake import DEFAULT_ROUTES, MUTATIONS, READS, FakeApi


async def test_read_recovers_after_two_failures(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on(
        "request/active",
        "infra_502_cloudflare_html",
        httpx.ReadTimeout,
        "request_active_ok",
    )
    async with make_client() as client:
        orders = await client.active_orders()
        assert client.request_count == 3
    assert [o.order_code for o in orders] == ["TSTORD01"]
    assert len(fake_api.requests) == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= BACKOFF_BASE and 0 <= sleeps[1] <= BACKOFF_BASE * 2


async def test_read_gives_up_after_retries(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on("request/balance", "infra_502_cloudflare_html")
    async with make_client(retries=3) as client:
        with pytest.raises(ServerError):
            await client.balance()
        assert client.request_count == 4
    assert len(fake_api.requests) == 4
    assert len(sleeps) == 3


async def test_backoff_is_capped_with_jitter(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on("request/balance", httpx.ConnectError)
    async with make_client(retries=8) as client:
        with pytest.raises(TransportError):
            await client.balance()
    assert len(sleeps) == 8
    for attempt, delay in enumerate(sleeps):
        assert 0 <= delay <= min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)
    assert len(set(sleeps)) > 1  # jittered, not a fixed ladder


async def test_bad_response_is_retried(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on("request/balance", httpx.Response(200, text="<html/>"), "request_balance_ok")
    async with make_client() as client:
        assert str(await client.balance()) == "5.00"
    assert len(fake_api.requests) == 2


async def test_non_retryable_read_error_is_sent_once(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on("rental/retrieve_status", "rental_status_not_found")
    async with make_client() as client:
        with pytest.raises(NotFound):
            await client.rental_status("X")
    assert len(fake_api.requests) == 1 and sleeps == []


@pytest.mark.parametrize(("method", "args", "path"), READS, ids=[c[0] for c in READS])
async def test_every_read_retries(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    method: str,
    args: tuple[object, ...],
    path: str,
) -> None:
    fake_api.on(path, httpx.ReadTimeout)
    async with make_client(retries=2) as client:
        with pytest.raises(TransportError):
            await getattr(client, method)(*args)
    assert len(fake_api.requests) == 3


@pytest.mark.parametrize("failure", ["infra_502_cloudflare_html", httpx.ReadTimeout])
@pytest.mark.parametrize(("method", "args", "path"), MUTATIONS, ids=[c[0] for c in MUTATIONS])
async def test_mutations_are_never_retried(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    sleeps: list[float],
    method: str,
    args: tuple[object, ...],
    path: str,
    failure: str | type[httpx.RequestError],
) -> None:
    # A success is queued behind the failure: a retry would reach it and not raise.
    fake_api.on(path, failure, DEFAULT_ROUTES[path])
    async with make_client(retries=5) as client:
        with pytest.raises((ServerError, TransportError)):
            await getattr(client, method)(*args)
        assert client.request_count == 1
    assert len(fake_api.requests) == 1 and sleeps == []


@pytest.mark.parametrize(("method", "args", "path"), MUTATIONS, ids=[c[0] for c in MUTATIONS])
async def test_mutations_not_retried_on_429(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    method: str,
    args: tuple[object, ...],
    path: str,
) -> None:
    fake_api.on(path, httpx.Response(429, headers={"Retry-After": "1"}, json={"success": 0}))
    async with make_client() as client:
        with pytest.raises(RateLimited):
            await getattr(client, method)(*args)
    assert len(fake_api.requests) == 1


async def test_retry_after_is_honoured(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on(
        "request/active",
        httpx.Response(429, headers={"Retry-After": "3"}, json={"success": 0}),
        httpx.Response(429, headers={"Retry-After": "1.5"}, text="Too Many Requests"),
        "request_active_ok",
    )
    async with make_client() as client:
        orders = await client.active_orders()
    assert len(orders) == 1
    assert sleeps == [3.0, 1.5]


async def test_huge_retry_after_is_capped(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on(
        "request/active",
        httpx.Response(429, headers={"Retry-After": "86400"}, json={"success": 0}),
        "request_active_ok",
    )
    async with make_client() as client:
        await client.active_orders()
    assert sleeps == [60.0]


async def test_rate_limited_without_header_uses_backoff(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi, sleeps: list[float]
) -> None:
    fake_api.on("request/active", httpx.Response(429, json={"success": 0}), "request_active_ok")
    async with make_client() as client:
        await client.active_orders()
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= BACKOFF_BASE


async def test_token_bucket_keeps_the_rate() -> None:
    now = [0.0]
    waited: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(10.0, monotonic=lambda: now[0], sleep=fake_sleep)
    assert bucket.capacity == 5.0
    for _ in range(25):
        await bucket.acquire()
    # 5 from the initial burst, the other 20 at 10/s.
    assert now[0] == pytest.approx(2.0)
    assert len(waited) == 20


async def test_token_bucket_disabled() -> None:
    now = [0.0]
    waited: list[float] = []

    async def record(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(0, monotonic=lambda: now[0], sleep=record)
    for _ in range(100):
        await bucket.acquire()
    assert waited == []
    # The same loop on an enabled bucket does wait once its burst is spent.
    limited = TokenBucket(10.0, monotonic=lambda: now[0], sleep=record)
    for _ in range(100):
        await limited.acquire()
    assert len(waited) > 90


async def test_concurrency_is_bounded() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1
        return httpx.Response(200, json={"balance": "1.00"})

    async with SMSPoolClient("k" * 32, transport=httpx.MockTransport(handler), max_rps=0) as client:
        results = await asyncio.gather(*(client.balance() for _ in range(30)))
        assert client.request_count == 30
    assert len(results) == 30
    assert 1 < peak <= 8


async def test_wrong_shape_bad_response_retried_then_raised(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    fake_api.on("request/active", httpx.Response(200, json={"not": "a list"}))
    async with make_client(retries=1) as client:
        with pytest.raises(BadResponse):
            await client.active_orders()
    assert len(fake_api.requests) == 2
