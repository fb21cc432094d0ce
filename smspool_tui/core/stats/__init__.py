"""Stats and the ledger: where codes really arrive and what each one costs, from the journal."""

from smspool_tui.core.stats.model import (
    SMALL_SAMPLE,
    Bucket,
    Figures,
    Filters,
    Health,
    LedgerRow,
    Period,
    RentalFigures,
    Report,
)
from smspool_tui.core.stats.service import LEDGER_HEADER, StatsService

__all__ = [
    "LEDGER_HEADER",
    "SMALL_SAMPLE",
    "Bucket",
    "Figures",
    "Filters",
    "Health",
    "LedgerRow",
    "Period",
    "RentalFigures",
    "Report",
    "StatsService",
]
