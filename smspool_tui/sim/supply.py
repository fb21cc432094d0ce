"""What the autopilot and the board need the simulator to do on purpose: stock that runs out,
countries and pools whose numbers rarely or never get an SMS, "the first n numbers of a service
get no SMS" for the demo, numbers whose SMS comes late (so a queued cancel can be watched) and a
cancel lock of its own per pool. Rules, not randomness: the order desk still draws every random
number, so a rule never shifts the seeded draws of other orders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from smspool_tui.sim.catalog import Country, PoolOffer, Service

Key = tuple[int, int, int]  # country id, service id, pool id


@dataclass(frozen=True)
class DudRule:
    """Numbers matching this (None: any) never get an SMS with probability `rate`."""

    rate: float
    country: int | None = None
    service: int | None = None
    pool: int | None = None

    def matches(self, country: Country, service: Service, offer: PoolOffer) -> bool:
        return (
            (self.country is None or self.country == country.id)
            and (self.service is None or self.service == service.id)
            and (self.pool is None or self.pool == offer.pool.id)
        )


@dataclass(frozen=True)
class StockCycle:
    """Stock that runs out and comes back: from `start`, `off` seconds with none, then `amount`
    numbers (running down per purchase) for `on` seconds, repeating. Pure time arithmetic, so a
    FakeClock drives it."""

    amount: int
    on: float
    off: float
    start: float

    def period(self, now: float) -> tuple[int, bool]:
        """(which repetition, in stock?) at `now`; before `start` counts as in stock."""
        if now < self.start:
            return -1, True
        n, into = divmod(now - self.start, self.on + self.off)
        return int(n), into >= self.off


@dataclass(frozen=True)
class PriceSwing:
    """Prices that move: from `start`, each `every` seconds the next factor of `factors`."""

    factors: tuple[Decimal, ...]
    every: float
    start: float

    def factor(self, now: float) -> Decimal:
        if now < self.start or not self.factors:
            return Decimal(1)
        return self.factors[int((now - self.start) // self.every) % len(self.factors)]


@dataclass(frozen=True)
class SlowRule:
    """Numbers matching this (None: any) get their SMS about `delay` s after purchase."""

    delay: float
    country: int | None = None
    service: int | None = None
    pool: int | None = None

    def matches(self, country: Country, service: Service, offer: PoolOffer) -> bool:
        return DudRule(1.0, self.country, self.service, self.pool).matches(country, service, offer)


class Supply:
    def __init__(self) -> None:
        self.stock: dict[Key, int] = {}  # overrides the catalog's stock, and runs down
        self.duds: list[DudRule] = []
        self.fail_first: dict[int, int] = {}  # service id -> numbers left that get no SMS
        self.cycles: dict[Key, StockCycle] = {}
        self._refilled: dict[Key, int] = {}  # the repetition each cycle last refilled in
        self.swings: dict[tuple[int, int], PriceSwing] = {}  # (country id, service id)
        self.slow: list[SlowRule] = []
        self.cancel_locks: dict[int, float] = {}  # pool id -> its own cancel lock (s)

    def tick(self, now: float) -> None:
        """Apply the stock cycles at `now` (the engine calls it before every request)."""
        for key, cycle in self.cycles.items():
            n, in_stock = cycle.period(now)
            if not in_stock:
                self.stock[key] = 0
            elif self._refilled.get(key) != n:
                self._refilled[key] = n
                self.stock[key] = cycle.amount

    def price_factors(self, now: float) -> dict[tuple[int, int], Decimal]:
        return {pair: swing.factor(now) for pair, swing in self.swings.items()}

    def sms_delay(self, country: Country, service: Service, offer: PoolOffer, base: float) -> float:
        """The SMS delay for a new number: the last matching slow rule's, else `base`."""
        found = [r.delay for r in self.slow if r.matches(country, service, offer)]
        return found[-1] if found else base

    def cancel_lock(self, pool: int, base: float) -> float:
        return self.cancel_locks.get(pool, base)

    def left(self, country: Country, service: Service, offer: PoolOffer) -> int:
        return self.stock.get((country.id, service.id, offer.pool.id), offer.stock)

    def take(self, country: Country, service: Service, offer: PoolOffer) -> None:
        key = (country.id, service.id, offer.pool.id)
        if key in self.stock:
            self.stock[key] = max(0, self.stock[key] - 1)

    def no_sms_rate(
        self, country: Country, service: Service, offer: PoolOffer, base: float
    ) -> float:
        rates = [r.rate for r in self.duds if r.matches(country, service, offer)]
        return max([base, *rates])

    def dud_now(self, service: Service) -> bool:
        """True (and counted) while the service's first numbers are to get no SMS."""
        left = self.fail_first.get(service.id, 0)
        if left > 0:
            self.fail_first[service.id] = left - 1
            return True
        return False
