"""The Okta API-token calls the provider makes: a synchronous facade over the official SDK.

Requests go through ``okta.api.api_token_api.ApiTokenApi`` and its ``RequestExecutor`` (never
``okta.client``, which costs seconds to import). Every SDK defect of FACTS.md §3 is handled here:

* the Authorization header is the documented ``SSWS <token>`` / ``Bearer <token>`` (the SDK's
  generated methods send no space): each call passes ``_request_auth``;
* HTTP errors never come back as tuples: ``_HttpClient.check_response_for_error`` raises the typed
  errors of ``errors.py`` (status, errorCode, errorSummary, errorId, errorCauses), whatever the body;
  the tuple shapes the SDK can still return, the 2-tuple of revoke included, go through ``_unpack``;
* no HTTP answer (refused, dropped, TLS, proxy, timeout) raises ``TransportError`` with the cause
  chained, instead of the SDK's ``AttributeError: 'NoneType' object has no attribute 'status'``;
  it is not retried (aiohttp's own silent resend of a dropped idempotent request is switched off);
* retries are ours: the SDK's are turned off (``maxRetries`` 0, it crashes without ``Date`` and
  ``X-Rate-Limit-Reset``); 429 waits for ``X-Rate-Limit-Reset``, 500/503/504 back off, all bounded by
  ``max_retries``, and each exchange (retries and waits included) by ``request_timeout``;
* token JSON is parsed with ``models.TokenMetadata``, not the SDK's model (which rejects
  ``name: null`` or an odd ``tokenWindow``); list pages follow ``Link: <...>; rel="next"``;
* no ``okta.yaml``, no ``OKTA_CLIENT_*`` variables and no https check: the SDK's configuration loader
  and validator are not used, so ``http://`` to loopback works with no process-wide switch;
* proxies: loopback hosts are never proxied, ``NO_PROXY`` is honoured, ``HTTPS_PROXY`` is used for
  https and ``HTTP_PROXY`` for http;
* logging: the SDK's request log (which prints the Authorization header) is never reached, and the
  logger levels the SDK's ``Configuration`` resets are put back.

Each public method runs its coroutine in a fresh event loop (in a worker thread when the calling
thread already runs one); no session outlives a request.
"""

from __future__ import annotations

import asyncio
import builtins
import concurrent.futures
import contextlib
import email.utils
import functools
import http.client
import ipaddress
import json
import logging
import os
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar
from urllib.parse import urljoin, urlsplit

import aiohttp
from okta.api.api_token_api import ApiTokenApi
from okta.cache.no_op_cache import NoOpCache
from okta.http_client import HTTPClient
from okta.models.api_token_update import ApiTokenUpdate
from okta.request_executor import RequestExecutor
from pydantic import ValidationError

from . import _oauth
from .config import OktaSettings, PrivateKeyAuth, is_loopback_host
from .errors import ConfigurationError, OktaApiError, OktaTokenError, TransportError, api_error_class
from .models import TokenMetadata

__all__ = ["RETRYABLE_STATUSES", "OktaApiTokens", "api_error", "proxy_for", "retry_delay"]

_LOG = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({429, 500, 503, 504})
"""Statuses retried (every call here is idempotent)."""

_BACKOFF_FIRST = 0.5
_BACKOFF_MAX = 8.0
_MAX_PAGES = 10_000
_TOKENS_PATH = "/api/v1/api-tokens"


# --------------------------------------------------------------------------------------------
# The facade


