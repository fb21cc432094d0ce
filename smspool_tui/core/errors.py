"""Errors of the core that the UI and the command line turn into a clear message."""

from __future__ import annotations

from pathlib import Path


class JournalUnavailable(Exception):
    """The journal cannot be opened or written: a newer schema (after a downgrade), an
    unwritable data folder, a corrupt file. The message names the file and what to do; it never
    holds the key, and it is raised `from None` so no traceback carries a frame that does."""

    def __init__(self, path: Path, problem: str, remedy: str) -> None:
        super().__init__(f"Cannot open the journal {path}: {problem}. {remedy}")
        self.path = path
        self.problem = problem
        self.remedy = remedy


class NotConfirmed(Exception):
    """A request that moves money went out and no clear answer came back (a timeout, a 5xx, an
    unreadable body): it may have been carried out. Never "refused", never "failed": check."""


class DuplicateRisk(Exception):
    """An earlier purchase of the same thing has no known outcome yet (its answer was lost, or it
    is still on its way): buying again may buy twice. The caller must ask the user explicitly."""

    def __init__(self, what: str, intent_ids: list[int], in_flight: bool) -> None:
        if in_flight:
            text = f"A purchase of {what} is still waiting for SMSPool's answer"
        else:
            text = (
                f"An earlier purchase of {what} has an unknown outcome: the number may already "
                "be yours (check the board or the SMSPool dashboard)"
            )
        super().__init__(text)
        self.intent_ids = intent_ids
        self.in_flight = in_flight
