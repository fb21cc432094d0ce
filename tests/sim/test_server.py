"""The simulator over real loopback HTTP (sync httpx)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.server import SimServer
from tests.harness import wait_until_sync


@pytest.fixture
def server(engine: SimEngine) -> Iterator[SimServer]:
    lines: list[str] = []
    with SimServer(engine, log=lines.append) as srv:
        srv.lines = lines  # type: ignore[attr-defined]
        yield srv


@pytest.fixture
def client(server: SimServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=5) as c:
        yield c


def test_start_gives_loopback_url(server: SimServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}" and server.port > 0


@pytest.mark.parametrize("path", ["/request/balance", "/request/balance.php", "request/balance"])
def test_key_by_form_query_bearer(client: httpx.Client, engine: SimEngine, path: str) -> None:
    assert client.post(path, data={"key": DEMO_KEY}).json() == {"balance": "10.00"}
    assert client.get(path, params={"key": DEMO_KEY}).json() == {"balance": "10.00"}
    bearer = client.post(path, headers={"Authorization": f"Bearer {DEMO_KEY}"})
    assert bearer.json() == {"balance": "10.00"}
    assert bearer.headers["content-type"] == "application/json; charset=utf-8"
    assert [r.key_source for r in engine.requests] == ["form", "query", "bearer"]
    assert client.post(path).status_code == 400
    assert client.post(path, data={"key": "wrong"}).status_code == 403


def test_multipart_and_utf8(client: httpx.Client, engine: SimEngine) -> None:
    auth = {"Authorization": f"Bearer {DEMO_KEY}"}
    resp = client.post(
        "/purchase/sms", files={"country": (None, "US"), "service": (None, "907")}, headers=auth
    )
    assert resp.status_code == 200 and resp.json()["success"] == 1
    engine.deliver_sms(resp.json()["order_id"], "Ваш код: 482913 ✅")
    check = client.post("/sms/check", data={"orderid": resp.json()["order_id"]}, headers=auth)
    assert check.json()["full_sms"] == "Ваш код: 482913 ✅"


def test_recorded_and_logged_requests_never_hold_the_key(
    client: httpx.Client, engine: SimEngine, server: SimServer
) -> None:
    client.get("/sms/check.php", params={"key": DEMO_KEY, "orderid": "ABC"})
    client.post("/request/active", data={"key": DEMO_KEY})
    (first, second) = engine.requests
    assert first.path == "sms/check" and first.params == {"orderid": "ABC"}
    assert first.raw_query == "orderid=ABC" and second.key_source == "form"
    assert DEMO_KEY not in repr(engine.requests)
    # the server thread logs a request just after its answer has left
    wait_until_sync(lambda: len(server.lines) == 2)  # type: ignore[attr-defined]
    lines = server.lines  # type: ignore[attr-defined]
    assert lines[0].startswith("GET /sms/check.php orderid=ABC -> 404")
    assert all(DEMO_KEY not in line for line in lines)


def test_cloudflare_502_html(client: httpx.Client, engine: SimEngine) -> None:
    engine.force_fault("502html")
    resp = client.get("/country/retrieve_all")
    assert resp.status_code == 502 and resp.headers["content-type"].startswith("text/html")
    assert "Bad gateway" in resp.text
    assert client.get("/country/retrieve_all").status_code == 200


def test_hung_request_does_not_block_and_stop_is_prompt() -> None:
    engine = SimEngine(FakeClock(), faults=None)
    engine.set_faults(hang_seconds=30.0)
    engine.force_fault("hang", path="request/balance")
    srv = SimServer(engine)
    url = srv.start()
    outcome: list[str] = []

    def hung() -> None:
        try:
            httpx.post(f"{url}/request/balance", data={"key": DEMO_KEY}, timeout=20)
            outcome.append("answered")
        except httpx.HTTPError as exc:
            outcome.append(type(exc).__name__)

    thread = threading.Thread(target=hung, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while engine.count("request/balance") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    assert httpx.get(f"{url}/pool/retrieve_all", timeout=5).status_code == 200
    assert time.monotonic() - started < 2
    started = time.monotonic()
    srv.stop()
    thread.join(timeout=5)
    assert time.monotonic() - started < 3
    assert outcome and outcome[0] != "answered"


def test_hang_answers_524_after_hang_seconds(engine: SimEngine) -> None:
    engine.set_faults(hang_seconds=0.2)
    engine.force_fault("timeout")
    with SimServer(engine) as srv:
        resp = httpx.get(f"{srv.url}/pool/retrieve_all", timeout=5)
    assert resp.status_code == 524 and "timeout" in resp.text


def test_restartable_context(engine: SimEngine) -> None:
    srv = SimServer(engine)
    with srv:
        assert httpx.get(f"{srv.url}/pool/retrieve_all").status_code == 200
    srv.stop()  # idempotent


def test_start_demo_serves_a_live_board() -> None:
    from smspool_tui.sim.runner import start_demo

    srv, key = start_demo()
    try:
        auth = {"Authorization": f"Bearer {key}"}
        active = httpx.post(f"{srv.url}/request/active", headers=auth, timeout=5).json()
        assert len(active) == 2
    finally:
        srv.stop()


def test_serve_runs_in_the_foreground_and_ctrl_c_exits_zero() -> None:
    import signal
    import subprocess
    import sys

    code = "import sys; from smspool_tui.sim.runner import serve; sys.exit(serve(port=0))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        # The test runner may have SIGINT ignored; the child must see ctrl+c as a user would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        assert proc.stdout.readline().strip() == f"API key: {DEMO_KEY}"
        auth = {"Authorization": f"Bearer {DEMO_KEY}"}
        assert httpx.post(f"{url}/request/balance", headers=auth, timeout=5).status_code == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
    finally:
        proc.kill()
