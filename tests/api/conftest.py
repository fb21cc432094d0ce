"""Fixtures for the API client tests; the fake server itself lives in apifake.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from smspool_tui.api import SMSPoolClient

from .apifake import KEY, FakeApi


@pytest.fixture
def fake_api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(fake_api: FakeApi, sleeps: list[float]) -> Callable[..., SMSPoolClient]:
    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def make(key: str | None = KEY, **kwargs: object) -> SMSPoolClient:
        kwargs.setdefault("transport", httpx.MockTransport(fake_api))
        kwargs.setdefault("sleep", record_sleep)
        return SMSPoolClient(key, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
async def client(make_client: Callable[..., SMSPoolClient]) -> AsyncIterator[SMSPoolClient]:
    async with make_client() as api:
        yield api
