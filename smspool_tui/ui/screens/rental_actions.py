"""What can be done to one rental, the same from the Rentals board and from its inbox: extend,
refund and auto-extend (each behind a confirm that states the price or the rules), a free
port reset for a line that gets no messages, with the reason said
when a key cannot act. A mixin for BaseScreen subclasses; requests run in screen workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from smspool_tui.core.errors import NotConfirmed
from smspool_tui.core.rental_model import Rental
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.rental_confirm import RentalConfirmScreen
from smspool_tui.ui.text import error_text, money, phone, plain

if TYPE_CHECKING:
    from smspool_tui.core.rentals import RentalsService
    from smspool_tui.ui.screens.base import BaseScreen

    _Base = BaseScreen
else:
    _Base = object

RENTAL_ACTIONS = frozenset({"extend", "refund", "auto_extend", "reset"})


def when(rental: Rental) -> str:
    return rental.expires_at.strftime("%Y-%m-%d %H:%M UTC") if rental.expires_at else "?"


def can(rental: Rental | None, action: str, now: object) -> str | None:
    """None when `action` can act on `rental`, else why not (in words for the status line)."""
    if rental is None:
        return "No rental here yet: press t for the catalog and buy one."
    if rental.is_intent_row:
        return "This purchase's outcome is not known yet: wait until it is settled."
    if not rental.is_live or rental.is_expired(now):  # type: ignore[arg-type]
        return f"This rental has {rental.label(now)}: nothing to {action}."  # type: ignore[arg-type]
    if action in ("extend", "auto_extend") and not rental.extendable:
        return "This is a non-extendable rental: it cannot be extended."
    return None


class RentalActions(_Base):
    """Mixed into a BaseScreen: `acting_rental()` names the rental the keys act on and
    `rental_changed()` repaints after an action."""

    _rental_busy = False

    @property
    def rentals_service(self) -> RentalsService | None:
        session = self.session
        return session.rentals if session is not None else None

    def acting_rental(self) -> Rental | None:
        raise NotImplementedError

    def rental_changed(self) -> None:
        """Repaint after an action (the service's RentalsChanged also arrives)."""

    def rental_action_ok(self, action: str) -> bool | None:
        """check_action for the rental actions: True, or None (greyed, says why)."""
        return None if can(self.acting_rental(), action, self.now()) else True

    def rental_why_not(self, action: str) -> str | None:
        return can(self.acting_rental(), action, self.now())

    def _money_moved(self) -> None:
        session = self.session
        if session is not None:
            session.account.spent()

    def _go(self, action: str) -> Rental | None:
        rental = self.acting_rental()
        if self.rentals_service is None or rental is None or can(rental, action, self.now()):
            return None
        if self._rental_busy:
            self.say("Another rental request is still waiting for its answer.", "warning")
            return None
        return rental

    # ---- extend ----------------------------------------------------------------------------

    def action_extend(self) -> None:
        rental = self._go("extend")
        if rental is not None:
            self._extend(rental)

    @work(name="rentals-extend", group="rentals-actions", exit_on_error=False)
    async def _extend(self, rental: Rental) -> None:
        service = self.rentals_service
        assert service is not None
        try:
            options = await service.extend_options(rental.code)
        except Exception as exc:  # shown to the user, never fatal
            self.say(f"Cannot extend: {error_text(exc)}", "error")
            return
        if not options.prices:
            self.say(options.note or "No extension offered.", "warning")
            return
        details = f"{phone(rental.number)} · {plain(rental.country)} · expires {when(rental)}"
        days = await self.app.push_screen_wait(
            RentalConfirmScreen(
                "Extend a rental",
                details,
                options.prices,
                balance=self.smsapp.balance,
                verb="Extend",
                extends=max(rental.expires_at, self.now()) if rental.expires_at else None,
            )
        )
        if days is None or self._rental_busy:
            return
        self._rental_busy = True
        try:
            updated = await service.extend(rental.code, days)
        except NotConfirmed as exc:  # it may have gone through: never "not extended"
            self.say(error_text(exc), "warning")
            return
        except Exception as exc:  # the server's refusal, shown as is
            self.say(f"Not extended: {error_text(exc)}", "error")
            return
        finally:
            self._rental_busy = False
            self._money_moved()
        self.rental_changed()
        self.say(f"Extended {phone(rental.number)} by {days} days, now until {when(updated)}")

    # ---- refund ----------------------------------------------------------------------------

    def action_refund(self) -> None:
        rental = self._go("refund")
        if rental is not None:
            self._refund(rental)

    @work(name="rentals-refund", group="rentals-actions", exit_on_error=False)
    async def _refund(self, rental: Rental) -> None:
        service = self.rentals_service
        assert service is not None
        info = await service.refund_info(rental.code)
        paid = f"paid {money(rental.cost)}" if rental.cost is not None else "price not known"
        question = (
            f"Ask SMSPool to refund the rental of {phone(rental.number) or plain(rental.code)} "
            f"({paid})?\n\n{info.reason}"
        )
        ok = await self.app.push_screen_wait(
            ConfirmScreen(question, title="Refund rental", yes="Ask for refund", no="Keep")
        )
        if not ok or self._rental_busy:
            return
        self._rental_busy = True
        try:
            message = await service.refund(rental.code)
        except NotConfirmed as exc:  # it may have gone through: never "refused"
            self.say(error_text(exc), "warning")
            return
        except Exception as exc:  # the server's refusal, shown as is
            self.say(f"Refund refused: {error_text(exc)}", "error")
            return
        finally:
            self._rental_busy = False
            self._money_moved()
        self.rental_changed()
        self.say(f"{phone(rental.number)}: {plain(message)}")

    # ---- auto-extend -----------------------------------------------------------------------

    def action_auto_extend(self) -> None:
        rental = self._go("auto_extend")
        if rental is not None:
            self._auto_extend(rental)

    @work(name="rentals-auto-extend", group="rentals-actions", exit_on_error=False)
    async def _auto_extend(self, rental: Rental) -> None:
        service = self.rentals_service
        assert service is not None
        number = phone(rental.number) or plain(rental.code)
        on = not rental.auto_extend
        if on:
            try:
                price = await service.auto_extend_price(rental.code)
            except Exception as exc:  # shown to the user, never fatal
                self.say(f"Cannot turn auto-extend on: {error_text(exc)}", "error")
                return
            if price is None:
                self.say("No extension price is offered for this rental.", "warning")
                return
            question = (
                f"Turn auto-extend on for {number}?\n\nSMSPool then renews it before it "
                f"expires and charges your balance {money(price.price)} per {price.days} days "
                "each time, until you turn it off. Nothing is charged now."
            )
        else:
            question = (
                f"Turn auto-extend off for {number}?\n\nIt then ends on {when(rental)} "
                "unless you extend it yourself (E)."
            )
        ok = await self.app.push_screen_wait(
            ConfirmScreen(
                question, title="Auto-extend", yes="Turn on" if on else "Turn off", no="Keep"
            )
        )
        if not ok or self._rental_busy:
            return
        self._rental_busy = True
        try:
            updated = await service.set_auto_extend(rental.code, on)
        except NotConfirmed as exc:
            self.say(error_text(exc), "warning")
            return
        except Exception as exc:  # the server's refusal, shown as is
            self.say(f"Auto-extend not changed: {error_text(exc)}", "error")
            return
        finally:
            self._rental_busy = False
        self.rental_changed()
        self.say(f"Auto-extend is {'on' if updated.auto_extend else 'off'} for {number}")

    # ---- reset a stuck port ----------------------------------------------------------------

    def action_reset(self) -> None:
        rental = self._go("reset")
        if rental is not None:
            self._reset(rental)

    @work(name="rentals-reset", group="rentals-actions", exit_on_error=False)
    async def _reset(self, rental: Rental) -> None:
        """Free, so no confirm; the server's own words say how long to wait."""
        service = self.rentals_service
        assert service is not None
        number = phone(rental.number) or plain(rental.code)
        try:
            message = await service.reset(rental.code)
        except Exception as exc:  # the server's refusal, shown as is
            self.say(f"Not reset: {error_text(exc)}", "error")
            return
        self.rental_changed()
        self.say(f"{number}: {plain(message)}")
