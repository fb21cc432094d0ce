"""What one rental has cost, from the rental ledger (journal `rental_events`: the app's own
purchases, extensions and refunds, merged with the server's rental/history)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class LedgerLine(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def cost(self) -> Decimal | None: ...


@dataclass(frozen=True, slots=True)
class RentalSpend:
    paid: Decimal  # the purchase and every paid extension
    refunded: Decimal
    extensions: int
    unpriced: int  # lines whose cost nobody told us (then `paid` is a floor)

    @property
    def net(self) -> Decimal:
        return self.paid - self.refunded

    @property
    def known(self) -> bool:
        return self.paid > 0 or self.refunded > 0 or self.extensions > 0


def rental_spend(lines: Iterable[LedgerLine]) -> RentalSpend:
    paid = refunded = Decimal(0)
    extensions = unpriced = 0
    for line in lines:
        if line.action not in ("purchase", "extend", "refund"):
            continue
        extensions += line.action == "extend"
        if line.cost is None:
            unpriced += 1
        elif line.action == "refund":
            refunded += line.cost
        else:
            paid += line.cost
    return RentalSpend(paid, refunded, extensions, unpriced)
