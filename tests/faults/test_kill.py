"""SIGKILL the app at random moments while it buys (kills land while purchase requests are in
flight: the simulator adds latency), restart it each time, then check that after a reconcile
every order, code and rental the server knows is in the journal exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from smspool_tui.clock import FakeClock, SystemClock
from smspool_tui.core.journal import Journal
from smspool_tui.sim.engine import SimEngine
from smspool_tui.sim.server import SimServer
from tests.harness import make_loaded, make_paths

ROOT_DIR = Path(__file__).parents[2]
ITERATIONS = 5


def run_and_kill(url: str, key: str, root: Path, rng: random.Random) -> list[str]:
    """Start the app, let it get 1-3 purchases going, SIGKILL it mid-request."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.kill_driver", url, key, str(root)],
        cwd=ROOT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT_DIR)},
    )
    lines: list[str] = []
    want_go = rng.randint(1, 3)
    deadline = time.monotonic() + 30
    assert proc.stdout is not None
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline().strip()
            if not line:
                break
            lines.append(line)
            if line == "go" and sum(x == "go" for x in lines) >= want_go:
                time.sleep(rng.uniform(0.0, 0.25))  # the sim's latency is 0.2 s: often mid-flight
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return lines


async def test_sigkill_never_loses_an_order_code_or_rental(tmp_path: Path) -> None:
    engine = SimEngine(SystemClock(), seed=11, balance=Decimal("10000"), sms_delay=0.5)
    engine.set_faults(latency=0.2)
    server = SimServer(engine)
    url = server.start()
    root = tmp_path / "app"
    rng = random.Random(1234)
    try:
        for _ in range(ITERATIONS):
            run_and_kill(url, engine.api_key, root, rng)
        assert engine.orders or engine.rentals, "nothing was bought: the kills came too early"
        for oid in engine.orders:  # every order gets a code (the server side of "code arrived")
            engine.deliver_sms(oid, "Your code is 318207")
        engine.set_faults(latency=0.0)

        # One more start: the session reconciles the journal with the server.
        from smspool_tui.core.session import Session

        loaded = make_loaded(None, root, api_key=engine.api_key, base_url=url, poll_interval=2)
        session = Session.open(loaded, make_paths(root), clock=SystemClock())
        try:
            await session.orders.reconcile()
            await session.orders.poll_once()
            assert session.rentals is not None
            await session.rentals.refresh_mine()
        finally:
            await session.aclose()
    finally:
        server.stop()

    journal = Journal(make_paths(root).data_dir / "journal.sqlite3", now=FakeClock().now)
    try:
        ids = [o.order_id for o in journal.orders()]
        assert len(ids) == len(set(ids))  # exactly once
        assert set(engine.orders) <= set(ids), set(engine.orders) - set(ids)
        codes = {o.order_id: o.code for o in journal.orders()}
        assert all(codes[oid] == "318207" for oid in engine.orders), codes
        rentals = [r.rental_code for r in journal.rentals()]
        assert len(rentals) == len(set(rentals))
        assert set(engine.rentals) <= set(rentals), set(engine.rentals) - set(rentals)
        assert engine.rentals, "no rental was bought: the test did not test rentals"
        open_ = len(journal.open_intents())  # killed before the request left, or unanswered
        print(
            f"kill test: {len(engine.orders)} orders, {len(engine.rentals)} rentals, {open_} open"
        )
    finally:
        journal.close()
