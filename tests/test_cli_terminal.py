"""The TUI without a terminal, and the demo ended by a signal: real processes."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, TMPDIR=str(tmp_path), HOME=str(tmp_path), TERM="xterm-256color")
    env.pop("SMSPOOL_API_KEY", None)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


@pytest.mark.parametrize("flags", [[], ["--demo"]])
def test_tui_without_a_terminal_says_what_to_use_and_exits_2(
    tmp_path: Path, flags: list[str]
) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smspool_tui", *flags],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        env=_env(tmp_path),
    )
    assert out.returncode == 2
    assert "terminal" in out.stderr
    assert "smspool-tui get" in out.stderr and "--help" in out.stderr
    assert "Traceback" not in out.stderr
    assert not list(tmp_path.glob("smspool-tui-demo-*"))  # the demo was never started


def test_headless_commands_still_work_without_a_terminal(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smspool_tui", "balance", "--demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert "terminal" not in out.stderr


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen:
        assert time.monotonic() < deadline, f"never saw {needle!r}"
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            time.sleep(0.05)
            continue
        except OSError:
            break
        seen += chunk
    return seen


def _drain_until_exit(fd: int, proc: subprocess.Popen[bytes], deadline: float) -> int:
    while proc.poll() is None:
        assert time.monotonic() < deadline, "the demo did not exit after the signal"
        try:
            os.read(fd, 65536)
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            time.sleep(0.05)
    return proc.returncode


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_demo_ended_by_a_signal_removes_its_folder(tmp_path: Path, signum: int) -> None:
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "smspool_tui", "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(tmp_path),
        start_new_session=True,
    )
    os.close(slave)
    try:
        _read_until(master, b"fake money", time.monotonic() + 30)  # the app is on screen
        folders = list(tmp_path.glob("smspool-tui-demo-*"))
        assert len(folders) == 1
        proc.send_signal(signum)
        code = _drain_until_exit(master, proc, time.monotonic() + 20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert code == 128 + signum
    assert not folders[0].exists()


def test_help_names_the_key_variable_and_the_config_path(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env["SMSPOOL_CONFIG_FILE"] = str(tmp_path / "mine.toml")
    out = subprocess.run(
        [sys.executable, "-m", "smspool_tui", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert out.returncode == 0
    assert "SMSPOOL_API_KEY" in out.stdout
    assert str(tmp_path / "mine.toml") in out.stdout
