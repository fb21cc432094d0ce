"""One rental's cost from its ledger lines: purchases and extensions paid, refunds back."""

from __future__ import annotations

from decimal import Decimal

from smspool_tui.core.journal import RentalEvent
from smspool_tui.core.rentals.spend import rental_spend


def line(action: str, cost: str | None) -> RentalEvent:
    return RentalEvent("R1", action, None if cost is None else Decimal(cost), None)


def test_paid_extensions_and_refunds_add_up() -> None:
    spend = rental_spend(
        [line("purchase", "10.00"), line("extend", "12.00"), line("extend", None),
         line("refund", "10.00"), line("other", "99")]
    )  # fmt: skip
    assert (spend.paid, spend.refunded, spend.net) == (Decimal("22"), Decimal("10"), Decimal("12"))
    assert (spend.extensions, spend.unpriced, spend.known) == (2, 1, True)


def test_a_rental_with_no_ledger_lines_says_nothing() -> None:
    assert not rental_spend([]).known
