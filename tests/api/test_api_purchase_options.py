"""purchase/sms options on the wire, and the answers they bring (token, several numbers)."""

from __future__ import annotations

import httpx

from smspool_tui.api import SMSPoolClient

from .apifake import FakeApi, load


async def test_a_plain_purchase_sends_no_option(client: SMSPoolClient, fake_api: FakeApi) -> None:
    await client.purchase_sms(1, 395)
    form = fake_api.form()
    for name in ("quantity", "activation_type", "create_token", "exclude", "carrier"):
        assert name not in form
    assert "phonenumber" not in form


async def test_every_option_goes_out_as_the_api_spells_it(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    await client.purchase_sms(
        "US", 395, 7, area_code=["212", "646"], exclude=True, quantity=3,
        activation_type="voice", carrier=2,
    )  # fmt: skip
    form = fake_api.form()
    assert form["areacode"] == "[212,646]" and form["exclude"] == "1"
    assert form["quantity"] == "3" and form["activation_type"] == "VOICE"
    assert form["carrier"] == "2" and form["pool"] == "7"


async def test_exclude_without_area_codes_is_not_sent(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    await client.purchase_sms(1, 395, exclude=True, create_token=True, phonenumber="5550100103")
    form = fake_api.form()
    assert "exclude" not in form
    assert form["create_token"] == "1" and form["phonenumber"] == "5550100103"


async def test_token_answer_has_the_link(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("purchase/sms", "purchase_sms_token_ok")
    p = await client.purchase_sms(1, 395, create_token=True)
    assert p.order_id is None and p.token == "TESTTOKEN0000000000000000000000A"
    assert p.url == "https://api.smspool.net/token/TESTTOKEN0000000000000000000000A"
    assert p.numbers() == [p]


def _order(n: int) -> dict[str, object]:
    body = dict(load("purchase_sms_ok")["body"])  # type: ignore[arg-type]
    body.update(order_id=f"TSTORD0{n}", phonenumber=f"555010010{n}", number=int(f"1555010010{n}"))
    return body


async def test_several_numbers_as_an_array(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("purchase/sms", httpx.Response(200, json=[_order(1), _order(2), _order(3)]))
    p = await client.purchase_sms(1, 395, quantity=3)
    assert [n.order_id for n in p.numbers()] == ["TSTORD01", "TSTORD02", "TSTORD03"]
    assert p.numbers()[1].number == "15550100102"


async def test_several_numbers_in_an_envelope(client: SMSPoolClient, fake_api: FakeApi) -> None:
    rows = [{"order_id": "A1", "phonenumber": "5550100101"}, {"order_id": "A2", "phonenumber": "2"}]
    body = {"success": 1, "cc": "1", "country": "United States", "pool": 7, "orders": rows}
    fake_api.on("purchase/sms", httpx.Response(200, json=body))
    numbers = (await client.purchase_sms(1, 395, quantity=2)).numbers()
    assert [(n.order_id, n.cc, n.pool) for n in numbers] == [("A1", "1", 7), ("A2", "1", 7)]


async def test_one_order_with_several_numbers(client: SMSPoolClient, fake_api: FakeApi) -> None:
    body = {
        "success": 1,
        "cc": "44",
        "order_id": ["B1", "B2"],
        "phonenumber": ["7400000001", "7400000002"],
        "cost": "0.50",
    }
    fake_api.on("purchase/sms", httpx.Response(200, json=body))
    numbers = (await client.purchase_sms(1, 395, quantity=2)).numbers()
    assert [(n.order_id, n.phonenumber, n.cc) for n in numbers] == [
        ("B1", "7400000001", "44"),
        ("B2", "7400000002", "44"),
    ]


async def test_a_batch_entry_without_an_id_stays_without_one(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    """The service then treats the whole answer as unclear instead of guessing."""
    fake_api.on("purchase/sms", httpx.Response(200, json=[_order(1), {"phonenumber": "1"}]))
    numbers = (await client.purchase_sms(1, 395, quantity=2)).numbers()
    assert [n.order_id for n in numbers] == ["TSTORD01", None]


async def test_clear_cache(client: SMSPoolClient, fake_api: FakeApi) -> None:
    result = await client.clear_cache()
    assert result.success and result.message == "Orders cleared successfully."
    assert fake_api.paths[-1].endswith("sms/clear_cache")


async def test_area_codes_in_every_plausible_shape(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    """request/areacodes has no recording: each shape a server might send reads the same."""
    shapes = [
        ["212", "646"],
        [212, 646],
        [{"areacode": "212"}, {"area_code": 646}],
        {"success": 1, "areacodes": ["212", "646"]},
        {"data": [{"code": "212"}, {"code": "646"}]},
        {"212": "New York", "646": "New York"},
    ]
    for body in shapes:
        fake_api.on("request/areacodes", httpx.Response(200, json=body))
        assert await client.area_codes("US", 395, 7) == ["212", "646"], body
    form = fake_api.form()
    assert (form["country"], form["service"], form["pool"]) == ("US", "395", "7")
