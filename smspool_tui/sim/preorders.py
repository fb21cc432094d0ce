"""Pre-orders: bids for numbers that are out of stock, filled when stock comes back.

A bid is charged when it is placed (held until it fills, is cancelled or expires: then refunded).
`settle(now)` runs before every request, like the order desk's: each pending pre-order whose
country, service (and pool, if it named one) has stock again takes one number, highest bid
first, and becomes an ordinary order costing the bid, listed on request/active like any purchase.

The live API's minimum is not documented; here it is the cheapest pool's price. Other bidders
are `rivals` (set by tests and the demo): the highest offer is theirs or the account's own.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, replace
from decimal import Decimal

from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Catalog, Country, Pool, PoolOffer, Service
from smspool_tui.sim.market import Market
from smspool_tui.sim.order_models import Wallet
from smspool_tui.sim.orders import OrderDesk
from smspool_tui.sim.wire import SimResponse, fail, money, respond, stamp

PLACED = (
    "Your preorder has been successfully placed, once a number is available it will "
    "automatically be added to your dashboard!"
)
BELOW_MINIMUM = "The cost you entered is lower than the minimum price for this service."
BELOW_HIGHEST = (
    "The cost you entered is lower than the highest offer (${highest}) for this service, the "
    "bidding price has automatically been adjusted."
)
NO_BALANCE = "You do not have enough balance to place this preorder."
NOT_FOUND = "We could not find your preorder!"
CANCEL_MISSING = "This preorder does not exist."
CANCEL_COMPLETED = "This order was already completed, you cannot refund this number."
CANCELLED = "Your preorder has been refunded."

Pair = tuple[int, int]  # country id, service id


@dataclass
class SimPreorder:
    code: str
    country: Country
    service: Service
    pool: Pool | None  # None: whichever pool gets stock first
    bid: Decimal
    created: float
    expires: float
    state: str = "pending"  # pending | filled | cancelled | expired
    order_id: str | None = None
    phonenumber: str | None = None


class PreorderDesk:
    def __init__(
        self,
        catalog: Catalog,
        market: Market,
        wallet: Wallet,
        desk: OrderDesk,
        rng: random.Random,
        *,
        ttl: float = 3600.0,
    ) -> None:
        self.catalog, self.market, self.wallet, self.desk = catalog, market, wallet, desk
        self.rng = rng
        self.ttl = ttl
        self.preorders: dict[str, SimPreorder] = {}
        self.rivals: dict[Pair, Decimal] = {}  # other accounts' highest bid

    # -- the market's view ---------------------------------------------------------------------

    def _offers(self, country: Country, service: Service, pool: Pool | None) -> list[PoolOffer]:
        offers = self.catalog.offers(country, service)
        return [o for o in offers if pool is None or o.pool.id == pool.id]

    def minimum(self, country: Country, service: Service, pool: Pool | None) -> Decimal | None:
        offers = self._offers(country, service, pool)
        return min(o.price for o in offers) if offers else None

    def highest(self, country: Country, service: Service) -> Decimal:
        own = [
            p.bid
            for p in self.preorders.values()
            if p.state == "pending" and (p.country.id, p.service.id) == (country.id, service.id)
        ]
        return max([self.rivals.get((country.id, service.id), Decimal(0)), *own])

    def _lookup(self, p: dict[str, str]) -> tuple[Country, Service, Pool | None] | SimResponse:
        lacking = [n for n in ("country", "service") if not p.get(n)]
        if lacking:
            return wire.missing(*lacking)
        country, service = self.catalog.country(p["country"]), self.catalog.service(p["service"])
        if country is None or service is None:
            return wire.missing("country" if country is None else "service")
        pool = None
        if p.get("pool") and p["pool"] != "0":  # 0 is "Default": any pool
            pool = self.catalog.pool(p["pool"])
            if pool is None:
                return wire.missing("pool")
        return country, service, pool

    # -- time passing ----------------------------------------------------------------------------

    def settle(self, now: float) -> None:
        """Expire (refund) old bids, then fill the best bids where stock is back."""
        for pre in self.preorders.values():
            if pre.state == "pending" and now >= pre.expires:
                pre.state = "expired"
                self.wallet.refund(pre.bid)
        waiting = [p for p in self.preorders.values() if p.state == "pending"]
        for pre in sorted(waiting, key=lambda p: (-p.bid, p.created)):
            for offer in self._offers(pre.country, pre.service, pre.pool):
                if self.market._stock(pre.country, pre.service, offer) > 0:
                    self._fill(pre, offer, now)
                    break

    def _fill(self, pre: SimPreorder, offer: PoolOffer, now: float) -> None:
        self.market.supply.take(pre.country, pre.service, offer)
        # The bid was charged when placed: the order costs the bid, and refunds it like any order.
        order = self.desk.create(pre.country, pre.service, replace(offer, price=pre.bid), now)
        pre.state, pre.order_id, pre.phonenumber = "filled", order.order_id, order.phonenumber

    # -- routes ----------------------------------------------------------------------------------

    def price(self, p: dict[str, str]) -> SimResponse:
        found = self._lookup(p)
        if isinstance(found, SimResponse):
            return found
        highest = self.highest(found[0], found[1])
        return respond({"cost": float(highest) if highest else 0})

    def create(self, p: dict[str, str], now: float) -> SimResponse:
        found = self._lookup(p)
        if isinstance(found, SimResponse):
            return found
        country, service, pool = found
        bid = wire.parse_money(p.get("max_price"))
        if bid is None or bid <= 0:
            return wire.missing("max_price")
        bid = bid.quantize(wire.CENT)
        minimum = self.minimum(country, service, pool)
        if minimum is None:
            return fail("This service is not available for this country.")
        if bid < minimum:
            body = {"message": BELOW_MINIMUM, "minimum_price": float(minimum), "success": 0}
            return respond(body, 400)
        highest = self.highest(country, service)
        if bid < highest:
            text = BELOW_HIGHEST.format(highest=money(highest))
            return respond({"highest_offer": money(highest), "message": text, "success": 0}, 400)
        if self.wallet.balance < bid:
            return fail(NO_BALANCE)
        self.wallet.charge(bid)
        code = self._new_code()
        self.preorders[code] = SimPreorder(code, country, service, pool, bid, now, now + self.ttl)
        body = {
            "expires_in": int(self.ttl // 60),
            "message": PLACED,
            "order_code": code,
            "success": 1,
        }
        return respond(body)

    def _new_code(self) -> str:
        alphabet = string.ascii_uppercase + string.digits
        while True:
            code = "".join(self.rng.choice(alphabet) for _ in range(8))
            if code not in self.preorders and code not in self.desk.orders:
                return code

    def _pool_of(self, pre: SimPreorder) -> Pool | None:
        offers = self._offers(pre.country, pre.service, pre.pool)
        return pre.pool or (offers[0].pool if offers else None)

    def check(self, p: dict[str, str], now: float) -> SimResponse:
        pre = self.preorders.get(p.get("orderid", ""))
        if pre is None or pre.state in ("cancelled", "expired"):
            return fail(NOT_FOUND, 404)
        pool = self._pool_of(pre)
        body: dict[str, object] = {
            "cost": money(pre.bid),
            "country": pre.country.id,
            "pool": pool.id if pool else 0,
            "preorder_code": pre.code,
            "service": pre.service.id,
            "status": 1,
        }
        if pre.state == "filled":
            body.update(order_code=pre.order_id, phonenumber=pre.phonenumber, status=3)
        return respond(dict(sorted(body.items())))

    def retrieve(self, now: float) -> SimResponse:
        rows = []
        for pre in reversed(self.preorders.values()):
            if pre.state != "pending":
                continue
            pool = self._pool_of(pre)
            rows.append(
                {
                    "cost": money(pre.bid),
                    "country": pre.country.id,
                    "country_name": pre.country.name,
                    "highest_offer": money(self.highest(pre.country, pre.service)),
                    "order_code": pre.code,
                    "pool": pool.id if pool else 0,
                    "pool_name": pool.name if pool else "Default",
                    "service": pre.service.id,
                    "service_name": pre.service.name,
                    "status": "pending",
                    "time_left": max(0, int((pre.expires - now) // 60)),
                    "timestamp": stamp(pre.created),
                }
            )
        return respond(rows)

    def cancel(self, p: dict[str, str], now: float) -> SimResponse:
        pre = self.preorders.get(p.get("orderid", ""))
        if pre is None or pre.state in ("cancelled", "expired"):
            return respond({"success": 0, "message": CANCEL_MISSING})  # HTTP 200, as recorded
        if pre.state == "filled":
            return fail(CANCEL_COMPLETED)
        pre.state = "cancelled"
        self.wallet.refund(pre.bid)
        return respond({"message": CANCELLED, "success": 1})
