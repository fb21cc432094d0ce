from __future__ import annotations

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
    sim = run("sim", "--help")
    for flag in ("--port", "--key", "--seed", "--sms-delay", "--fail-rate", "--cancel-lock"):
        assert flag in sim.stdout


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
