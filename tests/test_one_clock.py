"""One clock: only SystemClock reads the system's time; everything else asks the injected Clock.

A stray `datetime.now()` put the journal on another clock than the services once, and an unknown
purchase could then never be matched to its order. This scan keeps it from coming back.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1] / "smspool_tui"
ALLOWED = {("clock.py", "SystemClock")}

# module-level callables that read the system's wall or monotonic clock
_TIME_FUNCS = {
    "time",
    "time_ns",
    "monotonic",
    "monotonic_ns",
    "perf_counter",
    "perf_counter_ns",
    "localtime",
    "gmtime",
    "ctime",
    "strftime",
}
_DATETIME_FUNCS = {"now", "utcnow", "today"}


def _readers(tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """(line, what, enclosing class) for each call that reads the system time."""
    found: list[tuple[int, str, str | None]] = []

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.ClassDef) else cls
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                owner, attr = child.func.value, child.func.attr
                name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
                if name == "time" and attr in _TIME_FUNCS:
                    found.append((child.lineno, f"time.{attr}()", cls))
                elif name in ("datetime", "date") and attr in _DATETIME_FUNCS:
                    found.append((child.lineno, f"{name}.{attr}()", cls))
                elif attr == "time" and isinstance(owner, ast.Call):  # get_event_loop().time()
                    found.append((child.lineno, "loop.time()", cls))
            visit(child, inner)

    visit(tree, None)
    return found


def test_only_system_clock_reads_the_system_time() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, what, cls in _readers(ast.parse(path.read_text(), str(path))):
            if (rel, cls) not in ALLOWED:
                offenders.append(f"{rel}:{line} {what}")
    assert offenders == [], "read the time from the injected Clock instead:\n" + "\n".join(
        offenders
    )


def test_the_scan_finds_a_stray_reader() -> None:
    code = "import time\nfrom datetime import datetime\nx = datetime.now()\ny = time.monotonic()\n"
    assert [w for _, w, _ in _readers(ast.parse(code))] == ["datetime.now()", "time.monotonic()"]
