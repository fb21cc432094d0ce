"""One rental's inbox: messages newest first, codes highlighted and copyable, live.

Opening the inbox watches the rental (polled every cycle) and fetches it at once. Messages that
were unread when they reached the screen stay marked NEW for this visit; the journal marks them
seen, so the board's unread count drops. Server text is plain text: never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smspool_tui.core import events as ev
from smspool_tui.core.codes import extract_code
from smspool_tui.core.journal import StoredMessage
from smspool_tui.core.rental_model import Rental
from smspool_tui.core.rentals.spend import RentalSpend
from smspool_tui.ui.screens.base import BaseScreen, tcss
from smspool_tui.ui.screens.rental_actions import RENTAL_ACTIONS, RentalActions
from smspool_tui.ui.text import (
    copy_number,
    error_text,
    local_time,
    money,
    phone,
    plain,
    zone_name,
)
from smspool_tui.ui.widgets.rental_table import expiry_text

if TYPE_CHECKING:
    from smspool_tui.core.rentals import RentalsService

WATCH_OWNER = "inbox"


def message_prompt(msg: StoredMessage, new: bool) -> Text:
    """Two lines: marker, time, sender and code; then the text with the code highlighted."""
    body = plain(msg.text, one_line=False)
    code = extract_code(body)
    head = Text()
    head.append(" NEW " if new else "     ", style="bold reverse" if new else "")
    when = local_time(msg.received_at, "%Y-%m-%d %H:%M:%S") if msg.received_at else "time unknown"
    head.append(f" {when}", style="dim")
    head.append(f"  from {plain(msg.sender) or 'unknown'}")
    if code:
        head.append("  code ")
        head.append(code, style="bold reverse")
    text = Text("      ")
    text.append(body)
    if code:
        text.highlight_words([code], style="bold underline")
    return Text("\n").join([head, text])


class InboxScreen(RentalActions, BaseScreen):
    """Escape goes back to the rentals board."""

    CSS_PATH = tcss("inbox")
    STATUS_ID = "inbox-status"
    BINDINGS = [
        Binding("escape", "back", "Back", id="inbox.back"),
        Binding("c", "copy_code", "Copy code", id="inbox.copy_code"),
        Binding("n", "copy_number", "Copy number", id="inbox.copy_number"),
        Binding("E", "extend", "Extend", id="inbox.extend", tooltip="Extend (paid)"),
        Binding("X", "refund", "Refund", id="inbox.refund", tooltip="Ask for a refund"),
        Binding(
            "A",
            "auto_extend",
            "Auto-extend",
            id="inbox.auto_extend",
            tooltip="Turn automatic renewal on or off",
        ),
        Binding(
            "R",
            "reset",
            "Reset port",
            id="inbox.reset",
            tooltip="Free: unstick a line that receives no messages",
        ),
        Binding("f5", "refresh", "Check now", id="inbox.refresh"),
    ]

    def __init__(self, rental_code: str) -> None:
        super().__init__()
        self.rental_code = rental_code
        self.title = "Inbox"
        self._new: set[str] = set()
        self._messages: list[StoredMessage] = []
        self._spend = ""  # what this rental cost, from the ledger (read with the messages)

    def compose_body(self) -> ComposeResult:
        yield Static("", id="inbox-summary")
        yield OptionList(id="inbox-messages")
        yield Static("", id="inbox-empty", classes="empty-state")
        yield Static("", id="inbox-status")

    @property
    def service(self) -> RentalsService | None:
        session = self.session
        return session.rentals if session is not None else None

    def on_mount(self) -> None:
        self._reload()
        self._paint_summary()
        self.query_one(OptionList).focus()
        self.ticker(1.0, self._paint_summary, name="inbox-countdown")
        self._check_now()

    def on_screen_resume(self) -> None:
        if self.service is not None:
            self.service.set_watched({self.rental_code}, owner=WATCH_OWNER)
            self._reload()

    def on_screen_suspend(self) -> None:
        if self.service is not None:
            self.service.set_watched((), owner=WATCH_OWNER)

    def redraw(self) -> None:
        self._paint_summary()  # the messages were read again on resume

    def on_unmount(self) -> None:
        if self.service is not None:
            self.service.set_watched((), owner=WATCH_OWNER)

    # ---- painting --------------------------------------------------------------------------

    def _reload(self) -> None:
        """Read the journal, remember which are new, then mark them seen."""
        service = self.service
        if service is None:
            return
        messages = service.messages(self.rental_code)
        self._spend = spend_text(service.spend(self.rental_code))
        self._new |= {m.msg_key for m in messages if not m.seen}
        keep = self.query_one(OptionList).highlighted
        keep_key = self._messages[keep].msg_key if keep is not None and self._messages else None
        self._messages = messages
        options = [Option(message_prompt(m, m.msg_key in self._new)) for m in messages]
        listing = self.query_one(OptionList)
        listing.set_options(options)
        if messages:
            keys = [m.msg_key for m in messages]
            listing.highlighted = keys.index(keep_key) if keep_key in keys else 0
        empty = self.query_one("#inbox-empty", Static)
        empty.update(Text("No messages yet. New ones appear here as they arrive; f5 checks now."))
        empty.display = not messages
        listing.display = bool(messages)
        self.refresh_footer()
        if self.is_current:  # seen only when someone can see them
            service.mark_seen(self.rental_code)

    def _paint_summary(self) -> None:
        rental = self.service.get(self.rental_code) if self.service else None
        line = Text()
        if rental is None:
            line.append(f"Rental {plain(self.rental_code)}")
        else:
            now = self.now()
            line.append(phone(rental.number) or "—", style="bold")
            where = " · ".join(plain(t) for t in (rental.country, rental.service_name) if t)
            line.append(f"  {where}  ·  {rental.label(now)}")
            line.append(f"  ·  expires in {expiry_text(rental, now)}")
            line.append(f"  ·  {len(self._messages)} messages  ·  code {plain(rental.code)}")
            if self._spend:
                line.append(f"  ·  {self._spend}")
            line.append(f"  ·  times {zone_name(now)}", style="dim")  # the zone, once
        self.query_one("#inbox-summary", Static).update(line)

    def on_core_event(self, event: object) -> None:
        if isinstance(event, ev.RentalMessageArrived) and event.rental_code == self.rental_code:
            self._reload()
            self._paint_summary()
        elif isinstance(event, ev.RentalsChanged):
            if self.service is not None:  # an extension or refund changes what it cost
                self._spend = spend_text(self.service.spend(self.rental_code))
            self._paint_summary()
            self.refresh_footer()

    # ---- actions ---------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def acting_rental(self) -> Rental | None:
        return self.service.get(self.rental_code) if self.service else None

    def rental_changed(self) -> None:
        self._paint_summary()
        self.refresh_footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action == "copy_code":
            return bool(self._messages)  # nothing to copy: not offered (the key says why)
        if action in RENTAL_ACTIONS:
            return self.rental_action_ok(action)
        return True

    def why_not(self, action: str) -> str | None:
        if action == "copy_code":
            return "No messages yet: a code can be copied with c once one arrives."
        if action in RENTAL_ACTIONS:
            return self.rental_why_not(action)
        return None

    @property
    def highlighted(self) -> StoredMessage | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not (0 <= index < len(self._messages)):
            return None
        return self._messages[index]

    def action_copy_code(self) -> None:
        msg = self.highlighted
        if msg is None:
            return
        code = extract_code(plain(msg.text))
        if not code:
            self.say("No code found in this message.", "warning")
            return
        self.app.copy_to_clipboard(code)
        self.say(f"Copied code {code}")

    def action_copy_number(self) -> None:
        rental = self.service.get(self.rental_code) if self.service else None
        if rental is not None and rental.number:
            self.app.copy_to_clipboard(
                copy_number(rental.number, self.smsapp.settings.display.copy_number)
            )
            self.say(f"Copied number {plain(rental.number)}")

    def action_refresh(self) -> None:
        self._check_now()

    @work(name="inbox-check", group="inbox-check", exclusive=True, exit_on_error=False)
    async def _check_now(self) -> None:
        service = self.service
        if service is None or service.get(self.rental_code) is None:
            return
        rental = service.get(self.rental_code)
        if rental is not None and (not rental.is_live or rental.is_expired(self.now())):
            return  # ended: the journal is all there is
        try:
            await service.refresh_rental(self.rental_code)
        except Exception as exc:  # shown to the user, never fatal
            self.query_one("#inbox-status", Static).update(
                Text(f"Could not check: {error_text(exc)}")
            )
            return
        status = self.query_one("#inbox-status", Static)
        if str(status.render()).startswith("Could not check"):
            status.update("")  # the failure is over; other notes stay
        self._reload()
        self._paint_summary()


def spend_text(spend: RentalSpend) -> str:
    """ "spent $22.00 (1 extension, $10.00 refunded)", or "" when the ledger knows nothing."""
    if not spend.known:
        return ""
    parts = []
    if spend.extensions:
        parts.append(f"{spend.extensions} extension{'' if spend.extensions == 1 else 's'}")
    if spend.refunded:
        parts.append(f"{money(spend.refunded)} refunded")
    if spend.unpriced:
        parts.append("some costs not known")
    tail = f" ({', '.join(parts)})" if parts else ""
    return f"spent {money(spend.net)}{tail}"
