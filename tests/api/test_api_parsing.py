"""Every method parses its live fixture, and the doc's legacy shapes where they differ."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx

from smspool_tui.api import (
    ActionResult,
    ActiveOrder,
    HistoryOrder,
    OrderStatus,
    SMSPoolClient,
)

from .apifake import FakeApi


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


JAN1 = utc(2026, 1, 1)  # unix 1767225600 in the fixtures


async def test_countries(client: SMSPoolClient) -> None:
    countries = await client.countries()
    assert len(countries) == 11
    assert (countries[0].id, countries[0].name, countries[0].short_name) == (
        1,
        "United States",
        "US",
    )
    assert countries[0].region == "North America"
    assert countries[-1].region == "Carribeans"


async def test_services(client: SMSPoolClient) -> None:
    services = await client.services()
    assert len(services) == 12
    by_id = {s.id: s for s in services}
    assert by_id[644].name == "Nordstrom "  # trailing space kept as sent
    assert by_id[1].favourite is False


async def test_pools(client: SMSPoolClient) -> None:
    pools = await client.pools()
    assert [(p.id, p.name) for p in pools[:2]] == [(0, "Default"), (2, "Bravo")]


async def test_balance(client: SMSPoolClient) -> None:
    assert await client.balance() == Decimal("5.00")


async def test_balance_empty_string_is_zero(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("request/balance", httpx.Response(200, json={"balance": ""}))
    assert await client.balance() == Decimal(0)


async def test_balance_as_number(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("request/balance", httpx.Response(200, json={"balance": 12.5}))
    assert await client.balance() == Decimal("12.5")


async def test_history(client: SMSPoolClient) -> None:
    (order,) = await client.history()
    assert isinstance(order, HistoryOrder)
    assert order.order_code == "TSTORD02"
    assert order.pool == 7
    assert order.cost == Decimal("0.42")
    assert order.completed_on == utc(2025, 12, 31, 23, 20)
    assert order.expiry == datetime.fromtimestamp(1767224400, UTC)
    assert order.code is None and order.full_code is None


async def test_active_orders(client: SMSPoolClient) -> None:
    (order,) = await client.active_orders()
    assert order.order_code == "TSTORD01"
    assert order.phonenumber == "15550100101"
    assert order.status == "pending"
    assert order.code is None  # "0" placeholder
    assert order.full_code is None  # "" placeholder
    assert order.cost == Decimal("0.24")
    assert order.expiry == JAN1
    assert order.time_left == 1126
    assert order.timestamp == utc(2025, 12, 31, 23, 40)


async def test_active_orders_empty(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("request/active", "request_active_empty")
    assert await client.active_orders() == []


async def test_active_orders_doc_shape(client: SMSPoolClient, fake_api: FakeApi) -> None:
    doc_row = {
        "timestamp": "2022-05-24 21:20:07",
        "order_code": "ABCDEFGH",
        "phonenumber": "123456789",
        "code": "123456",
        "full_code": "0",
        "short_name": "US",
        "service": "Service",
        "status": "pending",
        "expiry": "1653420607",
    }
    fake_api.on("request/active", httpx.Response(200, json=[doc_row]))
    (order,) = await client.active_orders()
    assert isinstance(order, ActiveOrder)
    assert order.code == "123456"
    assert order.full_code is None
    assert order.expiry == datetime.fromtimestamp(1653420607, UTC)
    assert order.timestamp == utc(2022, 5, 24, 21, 20, 7)
    assert order.cost is None and order.time_left is None


async def test_price(client: SMSPoolClient) -> None:
    quote = await client.price(1, 395)
    assert quote.price == Decimal("0.24")
    assert quote.high_price == Decimal("0.24")
    assert quote.pool == 7
    assert quote.success_rate == Decimal(100)


async def test_price_doc_shape(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("request/price", httpx.Response(200, json={"price": "0.75"}))
    quote = await client.price("US", "Google")
    assert quote.price == Decimal("0.75")
    assert quote.pool is None and quote.high_price is None and quote.success_rate is None


async def test_suggested_countries(client: SMSPoolClient) -> None:
    rows = await client.suggested_countries(395)
    assert [r.country_id for r in rows] == [1, 2, 4, 149]
    assert rows[1].pool == 7 and rows[1].price == Decimal("0.10")


async def test_pool_prices(client: SMSPoolClient) -> None:
    rows = await client.pool_prices(1, 395)
    assert [(r.pool, r.name, r.custom_area) for r in rows[:2]] == [
        (7, "Foxtrot", True),
        (12, "Mike", False),
    ]
    assert rows[-1].price == Decimal("1.16")


async def test_success_rates(client: SMSPoolClient) -> None:
    rows = await client.success_rates(395)
    assert rows[0].country_id == 1
    assert rows[0].success_rate == Decimal(100)  # sent as the string "100"
    assert rows[1].low_price == Decimal("0.10")


async def test_stock(client: SMSPoolClient) -> None:
    assert (await client.stock(1, 395)).amount == 7126


async def test_rental_stock_says_count_not_amount(client: SMSPoolClient) -> None:
    assert (await client.rental_stock(6, 30)).count == 258


async def test_purchase_sms(client: SMSPoolClient) -> None:
    p = await client.purchase_sms(1, 395)
    assert p.order_id == "TSTORD03"
    assert p.number == "15550100103"  # int on the wire
    assert p.cc == "1" and p.phonenumber == "5550100103"
    assert p.pool == 1 and p.expires_in == 1200
    assert p.expiration == JAN1
    assert p.cost == Decimal("0.24")
    assert p.cost_in_cents == 24  # type: ignore[attr-defined]  # extra field kept


async def test_purchase_sms_doc_shape(client: SMSPoolClient, fake_api: FakeApi) -> None:
    doc = {
        "success": 1,
        "number": "123456789",
        "order_id": "ABCDEFG",
        "country": "United States",
        "service": "Service",
        "pool": 5,
        "expires_in": 599,
        "message": "",
    }
    fake_api.on("purchase/sms", httpx.Response(200, json=doc))
    p = await client.purchase_sms("US", "Service")
    assert (p.order_id, p.number, p.expires_in) == ("ABCDEFG", "123456789", 599)
    assert p.cost is None and p.expiration is None and p.cc is None


async def test_purchase_sms_token_mode(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("purchase/sms", "purchase_sms_token_ok")
    p = await client.purchase_sms(1, 395)
    assert p.order_id is None
    assert p.token == "TESTTOKEN0000000000000000000000A"  # type: ignore[attr-defined]


async def test_check_sms_pending(client: SMSPoolClient) -> None:
    check = await client.check_sms("TSTORD01")
    assert check.status is OrderStatus.PENDING
    assert not check.status.is_final
    assert (check.resend, check.time_left, check.expiration) == (0, 1173, JAN1)
    assert check.sms is None and check.message is None


async def test_check_sms_received(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("sms/check", "sms_check_received")
    check = await client.check_sms("TSTORD01")
    assert check.status is OrderStatus.RECEIVED and check.status.is_final
    assert check.sms == "482913"
    assert check.full_sms == "Ваш код: 482913. Не сообщайте его никому ✅"


async def test_check_sms_refunded(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("sms/check", "sms_check_refunded")
    check = await client.check_sms("TSTORD01")
    assert check.status is OrderStatus.REFUNDED
    assert check.message == "This order has been refunded"


async def test_check_sms_doc_shape_and_unknown_status(
    client: SMSPoolClient, fake_api: FakeApi
) -> None:
    fake_api.on(
        "sms/check",
        httpx.Response(200, json={"status": "2", "message": "expired", "expiration": "1669382268"}),
        httpx.Response(200, json={"status": 42, "resend": 0}),
    )
    doc = await client.check_sms("X")
    assert doc.status is OrderStatus.EXPIRED and doc.status.label == "Expired"
    assert doc.expiration == datetime.fromtimestamp(1669382268, UTC)
    unknown = await client.check_sms("X")
    assert unknown.status is OrderStatus.PENDING


async def test_check_resend(client: SMSPoolClient) -> None:
    r = await client.check_resend("TSTORD01")
    assert (r.resends, r.resend_cost, r.expires_in_hour) == (2, Decimal(0), 115)
    assert r.message == "This phonenumber is available for resend!"


async def test_resend_sms(client: SMSPoolClient) -> None:
    r = await client.resend_sms("TSTORD03")
    assert (r.order_id, r.charge) == ("TSTORD03", Decimal(0))
    assert r.message == "Your number has been requested again!"


async def test_resend_sms_doc_shape(client: SMSPoolClient, fake_api: FakeApi) -> None:
    doc = {"success": 1, "message": "Number has been requested again", "resend": 0}
    fake_api.on("sms/resend", httpx.Response(200, json=doc))
    r = await client.resend_sms("X")
    assert r.order_id is None and r.charge == Decimal(0)


async def test_cancel_sms(client: SMSPoolClient) -> None:
    r = await client.cancel_sms("TSTORD01")
    assert isinstance(r, ActionResult) and r.success is True
    assert r.message.startswith("The order has been cancelled")


async def test_cancel_sms_doc_bare_success(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("sms/cancel", httpx.Response(200, json={"success": 1}))
    r = await client.cancel_sms("X")
    assert r.success is True and r.message == ""


async def test_cancel_all(client: SMSPoolClient) -> None:
    r = await client.cancel_all()
    assert r.success and r.message == "Your active orders have been refunded"
    assert r.refunded_orders == []  # type: ignore[attr-defined]


async def test_archive_orders(client: SMSPoolClient) -> None:
    r = await client.archive_orders()
    assert r.message == "All your inactive orders have been archived."


async def test_rental_catalog(client: SMSPoolClient) -> None:
    offers = await client.rental_catalog(extendable=True)
    assert [o.id for o in offers] == [6, 4, 7]
    us, ru, single = offers
    assert us.pricing == {30: Decimal(20)}
    assert us.is_refundable is True and us.refund_within == 2 and us.refund_min_days == 28
    assert us.single_service is None and us.single_service_extend is None
    assert ru.pricing == {3: Decimal(10), 7: Decimal(15), 15: Decimal(20), 30: Decimal(30)}
    assert single.single_service == {30: Decimal(10)}  # JSON-in-JSON string
    assert single.single_service_extend == {30: Decimal(10)}
    assert all(o.extendable for o in offers)
    assert (await client.rental_catalog(extendable=False))[0].extendable is False


async def test_rental_catalog_doc_legacy(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("rental/retrieve_all", "doc_rental_retrieve_all_legacy")
    offers = await client.rental_catalog(extendable=False)
    assert [(o.id, o.name, o.region) for o in offers] == [
        (0, "United States", "Americas"),
        (1, "United Kingdom", "Europe"),
    ]
    assert offers[0].pricing == {7: Decimal(18), 14: Decimal(25), 30: Decimal(30)}
    assert offers[1].pricing[15] == Decimal(63)


async def test_purchase_rental(client: SMSPoolClient) -> None:
    r = await client.purchase_rental(6, 30)
    assert (r.rental_code, r.phonenumber, r.days) == ("TSTRNT01", "15550100105", 30)
    assert r.expiry == datetime.fromtimestamp(1769817600, UTC)


async def test_purchase_rental_doc_shape(client: SMSPoolClient, fake_api: FakeApi) -> None:
    doc = {
        "success": 1,
        "message": "",
        "phonenumber": "123456789",
        "days": 30,
        "rental_code": "ABCDEFG",
        "expiry": "1653758381",
    }
    fake_api.on("purchase/rental", httpx.Response(200, json=doc))
    r = await client.purchase_rental(0, 30)
    assert r.expiry == datetime.fromtimestamp(1653758381, UTC)


async def test_rental_messages(client: SMSPoolClient) -> None:
    (msg,) = await client.rental_messages("TSTRNT01")
    assert (msg.id, msg.sender) == (1, "1234")
    assert msg.message == "Your verification code is: 1234"
    assert msg.timestamp == utc(2025, 12, 31, 23, 37, 53)


async def test_rental_messages_doc_dict(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on("rental/retrieve_messages", "doc_rental_messages_legacy_dict")
    msgs = await client.rental_messages("TSTRNT01")
    assert [m.message for m in msgs] == ["Message 1", "Message 2"]
    assert msgs[0].sender is None
    assert msgs[0].timestamp == utc(2022, 5, 11, 18, 39, 54)


async def test_rental_messages_empty(client: SMSPoolClient, fake_api: FakeApi) -> None:
    fake_api.on(
        "rental/retrieve_messages", httpx.Response(200, json={"success": 1, "messages": []})
    )
    assert await client.rental_messages("X") == []


async def test_rental_status(client: SMSPoolClient) -> None:
    s = await client.rental_status("TSTRNT01")
    assert (s.available, s.active_for, s.auto_extend) == (True, 270, False)
    assert s.phonenumber == "15550100105"
    assert s.expiry == datetime.fromtimestamp(1769817600, UTC)


async def test_refund_rental(client: SMSPoolClient) -> None:
    r = await client.refund_rental("TSTRNT01")
    assert r.success and r.message == "Your rental has been refunded!"


async def test_extend_rental(client: SMSPoolClient) -> None:
    r = await client.extend_rental("TSTRNT01", 30)
    assert r.expiration_date == datetime.fromtimestamp(1772409600, UTC)
    assert r.message == "Your rental has been succesfully extended!"


async def test_my_rentals(client: SMSPoolClient) -> None:
    (r,) = await client.my_rentals()
    assert (r.rental_code, r.rental, r.source, r.state, r.type) == (
        "TSTRNT01",
        7,
        "11",
        "Unknown",
        1,
    )
    assert r.expiration_date == datetime.fromtimestamp(1769817600, UTC)


async def test_rental_info(client: SMSPoolClient) -> None:
    info = await client.rental_info("TSTRNT01")
    assert info.price == Decimal("10.00")
    assert (info.service, info.service_name, info.refund, info.auto_extend) == (
        1108,
        "Acorns",
        False,
        False,
    )


async def test_rental_pricing(client: SMSPoolClient) -> None:
    p = await client.rental_pricing(6)
    assert p.pricing == {7: Decimal(20), 14: Decimal(26), 30: Decimal(30)}
    assert p.extend == {30: Decimal(30)}
