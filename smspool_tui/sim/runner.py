"""Entry points: a foreground simulator for `smspool-tui sim`, and an in-process demo server."""

from __future__ import annotations

import sys
import threading

from smspool_tui.clock import SystemClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.faults import FaultConfig
from smspool_tui.sim.server import SimServer


def serve(
    port: int = 8765,
    host: str = "127.0.0.1",
    key: str | None = None,
    seed: int = 0,
    sms_delay: float = 8.0,
    fail_rate: float = 0.0,
    cancel_lock: float = 60.0,
) -> int:
    """Run until ctrl+c, printing the URL, the key and one line per request. Returns 0."""
    faults = FaultConfig(error_rate=fail_rate / 2, html_rate=fail_rate / 2)
    clock = SystemClock()
    engine = SimEngine(
        clock,
        seed=seed,
        api_key=key or DEMO_KEY,
        sms_delay=sms_delay,
        cancel_lock=cancel_lock,
        faults=faults,
    )
    engine.seed_demo()
    engine.seed_market_moves()

    def log(line: str) -> None:
        print(f"{clock.now().astimezone():%H:%M:%S} {line}", flush=True)

    server = SimServer(engine, host=host, port=port, log=log)
    try:
        url = server.start()
    except OSError as exc:
        print(f"smspool sim: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    # The key is printed once on purpose: this is the simulator's own throwaway key.
    print(f"SMSPool simulator listening on {url}", flush=True)
    print(f"API key: {engine.api_key}", flush=True)
    print("Press ctrl+c to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def start_demo() -> tuple[SimServer, str]:
    """An in-process simulator on a free loopback port, already showing some activity."""
    engine = SimEngine(SystemClock(), sms_delay=6.0, cancel_lock=45.0, rental_message_every=45.0)
    engine.seed_demo()
    engine.seed_market_moves()
    server = SimServer(engine, host="127.0.0.1", port=0)
    server.start()
    return server, engine.api_key
