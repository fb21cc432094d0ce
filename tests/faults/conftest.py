"""Fault-matrix bookkeeping: each (screen, fault) outcome is recorded and printed as a grid at
the end of the run, plus the --soak-minutes option for the long soak."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

# (screen, fault) -> "✓"/"✗", filled by test_fault_matrix, printed at the end of the run.
MATRIX: dict[tuple[str, str], str] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--soak-minutes",
        type=float,
        default=0.0,
        help="run the board soak test this many minutes (default: a short CI run)",
    )


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not MATRIX:
        return
    screens = list(dict.fromkeys(s for s, _ in MATRIX))
    kinds = sorted({k for _, k in MATRIX})
    tr = terminalreporter
    tr.section("fault matrix (screen x fault)")
    width = max(len(k) for k in kinds)
    tr.write_line(" " * (width + 1) + " ".join(f"{s[:8]:>8}" for s in screens))
    for kind in kinds:
        cells = " ".join(f"{MATRIX.get((s, kind), '·'):>8}" for s in screens)
        tr.write_line(f"{kind:<{width}} {cells}")
    passed = sum(1 for v in MATRIX.values() if v == "✓")
    tr.write_line(f"{passed}/{len(MATRIX)} cases pass")