class OktaApiTokens:
    """Get, list, update and revoke API tokens of one org. Thread-safe; every call is synchronous."""

    def __init__(self, settings: OktaSettings) -> None:
        self._settings = settings

    def __reduce__(self) -> NoReturn:
        raise TypeError("OktaApiTokens holds credentials and is never pickled")

    def __repr__(self) -> str:
        return f"OktaApiTokens({self._settings.org_url!r})"

    def get(self, token_id: str) -> TokenMetadata:
        """The token's metadata; ``NotFound`` when Okta has no active token with that id."""
        return _run(lambda: self._get(token_id))

    def list(self) -> list[TokenMetadata]:
        """Every active token of the org, following ``Link rel="next"`` pages (same origin only).

        Each page's request, with its retries, is bounded by ``request_timeout``.
        """
        return _run(self._list)

    def update(self, token_id: str, body: dict[str, Any]) -> TokenMetadata:
        """PUT ``body`` (``models.update_body(...)``) and return the token as Okta now has it."""
        return _run(lambda: self._update(token_id, body))

    def revoke(self, token_id: str) -> None:
        """Revoke the token; ``NotFound`` when it is already gone (the caller decides what that means)."""
        _run(lambda: self._revoke(token_id))

    # -- the calls -------------------------------------------------------------------------

    async def _get(self, token_id: str) -> TokenMetadata:
        url = f"{self._settings.org_url}{_TOKENS_PATH}/{token_id}"
        data = await self._exchange(
            "GET", url, lambda api, auth: api.get_api_token(token_id, _request_auth=auth)
        )
        return _expect(data, TokenMetadata, "GET", url)

    async def _update(self, token_id: str, body: dict[str, Any]) -> TokenMetadata:
        url = f"{self._settings.org_url}{_TOKENS_PATH}/{token_id}"
        try:
            update = ApiTokenUpdate.from_dict(body) or ApiTokenUpdate()
        except ValidationError as exc:
            raise OktaTokenError(
                f"The PUT body is not an ApiTokenUpdate ({_validation_reason(exc)})"
            ) from exc
        data = await self._exchange(
            "PUT", url, lambda api, auth: api.upsert_api_token(token_id, update, _request_auth=auth)
        )
        return _expect(data, TokenMetadata, "PUT", url)

    async def _revoke(self, token_id: str) -> None:
        url = f"{self._settings.org_url}{_TOKENS_PATH}/{token_id}"
        await self._exchange(
            "DELETE", url, lambda api, auth: api.revoke_api_token(token_id, _request_auth=auth)
        )

    async def _list(self) -> builtins.list[TokenMetadata]:
        url = f"{self._settings.org_url}{_TOKENS_PATH}"
        page = _expect(
            await self._exchange("GET", url, lambda api, auth: api.list_api_tokens(_request_auth=auth)),
            _Page,
            "GET",
            url,
        )
        tokens = list(page.tokens)
        seen = {url}
        while page.next_url is not None:
            next_url = self._check_next_url(page.next_url, seen)
            page = _expect(
                await self._exchange("GET", next_url, functools.partial(_get_url, next_url)),
                _Page,
                "GET",
                next_url,
            )
            tokens.extend(page.tokens)
        return tokens

    def _check_next_url(self, next_url: str, seen: set[str]) -> str:
        org = urlsplit(self._settings.org_url)
        target = urlsplit(next_url)
        if (target.scheme, target.netloc.lower()) != (org.scheme, org.netloc.lower()):
            raise OktaTokenError(
                f"Okta's next-page link {next_url} leaves the org {self._settings.org_url}; "
                "credentials are not sent there"
            )
        if next_url in seen or len(seen) >= _MAX_PAGES:
            raise OktaTokenError(f"Okta's next-page links loop back to {next_url}; the listing cannot finish")
        seen.add(next_url)
        return next_url

    # -- one exchange: authorization, the SDK call, retries ------------------------------

    async def _exchange(self, method: str, url: str, call: _SdkCall) -> Any:
        """One request (and its retries), bounded as a whole by ``request_timeout``."""
        deadline = time.monotonic() + self._settings.request_timeout
        retries = 0
        renewed_token = False
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise asyncio.TimeoutError
                return await asyncio.wait_for(self._attempt(call), remaining)
            except asyncio.TimeoutError as exc:
                raise TransportError(
                    f"No answer to {method} {url} within {self._settings.request_timeout:g} s "
                    "(okta:requestTimeout)",
                    method=method,
                    url=url,
                ) from exc
            except _ErrorAnswer as answer:
                if answer.error.status == 401 and not renewed_token and self._forget_access_token():
                    renewed_token = True
                    continue
                delay = self._retry_wait(answer, retries, deadline)
                if delay is None:
                    raise answer.error from None
                retries += 1
                _LOG.debug(
                    "%s %s: HTTP %s, retry %d of %d in %.1f s",
                    method,
                    url,
                    answer.error.status,
                    retries,
                    self._settings.max_retries,
                    delay,
                )
                await _sleep(delay)

    def _retry_wait(self, answer: _ErrorAnswer, retries: int, deadline: float) -> float | None:
        """Seconds to wait before retrying, or None: not retryable, retries used up, or past the deadline."""
        if answer.error.status not in RETRYABLE_STATUSES or retries >= self._settings.max_retries:
            return None
        delay = answer.retry_delay(retries)
        if delay >= deadline - time.monotonic():
            _LOG.debug(
                "HTTP %s: a retry in %.1f s would pass okta:requestTimeout", answer.error.status, delay
            )
            return None
        return delay

    async def _attempt(self, call: _SdkCall) -> Any:
        authorization = await self._authorization()
        api = _sdk(self._settings, authorization)
        request_auth = {"in": "header", "type": "api_key", "key": "Authorization", "value": authorization}
        try:
            result = await call(api, request_auth)
        except ValidationError as exc:  # the SDK's @validate_call on the arguments
            raise OktaTokenError(f"The Okta SDK refused the arguments ({_validation_reason(exc)})") from exc
        return _unpack(result)

    async def _authorization(self) -> str:
        auth = self._settings.auth
        if not isinstance(auth, PrivateKeyAuth):
            return auth.authorization
        url = _oauth.token_url(self._settings.org_url)
        key = _oauth.AccessTokenCache.key(auth, url)
        token = await _oauth.CACHE.obtain(key, lambda: self._fetch_access_token(auth, url))
        return token.authorization

    async def _fetch_access_token(self, auth: PrivateKeyAuth, url: str) -> _oauth.AccessToken:
        headers = {"Accept": "application/json", "User-Agent": _user_agent()}
        client = _HttpClient({"headers": headers}, settings=self._settings)
        request = {"method": "POST", "url": url, "headers": {}, "data": None,
                   "form": _oauth.token_request_form(auth, url)}  # fmt: skip
        _, response, body, _ = await client.send_request(request)
        try:
            client.check_response_for_error(url, response, body)
        except _ErrorAnswer as answer:
            if answer.error.status in RETRYABLE_STATUSES:
                raise
            raise answer.error from None  # a refused client assertion is not cured by a new one
        return _oauth.parse_token_response(body, url)

    def _forget_access_token(self) -> bool:
        """After a 401: drop a cached access token so the retry fetches a new one (False: nothing to drop)."""
        auth = self._settings.auth
        if not isinstance(auth, PrivateKeyAuth):
            return False
        _oauth.CACHE.discard(_oauth.AccessTokenCache.key(auth, _oauth.token_url(self._settings.org_url)))
        return True


