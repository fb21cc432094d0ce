"""The order desk's rarer routes: activate a pool-7 number for resends, unarchive an order, and
the missed SMS (messages that reached the account's numbers without completing an order).

Shapes: activate is recorded (real-api.md "Extra endpoints"); unarchive and missed are not, so
the simulator answers in the shapes their names suggest and clients parse them tolerantly.
"""

from __future__ import annotations

import re

from smspool_tui.sim.order_models import Order
from smspool_tui.sim.orders import NOT_FOUND, OrderDesk
from smspool_tui.sim.wire import SimResponse, fail, respond, stamp

ACTIVATE_POOL = 7
ACTIVATE_WRONG_POOL = f"You can only activate orders from pool: {ACTIVATE_POOL}"
ACTIVATE_DONE = "Your order has been activated, you can now use resend on it."
_LINK = re.compile(r"https?://\S+")


class OrderExtras:
    def __init__(self, desk: OrderDesk) -> None:
        self.desk = desk
        # (time, phonenumber, text) of messages that completed no order; tests and the demo add
        self.missed: list[tuple[float, str, str]] = []

    def _order(self, p: dict[str, str]) -> Order | None:
        return self.desk.orders.get(p.get("orderid", ""))

    def activate(self, p: dict[str, str], now: float) -> SimResponse:
        order = self._order(p)
        if order is None:
            return fail(NOT_FOUND, 404)
        if order.pool.id != ACTIVATE_POOL:
            return fail(ACTIVATE_WRONG_POOL)
        order.activated = True
        return respond({"success": 1, "message": ACTIVATE_DONE})

    def unarchive(self, p: dict[str, str], now: float) -> SimResponse:
        order = self._order(p)
        if order is None:
            return fail(NOT_FOUND, 404)
        order.archived = False
        return respond({"success": 1, "message": "Your order has been unarchived."})

    def add_missed(self, phonenumber: str, text: str, at: float) -> None:
        self.missed.append((at, phonenumber, text))

    def missed_sms(self, p: dict[str, str], now: float) -> SimResponse:
        """Newest first, `limit` (up to 500) of them, for one `phonenumber` if given; the code,
        the first link and e-mail picked out, as SMSPool says its answer has them."""
        wanted = p.get("phonenumber", "").strip()
        try:
            limit = max(1, min(500, int(p.get("limit") or 100)))
        except ValueError:
            limit = 100
        rows: list[dict[str, object]] = []
        for at, number, text in sorted(self.missed, reverse=True):
            if wanted and wanted not in number:
                continue
            link = _LINK.search(text)
            mail = re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
            code = re.search(r"(?<!\d)\d{4,8}(?!\d)", text)
            rows.append(
                {
                    "phonenumber": number,
                    "message": text,
                    "code": code.group(0) if code else "",
                    "url": link.group(0).rstrip(".,;:!?)") if link else "",
                    "email": mail.group(0) if mail else "",
                    "timestamp": stamp(at),
                }
            )
        return respond(rows[:limit])
