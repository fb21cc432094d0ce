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
