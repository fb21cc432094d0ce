"""Rentals: the offer list, purchases, messages arriving over time, refund/extend rules.

Like orders, a rental's messages are derived from timestamps (one every `message_every`
seconds after purchase) plus any added by hand, so nothing needs a timer thread.
"""

from __future__ import annotations

import random
import string
from decimal import Decimal

from smspool_tui.sim import rental_lines as lines
from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Catalog, Service
from smspool_tui.sim.order_models import Wallet
from smspool_tui.sim.rental_models import OFFERS, Rental, RentalOffer, json_text
from smspool_tui.sim.wire import SimResponse, fail, money, respond, stamp, unix

DAY = 86400
MAX_AUTO_MESSAGES = 200
NO_RENTAL = "No rental was found!"
NOT_FOUND = "This rental could not be found."
INVALID_ID = "Invalid rental ID, please enter a valid rental ID from /rental/retrieve_all endpoint"
OUT_OF_STOCK = "This rental is currently out of stock!"
# The doc's text, with the line's own window (the doc's example line says 12).
REFUND_REFUSED = "You cannot refund a rental after {hours} hours or after receiving one message."
NOT_REFUNDABLE = "This rental is not refundable."  # unverified wording
TOO_SHORT = "Only rentals of {days} days or more can be refunded."  # unverified wording
ALREADY_REFUNDED = "This number could not be refunded as you already have refunded it."
EXTEND_FAILED = "Something went wrong on extending your rental, you have NOT been charged!"
SERVICE_UNAVAILABLE = "The service you entered is not available!"
ORDERED = (
    "Your rental has been ordered, it will take upto 24 hours to activate your rental although "
    "usually your rental will be issued instantly."
)


