"""Pre-orders: every recorded answer parses, refusals carry the server's minimum or highest bid,
and the cancel that is not found (HTTP 200 + success 0) is an error, not a refund."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from smspool_tui.api import ApiError, BadRequest, NotFound, PreorderRefused, SMSPoolClient
from smspool_tui.api.models import PreorderStatus

from .apifake import FakeApi


async def test_price_with_a_bid(client: SMSPoolClient) -> None:
    price = await client.preorder_price(1, 395, 7)
    assert price.cost == Decimal("1.21") and isinstance(price.cost, Decimal)
    assert price.highest == Decimal("1.21")


async def test_price_without_bids(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("preorder/price", "preorder_price_none")
    price = await client.preorder_price(1, 395)
    assert price.cost == 0 and price.highest is None
    assert "pool" not in fake_api.form()  # optional: left out, not sent empty


async def test_create_sends_the_bid_as_a_string(client: SMSPoolClient, fake_api: FakeApi) -> None:
    placed = await client.preorder_create(1, 395, Decimal("0.50"), 7, area_code=[212])
    assert placed.order_code == "ABCDEFG"
    assert placed.expires_in == 50
    assert "automatically be added" in placed.message
    form = fake_api.form()
    assert (form["country"], form["service"], form["pool"]) == ("1", "395", "7")
    assert form["max_price"] == "0.50" and form["areacode"] == "[212]"


@pytest.mark.parametrize(
    ("fixture", "minimum", "highest", "words"),
    [
        ("preorder_create_below_minimum", Decimal("0.25"), None, "minimum price"),
        ("preorder_create_below_highest", None, Decimal("0.78"), "highest offer ($0.78)"),
    ],
)
async def test_create_refusals_carry_the_servers_numbers(
    client: SMSPoolClient,
    fake_api: FakeApi,
    fixture: str,
    minimum: Decimal | None,
    highest: Decimal | None,
    words: str,
) -> None:
    fake_api.on("preorder/create", fixture)
    with pytest.raises(PreorderRefused) as info:
        await client.preorder_create(1, 395, "0.01", 7)
    err = info.value
    assert isinstance(err, BadRequest) and err.status == 400 and not err.retryable
    assert err.minimum_price == minimum and err.highest_offer == highest
    assert words in err.message
    assert len(fake_api.requests) == 1


async def test_check_pending(client: SMSPoolClient) -> None:
    check = await client.preorder_check("ABCDEFGh")
    assert check.status is PreorderStatus.PENDING and not check.finished
    assert check.preorder_code == "ABCDEFGh"
    assert (check.cost, check.country, check.service, check.pool) == (Decimal("0.42"), 1, 1, 7)
    assert check.order_code is None and check.phonenumber is None


async def test_check_finished_names_the_order(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("preorder/check", "preorder_check_finished")
    check = await client.preorder_check("ABCDEFGH")
    assert check.finished and check.status is PreorderStatus.FINISHED
    assert check.order_code == "ABCDEFGH" and check.phonenumber == "15632131794"
    assert fake_api.form()["orderid"] == "ABCDEFGH"


async def test_check_not_found(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("preorder/check", "preorder_check_not_found")
    with pytest.raises(NotFound) as info:
        await client.preorder_check("NOPE")
    assert info.value.message == "We could not find your preorder!"


async def test_retrieve(client: SMSPoolClient) -> None:
    (row,) = await client.preorder_retrieve()
    assert row.order_code == "ABCDEFGH" and row.status is PreorderStatus.PENDING
    assert row.cost == Decimal("0.42") and row.highest_offer == Decimal("0.42")
    names = (row.country_name, row.service_name, row.pool_name)
    assert names == ("United States", "Test", "Foxtrot")
    assert row.time_left == 48
    assert row.timestamp == datetime(2024, 1, 6, 17, 38, 41, tzinfo=UTC)


async def test_retrieve_empty_and_php_empty(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("preorder/retrieve", httpx.Response(200, json=[]), httpx.Response(200, json={}))
    assert await client.preorder_retrieve() == []
    assert await client.preorder_retrieve() == []


async def test_retrieve_keeps_unknown_fields(client: SMSPoolClient, fake_api: FakeApi) -> None:
    row = {"order_code": "X1", "status": "finished", "cost": 0.3, "new_field": 1}
    fake_api.on("preorder/retrieve", httpx.Response(200, json=[row]))
    (got,) = await client.preorder_retrieve()
    assert got.status is PreorderStatus.FINISHED and got.cost == Decimal("0.3")
    assert got.model_extra == {"new_field": 1}


async def test_cancel_ok(client: SMSPoolClient, fake_api: FakeApi) -> None:
    result = await client.preorder_cancel("ABCDEFGH")
    assert result.success and result.message == "Your preorder has been refunded."
    assert fake_api.form()["orderid"] == "ABCDEFGH"


async def test_cancel_completed_is_a_refusal(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("preorder/cancel", "preorder_cancel_completed")
    with pytest.raises(BadRequest) as info:
        await client.preorder_cancel("ABCDEFGH")
    assert "already completed" in info.value.message and info.value.status == 400


async def test_cancel_not_found_on_http_200(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("preorder/cancel", "preorder_cancel_not_found")
    with pytest.raises(NotFound) as info:
        await client.preorder_cancel("GONE")
    assert info.value.status == 200 and info.value.message == "This preorder does not exist."


async def test_a_refusal_without_numbers_is_a_plain_bad_request(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    fake_api.on("preorder/create", httpx.Response(400, json={"success": 0, "message": "No."}))
    with pytest.raises(ApiError) as info:
        await client.preorder_create(1, 395, "1.00")
    assert type(info.value) is BadRequest
