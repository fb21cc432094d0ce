"""Shared test harness: a simulator on loopback, a session against it, an app around it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smspool_tui.clock import FakeClock
from smspool_tui.config import LoadedSettings, Paths, Settings
from smspool_tui.core.session import Session
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.server import SimServer

if TYPE_CHECKING:
    from smspool_tui.ui.app import SmsPoolApp


@dataclass
class SimHandle:
    engine: SimEngine
    server: SimServer
    clock: FakeClock
    url: str
    key: str

    def stop(self) -> None:
        self.server.stop()


def start_sim(clock: FakeClock | None = None, **engine_kwargs: Any) -> SimHandle:
    clock = clock or FakeClock()
    engine = SimEngine(clock, **engine_kwargs)
    server = SimServer(engine)
    url = server.start()
    return SimHandle(engine, server, clock, url, engine_kwargs.get("api_key", DEMO_KEY))


def make_paths(root: Path) -> Paths:
    return Paths(
        config_file=root / "config" / "config.toml",
        data_dir=root / "data",
        cache_dir=root / "cache",
    )


def make_loaded(sim: SimHandle | None, root: Path, **settings: Any) -> LoadedSettings:
    if sim is not None:
        settings.setdefault("api_key", sim.key)
        settings.setdefault("base_url", sim.url)
    return LoadedSettings(
        settings=Settings(**settings),
        path=make_paths(root).config_file,
        key_source="file" if settings.get("api_key") else None,
    )


async def _no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


def open_session(sim: SimHandle, root: Path, **settings: Any) -> Session:
    """A session on the sim's FakeClock; client retries don't really wait, and the rate limit
    (which would wait on the fake clock) is off."""
    return Session.open(
        make_loaded(sim, root, **settings),
        make_paths(root),
        clock=sim.clock,
        client_options={"sleep": _no_sleep, "max_rps": 0},
    )


def make_test_app(
    sim: SimHandle | None,
    root: Path,
    *,
    monitors: bool = True,
    demo: bool = False,
    **settings: Any,
) -> SmsPoolApp:
    # Imported here, not at the top: core tests use this module and must not load textual.
    from smspool_tui.ui.app import make_app

    session = open_session(sim, root, **settings) if sim is not None else None
    app = make_app(
        make_loaded(sim, root, **settings),
        make_paths(root),
        session=session,
        demo=demo,
        monitors=monitors,
    )
    app.animation_level = "none"
    return app


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait on a condition with a deadline (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(0.01)


def wait_until_sync(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """`wait_until` for synchronous tests (e.g. the sim's server thread writing its log line
    just after the answer has left)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.01)
