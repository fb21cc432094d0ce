"""The board's autopilot line: "Autopilot · Telegram · attempt 3/8 · Latvia · Foxtrot · 1:12
left · $0.30 of $2.00 held". Painted from the App's AutopilotGlue and the screen's clock;
hidden when there is no run to show."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from smspool_tui.ui.text import money, plain
from smspool_tui.ui.widgets.countdown import format_duration

if TYPE_CHECKING:
    from smspool_tui.ui.autopilot_glue import AutopilotGlue


LIVE_STATES = ("live", "buying", "cancelling", "unknown")


def panel_text(glue: AutopilotGlue, now: datetime, *, compact: bool = False) -> Text | None:
    """The line for the current run, or None (nothing to show). `compact` fits 80 columns."""
    if glue.pilot is None:
        if glue.interrupted_row is not None:
            name = plain(glue.interrupted_row.plan.get("service_name", ""))
            return Text(
                f"Autopilot · {name} · interrupted: resume or leave it stopped", style="bold"
            )
        return None
    pilot = glue.pilot
    parts = [f"{'Auto' if compact else 'Autopilot'} · {plain(pilot.plan.service_name)}"]
    result = glue.result
    if result is not None:
        if result.kind == "code":
            parts.append(f"{plain(result.reason)} · {money(result.spent, exact=True)} spent")
        else:
            parts.append(f"ended: {plain(result.reason)}")
        if pilot.held:
            parts.append(f"{money(pilot.held, exact=True)} held until refunded")
        return Text(" · ".join(parts), style="dim")
    current = glue.current
    if current is not None:
        parts.append(f"{'' if compact else 'attempt '}{current.n}/{current.of}")
        parts.append(plain(current.country))
        if current.pool_name:
            parts.append(plain(current.pool_name))
    live = [a for a in pilot.attempts if a.state in LIVE_STATES]
    deadlines = [a.deadline for a in live if a.deadline is not None and a.state == "live"]
    if deadlines:
        parts.append(f"{format_duration((max(deadlines) - now).total_seconds())} left")
    elif any(a.state == "cancelling" for a in live):
        parts.append("cancelling")
    elif current is None:
        parts.append("ranking candidates…")
    budget = pilot.plan.budget
    held = money(pilot.held, exact=True)
    of = "/" if compact else " of "
    parts.append(f"{held}{of}{money(budget, exact=True)} held" if budget else f"{held} held")
    if pilot.paused:
        parts.append("paused")
    return Text(" · ".join(parts), style="bold")


class AutopilotPanel(Static):
    DEFAULT_CSS = """
    AutopilotPanel { height: 1; padding: 0 1; color: $warning; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._text: Text | None = None

    def paint(self, glue: AutopilotGlue, now: datetime) -> None:
        text = panel_text(glue, now)
        width = (self.size.width or self.app.size.width) - 2
        if text is not None and text.cell_len > width:
            text = panel_text(glue, now, compact=True)
        self.display = text is not None
        if text is not None and text != self._text:
            self._text = text
            self.update(text)
