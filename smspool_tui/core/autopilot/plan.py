"""What the user asks the autopilot for, and the limits it checks before it starts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

DEFAULT_WAIT = 180.0
MAX_RACE = 3


@dataclass(frozen=True, slots=True)
class Plan:
    """One "get me a working code" request. Countries are ids in order of preference (empty:
    the server's suggestions, ranked); pools narrow the candidates (empty: any pool)."""

    service_id: int
    service_name: str
    countries: tuple[int, ...] = ()
    pools: tuple[int, ...] = ()
    max_price: Decimal | None = None  # per number
    budget: Decimal | None = None  # held + spent, never more
    wait: float = DEFAULT_WAIT  # seconds per attempt before it is cancelled
    max_attempts: int | None = None  # purchases; None: one pass over the candidates
    race: int = 1  # numbers live at once

    def checked(self, cancel_lock: float) -> tuple[Plan, list[str]]:
        """The plan made safe to run, and what was changed (for the user to read). Raises
        ValueError for a plan that cannot run at all."""
        if self.max_price is not None and self.max_price <= 0:
            raise ValueError("max price must be more than 0")
        if self.budget is not None and self.budget <= 0:
            raise ValueError("budget must be more than 0")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max attempts must be at least 1")
        notes: list[str] = []
        plan = self
        if plan.race < 1 or plan.race > MAX_RACE:
            race = min(MAX_RACE, max(1, plan.race))
            notes.append(f"race {plan.race} is out of range: {race} numbers at once")
            plan = replace(plan, race=race)
        if plan.wait < cancel_lock:
            notes.append(
                f"wait {plan.wait:.0f}s is shorter than the cancel lock: "
                f"waiting {cancel_lock:.0f}s per attempt"
            )
            plan = replace(plan, wait=float(cancel_lock))
        return plan, notes

    def worst_case(self, top_price: Decimal) -> Decimal:
        """At most this much held at once (the confirm screen states it)."""
        cap = self.max_price if self.max_price is not None else top_price
        most = cap * self.race
        return most if self.budget is None else min(most, self.budget)

    def to_json(self) -> dict[str, Any]:
        return {
            "service_id": self.service_id,
            "service_name": self.service_name,
            "countries": list(self.countries),
            "pools": list(self.pools),
            "max_price": None if self.max_price is None else str(self.max_price),
            "budget": None if self.budget is None else str(self.budget),
            "wait": self.wait,
            "max_attempts": self.max_attempts,
            "race": self.race,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        def money(value: Any) -> Decimal | None:
            return None if value in (None, "") else Decimal(str(value))

        return cls(
            service_id=int(data["service_id"]),
            service_name=str(data["service_name"]),
            countries=tuple(int(c) for c in data.get("countries") or ()),
            pools=tuple(int(p) for p in data.get("pools") or ()),
            max_price=money(data.get("max_price")),
            budget=money(data.get("budget")),
            wait=float(data.get("wait", DEFAULT_WAIT)),
            max_attempts=data.get("max_attempts"),
            race=int(data.get("race", 1)),
        )
