"""Shared set-up for the benchmarks: a simulator on loopback on the real clock, and an app."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from smspool_tui.clock import SystemClock  # noqa: E402
from smspool_tui.core.session import Session  # noqa: E402
from smspool_tui.sim.engine import SimEngine  # noqa: E402
from smspool_tui.sim.server import SimServer  # noqa: E402
from smspool_tui.ui.app import SmsPoolApp, make_app  # noqa: E402
from tests.harness import make_loaded, make_paths  # noqa: E402


class Bench:
    """A sim on the system clock plus an app around it, in a temporary home."""

    def __init__(self, *, monitors: bool = True, **engine_kwargs: Any) -> None:
        self.clock = SystemClock()
        self.tmp = tempfile.TemporaryDirectory(prefix="smspool-bench-")
        self.root = Path(self.tmp.name)
        self.engine = SimEngine(self.clock, **engine_kwargs)
        self.server = SimServer(self.engine)
        self.url = self.server.start()
        self.monitors = monitors

    def app(self, **settings: Any) -> SmsPoolApp:
        settings.setdefault("api_key", self.engine.api_key)
        settings.setdefault("base_url", self.url)
        loaded = make_loaded(None, self.root, **settings)
        paths = make_paths(self.root)
        session = Session.open(loaded, paths, clock=self.clock)
        app = make_app(loaded, paths, session=session, monitors=self.monitors)
        app.animation_level = "none"
        return app

    def buy_elsewhere(self, service: str = "Telegram", country: str = "US") -> str:
        """An order bought outside the app (the monitor adopts it)."""
        resp = self.engine.handle(
            "POST", "purchase/sms", {"country": country, "service": service}, self.engine.api_key
        )
        assert resp.status == 200, resp
        return str(resp.json()["order_id"])  # type: ignore[index]

    def close(self) -> None:
        self.server.stop()
        self.tmp.cleanup()


def verdict(ok: bool) -> str:
    return "OK" if ok else "OVER GOAL"
