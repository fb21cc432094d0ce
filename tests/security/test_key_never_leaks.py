"""The API key never leaves the places it must be: not in logs, screens, errors, the journal,
CSV exports, crash reports or request URLs. Each test also checks that the place it searches
really holds data (a log with lines, a journal with orders), so an empty search cannot pass."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.api.errors import ApiError
from smspool_tui.sim.faults import FAULT_KINDS
from tests.faults.common import SECRET_KEY, assert_no_key, screen_text, workers_done
from tests.harness import SimHandle, make_test_app, open_session, start_sim, wait_until

SIZE = (120, 40)


@pytest.fixture
def ksim() -> Iterator[SimHandle]:
    handle = start_sim(seed=3, api_key=SECRET_KEY, sms_delay=1.0, balance=Decimal("500"))
    handle.engine.set_faults(hang_seconds=0.3)
    try:
        yield handle
    finally:
        handle.stop()


async def test_debug_log_file_screens_journal_and_csv_never_hold_the_key(
    ksim: SimHandle, tmp_path: Path
) -> None:
    log_file = tmp_path / "debug.log"
    handler = logging.FileHandler(log_file)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        app = make_test_app(ksim, tmp_path, poll_interval=2)
        async with app.run_test(size=SIZE) as pilot:
            orders = app.session.orders
            order = await orders.purchase(
                "US", "Telegram", country_name="US", service_name="Telegram"
            )
            ksim.engine.deliver_sms(order.order_id, "Your code is 731904")
            ksim.engine.force_fault("403", count=4, path="request/balance")
            ksim.clock.advance(5)
            await wait_until(lambda: app.session.journal.get_order(order.order_id).code)
            seen = []
            for key in ("o", "b", "h", "r", "s", "question_mark"):
                await pilot.press(key)
                await pilot.pause()
                await workers_done(app)
                await pilot.pause()
                text = screen_text(app)
                seen.append(text)
                assert_no_key(text, where=f"screen after {key!r}")
                assert_no_key(app.export_screenshot(), where=f"SVG after {key!r}")
            assert any("731904" in t for t in seen[:1])  # the board really showed the order
            await pilot.press("escape")
            await app.switch_mode("history")  # settings may hold the focus in a text field
            await pilot.pause()
            await workers_done(app)
            app.screen.action_export()  # what `e` does on the History table
            exports = app.paths.data_dir / "exports"
            await wait_until(lambda: exports.exists() and any(exports.iterdir()))
            await workers_done(app)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    log = log_file.read_text()
    assert "purchase/sms" in log and "request/active" in log  # the client did log at DEBUG
    assert_no_key(log, where="the debug log")
    csv_text = "".join(p.read_text() for p in exports.iterdir())
    assert order.order_id in csv_text
    assert_no_key(csv_text, where="the CSV export")
    journal = b"".join(p.read_bytes() for p in app.paths.data_dir.glob("journal.sqlite3*"))
    assert order.order_id.encode() in journal and b"731904" in journal
    assert_no_key(journal, where="the journal file")


# Faults whose answer still parses: a huge body around a valid answer. Every other kind raises.
PARSES = frozenset({"huge"})


@pytest.mark.parametrize("kind", sorted(FAULT_KINDS))
async def test_api_errors_never_carry_the_key(ksim: SimHandle, tmp_path: Path, kind: str) -> None:
    session = open_session(ksim, tmp_path, read_timeout=0.2)
    try:
        for path, call in (
            ("request/balance", session.client.balance),
            ("purchase/sms", lambda: session.client.purchase_sms("US", "Telegram")),
        ):
            ksim.engine.force_fault(kind, count=8, path=path)
            before = len(ksim.engine.requests)
            try:
                result = await call()
            except ApiError as err:
                blob = " ".join(
                    [str(err), repr(err), repr(err.args), repr(err.payload), err.message]
                )
                assert_no_key(blob, where=f"{type(err).__name__} for {kind} on {path}")
            else:
                # Only an answer that still parses may come back; what it carries is searched.
                assert kind in PARSES, f"{kind} on {path} raised nothing: {result!r}"
                assert_no_key(repr(result), where=f"the result for {kind} on {path}")
            faults = [r.fault for r in list(ksim.engine.requests)[before:]]
            assert kind in faults, f"the {kind} fault never fired on {path}: {faults}"
            ksim.engine._injector._forced.clear()  # the next path starts clean
    finally:
        await session.aclose()


async def test_the_key_is_never_in_a_url(ksim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(ksim, tmp_path, poll_interval=2)
    async with app.run_test(size=SIZE) as pilot:
        await app.session.orders.purchase("US", "Telegram", country_name="US", service_name="T")
        for key in ("b", "r", "h", "o"):
            await pilot.press(key)
            await pilot.pause()
            await workers_done(app)
    requests = list(ksim.engine.requests)
    assert len(requests) > 5
    for req in requests:
        assert req.key_source in (None, "bearer", "form"), req  # never "query"
        assert_no_key(req.path + "?" + req.raw_query, where=f"URL of {req.path}")
        assert_no_key(repr(req.params), where=f"params of {req.path}")


CRASH_SCRIPT = """
import sys
from pathlib import Path
from smspool_tui.sim.engine import SimEngine
from smspool_tui.sim.server import SimServer
from smspool_tui.clock import SystemClock
from smspool_tui.ui.app import make_app
from tests.harness import make_loaded, make_paths

key, root = sys.argv[1], Path(sys.argv[2])
engine = SimEngine(SystemClock(), api_key=key)
engine.set_faults(hang_seconds=5)
server = SimServer(engine)
url = server.start()
loaded = make_loaded(None, root, api_key=key, base_url=url, read_timeout=0.2)
app = make_app(loaded, make_paths(root), monitors=False)

async def crash() -> None:
    # An unhandled error out of the client (a timeout): Textual prints a traceback with locals.
    engine.force_fault("hang", count=10, path="request/balance")
    await app.session.client.balance()

async def pilot(p) -> None:
    await p.pause()
    app.call_later(crash)
    await p.pause(2)

app.run(headless=True, size=(100, 30), auto_pilot=pilot)
server.stop()
"""


def test_a_crash_report_never_shows_the_key(tmp_path: Path) -> None:
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, str(script), SECRET_KEY, str(tmp_path / "root")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    output = proc.stdout + proc.stderr
    assert "TransportError" in output and "locals" in output, output  # a real traceback
    assert_no_key(output, where="the crash report")
