"""Run every benchmark, each in its own process, and print one table: figure, value, goal, verdict.

    python benchmarks/run_all.py            # the whole set, ~2 minutes on 2 cores
    python benchmarks/run_all.py --markdown # the same table as Markdown (for the README)

Each bench_*.py prints its own report with "goal ... OK / OVER GOAL" lines; this collects those
lines, so a benchmark keeps one source of truth for its goal.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("startup", ["bench_startup.py"]),
    ("filter", ["bench_filter.py"]),
    ("footer", ["bench_footer.py"]),
    ("SMS latency", ["bench_latency.py", "8", "2"]),
    ("idle CPU", ["bench_idle_cpu.py", "10", "5"]),
    ("history 10k", ["bench_history.py", "10000"]),
    ("requests/cycle", ["bench_requests.py"]),
    ("autopilot", ["bench_autopilot.py", "24"]),
    ("CLI balance", ["bench_cli.py", "7"]),
    ("stats 100k", ["bench_stats.py", "100000"]),
]
VALUE = re.compile(r"(?<![\w.])(\d[\d,.]*(?:\s*(?:ms|s|MiB|MB)\b|x\b|%)?)")
VERDICT = re.compile(r"\b(OK|OVER GOAL)\s*$")
INFO = ("peak RSS", "median")


def _unit(value: str) -> str:
    return re.sub(r"[\d,.\s]", "", value)


def _pick(source: str, goal: str) -> tuple[str, str]:
    """(label, value) of a report line; the value in the goal's unit when there are several."""
    values = VALUE.findall(source)
    if not values:
        return source, ""
    goal_unit = _unit(VALUE.search(goal).group(1)) if VALUE.search(goal) else ""  # type: ignore[union-attr]
    chosen = next((v for v in values if goal_unit and _unit(v) == goal_unit), values[0])
    first = VALUE.search(source)
    assert first is not None
    label = source[: first.start()]
    if label.count("(") > label.count(")"):  # "reopen (median 5)": keep the bracket whole
        label = source[: source.index(")", first.start()) + 1]
    return label.strip(" :="), chosen.strip()


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9]{2,}", text.lower()) if w != "goal"}


def rows_of(name: str, output: str) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    seen: list[str] = []
    for raw in output.splitlines():
        line = raw.strip()
        found = VERDICT.search(line)
        if "goal" in line and found:
            head, _, tail = line.partition("goal")
            verdict = "pass" if found.group(1) == "OK" else "FAIL"
            goal = VERDICT.sub("", tail).strip(" :")
            source = head
            if not VALUE.search(head):  # "goal: ..." on its own line: the figure is above it
                source = next(
                    (s for s in reversed(seen) if _words(_pick(s, goal)[0]) & _words(goal)),
                    seen[-1] if seen else "",
                )
            label, value = _pick(source, goal)
            rows.append((f"{name}: {label}", value, goal, verdict))
        elif line.startswith(INFO) and VALUE.search(line):
            label, value = _pick(line, "")
            rows.append((f"{name}: {label}", value, "", "info"))
        seen.append(line)
    return rows or [(name, "", "", "no goal line")]


def main() -> None:
    markdown = "--markdown" in sys.argv
    table: list[tuple[str, str, str, str]] = []
    started = time.monotonic()
    for name, args in BENCHES:
        proc = subprocess.run(
            [sys.executable, str(HERE / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            timeout=600,
        )
        if proc.returncode != 0:
            table.append((name, "", "", f"ERROR (exit {proc.returncode})"))
            sys.stderr.write(proc.stderr[-2000:])
            continue
        table.append(("", "", "", ""))  # a spacer that the printers skip
        table.extend(rows_of(name, proc.stdout))
    table = [r for r in table if any(r)]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    header = ("figure", "value", "goal", "verdict")
    if markdown:
        print(f"{when} on {machine}, `python benchmarks/run_all.py`\n")
        print("| " + " | ".join(header) + " |")
        print("|---|---:|---|---|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(4)]
        print(f"benchmarks, {when}, {machine}")
        for row in [header, tuple("-" * w for w in widths), *table]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    fails = sum(1 for r in table if r[3] != "pass" and r[3] != "info")
    print(f"\n{len(table)} figures, {fails} not passing, {time.monotonic() - started:.0f} s")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
