from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input

from tests.harness import SimHandle, start_sim


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor makes snapshots nondeterministic.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    handle = start_sim(seed=1)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(autouse=True)
def _times_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Screens show local time: snapshots must not depend on the machine's zone.
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
