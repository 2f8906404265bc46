"""Helpers for the transport's tests: clients for the fake Okta or any URL, request statuses, a fixed-answer
server standing in for a proxy or CDN, a port nothing listens on."""

from __future__ import annotations

import http.server
import socket
import threading
from typing import Any

from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token.config import ApiTokenAuth, OktaSettings
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

MISSING_ID = "00T0000000000000000x"
TOKEN_PATHS = "/api/v1/api-tokens/*"
HTML_404 = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


def api(okta: FakeOkta, admin: FakeToken, **limits: Any) -> OktaApiTokens:
    """A client of the fake org, authenticated with ``admin``'s secret."""
    return OktaApiTokens(OktaSettings(org_url=okta.url, auth=ApiTokenAuth(admin.secret), **limits))


def api_at(url: str, secret: str, **options: object) -> OktaApiTokens:
    """A client of any org URL, authenticated with the API token ``secret``."""
    return OktaApiTokens(OktaSettings(org_url=url, auth=ApiTokenAuth(secret), **options))  # type: ignore[arg-type]


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
