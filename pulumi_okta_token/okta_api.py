"""The Okta API-token calls the provider makes: a synchronous facade over the official SDK.

Requests go through ``okta.api.api_token_api.ApiTokenApi`` and its ``RequestExecutor`` (never
``okta.client``, which costs seconds to import). Every SDK defect of FACTS.md §3 is handled here:

* the Authorization header is the documented ``SSWS <token>`` / ``Bearer <token>`` (the SDK's
  generated methods send no space): each call passes ``_request_auth``;
* HTTP errors never come back as tuples: ``_http.HttpClient.check_response_for_error`` raises the typed
  errors of ``errors.py`` (status, errorCode, errorSummary, errorId, errorCauses), whatever the body;
  the tuple shapes the SDK can still return, the 2-tuple of revoke included, go through ``_unpack``;
* no HTTP answer (refused, dropped, TLS, proxy, timeout) raises ``TransportError`` with the cause
  chained, instead of the SDK's ``AttributeError: 'NoneType' object has no attribute 'status'``;
  it is not retried (aiohttp's own silent resend of a dropped idempotent request is switched off);
* retries are ours: the SDK's are turned off (``maxRetries`` 0, it crashes without ``Date`` and
  ``X-Rate-Limit-Reset``); 429 waits for ``X-Rate-Limit-Reset`` (one second at least),
  500/502/503/504 back off, all bounded by ``max_retries``, and each exchange (retries and waits
  included) by ``request_timeout``;
* a 404 is ``NotFound`` only with Okta's own error JSON and ``errorCode`` E0000007; any other 404 (a
  proxy's or CDN's page) is a plain ``OktaApiError``, so nothing is taken for revoked on its word;
* answers are checked to be about what was asked: a token id must be ``00T`` and 17 letters or digits
  before any URL is built from it, and a GET or PUT answered with another token's JSON raises
  ``WrongTokenAnswer``;
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
import functools
import http.client
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar
from urllib.parse import urljoin, urlsplit

from okta.api.api_token_api import ApiTokenApi
from okta.cache.no_op_cache import NoOpCache
from okta.http_client import HTTPClient
from okta.models.api_token_update import ApiTokenUpdate
from okta.request_executor import RequestExecutor
from pydantic import ValidationError

from . import _oauth
from ._http import (
    ErrorAnswer,
    HttpClient,
    api_error,
    not_oktas_not_found,
    proxy_for,
    retry_delay,
    snippet,
    user_agent,
)
from .config import OktaSettings, PrivateKeyAuth
from .errors import NOT_FOUND_CODE, OktaTokenError, TransportError, WrongTokenAnswer, api_error_class
from .models import TOKEN_ID_RE, TokenMetadata

__all__ = ["RETRYABLE_STATUSES", "OktaApiTokens", "api_error", "proxy_for", "retry_delay"]

_LOG = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses retried (every call here is idempotent)."""

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
        """The token's metadata; ``NotFound`` when Okta has no active token with that id.

        Raises ``OktaTokenError`` (no request) for an id that is not a token id, and
        ``WrongTokenAnswer`` when the answer is about another token.
        """
        token_id = _checked_token_id(token_id)
        return _run(lambda: self._get(token_id))

    def list(self) -> list[TokenMetadata]:
        """Every active token of the org, following ``Link rel="next"`` pages (same origin only).

        Each page's request, with its retries, is bounded by ``request_timeout``.
        """
        return _run(self._list)

    def update(self, token_id: str, body: dict[str, Any]) -> TokenMetadata:
        """PUT ``body`` (``models.update_body(...)``) and return the token as Okta now has it.

        Raises ``OktaTokenError`` (no request) for an id that is not a token id, and
        ``WrongTokenAnswer`` when the answer is about another token (the PUT may have been applied).
        """
        token_id = _checked_token_id(token_id)
        return _run(lambda: self._update(token_id, body))

    def revoke(self, token_id: str) -> None:
        """Revoke the token; ``NotFound`` when it is already gone (the caller decides what that means).

        Raises ``OktaTokenError`` (no request) for an id that is not a token id.
        """
        token_id = _checked_token_id(token_id)
        _run(lambda: self._revoke(token_id))

    # -- the calls -------------------------------------------------------------------------

    async def _get(self, token_id: str) -> TokenMetadata:
        url = f"{self._settings.org_url}{_TOKENS_PATH}/{token_id}"
        data = await self._exchange(
            "GET", url, lambda api, auth: api.get_api_token(token_id, _request_auth=auth)
        )
        return _about(token_id, _expect(data, TokenMetadata, "GET", url), "GET", url)

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
        return _about(token_id, _expect(data, TokenMetadata, "PUT", url), "PUT", url)

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
            except ErrorAnswer as answer:
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

    def _retry_wait(self, answer: ErrorAnswer, retries: int, deadline: float) -> float | None:
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
        headers = {"Accept": "application/json", "User-Agent": user_agent()}
        client = HttpClient({"headers": headers}, settings=self._settings)
        request = {"method": "POST", "url": url, "headers": {}, "data": None,
                   "form": _oauth.token_request_form(auth, url)}  # fmt: skip
        _, response, body, _ = await client.send_request(request)
        try:
            client.check_response_for_error(url, response, body)
        except ErrorAnswer as answer:
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
            "userAgent": user_agent(),
        }
    }
    with _sdk_logging_untouched():
        api = _TokenApi(config)
    api._request_executor = RequestExecutor(  # type: ignore[no-untyped-call]
        config,
        NoOpCache(),  # type: ignore[no-untyped-call]
        functools.partial(HttpClient, settings=settings),
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
            f"Okta answered {method} {url} with HTTP {status} and a body that is not JSON: {snippet(body)!r}"
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
            f"{snippet(body)!r}"
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


def _checked_token_id(token_id: object) -> str:
    """``token_id`` when it is a whole Okta API token id; no URL is ever built from anything else."""
    if isinstance(token_id, str) and TOKEN_ID_RE.fullmatch(token_id):
        return token_id
    raise OktaTokenError(
        f"{_shown(token_id)} is not an Okta API token id ('00T' followed by 17 letters or digits, "
        "as in 00T1gtr35t8ZbfBfV1d7); nothing was sent to Okta"
    )


def _shown(value: object, limit: int = 40) -> str:
    """A value for an error message: quoted, control characters escaped, cut to ``limit`` characters."""
    if not isinstance(value, str):
        return f"A value of type {type(value).__name__}"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value)} characters)"


def _about(token_id: str, token: TokenMetadata, method: str, url: str) -> TokenMetadata:
    """``token`` when it is the token asked for; ``WrongTokenAnswer`` when it carries another id."""
    if token.id == token_id:
        return token
    applied = f"; whether the PUT changed {token_id} is unknown" if method == "PUT" else ""
    raise WrongTokenAnswer(
        f"Okta's answer to {method} {url} is about token {_shown(token.id)}, not {token_id}: a proxy or "
        f"cache may have mixed up answers, or Okta erred. The answer is not used and nothing more is "
        f"sent{applied}. Run the operation again; if it repeats, check what answers for the org URL",
        asked_id=token_id,
        answered_id=token.id,
        method=method,
        url=url,
    )


def _expect(data: Any, kind: type[T], method: str, url: str) -> T:
    if not isinstance(data, kind):
        raise OktaTokenError(
            f"Okta answered {method} {url} with an empty body where {kind.__name__} was expected"
        )
    return data


def _unpack(result: Any) -> Any:
    """The data of an SDK result, raising its error.

    Generated methods (and ``_get_url``) return ``(data, response, error)``; revoke returns
    ``(response, error)`` on HTTP errors. Here HTTP errors are raised by ``HttpClient`` before the SDK
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
