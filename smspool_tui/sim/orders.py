"""SMS orders: lazy state from timestamps, check/cancel/resend/active/history (purchase:
sim/purchases).

An order's state is never stored: it follows from `created`, `expires`, the scheduled SMS
deliveries and `cancelled_at`, evaluated at the request's `now`. Only money moves eagerly
(`settle` refunds expired orders once), so balances stay exact whenever a request lands.
"""

from __future__ import annotations

import random
import string

from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Catalog, Country, PoolOffer, Service
from smspool_tui.sim.order_models import Order, Sms, Wallet, make_sms
from smspool_tui.sim.supply import Supply
from smspool_tui.sim.wire import SimResponse, fail, money, respond, stamp, unix

NOT_FOUND = "We could not find this order!"
CANCEL_LOCKED = "This phone number cannot be cancelled yet, please try again later!"
CANCEL_RECEIVED = "This order has already received a SMS and cannot be cancelled."
CANCEL_DONE = "This order has already been refunded."
CANCEL_ACTIVATED = "This order has been activated and can no longer be refunded."
RESEND_NOT_FOUND = "This order could not be found."
RESEND_NO_SMS = "You can only re-send to a phonenumber that has received a SMS"
RESEND_UNAVAILABLE = (
    "This phonenumber is not available for re-send, please keep in mind that one-time "
    "phonenumbers have no guarantee for resends."
)
MAX_RESENDS = 3  # per order (the live API's limit is not documented)
CHECK_RESEND_UNAVAILABLE = "This number cannot be resent at the moment, please try again later."


