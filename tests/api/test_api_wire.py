"""What goes on the wire: methods, paths, form fields, the key's whereabouts, logs."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from smspool_tui.api import ApiError, PricingOption, SMSPoolClient

from .apifake import ALL_CALLS, KEY, FakeApi

GET_PATHS = {"country/retrieve_all", "service/retrieve_all"}


@pytest.mark.parametrize(("method", "args", "path"), ALL_CALLS, ids=[c[0] for c in ALL_CALLS])
async def test_method_path_and_key_placement(
    client: SMSPoolClient,
    fake_api: FakeApi,
    method: str,
    args: tuple[object, ...],
    path: str,
) -> None:
    await getattr(client, method)(*args)
    (request,) = fake_api.requests
    assert request.url.host == "api.smspool.net" and request.url.scheme == "https"
    assert request.url.path == f"/{path}"
    assert ".php" not in str(request.url)
    assert KEY not in str(request.url)
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    if path in GET_PATHS:
        assert request.method == "GET"
        assert request.content == b""
    else:
        assert request.method == "POST"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.url.query == b""
        assert fake_api.form()["key"] == KEY


async def test_services_country_goes_in_query(client: SMSPoolClient, fake_api: FakeApi) -> None:
    await client.services(country="US")
    await client.services()
    assert fake_api.requests[0].url.params["country"] == "US"
    assert "country" not in fake_api.requests[1].url.params


async def test_purchase_sms_form(client: SMSPoolClient, fake_api: FakeApi) -> None:
    await client.purchase_sms(
        1, 395, pool=7, max_price="0.50", pricing_option=PricingOption.CHEAPEST, area_code=123
    )
    form = fake_api.form()
    assert form == {
        "country": "1",
        "service": "395",
        "pool": "7",
        "max_price": "0.50",
        "pricing_option": "0",
        "areacode": "[123]",
        "key": KEY,
    }
    assert "area_code" not in form


@pytest.mark.parametrize(
    ("option", "sent"),
    [(PricingOption.CHEAPEST, "0"), (PricingOption.HIGHEST_SUCCESS, "1"), (None, None)],
)
async def test_pricing_option_values(
    client: SMSPoolClient, fake_api: FakeApi, option: PricingOption | None, sent: str | None
) -> None:
    await client.purchase_sms("US", "Google", pricing_option=option)
    assert fake_api.form().get("pricing_option") == sent


@pytest.mark.parametrize(
    ("area", "sent"),
    [
        ([201, 202], "[201,202]"),
        ("415", "[415]"),
        ("415, 628", "[415,628]"),
        ("[212]", "[212]"),
        (None, None),
    ],
)
async def test_area_codes(
    client: SMSPoolClient, fake_api: FakeApi, area: object, sent: str | None
) -> None:
    await client.purchase_sms(1, 395, area_code=area)  # type: ignore[arg-type]
    assert fake_api.form().get("areacode") == sent


async def test_purchase_sms_omits_unset_params(client: SMSPoolClient, fake_api: FakeApi) -> None:
    await client.purchase_sms(1, 395)
    assert set(fake_api.form()) == {"country", "service", "key"}


@pytest.mark.parametrize(("extendable", "sent"), [(True, "1"), (False, "0")])
async def test_rental_catalog_type(
    client: SMSPoolClient, fake_api: FakeApi, extendable: bool, sent: str
) -> None:
    await client.rental_catalog(extendable)
    assert fake_api.form()["type"] == sent


async def test_other_forms(client: SMSPoolClient, fake_api: FakeApi) -> None:
    await client.history(search="TSTORD02", start=100, length=50)
    assert fake_api.form() == {"search": "TSTORD02", "start": "100", "length": "50", "key": KEY}
    await client.check_sms("TSTORD01")
    assert fake_api.form()["orderid"] == "TSTORD01"
    await client.purchase_rental(7, 30, service_id=1108)
    assert fake_api.form() == {"id": "7", "days": "30", "service_id": "1108", "key": KEY}
    await client.extend_rental("TSTRNT01", 30)
    assert fake_api.form() == {"rental_code": "TSTRNT01", "days": "30", "key": KEY}
    await client.rental_pricing(6)
    assert fake_api.form() == {"id": "6", "key": KEY}


async def test_without_key_nothing_is_sent(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    async with make_client(key=None) as client:
        await client.countries()
        await client.pools()
        assert not client.has_key
    for request in fake_api.requests:
        assert "Authorization" not in request.headers
    assert "key" not in fake_api.form()


async def test_custom_base_url(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    async with make_client(base_url="http://127.0.0.1:8765/") as client:
        await client.balance()
    assert str(fake_api.requests[0].url) == "http://127.0.0.1:8765/request/balance"


async def test_request_count(client: SMSPoolClient) -> None:
    assert client.request_count == 0
    await client.balance()
    await client.active_orders()
    assert client.request_count == 2


def test_repr_hides_key() -> None:
    client = SMSPoolClient(KEY)
    assert KEY not in repr(client) and KEY not in str(client)
    assert "key=set" in repr(client)


async def test_key_never_in_errors(
    make_client: Callable[..., SMSPoolClient], fake_api: FakeApi
) -> None:
    # A server that echoes the key back must not get it into our messages.
    echo = {"success": 0, "errors": [{"message": f"Invalid API key {KEY}", "param": "key"}]}
    fake_api.on("request/balance", httpx.Response(403, json=echo))
    fake_api.on("sms/cancel", httpx.Response(200, json={"success": 0, "message": f"no {KEY}"}))
    fake_api.on("request/active", httpx.ReadTimeout)
    fake_api.on("purchase/sms", "purchase_sms_out_of_stock")
    fake_api.on("rental/retrieve_status", "infra_502_cloudflare_html")
    fake_api.on("pool/retrieve_all", httpx.Response(200, json={"key": KEY}))
    errors: list[ApiError] = []
    async with make_client(retries=1) as client:
        for call in (
            client.balance(),
            client.cancel_sms("X"),
            client.active_orders(),
            client.purchase_sms(1, 2),
            client.rental_status("X"),
            client.pools(),
        ):
            with pytest.raises(ApiError) as info:
                await call
            errors.append(info.value)
    assert len(errors) == 6
    assert errors[0].message == "Invalid API key *** (key)"
    for err in errors:
        assert KEY not in str(err) and KEY not in repr(err) and KEY not in str(err.args)
    for request in fake_api.requests:
        assert KEY not in str(request.url)


async def test_log_lines_without_key(
    make_client: Callable[..., SMSPoolClient],
    fake_api: FakeApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_api.on("rental/retrieve_status", "rental_status_not_found")
    fake_api.on("request/active", httpx.ConnectError, "request_active_ok")
    caplog.set_level(logging.DEBUG, logger="smspool_tui.api")
    async with make_client() as client:
        await client.purchase_sms(1, 395, area_code=212)
        await client.services(country=1)
        with pytest.raises(ApiError):
            await client.rental_status("TSTRNT09")
        await client.active_orders()
    lines = [r.getMessage() for r in caplog.records if r.name == "smspool_tui.api"]
    request_lines = [line for line in lines if " -> " in line]
    assert len(request_lines) == client.request_count == 5
    assert request_lines[0].startswith("POST /purchase/sms [country=1 service=395 areacode=[212]]")
    assert request_lines[0].split(" -> ")[1].startswith("200 in ")
    assert request_lines[1].startswith("GET /service/retrieve_all [country=1] -> 200")
    assert "rental_code=TSTRNT09] -> 404" in request_lines[2]
    assert "-> ConnectError" in request_lines[3]
    assert all(line.endswith(" ms") for line in request_lines)
    assert caplog.records
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert "key=" not in record.getMessage()


def test_import_does_not_load_textual() -> None:
    code = (
        "import sys, smspool_tui.api\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_connect_and_read_timeouts_are_separate() -> None:
    client = SMSPoolClient("k" * 32, timeout=15.0, connect_timeout=3.0)
    try:
        timeout = client._http.timeout
        assert (timeout.connect, timeout.read) == (3.0, 15.0)
    finally:
        await client.aclose()