_SdkCall = Callable[["_TokenApi", dict[str, str]], Awaitable[Any]]


async def _get_url(url: str, api: _TokenApi, request_auth: dict[str, str]) -> Any:
    """GET an absolute URL of the org (a next page) through the SDK's request executor."""
    executor = api._request_executor
    request, error = await executor.create_request("GET", url, None, {"Authorization": request_auth["value"]})
    if error is not None:
        return (None, None, error)
    response, body, error = await executor.execute(request)
    if error is not None:
        return (None, response, error)
    return (_parse_body("List[ApiToken]", body, response), response, None)


async def _sleep(seconds: float) -> None:
    """Wait before a retry (tests replace it to record the waits)."""
    await asyncio.sleep(seconds)


# --------------------------------------------------------------------------------------------
# SDK objects, built per call (cheap: microseconds) so no state is shared between threads or loops


def _sdk(settings: OktaSettings, authorization: str) -> _TokenApi:
    mode, _, token = authorization.partition(" ")
    config = {
        "client": {
            "orgUrl": settings.org_url,
            "authorizationMode": mode,
            "token": token,
            "rateLimit": {"maxRetries": 0},
            "requestTimeout": 0,
            "raiseException": HTTPClient.raise_exception,  # the executor writes it on the class: no change
            "userAgent": _user_agent(),
        }
    }
    with _sdk_logging_untouched():
        api = _TokenApi(config)
    api._request_executor = RequestExecutor(  # type: ignore[no-untyped-call]
        config,
        NoOpCache(),  # type: ignore[no-untyped-call]
        functools.partial(_HttpClient, settings=settings),
    )
    api.user_agent = api._request_executor.get_default_headers()["User-Agent"]  # not "OpenAPI-Generator"
    return api


