"""purchase/sms and the endpoints around it: area codes, the account's number cache.

Recorded shapes where there are recordings (one order, a token, the 422 refusals, clear_cache);
the rest is unverified (real-api.md) and answered in the plainest plausible shape: several
numbers as an array of single-order objects, area codes as an array of strings, refusals of
options as shape A with HTTP 400.
"""

from __future__ import annotations

import json
import string

from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Country, PoolOffer, Service
from smspool_tui.sim.order_models import Order
from smspool_tui.sim.orders import OrderDesk
from smspool_tui.sim.wire import SimResponse, fail, money, respond, unix

ACTIVATION_TYPES = ("SMS", "VOICE", "FLASH")
# Pools that take a voice or flash call, pick area codes, and (US only) a carrier: Foxtrot,
# which is also the pool with `custom_area: 1` in the recordings.
CALL_POOLS = frozenset({7})
AREA_POOLS = frozenset({7})
CARRIER_POOL = 7
MAX_QUANTITY = 100
# A few real US area codes (the live list is longer); the simulator's US numbers use them.
US_AREA_CODES = (
    "201", "202", "212", "213", "305", "310", "312", "347", "415", "512",
    "617", "646", "702", "718", "786", "808", "917", "929",
)  # fmt: skip
NO_CALLS = "The selected pool does not support this activation type."
NO_CARRIER = "Carrier selection is only available for pool Foxtrot in the United States."
BAD_AREA = "The following area codes are not valid for this service: {codes}"
NO_AREAS = "This pool does not support custom area codes."
NUMBER_USED = (
    "This number has already been used on your account. Clear your order cache "
    "(sms/clear_cache) to order it again."
)
NUMBER_GONE = "This phone number is not available at the moment."


def _param_error(name: str) -> SimResponse:
    err = {"message": f"Missing or invalid param: {name}", "param": name}
    return respond({"success": 0, "errors": [err]}, 400)


def _area_list(raw: str | None) -> list[str] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw.replace(" ", ",").split(",")
    if not isinstance(value, list):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


def area_codes(desk: OrderDesk, p: dict[str, str]) -> SimResponse:
    """request/areacodes (service, country, pool): unverified shape, an array of strings."""
    country = desk.catalog.country(p.get("country"))
    if country is None:
        return _param_error("country")
    if country.short_name != "US":
        return respond([])
    return respond(list(US_AREA_CODES))


def clear_cache(desk: OrderDesk, now: float) -> SimResponse:
    """sms/clear_cache: numbers the account had can be handed out again (recorded shape)."""
    desk.cache_cleared_at = now
    return respond({"message": "Orders cleared successfully.", "success": 1})


def _used_numbers(desk: OrderDesk) -> set[str]:
    return {o.phonenumber for o in desk.orders.values() if o.created > desk.cache_cleared_at}


