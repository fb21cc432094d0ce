"""SimServer: the engine behind real HTTP on loopback.

Why stdlib `ThreadingHTTPServer` in a daemon thread:
- no extra dependency: the simulator ships inside the app and must work wherever it runs;
- real sockets, so the API client is exercised end to end (httpx transport, timeouts, encodings);
- one thread per request, so a deliberately hung response never blocks the others. Hangs wait
  on a `threading.Event` that `stop()` sets, so shutting down is prompt even mid-hang.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlencode, urlsplit

from smspool_tui.sim.engine import SimEngine
from smspool_tui.sim.wire import SimResponse

MAX_BODY = 1_000_000


def _parse_body(content_type: str, body: bytes) -> dict[str, str]:
    if not body:
        return {}
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype == "multipart/form-data":
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        out: dict[str, str] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                payload = part.get_payload(decode=True) or b""
                out[str(name)] = payload.decode("utf-8", "replace")
        return out
    # urlencoded, and anything unlabelled (curl -d sends urlencoded without thinking about it)
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "smspool-sim"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the default would print every request (and query keys) to stderr."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        form = _parse_body(self.headers.get("Content-Type", ""), self.rfile.read(length))
        key, source = None, None
        auth = self.headers.get("Authorization", "")
        if auth.lower().startswith("bearer ") and auth[7:].strip():
            key, source = auth[7:].strip(), "bearer"
        elif form.get("key"):
            key, source = form["key"], "form"
        elif query.get("key"):
            key, source = query["key"], "query"
        form.pop("key", None)
        query.pop("key", None)
        params = {**query, **form}
        # The recorded query never carries the key either.
        raw_query = urlencode(
            [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if k != "key"]
        )
        resp = self.server.engine.handle(
            self.command, split.path, params, key, source, raw_query=raw_query
        )
        stop = self.server.stopping
        if resp.delay > 0:
            stop.wait(resp.delay)
        if resp.hang > 0 and stop.wait(resp.hang):
            return  # shutting down: drop the connection without an answer
        self._write(resp)
        if self.server.log is not None:
            parts = [self.command, "/" + split.path.strip("/")]
            parts += [f"{k}={v}" for k, v in params.items()]
            self.server.log(" ".join([*parts, "->", str(resp.status)]))

    def _write(self, resp: SimResponse) -> None:
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            for name, value in resp.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout beat our hang); nothing to tell it


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # hung handler threads never keep the process alive
    engine: SimEngine
    stopping: threading.Event
    log: Callable[[str], None] | None

    def handle_error(self, request: object, client_address: object) -> None:
        """Silenced: clients dropping connections mid-response is normal in fault tests."""


class SimServer:
    def __init__(
        self,
        engine: SimEngine,
        host: str = "127.0.0.1",
        port: int = 0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.host = host
        self._port = port
        self.log = log
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server else self._port  # type: ignore[return-value]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> str:
        if self._server is not None:
            return self.url
        self._stopping.clear()
        server = _Server((self.host, self._port), _Handler)
        server.engine, server.stopping, server.log = self.engine, self._stopping, self.log
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="smspool-sim",
            daemon=True,
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Prompt even with hung requests in flight: they wake on the event and drop out."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def __enter__(self) -> SimServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