class _TokenApi(ApiTokenApi):
    """``ApiTokenApi`` whose successful answers are parsed with our models, not the SDK's."""

    _request_executor: Any  # set by ``okta.client.Client`` in the SDK; by ``_sdk`` here

    def response_deserialize(self, response_data: Any, response_types_map: Any = None) -> Any:
        kind = (response_types_map or {}).get(str(response_data.status))
        body = bytes(response_data.data or b"").decode("utf-8", errors="replace")
        return _Deserialized(_parse_body(kind, body, response_data.response))


@dataclass(frozen=True)
class _Deserialized:
    data: Any


@dataclass(frozen=True)
class _Page:
    tokens: tuple[TokenMetadata, ...]
    next_url: str | None


def _parse_body(kind: str | None, body: str, response: Any) -> Any:
    """A 2xx body as the SDK's response type names it: ``ApiToken``, ``List[ApiToken]`` or nothing."""
    method, url, status = response.method, str(response.url), response.status
    if kind is None:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        raise OktaTokenError(
            f"Okta answered {method} {url} with HTTP {status} and a body that is not JSON: {_snippet(body)!r}"
        ) from None
    try:
        if kind == "ApiToken":
            if not isinstance(data, Mapping):
                raise TypeError(f"expected an object, got {type(data).__name__}")
            return TokenMetadata.from_okta_json(data)
        if kind == "List[ApiToken]":
            if not isinstance(data, list):
                raise TypeError(f"expected an array, got {type(data).__name__}")
            return _Page(tuple(TokenMetadata.from_okta_json(item) for item in data), _next_link(response))
    except (ValidationError, TypeError) as exc:
        reason = _validation_reason(exc)
        raise OktaTokenError(
            f"Okta answered {method} {url} with HTTP {status} and JSON that is not "
            f"{'a list of API tokens' if kind.startswith('List') else 'an API token'} ({reason}): "
            f"{_snippet(body)!r}"
        ) from exc
    return data


def _validation_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc)


def _next_link(response: Any) -> str | None:
    for rel, link in response.links.items():
        if str(rel).lower() == "next" and link.get("url") is not None:
            return urljoin(str(response.url), str(link["url"]))
    return None


def _expect(data: Any, kind: type[T], method: str, url: str) -> T:
    if not isinstance(data, kind):
        raise OktaTokenError(
            f"Okta answered {method} {url} with an empty body where {kind.__name__} was expected"
        )
    return data


def _unpack(result: Any) -> Any:
    """The data of an SDK result, raising its error.

    Generated methods (and ``_get_url``) return ``(data, response, error)``; revoke returns
    ``(response, error)`` on HTTP errors. Here HTTP errors are raised by ``_HttpClient`` before the SDK
    can wrap them; an error object the SDK still returns (``OktaAPIError``, or ``HTTPError`` for a
    non-JSON body) is raised as the typed error.
    """
    if not isinstance(result, tuple) or len(result) not in (2, 3):
        return result
    error = result[-1]
    if error is not None:
        raise _sdk_error(error)
    return result[0] if len(result) == 3 else None


