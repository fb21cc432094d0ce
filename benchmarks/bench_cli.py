"""`smspool-tui balance` from a script: wall time of the whole command against the simulator on
loopback, beside `python -c "import httpx"` (the floor any httpx client pays) and
`python -c pass`. Goal: the command costs at most 0.5 s more than importing httpx.
Run: `python benchmarks/bench_cli.py [RUNS]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import verdict

from smspool_tui.clock import SystemClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.server import SimServer

GOAL = 0.5  # seconds over `import httpx`


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    server = SimServer(SimEngine(SystemClock()))
    url = server.start()
    root = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    env = {
        **os.environ,
        "SMSPOOL_API_KEY": DEMO_KEY,
        "SMSPOOL_CONFIG_FILE": str(root / "config.toml"),
        "SMSPOOL_DATA_DIR": str(root / "data"),
        "SMSPOOL_CACHE_DIR": str(root / "cache"),
    }
    try:
        python = timed([sys.executable, "-c", "pass"], env, runs)
        httpx = timed([sys.executable, "-c", "import httpx"], env, runs)
        balance = timed(
            [sys.executable, "-m", "smspool_tui", "--base-url", url, "balance"], env, runs
        )
    finally:
        server.stop()
    print(f"smspool-tui balance (median of {runs}, the sim on loopback)")
    print(f"  python -c pass           {python * 1000:6.0f} ms")
    print(f"  python -c 'import httpx' {httpx * 1000:6.0f} ms")
    print(f"  smspool-tui balance      {balance * 1000:6.0f} ms")
    over = balance - httpx
    print(f"  goal   balance - import httpx <= {GOAL * 1000:.0f} ms: {over * 1000:.0f} ms "
          f"{verdict(over <= GOAL)}")  # fmt: skip


if __name__ == "__main__":
    main()
