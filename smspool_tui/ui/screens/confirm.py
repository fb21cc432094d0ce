"""A small yes/no question as a modal; `push_screen(ConfirmScreen(...), callback)` gets a bool."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from smspool_tui.ui.screens.base import tcss
from smspool_tui.ui.screens.order_words import busy_reasons


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question. `y`/enter on Yes confirms; `n`/escape declines. Text is shown as plain
    text, so callers may pass server-provided words safely."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    CSS_PATH = tcss("confirm")

    def __init__(
        self,
        question: str,
        *,
        title: str = "Are you sure?",
        yes: str = "Yes",
        no: str = "No",
        default_yes: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.heading = title
        self.yes_label = yes
        self.no_label = no
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading), id="confirm-title")
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.no_label} (n)", id="confirm-no")
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        # Focus the safe answer unless the caller says otherwise: a stray enter must not confirm.
        self.query_one("#confirm-yes" if self.default_yes else "#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class QuitConfirm(ConfirmScreen):
    """The quit question; pressing q, ctrl+q or ctrl+c again while it is open quits."""

    # A modal blocks the App's keys, so the quit keys are repeated here.
    BINDINGS = [Binding("q,ctrl+q,ctrl+c", "answer(True)", "Quit", id="quit.again", priority=True)]


def quit_warning(app: object) -> str | None:
    """Why quitting now would drop work the user asked for, or None if it is safe."""
    session = getattr(app, "session", None)
    orders, rentals = getattr(session, "orders", None), getattr(session, "rentals", None)
    reasons = busy_reasons(orders.busy()) if orders is not None else []
    if rentals is not None and (why := rentals.busy_reason()):
        reasons.append(why)
    from smspool_tui.core.preorders import busy_reason_for  # only built once pre-orders are used

    if bid := busy_reason_for(session):
        reasons.append(bid)
    if getattr(getattr(app, "autopilot", None), "running", False):
        reasons.append("an autopilot is running (next start asks whether to resume it)")
    if not reasons:
        return None
    reason = "; ".join(reasons)
    return reason[:1].upper() + reason[1:] + ". Quit anyway?"


class ProblemScreen(ModalScreen[None]):
    """Something the user must fix outside the app (a file, a folder), said in plain words."""

    BINDINGS = [Binding("enter,escape,q", "dismiss", "OK", id="problem.ok")]
    DEFAULT_CSS = """
    ProblemScreen { align: center middle; }
    ProblemScreen > Vertical {
        width: 72; max-width: 95%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ProblemScreen #problem-title { text-style: bold; margin-bottom: 1; }
    ProblemScreen #problem-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    """

    def __init__(self, problem: str, *, title: str, ok: str = "OK") -> None:
        super().__init__()
        self.problem = problem
        self.heading = title
        self.ok_label = ok

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading), id="problem-title")
            yield Static(Text(self.problem), id="problem-text")
            with Horizontal(id="problem-buttons"):
                yield Button(f"{self.ok_label} (enter)", id="problem-ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#problem-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
