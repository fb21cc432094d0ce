"""The after-buying endpoints parse their fixture-shaped answers (and tolerate the unverified)."""

from __future__ import annotations

from decimal import Decimal

import httpx

from smspool_tui.api import SMSPoolClient

from .apifake import FakeApi


async def test_a_cancel_says_how_much_was_refunded(client: SMSPoolClient) -> None:
    result = await client.cancel_sms("TSTORD01")  # sms_cancel_ok: "refunded 0.24 dollars."
    assert result.success and result.refunded == Decimal("0.24")


async def test_a_cancel_that_names_no_amount(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("sms/cancel", httpx.Response(200, json={"success": 1, "message": "Cancelled"}))
    assert (await client.cancel_sms("TSTORD01")).refunded is None


async def test_activate_parses_its_answers(client: SMSPoolClient, fake_api: FakeApi) -> None:
    from smspool_tui.api.errors import ApiError, NotFound

    ok = {"success": 1, "message": "Your order has been activated, you can now use resend on it."}
    fake_api.on("sms/activate", httpx.Response(200, json=ok))
    assert (await client.activate("TSTORD01")).success
    assert fake_api.requests[-1].url.path == "/sms/activate"
    wrong = {"success": 0, "message": "You can only activate orders from pool: 7"}
    fake_api.on("sms/activate", httpx.Response(400, json=wrong))
    try:
        await client.activate("TSTORD01")
    except ApiError as exc:
        assert "pool: 7" in str(exc)
    else:
        raise AssertionError("a refusal must raise")
    gone = {"success": 0, "message": "We could not find this order!"}
    fake_api.on("sms/activate", httpx.Response(404, json=gone))
    try:
        await client.activate("TSTORD01")
    except NotFound:
        pass
    else:
        raise AssertionError("a 404 must raise NotFound")
    assert sum(r.url.path == "/sms/activate" for r in fake_api.requests) == 3  # never retried


async def test_unarchive_is_tolerant(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("sms/unarchive", httpx.Response(200, json={"success": 1, "message": "Done"}))
    assert (await client.unarchive("TSTORD01")).success
    fake_api.on("sms/unarchive", httpx.Response(200, json=1))
    assert (await client.unarchive("TSTORD01")).success


async def test_missed_sms_in_any_likely_shape(client: SMSPoolClient, fake_api: FakeApi) -> None:
    row = {
        "phonenumber": 14155550142,
        "message": "Your Lyft code is 551902",
        "code": "551902",
        "url": "",
        "email": "",
        "timestamp": "2026-01-01 00:00:00",
        "pool": 7,  # unknown: kept
    }
    fake_api.on("sms/missed", httpx.Response(200, json=[row]))
    [missed] = await client.missed_sms()
    assert (missed.phonenumber, missed.code, missed.url) == ("14155550142", "551902", None)
    assert missed.timestamp is not None and missed.model_extra == {"pool": 7}
    wrapped = {"success": 1, "data": [{"number": "447700900517", "sms": "Go https://x.io/a"}]}
    fake_api.on("sms/missed", httpx.Response(200, json=wrapped))
    [other] = await client.missed_sms(limit=5)
    assert (other.phonenumber, other.message) == ("447700900517", "Go https://x.io/a")
    fake_api.on("sms/missed", httpx.Response(200, json={"success": 1}))
    assert await client.missed_sms() == []
    fake_api.on("sms/missed", httpx.Response(200, json={}))
    assert await client.missed_sms() == []
