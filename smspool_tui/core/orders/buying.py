"""The purchase path: journal the intent first, send exactly one request, never retry, and turn
the answer (one order, several, a share link, a refusal, or nothing clear) into board rows.

Several numbers in one request are one intent: an unclear answer leaves that one intent unknown
for the whole batch (never a blind retry); a clear one puts each number on its own row."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smspool_tui.api.errors import ApiError, BadResponse
from smspool_tui.api.models import Purchase
from smspool_tui.clock import Clock
from smspool_tui.core.errors import DuplicateRisk
from smspool_tui.core.loop import describe
from smspool_tui.core.order_model import TOKEN_ROW_PREFIX, Order
from smspool_tui.core.orders.purchase_options import PurchaseOptions
from smspool_tui.core.orders.rows import as_int, order_from_purchase
from smspool_tui.core.orders.types import UNSURE, OrdersClient, PurchaseOutcomeUnknown

if TYPE_CHECKING:
    from smspool_tui.core.intents import IntentLedger
    from smspool_tui.core.journal import Intent
    from smspool_tui.core.orders.board import Board
    from smspool_tui.core.orders.poller import Timing

log = logging.getLogger(__name__)
# A token answer has no expiry; its row stays on the board as long as a number usually lives.
TOKEN_SHOWN_FOR = timedelta(minutes=20)


def same_purchase(country_id: int | str, service_id: int | str) -> Callable[[Intent], bool]:
    def same(intent: Intent) -> bool:
        p = intent.params
        return str(p.get("country_id")) == str(country_id) and str(p.get("service_id")) == str(
            service_id
        )

    return same


class Buyer:
    def __init__(
        self,
        client: OrdersClient,
        board: Board,
        ledger: IntentLedger,
        clock: Clock,
        timing: Timing,
        *,
        wake: Callable[[], None],
        money_moved: Callable[[], None],
        lock_guess: Callable[[int | None], float] | None = None,
    ) -> None:
        self.client = client
        self.board = board
        self.ledger = ledger
        self.clock = clock
        self.timing = timing
        self.wake = wake
        self.money_moved = money_moved
        # Seconds until a new order of this pool can be cancelled (the service's best guess).
        self.lock_guess = lock_guess or (lambda pool: timing.cancel_lock_guess)
        self._area_codes: dict[tuple[str, str, str], list[str]] = {}

    # ---- which numbers a purchase can get ------------------------------------------------------

    async def area_codes(
        self, country_id: int | str, service_id: int | str, pool: int | str | None = None
    ) -> list[str]:
        """The valid area codes (request/areacodes), asked once per country, service and pool."""
        key = (str(country_id), str(service_id), str(pool))
        if key not in self._area_codes:
            fetch = self.client.area_codes  # type: ignore[attr-defined]
            self._area_codes[key] = list(await fetch(country_id, service_id, pool))
        return self._area_codes[key]

    async def clear_cache(self) -> str:
        """sms/clear_cache: numbers the account had may be handed out again. Sent once."""
        result = await self.client.clear_cache()  # type: ignore[attr-defined]
        return str(result.message)

    def duplicate_risk(self, country_id: int | str, service_id: int | str) -> list[Intent]:
        return self.ledger.blocking(same_purchase(country_id, service_id))

    async def purchase(
        self,
        country_id: int | str,
        service_id: int | str,
        *,
        country_name: str,
        service_name: str,
        pool: int | str | None = None,
        max_price: Decimal | None = None,
        pricing_option: int | None = None,
        area_code: Any = None,
        allow_duplicate: bool = False,
        options: PurchaseOptions | None = None,
    ) -> list[Order]:
        """One request for one or more numbers; the orders it bought, one row each."""
        options = options or PurchaseOptions()
        risky = self.duplicate_risk(country_id, service_id)
        in_flight = [i.id for i in risky if self.ledger.in_flight(i.id)]
        if in_flight or (risky and not allow_duplicate):
            what = f"{service_name} in {country_name}"
            raise DuplicateRisk(what, in_flight or [i.id for i in risky], bool(in_flight))
        params = {
            "country_id": country_id,
            "service_id": service_id,
            "country_name": country_name,
            "service_name": service_name,
            "pool": pool,
            "max_price": None if max_price is None else str(max_price),
            "pricing_option": None if pricing_option is None else int(pricing_option),
            "area_code": area_code,
            **options.journal_params(),
        }
        intent_id = self.ledger.record(params)
        extra = options.client_kwargs(bool(area_code))
        try:
            bought = await self.client.purchase_sms(
                country_id, service_id, pool, max_price, pricing_option, area_code, **extra
            )
        except asyncio.CancelledError:
            self.unsure(intent_id, "the app stopped waiting for the answer")
            raise
        except ApiError as exc:
            if not isinstance(exc, UNSURE):
                self.ledger.landed(intent_id)
                self.ledger.failed(intent_id, describe(exc))
                raise
            return [self._matched_or_unknown(intent_id, exc)]
        except Exception as exc:  # a bug or a shape we could not read: the order may exist
            return [self._matched_or_unknown(intent_id, exc)]
        numbers = bought.numbers()
        if not all(n.order_id or (n.token and n.url) for n in numbers):
            cause = BadResponse(f"purchase answered without an order id: {bought.message}")
            return [self._matched_or_unknown(intent_id, cause)]
        self.ledger.landed(intent_id)
        return self._bought(numbers, bought.message, intent_id, params)

    def _bought(
        self, numbers: list[Purchase], message: str, intent_id: int, params: dict[str, Any]
    ) -> list[Order]:
        """An order id means it was bought: whatever fails locally from here, it is shown and
        kept (the board retries a failed journal write)."""
        now = self.clock.now()
        orders: list[Order] = []
        for bought in numbers:
            pool = bought.pool if bought.pool is not None else as_int(params.get("pool"))
            order = order_from_purchase(bought, intent_id, params, now, self.lock_guess(pool))
            if not bought.order_id:  # a share link: the row is the token's
                order = replace(
                    order,
                    order_id=f"{TOKEN_ROW_PREFIX}{bought.token}",
                    share_url=bought.url,
                    cancel_opens_at=None,
                    expires_at=order.expires_at or now + TOKEN_SHOWN_FOR,
                    note="share link: the code shows on the link's page",
                )
            seen = self.board.orders.get(order.order_id)  # the poller may have listed it
            if seen is not None:
                order = replace(
                    order,
                    code=seen.code,
                    full_sms=seen.full_sms,
                    status=seen.status,
                    note=seen.note,
                )
            self.board.put(order, why=bought.message or message)
            orders.append(order)
        self.board.drop_intent(intent_id)
        try:
            self.ledger.done(intent_id, order_id=orders[0].order_id)
        except Exception:  # the order row carries intent_id: the next start settles it
            log.exception("could not close intent %s", intent_id)
        self.board.changed()
        self.wake()
        self.money_moved()
        return [self.board.orders.get(o.order_id, o) for o in orders]

    def _matched_or_unknown(self, intent_id: int, cause: BaseException) -> Order:
        """No clear answer. If the poller already matched the intent to a listed order, that is
        the answer; else the intent is unknown and shown as such."""
        self.ledger.landed(intent_id)
        intent = self.ledger.get(intent_id)
        if intent is not None and intent.state == "done" and intent.order_id:
            order = self.board.get(intent.order_id)
            if order is not None:
                self.money_moved()
                return order
        self.unsure(intent_id, describe(cause))
        raise PurchaseOutcomeUnknown(intent_id, cause) from cause

    def unsure(self, intent_id: int, why: str) -> None:
        self.ledger.landed(intent_id)
        if not self.ledger.is_open(intent_id):
            return  # already matched to its order
        self.ledger.unknown(intent_id, why)
        intent = self.ledger.get(intent_id)
        if intent is not None:
            self.board.show_intent(intent)
            self.board.changed()
        self.wake()
