"""The simulator's moving market: stock that runs out and comes back, prices that go up and
down, other accounts' pre-order bids. All of it is time arithmetic on the engine's clock (applied
before every request), so a FakeClock drives it in tests and the demo shows it live."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Catalog
from smspool_tui.sim.preorders import PreorderDesk
from smspool_tui.sim.supply import PriceSwing, StockCycle, Supply


class MarketMoves:
    """Mixed into SimEngine, which provides these attributes."""

    catalog: Catalog
    supply: Supply
    preorder_desk: PreorderDesk
    _lock: threading.RLock
    _now: Callable[[], float]
    _ids: Callable[..., tuple[int | None, int | None, int | None]]

    def set_stock_cycle(
        self,
        country: str | int,
        service: str | int,
        *,
        amount: int,
        on: float,
        off: float,
        start: float | None = None,
        pool: str | int | None = None,
    ) -> None:
        """Stock that runs out and comes back: none for `off` s, then `amount` for `on` s,
        repeating from `start` (default: now). Pending pre-orders fill when it comes back."""
        cid, sid, pid = self._ids(country, service, pool)
        assert cid is not None and sid is not None
        with self._lock:
            c, s = self.catalog.country(str(cid)), self.catalog.service(str(sid))
            assert c is not None and s is not None
            cycle = StockCycle(amount, on, off, self._now() if start is None else start)
            for offer in self.catalog.offers(c, s):
                if pid is None or offer.pool.id == pid:
                    self.supply.cycles[(cid, sid, offer.pool.id)] = cycle
            self._tick(self._now())

    def set_price_swing(
        self,
        country: str | int,
        service: str | int,
        factors: tuple[Decimal | str, ...],
        *,
        every: float,
        start: float | None = None,
    ) -> None:
        """Prices of this country+service move: each `every` s the next factor (1 = catalog)."""
        cid, sid, _ = self._ids(country, service, None)
        assert cid is not None and sid is not None
        swing = PriceSwing(
            tuple(Decimal(f) for f in factors), every, self._now() if start is None else start
        )
        with self._lock:
            self.supply.swings[(cid, sid)] = swing
            self._tick(self._now())

    def set_rival_bid(self, country: str | int, service: str | int, amount: Decimal) -> None:
        """Another account's pre-order bid: what preorder/price shows as the highest."""
        cid, sid, _ = self._ids(country, service, None)
        assert cid is not None and sid is not None
        with self._lock:
            self.preorder_desk.rivals[(cid, sid)] = Decimal(amount).quantize(wire.CENT)

    def _tick(self, now: float) -> None:
        """Time-driven supply and prices, then the pre-orders that stock lets fill."""
        self.supply.tick(now)
        self.catalog.price_factors = self.supply.price_factors(now)
        self.preorder_desk.settle(now)

    def seed_market_moves(self) -> None:
        """The demo's moving market: Instagram runs out in the US and GB and comes back every
        few minutes (a pre-order placed while it is out fills when it returns; a watch fires),
        and WhatsApp prices in GB and Telegram's in the US go up and down."""
        for iso in ("US", "GB"):
            self.set_stock_cycle(iso, "Instagram", amount=25, on=120.0, off=90.0)
        self.set_rival_bid("US", "Instagram", Decimal("0.85"))
        self.set_price_swing("GB", "WhatsApp", ("1", "1.2", "0.85", "1.35"), every=150.0)
        self.set_price_swing("US", "Telegram", ("1", "0.9", "1.15"), every=240.0)