def _sdk_error(error: Any) -> Exception:
    """An error object the SDK returned, as one of ours."""
    status = getattr(error, "status", None)
    if not isinstance(status, int):
        return OktaTokenError(f"The Okta SDK failed: {type(error).__name__}: {error}")
    causes = [
        str(cause.get("errorSummary"))
        for cause in getattr(error, "error_causes", None) or []
        if isinstance(cause, Mapping) and cause.get("errorSummary")
    ]
    summary = getattr(error, "error_summary", None) or getattr(error, "message", "") or str(error)
    return api_error_class(status)(
        status=status,
        error_code=str(getattr(error, "error_code", "") or ""),
        error_summary=str(summary),
        error_id=str(getattr(error, "error_id", "") or ""),
        error_causes=causes,
        url=str(getattr(error, "url", "") or ""),
    )


# --------------------------------------------------------------------------------------------
# HTTP: the SDK's HTTPClient with our proxy, TLS, timeout, logging and error handling


class _HttpClient(HTTPClient):
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
        error = api_error(status, response_body, method=str(response_details.method), url=url)
        raise _ErrorAnswer(error, response_details.headers)


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
def _user_agent() -> str:
    try:
        from importlib.metadata import version

        return f"pulumi-okta-token/{version('pulumi-okta-token')}"
    except Exception:
        return "pulumi-okta-token"


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
# Errors and retries


class _ErrorAnswer(Exception):
    """Okta answered with an error status; carries the typed error and the headers for retrying."""

    def __init__(self, error: OktaApiError, headers: Mapping[str, str]) -> None:
        super().__init__(str(error))
        self.error = error
        self.headers = headers
        self.received = time.time()

    def retry_delay(self, retries: int) -> float:
        return retry_delay(self.error.status, self.headers, retries, now=self.received)


def api_error(status: int, body: str, *, method: str = "", url: str = "") -> OktaApiError:
    """The typed error for an error answer: Okta's error JSON, an OAuth error, or any other body."""
    try:
        data = json.loads(body) if body.strip() else None
    except ValueError:
        data = None
    cls = api_error_class(status)
    if isinstance(data, Mapping) and ("errorCode" in data or "errorSummary" in data):
        causes = [
            str(cause["errorSummary"])
            for cause in data.get("errorCauses") or []
            if isinstance(cause, Mapping) and cause.get("errorSummary")
        ]
        return cls(
            status=status,
            error_code=str(data.get("errorCode") or ""),
            error_summary=str(data.get("errorSummary") or ""),
            error_id=str(data.get("errorId") or ""),
            error_causes=causes,
            method=method,
            url=url,
        )
    if isinstance(data, Mapping) and isinstance(data.get("error"), str):
        return cls(
            status=status,
            error_code=data["error"],
            error_summary=str(data.get("error_description") or data["error"]),
            method=method,
            url=url,
        )
    snippet = _snippet(body)
    summary = (
        f"Okta answered with a body that is not Okta's error JSON: {snippet!r}"
        if snippet
        else ("Okta answered with an empty body")
    )
    return cls(status=status, error_summary=summary, method=method, url=url)


def retry_delay(status: int, headers: Mapping[str, str], retries: int, now: float | None = None) -> float:
    """Seconds to wait before retry number ``retries + 1``.

    429: until ``X-Rate-Limit-Reset`` (epoch seconds), measured from the answer's ``Date`` (the server's
    clock) or, without one, from ``now``; 5xx or no usable header: ``Retry-After`` seconds, else an
    exponential back-off from 0.5 s.
    """
    moment = time.time() if now is None else now
    if status == 429:
        reset = _min_float(_all(headers, "X-Rate-Limit-Reset"))
        if reset is not None:
            server_now = _http_date(headers.get("Date")) or moment
            return max(0.0, reset - server_now)
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


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


# --------------------------------------------------------------------------------------------
# Running a coroutine from synchronous code


def _run(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine in a fresh loop; in a worker thread when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_in_new_loop(factory)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="okta-api") as pool:
        return pool.submit(_run_in_new_loop, factory).result()


def _run_in_new_loop(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Like ``asyncio.run`` but without touching the thread's current event loop or signal handlers."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(factory())
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()
