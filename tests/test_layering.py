"""The wall between layers is tested, not promised."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "smspool_tui"


def modules_of(sub: str) -> list[str]:
    return [
        "smspool_tui." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in sorted((PACKAGE / sub).rglob("*.py"))
        if p.name != "__main__.py"
    ]


def test_api_core_sim_never_load_textual() -> None:
    mods = modules_of("api") + modules_of("core") + modules_of("sim") + ["smspool_tui.config"]
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_ui_never_imports_httpx() -> None:
    pattern = re.compile(r"^\s*(import httpx|from httpx)", re.M)
    offenders = [str(p) for p in (PACKAGE / "ui").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_core_never_imports_httpx() -> None:
    pattern = re.compile(r"^\s*(import httpx|from httpx)", re.M)
    offenders = [str(p) for p in (PACKAGE / "core").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []
