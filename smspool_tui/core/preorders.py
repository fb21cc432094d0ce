"""Pre-orders: bid for a number that is out of stock; SMSPool fills the bid when stock returns.

A bid is a purchase (the server holds the money until it fills or is cancelled), so it follows
the purchase rules: it is journaled before `preorder/create` goes out, sent exactly once, never
retried, and no bid is sent while an earlier bid's outcome is unknown. An unknown bid is matched
to the server's list (`preorder/retrieve`) when it shows up there, or settled as not placed once
it has not for `SETTLE_AFTER`; the user may dismiss it after checking the dashboard.

A filled pre-order becomes an ordinary order on `request/active`, which the orders poller adopts
onto the board; `refresh` wakes it so that happens at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from smspool_tui.api.errors import ApiError, BadRequest, NotFound
from smspool_tui.api.models import (
    ActionResult,
    Preorder,
    PreorderCheck,
    PreorderPlaced,
    PreorderPrice,
)
from smspool_tui.clock import Clock
from smspool_tui.core.errors import DuplicateRisk, NotConfirmed
from smspool_tui.core.intents import ANOTHER_PROCESS_GRACE, SETTLE_AFTER
from smspool_tui.core.journal.preorders import LIVE, UNSETTLED, BidRow
from smspool_tui.core.loop import describe
from smspool_tui.core.orders.types import UNSURE

if TYPE_CHECKING:
    from smspool_tui.core.journal import Journal
    from smspool_tui.core.session import Session

GONE_NOTE = "no longer on the server (expired or cancelled elsewhere: refunded by SMSPool)"


class PreordersClient(Protocol):
    """The part of SMSPoolClient this service uses."""

    async def preorder_price(
        self, country: int | str, service: int | str, pool: int | str | None = None
    ) -> PreorderPrice: ...
    async def preorder_create(
        self,
        country: int | str,
        service: int | str,
        max_price: Decimal | str,
        pool: int | str | None = None,
        area_code: Any = None,
    ) -> PreorderPlaced: ...
    async def preorder_check(self, preorder_code: str) -> PreorderCheck: ...
    async def preorder_retrieve(self) -> list[Preorder]: ...
    async def preorder_cancel(self, preorder_code: str) -> ActionResult: ...


class BidOutcomeUnknown(ApiError):
    """`preorder/create` went out and no clear answer came back: the bid may be placed (and
    paid). No other bid is sent until the server's list shows it or it is settled."""

    def __init__(self, bid_id: int, cause: BaseException) -> None:
        super().__init__(
            "No clear answer from SMSPool: the pre-order may or may not be placed. Do not bid "
            "again yet; the pre-orders list shows it once the server lists it. "
            f"({describe(cause)})",
            status=getattr(cause, "status", None),
        )
        self.bid_id = bid_id
        self.cause = cause


@dataclass(frozen=True, slots=True)
class Bid:
    """A pre-order as the app knows it: the journal's row plus the server's latest word."""

    row: BidRow
    highest: Decimal | None = None  # the highest offer for its service and country
    time_left: int | None = None  # as preorder/retrieve says (unit not documented)

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def code(self) -> str | None:
        return self.row.code

    @property
    def state(self) -> str:
        return self.row.state

    @property
    def outbid(self) -> bool:
        return self.highest is not None and self.highest > self.row.bid

    @property
    def can_cancel(self) -> bool:
        return self.row.state == "open" and self.row.code is not None

    @property
    def label(self) -> str:
        """The state in a few words for a table cell."""
        return {
            "sent": "placing…",
            "unknown": "unknown - check",
            "open": "outbid" if self.outbid else "waiting for stock",
            "filled": "filled: on the board",
            "cancelled": "cancelled, refunded",
            "refused": "refused",
            "gone": "gone (refunded)",
            "dismissed": "dismissed",
        }.get(self.row.state, self.row.state)


