"""HTTP for the transport: one aiohttp session per request, proxies, TLS, and reading error answers.

``HttpClient`` takes the place of the SDK's ``HTTPClient`` inside its request executor: loopback is never
proxied and ``NO_PROXY`` is honoured, TLS trusts ``ca_file`` and ``SSL_CERT_FILE``, a missing answer
raises ``TransportError``, and an error status raises ``ErrorAnswer`` carrying the typed error of
``errors.py`` and the headers that ``retry_delay`` reads.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import json
import logging
import os
import ssl
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from okta.http_client import HTTPClient

from .config import OktaSettings, is_loopback_host
from .errors import (
    NOT_FOUND_CODE,
    ConfigurationError,
    NotFound,
    OktaApiError,
    TransportError,
    api_error_class,
)

__all__ = [
    "ErrorAnswer",
    "HttpClient",
    "api_error",
    "not_oktas_not_found",
    "proxy_for",
    "retry_delay",
    "snippet",
    "user_agent",
]

_LOG = logging.getLogger("pulumi_okta_token.okta_api")

_BACKOFF_FIRST = 0.5
_BACKOFF_MAX = 8.0
_RATE_LIMIT_MIN_WAIT = 1.0  # the Okta SDK waits "reset - date + 1" s, so one second when reset is now

# --------------------------------------------------------------------------------------------
# HTTP: the SDK's HTTPClient with our proxy, TLS, timeout, logging and error handling


class HttpClient(HTTPClient):
    """Sends one request per fresh aiohttp session; raises instead of returning error tuples."""

    def __init__(self, http_config: Mapping[str, Any], *, settings: OktaSettings) -> None:
        # The base __init__ would read HTTP(S)_PROXY for every host; nothing else of it is needed.
        self._default_headers = dict(http_config["headers"])
        self._settings = settings
        self._session = None

    async def send_request(self, request: Mapping[str, Any]) -> tuple[Any, Any, str, None]:
        method, url = str(request["method"]), str(request["url"])
        options: dict[str, Any] = {
            "headers": {**self._default_headers, **(request.get("headers") or {})},
            "proxy": proxy_for(url, self._settings.http_proxy),
            "allow_redirects": False,
            "timeout": aiohttp.ClientTimeout(total=self._settings.request_timeout),
        }
        if request.get("data"):
            options["data"] = json.dumps(request["data"])
        elif request.get("form"):
            options["data"] = dict(request["form"])
        if url.startswith("https:"):
            options["ssl"] = _ssl_context(self._settings.ca_file)
        try:
            async with aiohttp.ClientSession(trust_env=False) as session:
                # aiohttp resends an idempotent request once, silently, when the connection drops;
                # retries are decided (and counted against max_retries) in one place: here, none.
                session._retry_connection = False
                async with session.request(method, url, **options) as response:
                    body = (await response.read()).decode("utf-8", errors="replace")
        except aiohttp.ClientError as exc:
            raise TransportError(_transport_reason(exc, method, url), method=method, url=url) from exc
        _LOG.debug("%s %s -> HTTP %s", method, url, response.status)
        return response.request_info, response, body, None

    @staticmethod
    def check_response_for_error(url: Any, response_details: Any, response_body: Any) -> Any:
        status = int(response_details.status)
        if 200 <= status <= 299:
            return response_body, None
        error = api_error(
            status,
            response_body,
            method=str(response_details.method),
            url=str(url),
            content_type=str(response_details.headers.get("Content-Type", "")),
        )
        raise ErrorAnswer(error, response_details.headers)


def _transport_reason(exc: aiohttp.ClientError, method: str, url: str) -> str:
    what = f"No answer to {method} {url}"
    if isinstance(exc, (aiohttp.ClientSSLError, aiohttp.ClientConnectorCertificateError)):
        return f"{what}: TLS failed ({exc}); set SSL_CERT_FILE if the server uses a private CA"
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return f"{what}: the proxy refused the connection ({exc}); check HTTPS_PROXY / NO_PROXY"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"{what}: cannot connect ({exc})"
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return f"{what}: timed out ({exc})"
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError)):
        return f"{what}: the connection was dropped ({type(exc).__name__}: {exc})"
    return f"{what}: {type(exc).__name__}: {exc}"


def proxy_for(url: str, explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The proxy for ``url``: none for loopback hosts or ``NO_PROXY`` matches; else ``explicit`` or the
    environment's ``HTTPS_PROXY`` / ``HTTP_PROXY`` for the URL's scheme (lower-case names win)."""
    env = os.environ if environ is None else environ
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_loopback_host(host):
        return None
    if _bypasses_proxy(host, parts.port, env.get("no_proxy") or env.get("NO_PROXY") or ""):
        return None
    if explicit:
        return explicit
    name = f"{parts.scheme}_proxy"
    return env.get(name) or env.get(name.upper()) or None


