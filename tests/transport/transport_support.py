"""Helpers for the transport's tests: a complete token, clients for the fake Okta or any URL, request
statuses, a fixed-answer server standing in for a proxy or CDN, a port nothing listens on, a TCP relay
that counts connections."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import queue
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token._settings import ApiTokenAuth, OktaSettings
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

MISSING_ID = "00T0000000000000000x"
TOKEN_PATHS = "/api/v1/api-tokens/*"
HTML_404 = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


def complete_token(token_id: str, name: str = "svc", **fields: object) -> TokenMetadata:
    """A token as complete as a GET gives it; ``fields`` (Okta's JSON names) override."""
    values: dict[str, object] = {
        "id": token_id,
        "name": name,
        "userId": "00u" + "1" * 17,
        "clientName": "Okta API",
        "created": "2026-01-01T00:00:00.000Z",
        "lastUpdated": "2026-01-02T00:00:00.000Z",
        "expiresAt": "2026-02-01T00:00:00.000Z",
        "tokenWindow": "P30D",
        "network": {"connection": "ANYWHERE"},
        **fields,
    }
    return TokenMetadata.from_okta_json(values)


def api(okta: FakeOkta, admin: FakeToken, **limits: Any) -> OktaApiTokens:
    """A client of the fake org, authenticated with ``admin``'s secret."""
    return OktaApiTokens(OktaSettings(org_url=okta.url, auth=ApiTokenAuth(admin.secret), **limits))


def api_at(url: str, secret: str, **options: object) -> OktaApiTokens:
    """A client of any org URL, authenticated with the API token ``secret``."""
    return OktaApiTokens(OktaSettings(org_url=url, auth=ApiTokenAuth(secret), **options))  # type: ignore[arg-type]


class VirtualTime:
    """Time that moves only when the transport waits: each wait is recorded and moves it at once.

    ``monotonic`` stands in for the budget's clock, ``sleep`` for its waits and the retry waits, and
    ``now`` can be a fake org's clock (its rate-limit windows, and its ``Date``), starting at ``start``."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)) -> None:
        self.start = start
        self.elapsed = 0.0
        self.waits: list[float] = []
        self.on_wait: Callable[[], object] | None = None
        """Called at each wait; what it returns is kept in ``marks`` (e.g. the requests so far)."""
        self.marks: list[object] = []
        self.settle = 0.0
        """Real seconds each wait also takes, for requests in flight to land before time moves on."""

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    async def sleep(self, seconds: float) -> None:
        if self.on_wait is not None:
            self.marks.append(self.on_wait())
        self.waits.append(seconds)
        await asyncio.sleep(self.settle)
        self.elapsed += seconds


def limit_the_token(okta: FakeOkta, per_minute: int) -> None:
    """Let every token make ``per_minute`` requests a minute, as the rate-limit headers show: a bucket of
    that size, all of it each token's share."""
    okta.set_rate_limit(per_minute)
    okta.set_token_share(100)


def statuses(okta: FakeOkta, method: str, path: str = TOKEN_PATHS) -> list[int]:
    """The statuses the fake answered ``method`` requests of ``path`` with, in order."""
    return [entry.status for entry in okta.calls(method, path)]


def closed_port() -> int:
    """A loopback port nothing listens on (a connection to it is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class StaticServer:
    """Answers every request with one fixed status, content type and body, as a proxy or CDN in front
    of the org might; records each request as ``(method, path)`` and its Authorization header."""

    def __init__(self, status: int, content_type: str, body: str) -> None:
        self.requests: list[tuple[str, str]] = []
        self.authorizations: list[str | None] = []
        payload = body.encode()
        requests, authorizations = self.requests, self.authorizations

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                requests.append((self.command, self.path))
                authorizations.append(self.headers.get("Authorization"))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_DELETE = answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class Relay:
    """A TCP relay in front of a server (the fake Okta), standing in for the network between: counts the
    connections clients open through it, closes them all on demand as a server closing idle keep-alive
    connections does, and can delay every chunk each way (``delay`` seconds: half a round trip).

    TLS passes through untouched, so an ``https`` fake is reached at ``relay.url("https")``."""

    def __init__(self, port: int, delay: float = 0.0) -> None:
        self._target = ("127.0.0.1", port)
        self._delay = delay
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name="relay", daemon=True)
        self._thread.start()

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def open_connections(self) -> int:
        """Client connections not yet closed by either side."""
        with self._lock:
            return sum(
                1 for index, sock in enumerate(self._sockets) if index % 2 == 0 and sock.fileno() != -1
            )

    def close_connections(self) -> None:
        """Close every connection, both ways, as a server does with idle keep-alive connections."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _close_socket(sock)

    def close(self) -> None:
        _close_socket(self._listener)  # shutdown wakes the accepting thread
        self.close_connections()
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._target)
            with self._lock:
                self.accepted += 1
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
        writer = threading.Thread(target=self._write, args=(chunks, sink), daemon=True)
        writer.start()
        try:
            while data := source.recv(65536):
                chunks.put((time.monotonic() + self._delay, data))
        except OSError:
            pass
        chunks.put((time.monotonic() + self._delay, b""))
        writer.join()
        _close_socket(source)
        _close_socket(sink)

    @staticmethod
    def _write(chunks: queue.Queue[tuple[float, bytes]], sink: socket.socket) -> None:
        while True:
            due, data = chunks.get()
            time.sleep(max(0.0, due - time.monotonic()))
            if not data:
                return
            try:
                sink.sendall(data)
            except OSError:
                return


def _close_socket(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