class PreordersService:
    def __init__(
        self,
        client: PreordersClient,
        journal: Journal,
        clock: Clock,
        *,
        money_moved: Callable[[], None] | None = None,
        wake_orders: Callable[[], None] | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.clock = clock
        self._money_moved = money_moved or (lambda: None)
        self._wake_orders = wake_orders or (lambda: None)
        self._in_flight: set[int] = set()
        self._seen: dict[str, Preorder] = {}  # code -> the server's last row for it
        self._orphans_on_start()

    # ---- reading -----------------------------------------------------------------------------

    def _bid(self, row: BidRow) -> Bid:
        seen = self._seen.get(row.code or "")
        if seen is None:
            return Bid(row)
        return Bid(row, seen.highest_offer, seen.time_left)

    def bids(self, *, live_only: bool = True) -> list[Bid]:
        """Bids holding money or of unknown outcome, newest first (every bid: live_only=False)."""
        rows = self.journal.bids(LIVE if live_only else None)
        return [self._bid(r) for r in reversed(rows)]

    def get(self, bid_id: int) -> Bid | None:
        row = self.journal.get_bid(bid_id)
        return None if row is None else self._bid(row)

    def busy_reason(self) -> str | None:
        n = len(self._in_flight)
        return f"{n} pre-order bid(s) still waiting for SMSPool's answer" if n else None

    async def highest_bid(
        self, country_id: int, service_id: int, pool: int | None = None
    ) -> Decimal | None:
        """The current highest bid for this service and country (None: nobody bids)."""
        return (await self.client.preorder_price(country_id, service_id, pool)).highest

    # ---- bidding -----------------------------------------------------------------------------

    def blocking(self) -> list[BidRow]:
        """Bids whose outcome is not known: while there is one, no new bid is sent."""
        return self.journal.bids(UNSETTLED)

    async def bid(
        self,
        country_id: int,
        service_id: int,
        *,
        country_name: str,
        service_name: str,
        max_price: Decimal,
        pool: int | None = None,
    ) -> Bid:
        """Place one bid: journal first, one request, never retried.

        Raises ValueError for a bid that is not a positive amount (nothing sent), DuplicateRisk
        (nothing sent) while an earlier bid's outcome is unknown, the server's refusal
        (`PreorderRefused` names its minimum or highest offer), or BidOutcomeUnknown."""
        if not max_price.is_finite() or max_price <= 0:
            raise ValueError("A bid must be an amount above $0")
        risky = self.blocking()
        if risky:
            in_flight = [r.id for r in risky if r.id in self._in_flight]
            what = f"a pre-order ({risky[0].service} in {risky[0].country})"
            raise DuplicateRisk(what, in_flight or [r.id for r in risky], bool(in_flight))
        bid_id = self.journal.record_bid(
            service_id=service_id,
            service=service_name,
            country_id=country_id,
            country=country_name,
            pool=pool,
            bid=max_price,
        )
        self._in_flight.add(bid_id)
        try:
            placed = await self.client.preorder_create(country_id, service_id, max_price, pool)
        except asyncio.CancelledError:
            self._unknown(bid_id, "the app stopped waiting for the answer")
            raise
        except ApiError as exc:
            if isinstance(exc, UNSURE):
                self._unknown(bid_id, describe(exc))
                raise BidOutcomeUnknown(bid_id, exc) from exc
            self._in_flight.discard(bid_id)
            self.journal.update_bid(bid_id, state="refused", note=describe(exc))
            raise
        except Exception as exc:  # a shape we could not read: the bid may be placed
            self._unknown(bid_id, describe(exc))
            raise BidOutcomeUnknown(bid_id, exc) from exc
        self._in_flight.discard(bid_id)
        twin = self.journal.bid_by_code(placed.order_code)
        if twin is not None and twin.id != bid_id:  # listed (and adopted) before our answer came
            self.journal.update_bid(twin.id, state="dismissed", code=None, note=f"= bid {bid_id}")
        self.journal.update_bid(bid_id, state="open", code=placed.order_code, note=placed.message)
        self._money_moved()
        bid = self.get(bid_id)
        assert bid is not None
        return bid

    def _unknown(self, bid_id: int, why: str) -> None:
        self._in_flight.discard(bid_id)
        row = self.journal.get_bid(bid_id)
        if row is not None and row.state in UNSETTLED:  # a refresh may have matched it already
            self.journal.update_bid(bid_id, state="unknown", note=why)

    def _orphans_on_start(self) -> None:
        """A 'sent' bid nobody here is waiting for was cut off by a stop: unknown now (a young
        one may be another process's, still waiting)."""
        now = self.clock.now()
        for row in self.journal.bids(("sent",)):
            if now - row.created_at > ANOTHER_PROCESS_GRACE:
                why = "the app stopped before the answer"
                self.journal.update_bid(row.id, state="unknown", note=why)

    def dismiss(self, bid_id: int) -> None:
        """The user checked the dashboard: this unknown bid was not placed."""
        row = self.journal.get_bid(bid_id)
        if row is None or row.state != "unknown" or bid_id in self._in_flight:
            return
        self.journal.update_bid(bid_id, state="dismissed", note="dismissed by the user")

    # ---- following bids ----------------------------------------------------------------------

    async def refresh(self) -> list[Bid]:
        """Line the journal up with the server: preorder/retrieve, then preorder/check for each
        open bid that left the list (filled, or gone). Returns the live bids."""
        listed = await self.client.preorder_retrieve()
        self._seen = {p.order_code: p for p in listed}
        for pre in listed:
            if self.journal.bid_by_code(pre.order_code) is None:
                self._adopt(pre)
        for row in self.journal.bids(("open",)):
            if row.code is not None and row.code not in self._seen:
                await self._follow(row)
        self._settle_stale()
        return self.bids()

    def _adopt(self, pre: Preorder) -> None:
        """A pre-order we did not know: the bid whose answer was lost, or one placed elsewhere."""
        for row in self.journal.bids(UNSETTLED):
            same = (row.service_id, row.country_id) == (pre.service, pre.country) or (
                row.service.strip().lower() == (pre.service_name or "").strip().lower()
            )
            if same and row.id in self._in_flight:
                return  # its own answer is on its way and will name the code
            if same:
                self.journal.update_bid(
                    row.id, state="open", code=pre.order_code, note="matched on the server's list"
                )
                self._money_moved()
                return
        self.journal.record_bid(
            service_id=pre.service,
            service=pre.service_name or str(pre.service or ""),
            country_id=pre.country,
            country=pre.country_name or str(pre.country or ""),
            pool=pre.pool,
            bid=pre.cost or Decimal(0),
            state="open",
            code=pre.order_code,
            note="placed elsewhere (adopted from the server)",
        )

    async def _follow(self, row: BidRow) -> None:
        assert row.code is not None
        try:
            check = await self.client.preorder_check(row.code)
        except NotFound:
            self.journal.update_bid(row.id, state="gone", note=GONE_NOTE)
            self._money_moved()
            return
        if check.finished:
            self._filled(row, check)

    def _filled(self, row: BidRow, check: PreorderCheck) -> None:
        number = f" ({check.phonenumber})" if check.phonenumber else ""
        self.journal.update_bid(
            row.id, state="filled", order_id=check.order_code, note=f"filled{number}"
        )
        self._wake_orders()  # the order is on request/active: onto the board now

    def _settle_stale(self) -> None:
        """An unknown bid the server never listed is settled as not placed after a while."""
        now = self.clock.now()
        for row in self.journal.bids(("unknown",)):
            if row.id not in self._in_flight and now - row.created_at >= SETTLE_AFTER:
                self.journal.update_bid(
                    row.id, state="refused", note="not on the server's list: it was not placed"
                )

    async def check(self, bid_id: int) -> Bid:
        """preorder/check for one bid (filled? gone?)."""
        row = self._require(bid_id)
        if row.code is not None and row.state == "open":
            await self._follow(row)
        return self._bid(self._require(bid_id))

    # ---- cancelling --------------------------------------------------------------------------

    async def cancel(self, bid_id: int) -> Bid:
        """Cancel an open bid; SMSPool refunds it. Never retried: a lost answer is NotConfirmed.
        A bid that filled meanwhile is shown as filled (its number is on the board)."""
        row = self._require(bid_id)
        if row.state != "open" or row.code is None:
            raise ValueError(f"This pre-order is {self._bid(row).label}: nothing to cancel")
        try:
            result = await self.client.preorder_cancel(row.code)
        except NotFound:
            await self._follow(row)  # gone, or filled just now
            return self._bid(self._require(bid_id))
        except BadRequest as exc:
            if "complete" in exc.message.lower():  # filled before the cancel arrived
                await self._follow(row)
                return self._bid(self._require(bid_id))
            raise
        except UNSURE as exc:
            self.journal.update_bid(row.id, note=f"cancel not confirmed ({describe(exc)})")
            raise NotConfirmed(
                f"Cancel not confirmed ({describe(exc)}): it may have gone through. Reload the "
                "pre-orders before asking again."
            ) from exc
        self.journal.update_bid(row.id, state="cancelled", note=result.message or "refunded")
        self._money_moved()
        return self._bid(self._require(bid_id))

    def _require(self, bid_id: int) -> BidRow:
        row = self.journal.get_bid(bid_id)
        if row is None:
            raise KeyError(f"no pre-order {bid_id}")
        return row


# One service per session: it remembers which bids this process has in flight.
_BY_SESSION: dict[int, PreordersService] = {}


def for_session(session: Session) -> PreordersService:
    """The session's pre-order service (built on first use from its client, journal, clock)."""
    service = _BY_SESSION.get(id(session))
    if service is None or service.journal is not session.journal:
        service = PreordersService(
            session.client,
            session.journal,
            session.clock,
            money_moved=session.account.spent,
            wake_orders=session.orders.wake,
        )
        _BY_SESSION[id(session)] = service
    return service


def busy_reason_for(session: Session | None) -> str | None:
    """Why quitting now would cut a bid off mid-request (None: no bid in flight)."""
    service = None if session is None else _BY_SESSION.get(id(session))
    if service is None or service.journal is not session.journal:  # type: ignore[union-attr]
        return None
    return service.busy_reason()
