"""The command line as a script runs it: a real subprocess, a simulator on loopback HTTP (on the
system clock, as the subprocess lives in real time), a throwaway config, data and cache dir."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smspool_tui.clock import SystemClock
from tests.harness import SimHandle, start_sim


@dataclass
class Cli:
    sim: SimHandle
    root: Path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMSPOOL_")}
        env.update(
            SMSPOOL_API_KEY=self.sim.key,
            SMSPOOL_CONFIG_FILE=str(self.root / "config" / "config.toml"),
            SMSPOOL_DATA_DIR=str(self.root / "data"),
            SMSPOOL_CACHE_DIR=str(self.root / "cache"),
        )
        env.pop("NO_COLOR", None)
        return env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "smspool_tui", "--base-url", self.sim.url, *args]

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 60,
            **kw: Any) -> subprocess.CompletedProcess[str]:  # fmt: skip
        return subprocess.run(
            self.argv(*args),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env or self.env,
            stdin=subprocess.DEVNULL,
            **kw,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.argv(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=self.env,
        )


def _cli(tmp_path: Path, **sim_kwargs: Any) -> Iterator[Cli]:
    sim = start_sim(clock=SystemClock(), **sim_kwargs)  # type: ignore[arg-type]
    try:
        yield Cli(sim, tmp_path)
    finally:
        sim.stop()


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    """SMS arrive fast; the cancel lock is short so a cancel is confirmed in seconds."""
    yield from _cli(tmp_path, seed=11, sms_delay=0.5, cancel_lock=1.0, balance=Decimal("20"))


@pytest.fixture
def quiet_cli(tmp_path: Path) -> Iterator[Cli]:
    """No SMS ever arrives."""
    yield from _cli(tmp_path, seed=12, no_sms_rate=1.0, cancel_lock=1.0, balance=Decimal("20"))


@pytest.fixture
def nolock_cli(tmp_path: Path) -> Iterator[Cli]:
    """No SMS ever arrives, and a cancel is accepted at once."""
    yield from _cli(tmp_path, seed=13, no_sms_rate=1.0, cancel_lock=0.0, balance=Decimal("20"))