def purchase(desk: OrderDesk, p: dict[str, str], now: float, out_of_stock: set[str]) -> SimResponse:
    lacking = [name for name in ("country", "service") if not p.get(name)]
    if lacking:
        return wire.missing(*lacking)
    country, service = desk.catalog.country(p["country"]), desk.catalog.service(p["service"])
    if country is None or service is None:
        return _param_error("country" if country is None else "service")
    offers = list(desk.catalog.offers(country, service))
    if not offers:  # the doc's HTTP 200 + success 0 refusal
        return respond({"success": 0, "message": "This service is not available for this country."})
    if p.get("pool"):
        pool = desk.catalog.pool(p["pool"])
        if pool is None:
            return _param_error("pool")
        offers = [o for o in offers if o.pool.id == pool.id]
        if not offers:
            return wire.out_of_stock(pool.name)
    activation = (p.get("activation_type") or "SMS").strip().upper()
    if activation not in ACTIVATION_TYPES:
        return _param_error("activation_type")
    quantity = wire.parse_int(p.get("quantity"), 1) if p.get("quantity") else 1
    if not 1 <= quantity <= MAX_QUANTITY:
        return _param_error("quantity")
    if activation != "SMS":
        offers = [o for o in offers if o.pool.id in CALL_POOLS]
        if not offers:
            return fail(NO_CALLS)
    carrier = p.get("carrier")
    if carrier:
        if carrier not in ("1", "2"):
            return _param_error("carrier")
        offers = [o for o in offers if o.pool.id == CARRIER_POOL]
        if country.short_name != "US" or not offers:
            return fail(NO_CARRIER)
    areas = _area_list(p.get("areacode"))
    if areas:
        offers = [o for o in offers if o.pool.id in AREA_POOLS]
        if not offers:
            return fail(NO_AREAS)
        bad = [a for a in areas if a not in US_AREA_CODES]
        if bad:
            return fail(BAD_AREA.format(codes=", ".join(bad)))
    wanted = (p.get("phonenumber") or "").strip()
    if wanted:
        if wanted in _used_numbers(desk) or country.cc + wanted in _used_numbers(desk):
            return fail(NUMBER_USED)
        if not wanted.isdigit():
            return fail(NUMBER_GONE)
    blocked = {str(service.id), service.name.lower(), service.name.strip().lower()}
    if blocked & {s.lower() for s in out_of_stock}:
        return wire.out_of_stock(offers[0].pool.name)
    in_stock = [o for o in offers if desk.supply.left(country, service, o) >= quantity]
    if not in_stock:
        return wire.out_of_stock(offers[0].pool.name)
    max_price = wire.parse_money(p.get("max_price"))
    if max_price is not None:
        in_stock = [o for o in in_stock if o.price <= max_price]
        if not in_stock:
            return wire.price_not_found(max_price)
    if wire.parse_int(p.get("pricing_option"), 0) == 1:
        offer = max(in_stock, key=lambda o: (o.success_rate, -o.price))
    else:
        offer = in_stock[0]
    total = offer.price * quantity
    if desk.wallet.balance < total:
        return wire.no_balance(offer.pool.name, total, desk.wallet.balance)
    desk.wallet.charge(total)
    for _ in range(quantity):
        desk.supply.take(country, service, offer)
    if p.get("create_token") == "1":
        return _token(desk, country)
    exclude = p.get("exclude") == "1"
    orders = []
    for _ in range(quantity):
        national = _national(desk, country, areas, exclude, wanted.removeprefix(country.cc))
        order = desk.create(country, service, offer, now, national=national)
        order.activation = activation
        if activation != "SMS":  # the code is read out or flashed: say so in its text
            for sms in order.sms:
                sms.text = f"({activation.lower()} call) {sms.text}"
        orders.append(order)
    rows = [_answer(desk, o, country, service, offer) for o in orders]
    return respond(rows[0] if quantity == 1 else rows)


def _national(
    desk: OrderDesk, country: Country, areas: list[str] | None, exclude: bool, wanted: str
) -> str | None:
    if wanted:
        return wanted
    if not areas:
        return None
    choices = [a for a in US_AREA_CODES if (a not in areas) == exclude]
    area = desk.rng.choice(choices or list(US_AREA_CODES))
    return area + "".join(desk.rng.choice(string.digits) for _ in range(7))


def _token(desk: OrderDesk, country: Country) -> SimResponse:
    token = "".join(desk.rng.choice(string.ascii_letters + string.digits) for _ in range(32))
    return respond(
        {
            "success": 1,
            "cc": country.cc,
            "phonenumber": desk.national_number(country),
            "url": f"https://api.smspool.net/token/{token}",
            "token": token,
            "message": "Your token has been created succesfully!",
        }
    )


def _answer(
    desk: OrderDesk, order: Order, country: Country, service: Service, offer: PoolOffer
) -> dict[str, object]:
    return {
        "success": 1,
        "number": int(order.phonenumber),
        "cc": country.cc,
        "phonenumber": order.national,
        "order_id": order.order_id,
        "country": country.name,
        "service": service.name,
        "pool": offer.pool.id,
        "expires_in": desk.order_ttl,
        "expiration": unix(order.expires),
        "message": f"You have succesfully ordered a {service.name} number from pool: "
        f"{offer.pool.name} for {money(offer.price)}.",
        "cost": money(offer.price),
        "cost_in_cents": int(offer.price * 100),
    }
