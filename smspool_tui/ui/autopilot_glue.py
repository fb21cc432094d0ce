"""The App's side of the autopilot: one run at a time, started only from the confirm screen's
`y`, run in an App worker, fed every core event so a code is acted on at once.

The core (`core/autopilot`) does the buying through the money-safe path; this module only
starts it, forwards the user's pause/resume/skip/stop, remembers what the board shows (the
attempts' order ids, the current attempt) and announces the end. After a restart an
interrupted run is shown and the user chooses: resume it, or leave it stopped (its live
numbers cancelled). It is never resumed silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smspool_tui.ui.text import money, plain

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from smspool_tui.core.autopilot import Autopilot, AutopilotResult, Plan
    from smspool_tui.core.autopilot.events import AttemptStarted
    from smspool_tui.core.journal import AutopilotRow
    from smspool_tui.core.session import Session

# The core's autopilot modules (and the orders service they load) stay off the first frame:
# events are told apart by their module, the classes imported when a run starts.
EVENTS_MODULE = "smspool_tui.core.autopilot.events"
SETTLE_FOR = 600.0  # after the run: watch this long for queued cancels to be confirmed


def is_autopilot_event(event: object) -> bool:
    return type(event).__module__ == EVENTS_MODULE


class AutopilotGlue:
    """Owned by the App (`app.autopilot`); screens read it and call its controls."""

    def __init__(self, app: App[int]) -> None:
        self.app = app
        self.pilot: Autopilot | None = None
        self.current: AttemptStarted | None = None  # the newest attempt started
        self.notice: str = ""  # the newest thing the run said
        self.order_ids: dict[str, int] = {}  # order id -> attempt number
        self.result: AutopilotResult | None = None
        self.interrupted_row: AutopilotRow | None = None  # waiting for the user's choice
        self.worker: Worker[None] | None = None  # the run (then its settle), an App worker

    # ---- state the board reads ---------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.pilot is not None and self.result is None

    @property
    def plan(self) -> Plan | None:
        return self.pilot.plan if self.pilot is not None else None

    def history(self, order_id: str) -> list[str]:
        """Every attempt of the run `order_id` belongs to, one line each (empty if none)."""
        if self.pilot is None or order_id not in self.order_ids:
            return []
        lines = []
        for a in self.pilot.attempts:
            cost = money(a.cost if a.cost is not None else a.price, exact=True)
            why = f" · {plain(a.why)}" if a.why else ""
            mark = " ◂ this order" if a.order_id == order_id else ""
            lines.append(f"{a.n}. {plain(a.country)} · pool {a.pool or '—'} · {a.state}{why}"
                         f" · {cost}{mark}")  # fmt: skip
        return lines

    # ---- starting ----------------------------------------------------------------------------

    def start(self, plan: Plan) -> bool:
        """Run `plan` (the user said `y` on the confirm screen). False if one is running."""
        from smspool_tui.core.autopilot import Autopilot, HealthLimits

        session = self._session()
        if session is None or session.catalog is None:
            self.app.notify("The autopilot needs a signed-in session", severity="error")
            return False
        if self.running:
            self.app.notify("An autopilot is already running (X stops it)", severity="warning")
            return False
        settings = self.app.settings  # type: ignore[attr-defined]
        pilot = Autopilot(
            session.orders,
            session.catalog,
            session.journal,
            session.clock,
            plan,
            emit=self.app.emit,  # type: ignore[attr-defined]
            health=HealthLimits.from_settings(settings.autopilot),
        )
        self.watch(pilot)
        self.worker = self.app.run_worker(
            self._run(pilot), name="autopilot", group="autopilot", exit_on_error=False
        )
        return True

    def watch(self, pilot: Autopilot) -> None:
        """Make `pilot` the run the board shows (start() does this before running it)."""
        self.pilot = pilot
        self.current = None
        self.notice = ""
        self.result = None
        self.order_ids = {a.order_id: a.n for a in pilot.attempts if a.order_id}
        self.interrupted_row = None

    async def _run(self, pilot: Autopilot) -> None:
        await pilot.run()
        await pilot.settle(timeout=SETTLE_FOR)  # queued cancels go out and are confirmed

    # ---- controls ----------------------------------------------------------------------------

    def toggle_pause(self) -> None:
        if self.pilot is None or not self.running:
            return
        if self.pilot.paused:
            self.pilot.resume()
        else:
            self.pilot.pause()

    def skip(self) -> None:
        if self.pilot is not None and self.running:
            self.pilot.skip()

    def stop(self) -> None:
        if self.pilot is not None and self.running:
            self.pilot.stop()

    # ---- the bridge --------------------------------------------------------------------------

    def on_event(self, event: object) -> None:
        """Every core event, from the App's bridge, before screens see it."""
        if self.pilot is not None and self.result is None:
            self.pilot.on_event(event)
        if not is_autopilot_event(event):
            return
        from smspool_tui.core.autopilot import events as ae

        if isinstance(event, ae.AttemptStarted):
            self.current = event
        elif isinstance(event, ae.AttemptBought):
            self.order_ids[event.order_id] = event.n
        elif isinstance(event, ae.AutopilotNotice):
            self.notice = event.text
        elif isinstance(event, ae.AutopilotFinished) and self._is_ours(event.result):
            self.result = event.result
            self._announce(event.result)

    def _is_ours(self, result: AutopilotResult) -> bool:
        return self.pilot is not None and result.run_id == self.pilot.run_id

    def _announce(self, result: AutopilotResult) -> None:
        """The code itself is copied and belled by the CodeArrived announce, as any code."""
        name = plain(self.plan.service_name) if self.plan else "Autopilot"
        if result.kind == "code":
            self.app.notify(
                f"{name}: {plain(result.reason)}, {money(result.spent, exact=True)} spent",
                title="Autopilot got a code",
                markup=False,
            )
            return
        held = f" · {money(result.held, exact=True)} still held" if result.held else ""
        self.app.notify(
            f"{name}: {plain(result.reason)}{held}",
            title="Autopilot ended without a code",
            severity="warning",
            markup=False,
        )

    # ---- after a restart ---------------------------------------------------------------------

    def session_started(self, session: Session) -> None:
        """An interrupted run is shown and the user asked; never resumed silently."""
        from smspool_tui.core.autopilot import interrupted

        row = interrupted(session.journal)
        if row is None or self.running:
            return
        self.interrupted_row = row
        from smspool_tui.ui.screens.confirm import ConfirmScreen

        name = plain(row.plan.get("service_name", "a service"))
        question = (
            f"An autopilot for {name} did not finish (it was {row.state} when the app stopped).\n"
            "Resume it, or leave it stopped? Leaving it stopped cancels its live numbers."
        )
        self.app.push_screen(
            ConfirmScreen(
                question, title="Interrupted autopilot", yes="Resume", no="Leave stopped"
            ),
            lambda ok: self._start_resume(bool(ok)),
        )

    def _start_resume(self, go_on: bool) -> None:
        self.worker = self.app.run_worker(
            self._resume(go_on), name="autopilot", group="autopilot", exit_on_error=False
        )

    async def _resume(self, go_on: bool) -> None:
        from smspool_tui.core.autopilot import HealthLimits, resume_from_journal

        session = self._session()
        row = self.interrupted_row
        if session is None or session.catalog is None or row is None:
            return
        settings = self.app.settings  # type: ignore[attr-defined]
        pilot = await resume_from_journal(
            session.orders,
            session.catalog,
            session.journal,
            session.clock,
            emit=self.app.emit,  # type: ignore[attr-defined]
            health=HealthLimits.from_settings(settings.autopilot),
            run_id=row.id,
        )
        if pilot is None:
            self.interrupted_row = None
            return
        if not go_on:
            pilot.stop()  # run() cancels what is live and finishes "stopped"
        self.watch(pilot)
        await self._run(pilot)

    def _session(self) -> Session | None:
        return getattr(self.app, "session", None)
