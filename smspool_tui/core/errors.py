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
