"""The autopilot: "get me a working code within a budget, hands-off".

    plan = Plan(service_id=907, service_name="Telegram", budget=Decimal("2.00"), max_attempts=5)
    pilot = Autopilot(session.orders, session.catalog, session.journal, session.clock, plan,
                      emit=emit)
    result = await pilot.run()          # pause(), resume(), skip(), stop() meanwhile

The orders monitor must be running (it brings the codes and sends queued cancels). After a
crash: `await resume_from_journal(...)` rebuilds the interrupted run (see resume.py).
"""

from smspool_tui.core.autopilot.events import (
    AttemptBought,
    AttemptEnded,
    AttemptStarted,
    AutopilotFinished,
    AutopilotNotice,
    as_json,
)
from smspool_tui.core.autopilot.health import HealthLimits, health_stop
from smspool_tui.core.autopilot.model import RESULT_KINDS, Attempt, AutopilotResult, ResultKind
from smspool_tui.core.autopilot.plan import Plan
from smspool_tui.core.autopilot.ranking import Candidate, Ranking, ScoreParts, rank
from smspool_tui.core.autopilot.resume import interrupted, resume_from_journal
from smspool_tui.core.autopilot.runner import Autopilot

__all__ = [
    "RESULT_KINDS",
    "Attempt",
    "AttemptBought",
    "AttemptEnded",
    "AttemptStarted",
    "Autopilot",
    "AutopilotFinished",
    "AutopilotNotice",
    "AutopilotResult",
    "Candidate",
    "HealthLimits",
    "Plan",
    "Ranking",
    "ResultKind",
    "ScoreParts",
    "as_json",
    "health_stop",
    "interrupted",
    "rank",
    "resume_from_journal",
]
