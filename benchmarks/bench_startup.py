"""Time from process start to the first frame: smspool-tui against a minimal Textual app.

Both run in one go, interleaved, each a fresh `python` process in a real terminal (a pty of
120x40, the normal Linux driver, not headless), so they pay what a user pays: imports, driver
start-up, the first paint. The reference app is a Header, a DataTable and a Footer. Each child
writes the wall clock to a file when its first screen is up (`auto_pilot` runs once the first
frame is shown); the parent notes the wall clock just before spawning.

smspool-tui starts through the CLI's own path (`cli.prepare_app`, settings from the
environment) on an existing journal and a warm catalog cache; "browse" times pressing `b`
until the lists are filled.
Goal: smspool-tui first frame <= 1.3x the minimal app. Run: `python benchmarks/bench_startup.py`.
"""

from __future__ import annotations

import json
import os
import pty
import select
import statistics
import struct
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


def child_app(home: str, mark_file: str, browse: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from smspool_tui import cli

    app = cli.prepare_app(cli.build_parser().parse_args([]))
    assert app is not None

    async def mark(pilot) -> None:  # type: ignore[no-untyped-def]
        if browse:
            while app.session is None:  # screen keys wait for the session (after first frame)
                await pilot.pause(0.001)
            await pilot.press("b")
            while not getattr(app.screen, "services_loaded", False):
                await pilot.pause(0.001)
            app.screen._on_timer_update()  # painted
        Path(mark_file).write_text(f"{time.time():.6f}")
        app.exit(0)

    app.run(auto_pilot=mark)


HELLO = """
import sys, time
from pathlib import Path
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class Hello(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("number", "service", "status")
        table.add_row("+44 7000 000000", "Telegram", "waiting")
async def mark(pilot):
    Path(sys.argv[1]).write_text(f"{time.time():.6f}"); pilot.app.exit(0)
Hello().run(auto_pilot=mark)
"""


def prepare_home(home: Path) -> dict[str, str]:
    """A warm catalog cache; the environment that points the app at it."""
    sys.path.insert(0, str(ROOT))
    from smspool_tui.sim.catalog import COUNTRIES, SERVICES

    env = {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SMSPOOL_API_KEY": KEY,
        "SMSPOOL_BASE_URL": DEAD_URL,
    }
    os.environ.update(env)
    from smspool_tui.config import default_paths

    paths = default_paths()
    paths.cache_dir.mkdir(parents=True, exist_ok=True)
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
        (paths.cache_dir / f"{kind}.json").write_text(
            json.dumps({"version": 1, "saved_at": now, "items": items})
        )
    return env


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Run argv on a fresh 120x40 pty; milliseconds from spawn to the child's mark."""
    import fcntl
    import termios

    with tempfile.NamedTemporaryFile(prefix="mark-", delete=False) as f:
        mark = Path(f.name)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    full_env = {**os.environ, **env, "PYTHONDONTWRITEBYTECODE": "1", "TERM": "xterm-256color"}
    full_env.pop("TEXTUAL_LOG", None)
    start = time.time()
    proc = subprocess.Popen(
        [*argv, str(mark)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:  # drain, as a terminal would; answer nothing
            try:
                output += os.read(master, 65536)
            except OSError:
                break
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    os.close(master)
    text = mark.read_text()
    mark.unlink()
    if not text:
        raise RuntimeError(f"no mark from {argv}: {bytes(output[-800:])!r}")
    return (float(text) - start) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="smspool-startup-") as home:
        env = prepare_home(Path(home))
        app_cmd = [sys.executable, __file__, "--child", home]
        hello_cmd = [sys.executable, "-c", HELLO]
        timed(app_cmd, env)  # warm the OS file cache and create the journal once
        hello, app, browse = [], [], []
        for _ in range(RUNS):  # interleaved, so background load hits all alike
            hello.append(timed(hello_cmd, env))
            app.append(timed(app_cmd, env))
            browse.append(timed([*app_cmd, "--browse"], env))
    h, a, w = statistics.median(hello), statistics.median(app), statistics.median(browse)
    print(f"startup in a pty, median of {RUNS} runs (load average {os.getloadavg()[0]:.2f}):")
    print(f"  minimal app (Header, DataTable, Footer) first frame  {h:7.1f} ms")
    print(f"  smspool-tui first frame (orders)                     {a:7.1f} ms  = {a / h:.2f}x")
    print(f"  browse filled from warm cache                        {w:7.1f} ms  = {w / h:.2f}x")
    ok = a / h <= GOAL_RATIO
    print(f"  goal: first frame <= {GOAL_RATIO}x the minimal app: {'OK' if ok else 'OVER GOAL'}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        child_app(sys.argv[2], sys.argv[-1], browse="--browse" in sys.argv)
    else:
        main()
