"""SimEngine: an in-memory SMSPool answering with the live API's wire shapes. No HTTP here.

The engine reads `clock.now()` only and computes order/rental states lazily from timestamps,
so a FakeClock drives every transition without any sleeping. One lock serialises requests:
the HTTP server calls `handle` from one thread per request.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from smspool_tui.clock import Clock
from smspool_tui.sim import faults as faultmod
from smspool_tui.sim import purchases, wire
from smspool_tui.sim import rental_lines as lines
from smspool_tui.sim.catalog import Catalog
from smspool_tui.sim.faults import FaultConfig, FaultInjector
from smspool_tui.sim.market import Market
from smspool_tui.sim.moves import MarketMoves
from smspool_tui.sim.order_extras import OrderExtras
from smspool_tui.sim.order_models import Order, Wallet
from smspool_tui.sim.orders import OrderDesk
from smspool_tui.sim.preorders import PreorderDesk
from smspool_tui.sim.rental_models import Rental
from smspool_tui.sim.rentals import RentalDesk
from smspool_tui.sim.supply import DudRule, SlowRule, Supply
from smspool_tui.sim.wire import RecordedRequest, SimResponse, normalize_path

__all__ = [
    "DEMO_KEY",
    "FaultConfig",
    "RecordedRequest",
    "Route",
    "SimEngine",
    "SimResponse",
    "normalize_path",
]

DEMO_KEY = "SimDemoKey0123456789abcdefABCDEF"  # 32 chars, like a real key

Handler = Callable[[dict[str, str], float], SimResponse]


@dataclass(frozen=True)
class Route:
    handler: Handler
    public: bool = False
    required: tuple[str, ...] = ()


class SimEngine(MarketMoves):
    def __init__(
        self,
        clock: Clock,
        *,
        seed: int = 0,
        api_key: str = DEMO_KEY,
        balance: Decimal = Decimal("50.00"),
        sms_delay: float = 8.0,
        order_ttl: int = 1200,
        cancel_lock: float = 60.0,
        no_sms_rate: float = 0.0,
        late_sms_rate: float = 0.0,
        rental_message_every: float = 20.0,
        legacy_rentals: bool = False,
        faults: FaultConfig | None = None,
    ) -> None:
        self.clock = clock
        self.seed = seed
        self.api_key = api_key
        self._lock = threading.RLock()
        self.catalog = Catalog(seed)
        self.wallet = Wallet(balance)
        rng = random.Random(f"engine:{seed}")
        self.supply = Supply()
        self.market = Market(self.catalog, self.supply)
        self.desk = OrderDesk(
            self.catalog,
            self.wallet,
            rng,
            sms_delay=sms_delay,
            order_ttl=order_ttl,
            cancel_lock=cancel_lock,
            no_sms_rate=no_sms_rate,
            late_sms_rate=late_sms_rate,
            supply=self.supply,
        )
        self.extras = OrderExtras(self.desk)  # activate, unarchive, missed SMS
        self.rental_desk = RentalDesk(
            self.catalog,
            self.wallet,
            rng,
            message_every=rental_message_every,
            legacy=legacy_rentals,
            seed=seed,
        )
        self.preorder_desk = PreorderDesk(
            self.catalog, self.market, self.wallet, self.desk, random.Random(f"pre:{seed}")
        )
        self._injector = FaultInjector(faults, seed)
        self.requests: list[RecordedRequest] = []
        self.routes: dict[str, Route] = self._build_routes()

    # -- configuration -----------------------------------------------------------------------

    @property
    def faults(self) -> FaultConfig:
        return self._injector.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        with self._lock:
            self._injector.config = config

    def set_faults(self, **changes: object) -> FaultConfig:
        """Change some fault settings at runtime, e.g. set_faults(error_rate=0.2)."""
        with self._lock:
            self._injector.config = replace(self._injector.config, **changes)  # type: ignore[arg-type]
            return self._injector.config

    def force_fault(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """The next `count` requests (matching `path` suffix if given) get fault `kind`."""
        with self._lock:
            self._injector.force(kind, count, path)

    @property
    def legacy_rentals(self) -> bool:
        return self.rental_desk.legacy

    @legacy_rentals.setter
    def legacy_rentals(self, value: bool) -> None:
        self.rental_desk.legacy = value

    # -- helpers for tests and the demo ------------------------------------------------------

    def _now(self) -> float:
        return self.clock.now().timestamp()

    @property
    def orders(self) -> dict[str, Order]:
        return self.desk.orders

    @property
    def rentals(self) -> dict[str, Rental]:
        return self.rental_desk.rentals

    @property
    def balance(self) -> Decimal:
        with self._lock:
            self.desk.settle(self._now())
            return self.wallet.balance

    def set_balance(self, amount: Decimal) -> None:
        with self._lock:
            self.wallet.balance = Decimal(amount).quantize(wire.CENT)

    def deliver_sms(self, order_id: str, text: str | None = None) -> None:
        """Make an SMS arrive now (KeyError for an unknown order)."""
        with self._lock:
            self.desk.deliver(order_id, text, self._now())

    # -- supply: stock that runs out, numbers that never get an SMS --------------------------

    def _ids(
        self, country: str | int | None, service: str | int | None, pool: str | int | None
    ) -> tuple[int | None, int | None, int | None]:
        def one(found: object, token: object, what: str) -> int | None:
            if token is None:
                return None
            if found is None:
                raise KeyError(f"no {what} {token!r}")
            return int(found.id)  # type: ignore[attr-defined]

        cat = self.catalog
        return (
            one(cat.country(None if country is None else str(country)), country, "country"),
            one(cat.service(None if service is None else str(service)), service, "service"),
            one(cat.pool(None if pool is None else str(pool)), pool, "pool"),
        )

    def set_stock(
        self, country: str | int, service: str | int, amount: int, pool: str | int | None = None
    ) -> None:
        """Numbers left for this country+service (one pool, or every pool selling it); each
        purchase takes one, and at 0 the pool is out of stock."""
        cid, sid, pid = self._ids(country, service, pool)
        assert cid is not None and sid is not None
        with self._lock:
            c, s = self.catalog.country(str(cid)), self.catalog.service(str(sid))
            assert c is not None and s is not None
            for offer in self.catalog.offers(c, s):
                if pid is None or offer.pool.id == pid:
                    self.supply.stock[(cid, sid, offer.pool.id)] = amount

    def set_no_sms(
        self,
        rate: float,
        *,
        country: str | int | None = None,
        service: str | int | None = None,
        pool: str | int | None = None,
    ) -> None:
        """Numbers of this country / service / pool (None: any) get no SMS with this chance."""
        cid, sid, pid = self._ids(country, service, pool)
        with self._lock:
            self.supply.duds.append(DudRule(rate, cid, sid, pid))

    def set_sms_delay(
        self,
        delay: float,
        *,
        country: str | int | None = None,
        service: str | int | None = None,
        pool: str | int | None = None,
    ) -> None:
        """New numbers of this country / service / pool (None: any) get their SMS after about
        `delay` s (the demo's slow numbers, where a queued cancel can be watched)."""
        cid, sid, pid = self._ids(country, service, pool)
        with self._lock:
            self.supply.slow.append(SlowRule(delay, cid, sid, pid))

    def set_cancel_lock(self, seconds: float, *, pool: str | int) -> None:
        """This pool's own cancel lock (the others keep `cancel_lock`)."""
        _, _, pid = self._ids(None, None, pool)
        assert pid is not None
        with self._lock:
            self.supply.cancel_locks[pid] = seconds

    def fail_first(self, service: str | int, count: int) -> None:
        """The next `count` numbers bought for this service get no SMS (whatever the seed)."""
        _, sid, _ = self._ids(None, service, None)
        assert sid is not None
        with self._lock:
            self.supply.fail_first[sid] = count

    def add_rental_message(self, code: str, text: str, sender: str = "SMSPool") -> None:
        with self._lock:
            self.rental_desk.rentals[code].extra.append((self._now(), text, sender))

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def count(self, path_suffix: str) -> int:
        suffix = normalize_path(path_suffix)
        with self._lock:
            return sum(1 for r in self.requests if r.path.endswith(suffix))

    def seed_demo(self) -> None:
        """A live-looking board at once: one received order, one pending, one busy rental.
        Autopilot demo: the first two Discord numbers get no SMS, the third does. Instagram
        numbers get their SMS after ~100 s: long enough to watch a queued cancel go out."""
        self.fail_first("Discord", 2)
        self.set_sms_delay(100.0, service="Instagram")
        with self._lock:
            now = self._now()
            cat = self.catalog
            us, gb = cat.country("US"), cat.country("GB")
            assert us is not None and gb is not None
            # (country, service, age, SMS arrives at): one done, one whose code lands in 25 s.
            for country, name, age, sms_at in (
                (us, "WhatsApp", 240, now - 220),
                (gb, "Telegram", 5, now + 25),
            ):
                service = cat.service(name)
                assert service is not None
                offer = cat.offers(country, service)[0]
                order = self.desk.create(country, service, offer, now - age, schedule=False)
                self.desk.deliver(order.order_id, None, sms_at)
            offer = self.rental_desk.offers[6]
            # Young enough to show a handful of messages, not the hundreds an old one would have.
            rental = self.rental_desk.create(offer, 30, Decimal(offer.pricing[30]), now - 90)
            rental.extra.append((now - 80, "Your Acorns verification code is 4417", "22395"))
            rental.extra.append((now - 30, "Uber: your code is 8812. Never share it.", "89203"))
            # Messages that reached the account's numbers without completing an order.
            extras = self.extras
            extras.add_missed("14155550142", "Your Lyft code is 551902", now - 600)
            link = "Tap to sign in to Acme: https://example.com/l/9Fq2"
            extras.add_missed("447700900517", link, now - 90)

    # -- request handling --------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        key: str | None = None,
        key_source: str | None = None,
        *,
        raw_query: str = "",
    ) -> SimResponse:
        params = dict(params)
        if "key" in params:  # a caller that left the key among the params
            form_key = params.pop("key")
            if key is None:
                key, key_source = form_key, key_source or "form"
        norm = normalize_path(path)
        record = RecordedRequest(method.upper(), norm, params, key_source, raw_query)
        with self._lock:
            self.requests.append(record)
            config = self._injector.config
            self.market.out_of_stock = config.out_of_stock_services
            kind = self._injector.pick(norm)
            record.fault = kind
            if kind is not None and kind not in faultmod.POST_KINDS:
                resp = faultmod.fault_response(kind, norm, config.hang_seconds)
            else:
                resp = self._dispatch(norm, params, key)
                if kind is not None:
                    resp = faultmod.mangle(kind, resp)
            resp.delay = config.latency
            record.status = resp.status
            return resp

    def _dispatch(self, norm: str, params: dict[str, str], key: str | None) -> SimResponse:
        route = self.routes.get(norm)
        if route is None:
            return wire.fail("This endpoint does not exist.", 404)
        if not route.public:
            if not key:
                return wire.missing("key")
            if key != self.api_key:
                return wire.invalid_key()
        lacking = [name for name in route.required if not params.get(name)]
        if lacking:
            return wire.missing(*lacking)
        now = self._now()
        self._tick(now)
        self.desk.settle(now)
        return route.handler(params, now)

    def _build_routes(self) -> dict[str, Route]:
        m, d, r = self.market, self.desk, self.rental_desk
        pre = self.preorder_desk
        wallet = self.wallet
        pub = lambda h, *req: Route(h, True, req)  # noqa: E731
        auth = lambda h, *req: Route(h, False, req)  # noqa: E731
        return {
            "country/retrieve_all": pub(lambda p, now: m.countries()),
            "service/retrieve_all": pub(lambda p, now: m.services(p)),
            "pool/retrieve_all": pub(lambda p, now: m.pools()),
            "pool/retrieve_valid": pub(lambda p, now: m.valid_pools(p)),
            "request/price": pub(lambda p, now: m.price(p)),
            "request/suggested_countries": pub(lambda p, now: m.suggested(p), "service"),
            "request/success_rate": pub(lambda p, now: m.success_rate(p), "service"),
            "rental/retrieve_all": pub(lambda p, now: r.retrieve_all(p)),
            "sms/stock": auth(lambda p, now: m.stock(p)),
            "request/pricing": auth(lambda p, now: m.pricing(p)),
            "request/balance": auth(
                lambda p, now: wire.respond({"balance": wire.money(wallet.balance)})
            ),
            "request/history": auth(d.history),
            "request/active": auth(lambda p, now: d.active(now)),
            "request/archive": auth(lambda p, now: d.archive(now)),
            "sms/check": auth(d.check, "orderid"),
            "sms/cancel": auth(d.cancel, "orderid"),
            "sms/cancel_all": auth(lambda p, now: d.cancel_all(now)),
            "sms/resend": auth(d.resend, "orderid"),
            "sms/check_resend": auth(d.check_resend, "orderid"),
            # after buying: activate for resends, unarchive, missed SMS (sim/order_extras.py)
            "sms/activate": auth(self.extras.activate, "orderid"),
            "sms/unarchive": auth(self.extras.unarchive, "orderid"),
            "sms/missed": auth(self.extras.missed_sms),
            "purchase/rental": auth(r.purchase),
            "rental/retrieve_status": auth(r.status, "rental_code"),
            "rental/retrieve_messages": auth(r.retrieve_messages, "rental_code"),
            "rental/refund": auth(r.refund, "rental_code"),
            "rental/extend": auth(r.extend),
            "rental/retrieve": auth(lambda p, now: r.retrieve(now)),
            "rental/info": auth(lambda p, now: r.info(p), "rental_code"),
            "rental/retrieve_pricing": auth(lambda p, now: r.retrieve_pricing(p)),
            "rental/auto_extend": auth(lambda p, now: r.auto_extend(p), "rental_code"),
            # single-service lines and port resets (sim/rental_lines.py)
            "rental/retrieve_services": auth(lambda p, now: lines.retrieve_services(r, p)),
            "rental/service_price": auth(lambda p, now: lines.service_price(r, p)),
            "rental/reset": auth(lambda p, now: lines.reset(r, p), "rental_code"),
            "rental/stock": auth(lambda p, now: r.stock(p), "id"),
            "rental/history": auth(lambda p, now: r.history()),
            # pre-orders (sim/preorders.py)
            "preorder/price": auth(lambda p, now: pre.price(p)),
            "preorder/create": auth(pre.create),
            "preorder/check": auth(pre.check, "orderid"),
            "preorder/retrieve": auth(lambda p, now: pre.retrieve(now)),
            "preorder/cancel": auth(pre.cancel, "orderid"),
            # purchase/sms with its options, and the endpoints around it (sim/purchases)
            "purchase/sms": auth(
                lambda p, now: purchases.purchase(d, p, now, self.market.out_of_stock)
            ),
            "request/areacodes": auth(lambda p, now: purchases.area_codes(d, p)),
            "sms/clear_cache": auth(lambda p, now: purchases.clear_cache(d, now)),
        }
