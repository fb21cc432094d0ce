"""The intent ledger: every purchase is written down before its request goes out, and stays
"open" until we know what became of it. Shared by SMS orders and rentals.

States: in flight (the request is out, in memory only), unknown (no clear answer; the order may
exist), done (matched to what the server sold), failed (the server refused, or it never showed
up). An open intent blocks a blind second purchase of the same thing; the pollers match it to
the server's orders whenever they show up, before or after the request's own answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from smspool_tui.clock import Clock

if TYPE_CHECKING:
    from smspool_tui.core.journal import Intent, IntentKind, Journal

# An unknown intent the server never shows is settled (failed) after this long, once a history
# check has also not found it.
SETTLE_AFTER = timedelta(minutes=10)
# Longer than any request's timeout: a 'sent' intent older than this has no process waiting.
ANOTHER_PROCESS_GRACE = timedelta(minutes=2)


class IntentLedger:
    def __init__(self, journal: Journal, kind: IntentKind, clock: Clock) -> None:
        self.journal = journal
        self.kind = kind
        self.clock = clock
        self._in_flight: set[int] = set()

    # ---- the request's own life ---------------------------------------------------------------

    def record(self, params: dict[str, Any]) -> int:
        """Journal the intent (before the request); it is in flight until `landed`."""
        intent_id = self.journal.record_intent(self.kind, params)
        self._in_flight.add(intent_id)
        return intent_id

    def landed(self, intent_id: int) -> None:
        """The request's answer (or failure) is back; matching may now claim it."""
        self._in_flight.discard(intent_id)

    def in_flight(self, intent_id: int | None = None) -> bool:
        return bool(self._in_flight) if intent_id is None else intent_id in self._in_flight

    @property
    def in_flight_count(self) -> int:
        return len(self._in_flight)

    # ---- outcomes ----------------------------------------------------------------------------

    def done(self, intent_id: int, *, order_id: str | None = None, rental_code: str | None = None):
        self.journal.complete_intent(intent_id, order_id=order_id, rental_code=rental_code)

    def failed(self, intent_id: int, why: str) -> None:
        self.journal.fail_intent(intent_id, why)

    def unknown(self, intent_id: int, why: str) -> None:
        self.journal.mark_intent_unknown(intent_id, why)

    def get(self, intent_id: int) -> Intent | None:
        return self.journal.get_intent(intent_id)

    def is_open(self, intent_id: int) -> bool:
        intent = self.get(intent_id)
        return intent is not None and intent.state in ("sent", "unknown")

    # ---- reading -----------------------------------------------------------------------------

    def open(self) -> list[Intent]:
        """Intents whose outcome is not known yet (in flight, crashed mid-request, unknown)."""
        return self.journal.open_intents(self.kind)

    def blocking(self, same: Callable[[Intent], bool]) -> list[Intent]:
        """Open intents that a new purchase would risk duplicating."""
        return [i for i in self.open() if same(i)]

    def orphaned_on_start(self) -> None:
        """A 'sent' intent not in flight here was cut off by a stop: unknown now. A young one may
        be another process's (a script sharing the journal) still waiting: left as it is."""
        now = self.clock.now()
        for intent in self.open():
            if (
                intent.state == "sent"
                and intent.id not in self._in_flight
                and now - intent.created_at > ANOTHER_PROCESS_GRACE
            ):
                self.unknown(intent.id, "the app stopped before the answer")

    def settle_due(self, now: datetime) -> list[Intent]:
        """Open intents (unknown, or 'sent' by a process that is gone) old enough to be given
        up on once history does not show them."""
        return [
            i
            for i in self.open()
            if i.id not in self._in_flight and now - i.created_at >= SETTLE_AFTER
        ]