def _bypasses_proxy(host: str, port: int | None, no_proxy: str) -> bool:
    """``NO_PROXY`` as curl reads it: ``*``, host names and domain suffixes (``.example.com`` or
    ``example.com``), optionally with ``:port``, and IP addresses or CIDR blocks."""
    host = host.lower().strip("[]").rstrip(".")
    for entry in (item.strip().lower() for item in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and (not entry_port.isdigit() or port != int(entry_port)):
            continue
        name = name.strip("[]").rstrip(".")
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(name, strict=False):
                return True
            continue
        except ValueError:
            pass
        domain = name.lstrip("*").lstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


@functools.lru_cache(maxsize=8)
def _ssl_context_for(ca_file: str | None, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()  # honours SSL_CERT_FILE / SSL_CERT_DIR
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(f"The CA file {ca_file!r} cannot be loaded: {exc}") from exc
    return context


def _ssl_context(ca_file: str | None) -> ssl.SSLContext:
    return _ssl_context_for(ca_file, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def user_agent() -> str:
    try:
        from importlib.metadata import version

        return f"pulumi-okta-token/{version('pulumi-okta-token')}"
    except Exception:
        return "pulumi-okta-token"


# --------------------------------------------------------------------------------------------
# Errors and retries


class ErrorAnswer(Exception):
    """Okta answered with an error status; carries the typed error and the headers for retrying."""

    def __init__(self, error: OktaApiError, headers: Mapping[str, str]) -> None:
        super().__init__(str(error))
        self.error = error
        self.headers = headers
        self.received = time.time()

    def retry_delay(self, retries: int) -> float:
        return retry_delay(self.error.status, self.headers, retries, now=self.received)


def api_error(
    status: int, body: str, *, method: str = "", url: str = "", content_type: str = ""
) -> OktaApiError:
    """The typed error for an error answer: Okta's error JSON, an OAuth error, or any other body.

    A 404 is ``NotFound`` only when its body is Okta's error JSON with ``errorCode`` E0000007; any
    other 404 (a proxy's or CDN's page, another JSON, no body) is a plain ``OktaApiError`` that says so
    and quotes the start of the body, so that nothing is taken for revoked on its word.
    """
    fields = _error_fields(_json_object(body))
    cls = api_error_class(status, fields.get("error_code", ""))
    if status == 404 and cls is not NotFound:
        fields["error_summary"] = not_oktas_not_found(body, content_type)
    elif not fields:
        excerpt = snippet(body)
        fields["error_summary"] = (
            f"Okta answered with a body that is not Okta's error JSON: {excerpt!r}"
            if excerpt
            else "Okta answered with an empty body"
        )
    return cls(status=status, **fields, method=method, url=url)


def not_oktas_not_found(body: str, content_type: str = "") -> str:
    """The summary of a 404 that is not Okta's not-found answer: what it is not, and what came back."""
    excerpt = snippet(body)
    kind = f" ({content_type})" if content_type else ""
    came_back = f"The body{kind} begins {excerpt!r}" if excerpt else f"The body{kind} is empty"
    return (
        f"A 404 that is not Okta's not-found answer (its error JSON with errorCode {NOT_FOUND_CODE}), so "
        "nothing is taken as revoked or gone; check that the org URL reaches Okta itself, not a proxy, "
        f"CDN or moved domain. {came_back}"
    )


def _json_object(body: str) -> Mapping[str, Any] | None:
    try:
        data = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, Mapping) else None


def _error_fields(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """``OktaApiError`` keyword arguments from Okta's error JSON or an OAuth error; empty for neither."""
    if data is None:
        return {}
    if "errorCode" in data or "errorSummary" in data:
        causes = [
            str(cause["errorSummary"])
            for cause in data.get("errorCauses") or []
            if isinstance(cause, Mapping) and cause.get("errorSummary")
        ]
        return {
            "error_code": str(data.get("errorCode") or ""),
            "error_summary": str(data.get("errorSummary") or ""),
            "error_id": str(data.get("errorId") or ""),
            "error_causes": causes,
        }
    if isinstance(data.get("error"), str):
        return {
            "error_code": data["error"],
            "error_summary": str(data.get("error_description") or data["error"]),
        }
    return {}


def retry_delay(status: int, headers: Mapping[str, str], retries: int, now: float | None = None) -> float:
    """Seconds to wait before retry number ``retries + 1``.

    429: until ``X-Rate-Limit-Reset`` (epoch seconds), measured from the answer's ``Date`` (the server's
    clock) or, without one, from ``now``; never less than one second (a reset of "now" or in the past
    included, as the Okta SDK waits). 5xx, or a 429 without the reset header: ``Retry-After`` seconds,
    else an exponential back-off from 0.5 s.
    """
    moment = time.time() if now is None else now
    if status == 429:
        return max(_RATE_LIMIT_MIN_WAIT, _until_reset(headers, moment, retries))
    return _retry_after_or_backoff(headers, retries)


def _until_reset(headers: Mapping[str, str], moment: float, retries: int) -> float:
    reset = _min_float(_all(headers, "X-Rate-Limit-Reset"))
    if reset is None:
        return _retry_after_or_backoff(headers, retries)
    return reset - (_http_date(headers.get("Date")) or moment)


def _retry_after_or_backoff(headers: Mapping[str, str], retries: int) -> float:
    retry_after = _min_float(_all(headers, "Retry-After"))
    if retry_after is not None and retry_after >= 0:
        return retry_after
    return float(min(_BACKOFF_FIRST * 2**retries, _BACKOFF_MAX))


def _all(headers: Mapping[str, str], name: str) -> list[str]:
    getall = getattr(headers, "getall", None)
    if getall is not None:
        return [str(value) for value in getall(name, [])]
    return [str(value) for key, value in headers.items() if key.lower() == name.lower()]


def _min_float(values: list[str]) -> float | None:
    numbers = []
    for value in values:
        try:
            numbers.append(float(value))
        except ValueError:
            continue
    return min(numbers) if numbers else None


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."
