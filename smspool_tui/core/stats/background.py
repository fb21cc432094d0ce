"""The background import: orders bought elsewhere (request/history) and rental spend made
elsewhere (rental/history) reach the journal every 15 minutes while the app runs, not only when
the Stats screen opens, so the stats and the autopilot's ranking count them too.

A round is skipped while the orders monitor is offline (it would only fail), its two requests
go through the client's rate limit like every other, and known orders and ledger lines are
skipped, so a round that finds nothing new adds nothing. A failed round is logged and waits for
the next: this loop never reports health (the monitors do) and never stops on an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from smspool_tui.api.errors import ApiError
from smspool_tui.core.loop import describe

if TYPE_CHECKING:
    from smspool_tui.api.calls.rentals import RentalCalls
    from smspool_tui.clock import Clock
    from smspool_tui.core.stats.service import HistorySource, StatsService

log = logging.getLogger(__name__)

IMPORT_EVERY = 15 * 60.0
IMPORT_LENGTH = 100  # the newest orders; anything older was imported by an earlier round


class HistoryImporter:
    def __init__(
        self,
        stats: StatsService,
        orders: HistorySource,
        client: RentalCalls,
        clock: Clock,
        *,
        online: Callable[[], bool | None],
        every: float = IMPORT_EVERY,
        length: int = IMPORT_LENGTH,
    ) -> None:
        self.stats = stats
        self.orders = orders
        self.client = client
        self.clock = clock
        self.online = online  # the orders monitor's: None before its first cycle, False offline
        self.every = every
        self.length = length
        self.rounds = 0  # finished rounds (what tests synchronise on)
        self.skipped = 0  # rounds skipped while offline
        self.added = (0, 0)  # (orders, rental lines) the last round added

    async def run(self, _emit: Callable[[object], None]) -> None:
        """Forever: wait an interval, then import unless offline (a monitor loop's shape)."""
        while True:
            await self.clock.sleep(self.every)
            if self.online() is False:
                self.skipped += 1
                continue
            await self.import_once()

    async def import_once(self) -> tuple[int, int]:
        """One round; returns (orders, rental lines) new to the journal."""
        orders = rentals = 0
        try:
            orders = await self.stats.import_history(self.orders, length=self.length)
            rentals = await self.stats.import_rental_history(self.client)
        except asyncio.CancelledError:
            raise
        except ApiError as exc:
            log.info("background history import: %s", describe(exc))
        except Exception:  # a loop the user never sees must outlive any failure
            log.exception("background history import failed")
        self.rounds += 1
        self.added = (orders, rentals)
        if orders or rentals:
            log.info("background history import: +%d orders, +%d rental lines", orders, rentals)
        return self.added
