"""The Okta-SDK adapter: every patch of the official ``okta`` SDK and of aiohttp lives in this module.

Requests go through a generated ``okta.api.*`` class (``ApiTokenApi`` today) and its ``RequestExecutor``,
never through ``okta.client`` (which costs seconds to import). What is patched, and why (FACTS.md §3):

* **construction**: ``build_api`` makes any ``ApiClient`` subclass from a plain dict, with no
  ``okta.yaml``, no ``OKTA_CLIENT_*`` variables and no https check (the SDK's configuration loader and
  validator are never run, so ``http://`` to loopback needs no process-wide switch), the SDK's retries
  off (``maxRetries`` 0: they crash without ``Date`` and ``X-Rate-Limit-Reset``), a ``RequestExecutor``
  with a ``NoOpCache`` and our ``HttpClient``, and the logger levels the SDK's ``Configuration()``
  resets for the whole process put back (its request log prints the Authorization header);
* **the Authorization header**: generated methods send ``SSWS<token>`` with no space; ``call`` passes
  the documented ``SSWS <token>`` / ``Bearer <token>`` as ``_request_auth``;
* **the HTTP client**: ``HttpClient`` replaces the SDK's ``HTTPClient``: requests go through the
  process's one aiohttp session (``new_session``, owned by the ``_loop`` thread), proxies and TLS from
  ``_net``, no redirects, no cookies kept, aiohttp's own silent resend of a dropped idempotent request
  switched off (``_retry_connection = False``: retries are decided in one place, the request layer); no
  answer raises ``TransportError`` with the cause chained (the SDK would crash with ``'NoneType' object
  has no attribute 'status'``) and an error status raises ``ErrorAnswer`` before the SDK can turn it
  into a tuple; every answer's headers go to the caller's ``observe`` (the rate-limit budget reads them);
* **success bodies**: ``response_deserialize`` is replaced on each API object so a 2xx body becomes an
  ``Answer`` (plain JSON) instead of the SDK's model, which rejects ``name: null`` or an odd
  ``tokenWindow``; the endpoint modules check the JSON against our models;
* **result tuples**: ``unpack`` reads ``(data, response, error)`` and revoke's ``(response, error)``,
  raising an error object the SDK still returns as our typed error (``sdk_error``).

Nothing here knows an endpoint's path or model; the request layer (``_request``) decides when to call.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import json
import logging
import os
import re
import ssl
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import aiohttp
import yarl
from okta.api_client import ApiClient
from okta.cache.no_op_cache import NoOpCache
from okta.http_client import HTTPClient
from okta.request_executor import RequestExecutor
from pydantic import ValidationError

from .._settings import OktaSettings
from .._settings.sources import MAX_RESPONSE_BYTES
from ..errors import NOT_FOUND_CODE, OktaTokenError, TransportError, api_error_class
from . import _ahead, _loop
from ._answers import Answer, ErrorAnswer, api_error, not_oktas_not_found, parse_answer, validation_reason
from ._net import proxy_for, ssl_context, user_agent

__all__ = [
    "ApiClient",
    "HttpClient",
    "Observer",
    "SdkCall",
    "build_api",
    "call",
    "connect_ahead",
    "get_url",
    "new_session",
    "post_form",
    "sdk_error",
    "unpack",
]

_LOG = logging.getLogger("pulumi_okta_token._transport")

SdkCall = Callable[[Any, dict[str, str]], Awaitable[Any]]
"""One SDK call, given the API object and the ``_request_auth`` to pass on:
``lambda api, auth: api.get_api_token(token_id, _request_auth=auth)``."""

Observer = Callable[[int, Mapping[str, str]], None]
"""Told the status and headers of every answer (success or error) as soon as they arrive."""


async def call(
    settings: OktaSettings,
    api_class: type[Any],
    authorization: str,
    sdk_call: SdkCall,
    observe: Observer | None = None,
) -> Answer | None:
    """Make ``sdk_call`` on a fresh ``api_class`` object; its ``Answer`` (``None``: no body).

    Error answers raise ``ErrorAnswer``, no answer ``TransportError``, arguments the SDK's
    ``@validate_call`` refuses ``OktaTokenError``. ``observe`` is told every answer's status and headers.
    """
    api = build_api(api_class, settings, authorization, observe)
    request_auth = {"in": "header", "type": "api_key", "key": "Authorization", "value": authorization}
    try:
        result = await sdk_call(api, request_auth)
    except ValidationError as exc:
        raise OktaTokenError(f"The Okta SDK refused the arguments ({validation_reason(exc)})") from exc
    data = unpack(result)
    if data is not None and not isinstance(data, Answer):  # only an SDK that changed its ways could
        raise OktaTokenError(f"The Okta SDK answered with {type(data).__name__} where JSON was expected")
    return data


async def get_url(url: str, api: Any, request_auth: dict[str, str]) -> Any:
    """An ``SdkCall`` that GETs an absolute URL of the org through the request executor (no generated
    method needed: next pages, or any read the SDK's generated methods do not cover). Any API class
    will do; ``ApiClient``, their base, is the one that imports nothing more."""
    executor = api._request_executor
    request, error = await executor.create_request("GET", url, None, {"Authorization": request_auth["value"]})
    if error is not None:
        return (None, None, error)
    response, body, error = await executor.execute(request)
    if error is not None:
        return (None, response, error)
    return (_answer(body, response), response, None)


async def post_form(settings: OktaSettings, url: str, form: Mapping[str, str]) -> str:
    """POST a url-encoded form with no Authorization (the OAuth token request); the 2xx body.

    Raises ``ErrorAnswer`` and ``TransportError`` as every request does.
    """
    client = HttpClient(
        {"headers": {"Accept": "application/json", "User-Agent": user_agent()}}, settings=settings
    )
    request = {"method": "POST", "url": url, "headers": {}, "data": None, "form": dict(form)}
    _, response, body, _ = await client.send_request(request)
    client.check_response_for_error(url, response, body)
    return body


async def connect_ahead(settings: OktaSettings) -> None:
    """Open the org's pooled connection now, sending nothing (``_ahead``); not through a proxy, and not
    for a ``caFile`` that cannot be loaded (the first request reports it). Never raises."""
    url = settings.org_url
    shared = _loop.session(new_session)
    if shared is None or proxy_for(url, settings.http_proxy) is not None:
        return
    try:
        tls: ssl.SSLContext | bool = ssl_context(settings.ca_file) if url.startswith("https:") else True
    except OktaTokenError:
        return
    await _ahead.open_connection(shared, url, tls, settings.timeout_seconds)


# --------------------------------------------------------------------------------------------
# SDK objects, built per call (cheap: microseconds) so no state is shared between threads or loops


def build_api(
    api_class: type[Any], settings: OktaSettings, authorization: str, observe: Observer | None = None
) -> Any:
    """An ``okta.api.*`` object (any ``ApiClient`` subclass) for one call, patched as the module says."""
    mode, _, token = authorization.partition(" ")
    config = {
        "client": {
            "orgUrl": settings.org_url,
            "authorizationMode": mode,
            "token": token,
            "rateLimit": {"maxRetries": 0},
            "requestTimeout": 0,
            "raiseException": HTTPClient.raise_exception,  # the executor writes it on the class: no change
            "userAgent": user_agent(),
        }
    }
    with _sdk_logging_untouched():
        api = api_class(config)
    api._request_executor = RequestExecutor(  # type: ignore[no-untyped-call]
        config,
        NoOpCache(),  # type: ignore[no-untyped-call]
        functools.partial(HttpClient, settings=settings, observe=observe),
    )
    api.user_agent = api._request_executor.get_default_headers()["User-Agent"]  # not "OpenAPI-Generator"
    api.response_deserialize = _deserialize  # on the object: the class stays the SDK's
    return api


@dataclass(frozen=True)
class _Deserialized:
    """What generated methods read ``.data`` from."""

    data: Answer | None


def _deserialize(response_data: Any, response_types_map: Any = None) -> _Deserialized:
    """``ApiClient.response_deserialize`` for our answers: the JSON as an ``Answer``, no SDK model."""
    kind = (response_types_map or {}).get(str(response_data.status))
    if kind is None:
        return _Deserialized(None)
    body = bytes(response_data.data or b"").decode("utf-8", errors="replace")
    return _Deserialized(_answer(body, response_data.response))


def _answer(body: str, response: Any) -> Answer:
    return parse_answer(response.method, str(response.url), response.status, body, _next_link(response))


def _next_link(response: Any) -> str | None:
    try:
        links = response.links
    except ValueError:  # a target that is no URL (yarl refuses it)
        raise OktaTokenError(
            f"Okta answered {response.method} {response.url} with a Link header that cannot be read "
            "(a next-page target that is no URL); the answer is not used"
        ) from None
    for rel, link in links.items():
        if str(rel).lower() == "next" and link.get("url") is not None:
            return urljoin(str(response.url), str(link["url"]))
    return None


_SDK_LOGGERS = ("okta", "urllib3")
_sdk_logging_lock = threading.Lock()


@contextlib.contextmanager
def _sdk_logging_untouched() -> Iterator[None]:
    """The SDK's ``Configuration()`` sets the ``okta`` and ``urllib3`` logger levels and http.client's
    debug level for the whole process; put them back."""
    with _sdk_logging_lock:
        levels = {name: logging.getLogger(name).level for name in _SDK_LOGGERS}
        debuglevel = http.client.HTTPConnection.debuglevel
        try:
            yield
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
            http.client.HTTPConnection.debuglevel = debuglevel


# --------------------------------------------------------------------------------------------
# HTTP: the SDK's HTTPClient with our proxy, TLS, timeout, logging and error handling


KEEPALIVE_TIMEOUT = 15.0
"""Seconds an idle pooled connection is kept (aiohttp's default), below the idle timeouts servers and
load balancers commonly use (60 s and more), so the client closes an idle connection before the server
does; a connection the server closed anyway is left out by aiohttp before it is reused."""


def new_session() -> aiohttp.ClientSession:
    """The process's HTTP session: a keep-alive connection pool (connections are pooled per host, port,
    TLS context and proxy, so never shared across orgs, trust settings or proxies), no cookie jar (a
    cookie set for one credential must never travel with another's requests), no environment proxies
    (``_net`` decides), and no silent resend of a dropped idempotent request."""
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_TIMEOUT),
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
    )
    # aiohttp resends an idempotent request once, silently, when the connection drops before the
    # answer; retries are decided (and counted against max_retries) in one place, the request layer.
    session._retry_connection = False
    return session


@contextlib.asynccontextmanager
async def _session() -> AsyncIterator[aiohttp.ClientSession]:
    """The shared session on the transport's loop; elsewhere one made for this request and closed."""
    shared = _loop.session(new_session)
    if shared is not None:
        yield shared
        return
    async with new_session() as own:
        yield own


class HttpClient(HTTPClient):
    """Sends requests through the process's session; raises instead of returning error tuples."""

    def __init__(
        self, http_config: Mapping[str, Any], *, settings: OktaSettings, observe: Observer | None = None
    ) -> None:
        # The base __init__ would read HTTP(S)_PROXY for every host; nothing else of it is needed.
        self._default_headers = dict(http_config["headers"])
        self._settings = settings
        self._observe = observe
        self._session = None

    async def send_request(self, request: Mapping[str, Any]) -> tuple[Any, Any, str, None]:
        method, url = str(request["method"]), str(request["url"])
        options: dict[str, Any] = {
            "headers": {**self._default_headers, **(request.get("headers") or {})},
            **_proxy_options(proxy_for(url, self._settings.http_proxy)),
            "allow_redirects": False,
            "timeout": aiohttp.ClientTimeout(total=self._settings.timeout_seconds),
        }
        if request.get("data"):
            options["data"] = json.dumps(request["data"])
        elif request.get("form"):
            options["data"] = dict(request["form"])
        if url.startswith("https:"):
            options["ssl"] = ssl_context(self._settings.ca_file)
        try:
            await _ahead.opened(url)  # a connection being opened ahead is the one to take
            async with _session() as session, session.request(method, url, **options) as response:
                if self._observe is not None:
                    self._observe(response.status, response.headers)
                body = (await _capped_body(response, self._settings, method, url)).decode(
                    "utf-8", errors="replace"
                )
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


async def _capped_body(
    response: aiohttp.ClientResponse, settings: OktaSettings, method: str, url: str
) -> bytes:
    """The answer's body, refused (``OktaTokenError``) when larger than ``max_response_bytes``: by its
    ``Content-Length`` before reading anything, else as soon as more than that many bytes came."""
    most = settings.max_response_bytes
    length = response.content_length
    if length is not None and length > most:
        raise _too_large(method, url, most, f"its Content-Length is {length} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > most:
            raise _too_large(method, url, most, "more came")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(method: str, url: str, most: int, what: str) -> OktaTokenError:
    return OktaTokenError(
        f"Okta's answer to {method} {url} is larger than {most} bytes ({what}), the most read "
        f"(okta:{MAX_RESPONSE_BYTES.key} / {MAX_RESPONSE_BYTES.env}); it was not read. An answer of the "
        "org is far smaller: check what answers for the org URL, or raise the setting"
    )


def _proxy_options(proxy: str | None) -> dict[str, Any]:
    """aiohttp's ``proxy`` and ``proxy_auth``: the user info travels apart, so that no error aiohttp
    raises (they quote the proxy URL) can show the proxy's password."""
    if proxy is None:
        return {"proxy": None}
    parsed = yarl.URL(proxy)
    if parsed.user is None:
        return {"proxy": proxy}
    return {"proxy": str(parsed.with_user(None)), "proxy_auth": aiohttp.BasicAuth.from_url(parsed)}


def _transport_reason(exc: aiohttp.ClientError, method: str, url: str) -> str:
    """One readable line: the request, the host and port, and what failed; never an object's repr (aiohttp's
    own text quotes its ``ssl.SSLContext``)."""
    what = f"No answer to {method} {url}"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return (
            f"{what}: TLS failed with {_host_port(exc)}, its certificate is not trusted "
            f"({_readable(exc.certificate_error)}); for a private CA, set okta:caFile / OKTA_CA_FILE to its "
            "PEM file"
        )
    if isinstance(exc, aiohttp.ClientSSLError):
        return (
            f"{what}: TLS with {_host_port(exc)} failed ({_readable(exc.os_error)}); for a private CA, set "
            "okta:caFile / OKTA_CA_FILE to its PEM file"
        )
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return (
            f"{what}: cannot connect to the proxy {_host_port(exc)} ({_readable(exc.os_error)}); check "
            "HTTPS_PROXY / NO_PROXY"
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"{what}: cannot connect to {_host_port(exc)} ({_readable(exc.os_error)})"
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return f"{what}: timed out ({_readable(exc)})"
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError)):
        return f"{what}: the connection was dropped ({type(exc).__name__}: {_readable(exc)})"
    return f"{what}: {type(exc).__name__}: {_readable(exc)}"


def _host_port(exc: aiohttp.ClientConnectorError) -> str:
    return f"host {exc.host} port {exc.port}"


_OBJECT_REPR = re.compile(r"\s*(?:ssl:)?<[^<>]* object at 0x[0-9a-fA-F]+>")


def _readable(error: BaseException | object) -> str:
    """An error's text on one line, without object reprs; ``strerror`` for OS errors
    (``Connection refused``, ``Name or service not known``)."""
    if isinstance(error, ssl.SSLError):
        text = getattr(error, "verify_message", None) or error.reason or str(error)
    elif isinstance(error, OSError) and isinstance(error.errno, int) and error.errno > 0:
        text = os.strerror(error.errno)
    elif isinstance(error, OSError) and error.strerror:
        text = error.strerror
    else:
        text = str(error) or type(error).__name__
    text = " ".join(_OBJECT_REPR.sub("", text).split())
    return text or type(error).__name__


# --------------------------------------------------------------------------------------------
# What the SDK returns


def unpack(result: Any) -> Any:
    """The data of an SDK result, raising its error.

    Generated methods (and ``get_url``) return ``(data, response, error)``; revoke returns
    ``(response, error)`` on HTTP errors. Here HTTP errors are raised by ``HttpClient`` before the SDK
    can wrap them; an error object the SDK still returns (``OktaAPIError``, or ``HTTPError`` for a
    non-JSON body) is raised as the typed error.
    """
    if not isinstance(result, tuple) or len(result) not in (2, 3):
        return result
    error = result[-1]
    if error is not None:
        raise sdk_error(error)
    return result[0] if len(result) == 3 else None


def sdk_error(error: Any) -> Exception:
    """An error object the SDK returned, as one of ours."""
    status = getattr(error, "status", None)
    if not isinstance(status, int):
        return OktaTokenError(f"The Okta SDK failed: {type(error).__name__}: {error}")
    causes = [
        str(cause.get("errorSummary"))
        for cause in getattr(error, "error_causes", None) or []
        if isinstance(cause, Mapping) and cause.get("errorSummary")
    ]
    error_code = str(getattr(error, "error_code", "") or "")
    summary = getattr(error, "error_summary", None) or getattr(error, "message", "") or str(error)
    cls = api_error_class(status, error_code)
    if status == 404 and error_code != NOT_FOUND_CODE:
        # The SDK's HTTPError message is "HTTP <status> <body>".
        summary = not_oktas_not_found(str(summary).removeprefix(f"HTTP {status} "))
    return cls(
        status=status,
        error_code=error_code,
        error_summary=str(summary),
        error_id=str(getattr(error, "error_id", "") or ""),
        error_causes=causes,
        url=str(getattr(error, "url", "") or ""),
    )
