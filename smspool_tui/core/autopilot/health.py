"""Account health: SMSPool blocks accounts whose purchases fail too often, so the autopilot
stops after too many failed purchases or cancelled numbers, in a row or in the last hour. It
reads the journal, so every run (and a restart) counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smspool_tui.core.autopilot.model import CODE, FAILED_STATES

if TYPE_CHECKING:
    from smspool_tui.config import AutopilotSettings
    from smspool_tui.core.journal import Journal

WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class HealthLimits:
    in_row: int = 5
    per_hour: int = 10

    @classmethod
    def from_settings(cls, settings: AutopilotSettings) -> HealthLimits:
        return cls(settings.max_failures_in_row, settings.max_failures_per_hour)


def health_stop(journal: Journal, now: datetime, limits: HealthLimits) -> str | None:
    """Why buying again now would risk the account, or None."""
    recent = journal.ended_attempts_since(now - WINDOW)  # oldest first
    failed = [a for a in recent if a.state in FAILED_STATES]
    if len(failed) >= limits.per_hour:
        return (
            f"{len(failed)} failed purchases or cancels in the last hour "
            f"(limit {limits.per_hour}): stopping so SMSPool does not block the account"
        )
    row = 0
    for attempt in reversed(recent):
        if attempt.state == CODE:
            break
        if attempt.state in FAILED_STATES:
            row += 1
    if row >= limits.in_row:
        return (
            f"{row} failed purchases or cancels in a row (limit {limits.in_row}): "
            "stopping so SMSPool does not block the account"
        )
    return None