class OrderDesk:
    def __init__(
        self,
        catalog: Catalog,
        wallet: Wallet,
        rng: random.Random,
        *,
        sms_delay: float,
        order_ttl: int,
        cancel_lock: float,
        no_sms_rate: float,
        late_sms_rate: float,
        supply: Supply | None = None,
    ) -> None:
        self.catalog = catalog
        self.supply = supply or Supply()
        self.wallet = wallet
        self.rng = rng
        self.sms_delay = sms_delay
        self.order_ttl = order_ttl
        self.cancel_lock = cancel_lock
        self.no_sms_rate = no_sms_rate
        self.late_sms_rate = late_sms_rate
        self.orders: dict[str, Order] = {}
        # sms/clear_cache: numbers of orders from before this may be handed out again.
        self.cache_cleared_at = float("-inf")

    # -- lifecycle -------------------------------------------------------------------------

    def new_id(self) -> str:
        alphabet = string.ascii_uppercase + string.digits
        while True:
            oid = "".join(self.rng.choice(alphabet) for _ in range(8))
            if oid not in self.orders:
                return oid

    def national_number(self, country: Country) -> str:
        length = 10 if country.cc == "1" else 7 if len(country.cc) == 4 else 9
        return str(self.rng.randint(2, 9)) + "".join(
            self.rng.choice(string.digits) for _ in range(length - 1)
        )

    def create(
        self,
        country: Country,
        service: Service,
        offer: PoolOffer,
        now: float,
        *,
        schedule: bool = True,
        national: str | None = None,
    ) -> Order:
        order = Order(
            self.new_id(),
            country,
            service,
            offer.pool,
            offer.price,
            national or self.national_number(country),
            now,
            now + self.order_ttl,
        )
        # Draw every random number whatever the rates, so one rate doesn't shift the others.
        jitter, never, late, late_after = (self.rng.random() for _ in range(4))
        rate = self.supply.no_sms_rate(country, service, offer, self.no_sms_rate)
        dud = schedule and self.supply.dud_now(service)
        if schedule and not dud and never >= rate:
            if late < self.late_sms_rate:
                at = order.expires + 5 + 55 * late_after
            else:
                delay = self.supply.sms_delay(country, service, offer, self.sms_delay)
                at = now + delay * (0.75 + 0.5 * jitter)
            code, text = make_sms(service.name, self.rng)
            order.sms.append(Sms(at, code, text))
        self.orders[order.order_id] = order
        return order

    def settle(self, now: float) -> None:
        """Refund orders that expired without an SMS (once; a late SMS keeps the refund)."""
        for order in self.orders.values():
            due = order.refunded_at is None and order.cancelled_at is None
            if due and now >= order.expires and not any(s.at <= order.expires for s in order.sms):
                order.refunded_at = order.expires
                self.wallet.refund(order.cost)

    def deliver(self, order_id: str, text: str | None, now: float) -> Order:
        order = self.orders[order_id]
        code, full = make_sms(order.service.name, self.rng)
        if text is not None:
            full = text
            code = "".join(ch for ch in text if ch.isdigit()) or text
        order.sms = [s for s in order.sms if s.at <= now] + [Sms(now, code, full)]
        return order

    # -- routes ----------------------------------------------------------------------------

    def check(self, p: dict[str, str], now: float) -> SimResponse:
        order = self.orders.get(p.get("orderid", ""))
        if order is None:
            return fail(NOT_FOUND, 404)
        state = order.state(now)
        time_left = max(0, int(order.expires - now))
        if state == "received":
            last = order.delivered(now)[-1]
            return respond(
                {
                    "status": 3,
                    "sms": last.code,
                    "full_sms": last.text,
                    "expiration": unix(order.expires),
                }
            )
        if state == "pending":
            return respond(
                {
                    "status": 1,
                    "resend": 0,
                    "expiration": unix(order.expires),
                    "time_left": time_left,
                }
            )
        return respond(
            {
                "status": 6,
                "message": "This order has been refunded",
                "resend": 0,
                "expiration": unix(order.expires),
                "time_left": time_left,
            }
        )

    def lock_for(self, order: Order) -> float:
        return self.supply.cancel_lock(order.pool.id, self.cancel_lock)

    def _cancel(self, order: Order, now: float) -> None:
        order.cancelled_at = order.refunded_at = now
        order.sms = [s for s in order.sms if s.at <= now]  # nothing arrives after a cancel
        self.wallet.refund(order.cost)

    def cancel(self, p: dict[str, str], now: float) -> SimResponse:
        order = self.orders.get(p.get("orderid", ""))
        if order is None:
            return fail(NOT_FOUND, 404)
        state = order.state(now)
        if state == "received":
            return fail(CANCEL_RECEIVED)
        if state != "pending":
            return fail(CANCEL_DONE)
        if order.activated:
            return fail(CANCEL_ACTIVATED)
        if now - order.created < self.lock_for(order):
            return fail(CANCEL_LOCKED)
        self._cancel(order, now)
        return respond(
            {
                "success": 1,
                "message": "The order has been cancelled, and you have been "
                f"refunded {money(order.cost)} dollars.",
            }
        )

    def cancel_all(self, now: float) -> SimResponse:
        done: list[str] = []
        for order in self.orders.values():
            pending = order.state(now) == "pending" and not order.activated
            if pending and now - order.created >= self.lock_for(order):
                self._cancel(order, now)
                done.append(order.order_id)
        return respond(
            {
                "success": 1,
                "message": "Your active orders have been refunded",
                "refunded_orders": done,
            }
        )

    def resend(self, p: dict[str, str], now: float) -> SimResponse:
        order = self.orders.get(p.get("orderid", ""))
        if order is None:
            return fail(RESEND_NOT_FOUND, 404)
        if order.state(now) != "received":
            return fail(RESEND_NO_SMS)
        if not self._resendable(order, now):
            return fail(RESEND_UNAVAILABLE)
        code, text = make_sms(order.service.name, self.rng)
        order.sms.append(Sms(now + self.sms_delay * (0.75 + 0.5 * self.rng.random()), code, text))
        order.resends += 1
        return respond(
            {
                "success": 1,
                "message": "Your number has been requested again!",
                "order_id": order.order_id,
                "charge": 0,
            }
        )

    def _resendable(self, order: Order, now: float) -> bool:
        """Received, resends left, and still running (or kept for resends: pool 7)."""
        running = now < order.expires or order.activated
        return order.state(now) == "received" and order.resends < MAX_RESENDS and running

    def check_resend(self, p: dict[str, str], now: float) -> SimResponse:
        order = self.orders.get(p.get("orderid", ""))
        if order is None:
            return fail(RESEND_NOT_FOUND, 404)
        if not self._resendable(order, now):
            return fail(CHECK_RESEND_UNAVAILABLE)
        return respond(
            {
                "success": 1,
                "message": "This phonenumber is available for resend!",
                "resends": MAX_RESENDS - order.resends,  # left
                "resendCost": 0,
                "expires_in_hour": int((order.expires - now) // 3600),
            }
        )

    def _row(self, order: Order, now: float, *, history: bool) -> dict[str, object]:
        state = order.state(now)
        got = order.delivered(now)
        row: dict[str, object] = {
            "code": got[-1].code if got else "0",
            "cost": money(order.cost),
            "expiry": unix(order.expires),
            "full_code": got[-1].text if got else "",
            "order_code": order.order_id,
            "phonenumber": order.phonenumber,
            "service": order.service.name,
            "short_name": order.country.short_name,
            "status": {"received": "completed", "cancelled": "refunded"}.get(state, state),
            "time_left": max(0, int(order.expires - now)),
            "timestamp": stamp(order.created),
        }
        if history:
            done = got[0].at if got else order.refunded_at
            row["completed_on"] = stamp(done if done is not None else order.created)
            row["pool"] = order.pool.id
        return row

    def active(self, now: float) -> SimResponse:
        rows = [self._row(o, now, history=False) for o in self.orders.values() if o.is_active(now)]
        return respond(rows[::-1])  # newest first

    def history(self, p: dict[str, str], now: float) -> SimResponse:
        needle = p.get("search", "").strip().lower()
        rows = []
        for order in reversed(self.orders.values()):
            if order.archived:
                continue
            hay = " ".join(
                (
                    order.phonenumber,
                    order.order_id,
                    order.service.name,
                    order.country.name,
                    order.country.short_name,
                )
            ).lower()
            if needle and needle not in hay:
                continue
            rows.append(self._row(order, now, history=True))
        start = max(0, wire.parse_int(p.get("start"), 0))
        length = max(0, wire.parse_int(p.get("length"), 100))
        return respond(rows[start : start + length])

    def archive(self, now: float) -> SimResponse:
        for order in self.orders.values():
            if not order.is_active(now):
                order.archived = True
        return respond({"success": 1, "message": "All your inactive orders have been archived."})