class RentalDesk:
    def __init__(
        self,
        catalog: Catalog,
        wallet: Wallet,
        rng: random.Random,
        *,
        message_every: float,
        legacy: bool,
        seed: int,
    ) -> None:
        self.catalog, self.wallet, self.rng = catalog, wallet, rng
        self.message_every = message_every
        self.legacy = legacy
        self.seed = seed
        self.offers = {o.id: o for o in OFFERS}
        self.rentals: dict[str, Rental] = {}
        self.log: list[dict[str, object]] = []  # rental/history rows

    def messages(self, rental: Rental, now: float) -> list[tuple[float, str, str]]:
        """(at, text, sender), oldest first: generated ones plus those added by hand."""
        out = [m for m in rental.extra if m[0] <= now]
        if self.message_every > 0:
            until = min(now, rental.expires)
            count = min(MAX_AUTO_MESSAGES, int((until - rental.purchased) // self.message_every))
            for i in range(1, count + 1):
                r = random.Random(f"{self.seed}:{rental.code}:{i}")
                code = "".join(r.choice(string.digits) for _ in range(r.choice((4, 5, 6))))
                sender = str(r.randint(10000, 99999))
                text = r.choice(
                    (
                        "Your verification code is: {c}",
                        "{c} is your login code. Don't share it.",
                        "Código de verificación: {c}",
                        "Your Acorns code is {c}",
                    )
                )
                out.append((rental.purchased + i * self.message_every, text.format(c=code), sender))
        return sorted(out, key=lambda m: m[0])

    def _add_log(self, action: str, rental: Rental, cost: Decimal, now: float) -> None:
        self.log.append(
            {
                "ID": 3168 + len(self.log),
                "action": action,
                "cost": money(cost),
                "rental": rental.code,
                "timestamp": stamp(now),
            }
        )

    def _live(self, code: str | None) -> Rental | None:
        rental = self.rentals.get(code or "")
        return None if rental is None or rental.refunded else rental

    def create(
        self,
        offer: RentalOffer,
        days: int,
        price: Decimal,
        now: float,
        service: Service | None = None,
    ) -> Rental:
        alphabet = string.ascii_uppercase + string.digits
        code = "".join(self.rng.choice(alphabet) for _ in range(8))
        country = self.catalog.country(offer.iso)
        cc = country.cc if country else "1"
        number = (
            cc
            + str(self.rng.randint(2, 9))
            + "".join(self.rng.choice(string.digits) for _ in range(9 if cc == "1" else 8))
        )
        rental = Rental(code, offer, number, days, now, now + days * DAY, price, service)
        self.rentals[code] = rental
        self._add_log("activate", rental, price, now)
        return rental

    # -- routes ----------------------------------------------------------------------------

    def retrieve_all(self, p: dict[str, str]) -> SimResponse:
        if p.get("type") not in ("0", "1"):  # the doc's HTTP 200 + success 0 refusal
            return respond(
                {"success": 0, "message": "Fill in all params! [GET: type, key (optional)]"}
            )
        wanted = p["type"] == "1"
        offers = [o for o in OFFERS if o.extendable == wanted]
        if not offers:
            return fail("No available rentals found for your search.", 404)
        if self.legacy:
            return respond(
                {
                    str(o.id): {
                        "name": o.name,
                        "region": o.region,
                        "pricing": json_text(o.pricing),
                    }
                    for o in offers
                }
            )
        return respond({"success": 1, "data": [o.wire() for o in offers]})

    def _price(self, offer: RentalOffer, days: int, single: bool, extend: bool) -> Decimal | None:
        table = (
            (offer.single_service_extend if extend else offer.single_service)
            if single
            else offer.pricing
        )
        value = (table or {}).get(days)
        return None if value is None else Decimal(value)

    @staticmethod
    def _bad_days(table: dict[int, int] | None) -> SimResponse:
        days = " ".join(str(d) for d in sorted(table or {}))
        return fail(
            f"You selected a invalid amount of days! The following days are available: {days}"
        )

    def _short(self, price: Decimal) -> SimResponse:
        return fail(
            f"You do not have enough balance, please top up your account with "
            f"{money(price - self.wallet.balance)} dollars in order to purchase this rental."
        )

    def purchase(self, p: dict[str, str], now: float) -> SimResponse:
        lacking = [n for n in ("id", "days") if not p.get(n)]
        if lacking:
            return wire.missing(*lacking)
        offer = self.offers.get(wire.parse_int(p["id"], -1))
        if offer is None:
            return fail(INVALID_ID)
        service = None
        if p.get("service_id"):
            service = self.catalog.service(p["service_id"])
            if service is None or offer.single_service is None:
                return fail(SERVICE_UNAVAILABLE)
        days = wire.parse_int(p["days"], -1)
        if service is not None:  # the service's own price on a single-service line
            price = lines.service_price_of(self, offer, service, days)
            if lines.service_table(self, offer, service) is None:
                return fail(SERVICE_UNAVAILABLE)
        else:
            price = self._price(offer, days, False, extend=False)
        if price is None:
            return self._bad_days(offer.single_service if service else offer.pricing)
        if offer.stock <= 0:
            return fail(OUT_OF_STOCK)
        if self.wallet.balance < price:
            return self._short(price)
        self.wallet.charge(price)
        rental = self.create(offer, days, price, now, service)
        return respond(
            {
                "success": 1,
                "message": ORDERED,
                "phonenumber": rental.phonenumber,
                "days": days,
                "rental_code": rental.code,
                "expiry": unix(rental.expires),
            }
        )

    def status(self, p: dict[str, str], now: float) -> SimResponse:
        rental = self._live(p.get("rental_code"))
        if rental is None:
            return fail(NO_RENTAL, 404)
        # The port stays "active" in 300 s cycles; clients re-check when activeFor runs out.
        active_for = 300 - int(now - rental.purchased) % 300
        return respond(
            {
                "success": 1,
                "status": {
                    "activeFor": active_for,
                    "auto_extend": rental.auto_extend,
                    "available": int(now < rental.expires),
                    "expiry": unix(rental.expires),
                    "phonenumber": rental.phonenumber,
                },
            }
        )

    def retrieve_messages(self, p: dict[str, str], now: float) -> SimResponse:
        rental = self._live(p.get("rental_code"))
        if rental is None:
            return fail(NO_RENTAL, 404)
        msgs = self.messages(rental, now)
        if self.legacy:
            return respond(
                {
                    "success": 1,
                    "source": str(rental.offer.pool),
                    "messages": {
                        str(i): {
                            "ID": rental.offer.pool,
                            "sender": None,
                            "message": text,
                            "timestamp": wire.legacy_stamp(at),
                        }
                        for i, (at, text, _sender) in enumerate(msgs)
                    },
                }
            )
        return respond(
            {
                "success": 1,
                "source": rental.offer.pool,
                "messages": [
                    {"ID": i + 1, "message": text, "sender": sender, "timestamp": stamp(at)}
                    for i, (at, text, sender) in enumerate(msgs)
                ],
            }
        )

    def refund(self, p: dict[str, str], now: float) -> SimResponse:
        rental = self.rentals.get(p.get("rental_code", ""))
        if rental is None:
            return fail(NOT_FOUND, 404)
        if rental.refunded:
            return fail(ALREADY_REFUNDED)
        offer = rental.offer
        if not offer.refundable:
            return fail(NOT_REFUNDABLE)
        if rental.days < offer.refund_min_days:
            return fail(TOO_SHORT.format(days=offer.refund_min_days))
        if now - rental.purchased > offer.refund_within * 3600 or self.messages(rental, now):
            return fail(REFUND_REFUSED.format(hours=offer.refund_within))
        rental.refunded = True
        self.wallet.refund(rental.price)
        self._add_log("refund", rental, rental.price, now)
        return respond({"success": 1, "message": "Your rental has been refunded!"})

    def extend(self, p: dict[str, str], now: float) -> SimResponse:
        lacking = [n for n in ("rental_code", "days") if not p.get(n)]
        if lacking:
            return wire.missing(*lacking)
        rental = self._live(p["rental_code"])
        if rental is None:
            return fail(NOT_FOUND, 404)
        if not rental.offer.extendable:
            return fail(EXTEND_FAILED)
        single = rental.service is not None
        days = wire.parse_int(p["days"], -1)
        if rental.service is not None:
            price = lines.service_price_of(self, rental.offer, rental.service, days, extend=True)
        else:
            price = self._price(rental.offer, days, single, extend=True)
        if price is None:
            return self._bad_days(
                rental.offer.single_service_extend if single else rental.offer.pricing
            )
        if self.wallet.balance < price:
            return self._short(price)
        self.wallet.charge(price)
        rental.expires = max(rental.expires, now) + days * DAY
        rental.days += days
        self._add_log("extend", rental, price, now)
        return respond(
            {
                "success": 1,
                "message": "Your rental has been succesfully extended!",
                "expiration_date": unix(rental.expires),
            }
        )

    def retrieve(self, now: float) -> SimResponse:
        return respond(
            [
                {
                    "country_name": r.offer.iso,
                    "expiration_date": unix(r.expires),
                    "phonenumber": r.phonenumber,
                    "rental": r.offer.id,
                    "rental_code": r.code,
                    "source": r.offer.pool,
                    "state": "Unknown",
                    "type": int(r.offer.extendable),
                }
                for r in self.rentals.values()
                if not r.refunded and now < r.expires
            ]
        )

    def info(self, p: dict[str, str]) -> SimResponse:
        rental = self._live(p.get("rental_code"))
        if rental is None:
            return fail(NO_RENTAL, 404)
        return respond(
            {
                "auto_extend": rental.auto_extend,
                "country_name": rental.offer.iso,
                "expiration_date": unix(rental.expires),
                "phonenumber": rental.phonenumber,
                "price": money(rental.price),
                "refund": int(rental.refunded),
                "rental": rental.offer.id,
                "rental_code": rental.code,
                "service": rental.service.id if rental.service else 0,
                "service_name": rental.service.name if rental.service else "",
                "source": rental.offer.pool,
                "type": int(rental.offer.extendable),
            }
        )

    def retrieve_pricing(self, p: dict[str, str]) -> SimResponse:
        if not p.get("id"):
            return wire.missing("id")
        offer = self.offers.get(wire.parse_int(p["id"], -1))
        if offer is None:
            return fail(INVALID_ID)
        single = bool(p.get("service")) and offer.single_service is not None
        buy = offer.single_service if single else offer.pricing
        ext = (offer.single_service_extend if single else offer.pricing) if offer.extendable else {}
        as_wire = lambda d: {str(k): v for k, v in (d or {}).items()}  # noqa: E731
        return respond({"pricing": as_wire(buy), "extend": as_wire(ext)})

    def auto_extend(self, p: dict[str, str]) -> SimResponse:
        rental = self._live(p.get("rental_code"))
        if rental is None:
            return fail(NO_RENTAL, 404)
        wanted = p.get("auto_extend")
        rental.auto_extend = int(wanted == "1") if wanted in ("0", "1") else 1 - rental.auto_extend
        return respond(
            {
                "success": 1,
                "message": "Your auto extension status has been updated.",
                "auto_extend": rental.auto_extend,
            }
        )

    def stock(self, p: dict[str, str]) -> SimResponse:
        offer = self.offers.get(wire.parse_int(p.get("id"), -1))
        if offer is None:
            return fail(INVALID_ID)
        return respond({"success": 1, "count": offer.stock})

    def history(self) -> SimResponse:
        return respond(self.log[::-1])
