from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from smspool_tui import __version__


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smspool_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"smspool-tui {__version__}"


def test_help_lists_flags_and_sim() -> None:
    out = run("--help")
    assert out.returncode == 0
    for flag in ("--version", "--config", "--base-url", "--demo", "sim"):
        assert flag in out.stdout
    assert "SMSPOOL_API_KEY" in out.stdout and "config.toml" in out.stdout
    sim = run("sim", "--help")
    for flag in ("--port", "--key", "--seed", "--sms-delay", "--fail-rate", "--cancel-lock"):
        assert flag in sim.stdout
    # Every flag says what it does and its default (help lines joined across wraps).
    options = sim.stdout.split("options:")[1].replace("\n                   ", " ")
    for line in [x for x in options.splitlines() if x.strip().startswith("--")]:
        assert "default" in line, line


def test_bad_base_url_flag_is_reported_as_the_flag(tmp_path: Path) -> None:
    out = run("--config", str(tmp_path / "none.toml"), "--base-url", "foo", "balance")
    assert out.returncode == 2
    assert out.stderr.startswith("smspool-tui: --base-url: ") and "environment" not in out.stderr


def test_malformed_config_exits_2_with_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("poll_interval = [\n")
    out = run("--config", str(cfg))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(cfg) in lines[0] and "Traceback" not in out.stderr


def test_insecure_base_url_flag_refused(tmp_path: Path) -> None:
    out = run("--config", str(tmp_path / "none.toml"), "--base-url", "http://example.com")
    assert out.returncode == 2
    assert "base_url" in out.stderr and "Traceback" not in out.stderr


HEAVY = ("textual", "rich", "pydantic", "pydantic_core", "httpx", "sqlite3")


def heavy_imports_of(argv: list[str]) -> list[str]:
    """Heavy packages a fresh `python -X importtime ARGV` imported."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-500:]
    names = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line]
    assert "smspool_tui.cli" in names  # the trace is really there, so an empty list means none
    return sorted({n.split(".")[0] for n in names if n.split(".")[0] in HEAVY})


def heavy_imports(*args: str) -> list[str]:
    return heavy_imports_of(["-m", "smspool_tui", *args])


def test_version_and_help_import_nothing_heavy() -> None:
    assert heavy_imports("--version") == []
    assert heavy_imports("--help") == []
    assert heavy_imports("sim", "--help") == []


def test_the_heavy_import_check_can_fail() -> None:
    found = heavy_imports_of(["-c", "import smspool_tui.cli, smspool_tui.config, textual"])
    assert found == ["pydantic", "pydantic_core", "rich", "textual"]


FIRST_FRAME = """
import sys
import time
from smspool_tui import cli
from smspool_tui.ui.widgets.order_table import OrderTable

app = cli.prepare_app(cli.build_parser().parse_args([]))
seen = {}

async def check(pilot):
    seen["session at first frame"] = app.session is not None
    heavy = ("httpx", "smspool_tui.api.models", "smspool_tui.core.session")
    seen["heavy at first frame"] = sorted(m for m in heavy if m in sys.modules)
    while app.session is None:
        await pilot.pause(0.01)
    table = app.screen.query_one(OrderTable)
    deadline = time.monotonic() + 10  # the journal's rows follow the session, not a fixed pause
    while not table.rows and time.monotonic() < deadline:
        await pilot.pause(0.01)
    seen["rows after"] = len(table.rows)
    seen["httpx after"] = "httpx" in sys.modules
    app.exit(0)

app.run(headless=True, size=(120, 40), auto_pilot=check)
print(seen)
"""


def test_the_board_paints_before_the_session_and_fills_from_the_journal(tmp_path: Path) -> None:
    import os
    from datetime import UTC, datetime, timedelta

    from smspool_tui.core.journal import Journal
    from smspool_tui.core.order_model import Order

    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parents[1]),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SMSPOOL_API_KEY": "A" * 32,
        "SMSPOOL_BASE_URL": "http://127.0.0.1:9",  # nothing answers: the board is the journal's
    }
    code = "from smspool_tui.config import default_paths; print(default_paths().data_dir)"
    data_dir = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    now = datetime.now(UTC)
    journal = Journal(Path(data_dir) / "journal.sqlite3", now=lambda: now)
    journal.upsert_order(
        Order(
            "o1",
            "Telegram",
            "GB",
            "+447000000001",
            purchased_at=now,
            expires_at=now + timedelta(minutes=20),
        )
    )
    journal.close()
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, timeout=60, env=env
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    assert seen == {
        "session at first frame": False,
        "heavy at first frame": [],
        "rows after": 1,
        "httpx after": True,
    }
