"""Time from process start to the first frame, with a warm catalog cache, against `import textual`.

Each run is a fresh `python` process. The parent notes the wall clock just before spawning; the
child prints the wall clock when it reaches its mark: after `import textual` for the baseline,
at the first painted frame for the app (headless, through `auto_pilot`, which runs once the
first screen is up), and for "browse" once the Browse lists are filled from the warm cache.
Goal: app <= 1.3x the bare import. Run: `python benchmarks/bench_startup.py`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
GOAL_RATIO = 1.3
KEY = "A" * 32  # well-formed, never sent anywhere that answers
DEAD_URL = "http://127.0.0.1:9"  # loopback discard port: the monitors fail fast, off-screen


def child_app(home: str, browse: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from smspool_tui.ui.app import make_app
    from tests.harness import make_loaded, make_paths

    root = Path(home)
    app = make_app(
        make_loaded(None, root, api_key=KEY, base_url=DEAD_URL), make_paths(root), monitors=True
    )
    app.animation_level = "none"

    async def mark(pilot) -> None:  # type: ignore[no-untyped-def]
        if browse:
            await pilot.press("b")
            while not getattr(app.screen, "services_loaded", False):
                await pilot.pause(0.001)
            app.screen._on_timer_update()  # painted
        print(f"MARK {time.time():.6f}", flush=True)
        app.exit(0)

    app.run(headless=True, size=(120, 40), auto_pilot=mark)


HELLO = """
import time
from textual.app import App
from textual.widgets import DataTable, Footer, Static
class Hello(App):
    def compose(self):
        yield Static("hello"); yield DataTable(); yield Footer()
async def mark(pilot):
    print(f"MARK {time.time():.6f}", flush=True); pilot.app.exit(0)
Hello().run(headless=True, size=(120, 40), auto_pilot=mark)
"""


def warm_cache(home: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from smspool_tui.sim.catalog import COUNTRIES, SERVICES

    cache = home / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    now = time.time()
    lists = {
        "services": [
            {"id": s.id, "name": s.name, "favourite": bool(s.favourite)} for s in SERVICES
        ],
        "countries": [
            {"id": c.id, "name": c.name, "short_name": c.short_name, "region": c.region}
            for c in COUNTRIES
        ],
    }
    for kind, items in lists.items():
        (cache / f"{kind}.json").write_text(
            json.dumps({"version": 1, "saved_at": now, "items": items})
        )


def timed(argv: list[str]) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.time()
    out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=True)
    marks = [line for line in out.stdout.splitlines() if line.startswith("MARK ")]
    if not marks:
        raise RuntimeError(f"no mark from {argv}: {out.stdout[-500:]} {out.stderr[-500:]}")
    return (float(marks[-1].split()[1]) - start) * 1000


def main() -> None:
    baseline_cmd = [
        sys.executable,
        "-c",
        "import time, textual; print(f'MARK {time.time():.6f}', flush=True)",
    ]
    with tempfile.TemporaryDirectory(prefix="smspool-startup-") as home:
        warm_cache(Path(home))
        app_cmd = [sys.executable, __file__, "--child", home]
        timed(app_cmd)  # warm the OS file cache and the journal file once
        base, hello, app, browse = [], [], [], []
        for _ in range(RUNS):  # interleaved, so background load hits all alike
            base.append(timed(baseline_cmd))
            hello.append(timed([sys.executable, "-c", HELLO]))
            app.append(timed(app_cmd))
            browse.append(timed([*app_cmd, "--browse"]))
    b, a, w = statistics.median(base), statistics.median(app), statistics.median(browse)
    h = statistics.median(hello)
    print(f"startup, median of {RUNS} runs (load average {os.getloadavg()[0]:.2f}):")
    print(f"  python -c 'import textual'        {b:7.1f} ms")
    print(f"  minimal Textual app first frame   {h:7.1f} ms  = {h / b:.2f}x the import")
    print(f"  smspool-tui first frame (orders)  {a:7.1f} ms  = {a / b:.2f}x the import")
    print(f"  browse filled from warm cache     {w:7.1f} ms  = {w / b:.2f}x the import")
    ok = a / b <= GOAL_RATIO
    print(f"  goal: first frame <= {GOAL_RATIO}x the import: {'OK' if ok else 'OVER GOAL'}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_app(sys.argv[2], browse="--browse" in sys.argv)
    else:
        main()
