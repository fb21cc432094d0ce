"""A Session is everything one signed-in app needs: the HTTP client, the journal, the clock and
the services built on them. The UI receives one and never builds clients itself."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smspool_tui.clock import Clock, SystemClock
from smspool_tui.config import LoadedSettings, Paths, Settings
from smspool_tui.core.errors import JournalUnavailable

if TYPE_CHECKING:
    from smspool_tui.api.client import SMSPoolClient
    from smspool_tui.core.account import AccountService
    from smspool_tui.core.catalog import CatalogService
    from smspool_tui.core.journal import Journal
    from smspool_tui.core.orders import OrdersService
    from smspool_tui.core.rentals import RentalsService
    from smspool_tui.core.stats.background import HistoryImporter
    from smspool_tui.core.watches.service import WatchesService

Emit = Callable[[object], None]
MonitorLoop = Callable[[Emit], Awaitable[None]]

JOURNAL_NAME = "journal.sqlite3"


@dataclass
class Session:
    client: SMSPoolClient
    journal: Journal
    clock: Clock
    orders: OrdersService
    account: AccountService
    catalog: CatalogService | None = None
    rentals: RentalsService | None = None
    extra_monitors: list[tuple[str, MonitorLoop]] = field(default_factory=list)
    settings: Settings | None = None  # what it was opened with (autopilot limits, waits)
    history_import: HistoryImporter | None = None  # made with the monitors
    watches: WatchesService | None = None

    @classmethod
    def open(
        cls,
        loaded: LoadedSettings,
        paths: Paths,
        *,
        clock: Clock | None = None,
        transport: Any = None,
        client_options: dict[str, Any] | None = None,
    ) -> Session:
        from smspool_tui.api.client import SMSPoolClient
        from smspool_tui.core.account import AccountService
        from smspool_tui.core.orders import OrdersService

        settings = loaded.settings
        clock = clock or SystemClock()
        journal = open_journal(paths.data_dir / JOURNAL_NAME, clock)
        # The key stays a SecretStr until the client wraps it: a crash report printing this
        # frame's locals shows only stars.
        client = SMSPoolClient(
            settings.api_key,
            base_url=settings.base_url,
            timeout=settings.read_timeout,
            connect_timeout=settings.connect_timeout,
            transport=transport,
            clock=clock,
            **(client_options or {}),
        )
        account = AccountService(client.without_retries(), clock)
        orders = OrdersService(
            client,
            journal,
            clock,
            poll_interval=settings.poll_interval,
            account=account,
            poll_client=client.without_retries(),
        )
        session = cls(
            client=client,
            journal=journal,
            clock=clock,
            orders=orders,
            account=account,
            settings=settings,
        )
        session.catalog = _maybe_catalog(session, paths)
        if session.catalog is not None:
            orders.country_name = session.catalog.country_name
        session.rentals = _maybe_rentals(session, settings.poll_interval)
        if session.rentals is not None and session.catalog is not None:
            session.rentals.country_name = session.catalog.country_name
        session.watches = _watches(session, settings.watch_interval)
        return session

    def attach(self, emit: Emit) -> None:
        """Where the services' events go, monitors running or not (a command's own events,
        e.g. a dismissed row, must reach the screen either way)."""
        self.orders.attach(emit)
        self.account.attach(emit)
        if self.rentals is not None:
            self.rentals.attach(emit)
        if self.watches is not None:
            self.watches.attach(emit)

    def monitors(self) -> list[tuple[str, MonitorLoop]]:
        """Named monitor loops for the App to run as workers."""
        loops: list[tuple[str, MonitorLoop]] = [
            ("orders-monitor", self.orders.run),
            ("balance-monitor", self.account.run),
        ]
        if self.rentals is not None:
            loops.append(("rentals-monitor", self.rentals.run))
        loops.append(("history-import", self._history_importer().run))
        if self.watches is not None:
            loops.append(("watches-monitor", self.watches.run))
        return loops + self.extra_monitors

    def _history_importer(self) -> HistoryImporter:
        """request/history and rental/history every 15 minutes (core/stats/background.py)."""
        from smspool_tui.core.stats import StatsService
        from smspool_tui.core.stats.background import HistoryImporter

        if self.history_import is None:
            stats = StatsService(self.journal, self.clock)
            online = lambda: self.orders.loop.online  # noqa: E731
            self.history_import = HistoryImporter(
                stats, self.orders, self.client, self.clock, online=online
            )
        return self.history_import

    async def warm_catalog(self) -> None:
        """Fetch the country list once in the background (11 KB, cached a day), so orders
        adopted from the server can show country names. Offline is not an error here: the
        monitors already say so."""
        from smspool_tui.api.errors import ApiError

        if self.catalog is None:
            return
        with contextlib.suppress(ApiError):
            await self.catalog.countries()

    async def aclose(self) -> None:
        try:
            await self.client.aclose()
        finally:
            self.journal.close()


def open_journal(path: Path, clock: Clock) -> Journal:
    """The journal, or JournalUnavailable saying which file and what to do."""
    from smspool_tui.core.journal import Journal

    try:
        return Journal(path, now=clock.now)
    except JournalUnavailable:
        raise
    except sqlite3.DatabaseError as exc:
        raise JournalUnavailable(
            path,
            f"it is not a readable journal ({exc})",
            "Move the file aside (it is kept, not deleted) and start again",
        ) from None
    except (sqlite3.Error, OSError) as exc:
        raise JournalUnavailable(
            path,
            f"{getattr(exc, 'strerror', None) or exc}",
            f"Check that {path.parent} exists and is writable by you",
        ) from None


def _maybe_catalog(session: Session, paths: Paths) -> CatalogService | None:
    try:
        from smspool_tui.core.catalog import CatalogService
    except ImportError:  # built by its own issue; the session works without it
        return None
    return CatalogService(session.client, session.clock, cache_dir=paths.cache_dir)


def _maybe_rentals(session: Session, poll_interval: float) -> RentalsService | None:
    try:
        from smspool_tui.core.rentals import RentalsService
    except ImportError:
        return None
    return RentalsService(
        session.client,
        session.journal,
        session.clock,
        poll_interval=poll_interval,
        poll_client=session.client.without_retries(),
    )


def _watches(session: Session, interval: float) -> WatchesService:
    from smspool_tui.core.watches.service import WatchesService

    orders = session.orders
    # Paused while the orders monitor (polling every few seconds) finds the server unreachable.
    return WatchesService(
        session.client.without_retries(),
        session.journal,
        session.clock,
        orders,
        interval=interval,
        offline=lambda: orders.loop.online is False,
    )
