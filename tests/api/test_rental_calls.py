"""The rental calls added for auto-extend, port reset and single-service lines: each parses its
fixture (or the real shape from spec/real-api.md); the ones that change a rental are sent once."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from smspool_tui.api import BadRequest, ServerError, SMSPoolClient

from .apifake import FakeApi


async def test_auto_extend_parses_its_fixture(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("rental/auto_extend", "rental_auto_extend_ok")
    result = await client.rental_auto_extend("TSTRNT01")
    assert result.auto_extend is True
    assert result.message == "Your auto extension status has been updated."
    assert fake_api.form()["rental_code"] == "TSTRNT01"


@pytest.mark.parametrize(
    ("method", "path"),
    [("rental_auto_extend", "rental/auto_extend"), ("reset_rental", "rental/reset")],
)
async def test_toggles_and_resets_are_never_retried(
    client: SMSPoolClient, fake_api: FakeApi, method: str, path: str
) -> None:
    # A success queued behind the failure: a retry would reach it and not raise.
    fake_api.on(path, "infra_502_cloudflare_html", "rental_auto_extend_ok")
    with pytest.raises(ServerError):
        await getattr(client, method)("TSTRNT01")
    assert len(fake_api.requests) == 1


async def test_reset_refused_is_a_bad_request(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("rental/reset", "rental_reset_refused")
    with pytest.raises(BadRequest, match="cannot reset the port for this type of rental"):
        await client.reset_rental("TSTRNT01")


async def test_reset_ok(client: SMSPoolClient, fake_api: FakeApi) -> None:
    text = (
        "Your port has been reset succesfully, please wait up to 3 minutes for incoming messages."
    )
    fake_api.on("rental/reset", httpx.Response(200, json={"success": 1, "message": text}))
    assert (await client.reset_rental("TSTRNT01")).message == text


async def test_services_of_a_single_service_line(client: SMSPoolClient, fake_api: FakeApi) -> None:
    body = [
        {"ID": 1106, "name": "101Sweets", "pool": 1},
        {"ID": 1108, "name": "Acorns ", "pool": 1},
    ]
    fake_api.on("rental/retrieve_services", httpx.Response(200, json=body))
    services = await client.rental_services(7)
    assert [(s.id, s.name, s.pool) for s in services] == [
        (1106, "101Sweets", 1),
        (1108, "Acorns ", 1),
    ]
    assert fake_api.form()["rental"] == "7"


async def test_service_price_reads_like_retrieve_pricing(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    body = {"pricing": {"30": 10}, "extend": {"30": 10}}
    fake_api.on("rental/service_price", httpx.Response(200, json=body))
    price = await client.rental_service_price(7, 1108)
    assert price.pricing == {30: Decimal(10)} and price.extend == {30: Decimal(10)}
    assert fake_api.form()["service_id"] == "1108"
