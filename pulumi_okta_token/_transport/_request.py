"""The request layer: one request to the org, whatever the endpoint, until it is answered or given up.

``OktaRequests.send`` takes a method, a URL and the SDK call that makes the request, and adds what every
request needs; it knows no path, no model and no id (the endpoint modules do):

* **authorization**: the ``Authorization`` header from the settings: ``SSWS <api token>``,
  ``Bearer <access token>``, or, for a service app's private key, a ``Bearer`` token from the org's
  OAuth token endpoint (``_oauth``), cached per process and fetched again once after a 401;
* **the deadline**: each request, its retries and waits included, is bounded by ``request_timeout``
  (``okta:requestTimeout``); no answer within it raises ``TransportError``;
* **retries**: 429 waits for ``X-Rate-Limit-Reset`` (one second at least) and 500/502/503/504 back off
  (``_answers.retry_delay``), at most ``max_retries`` times and never past the deadline; other error
  answers raise their typed error at once (``NotFound`` only for Okta's E0000007);
* **transport failures** (refused, dropped, TLS, proxy) raise ``TransportError`` and are never retried:
  a dropped PUT may have been applied.

Every retry decision is made in ``_exchange`` and every attempt goes through ``_attempt``: that is where
a shared pacing of requests by ``X-Rate-Limit-*`` would wait before sending. Coroutines are run from
synchronous code by ``_loop.run``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn, TypeVar

from ..config import OktaSettings, PrivateKeyAuth
from ..errors import TransportError
from . import _oauth, _sdk
from ._answers import RETRYABLE_STATUSES, Answer, ErrorAnswer

__all__ = ["OktaRequests"]

_LOG = logging.getLogger("pulumi_okta_token._transport")

T = TypeVar("T")


class OktaRequests:
    """Requests to one org with its credentials. Holds no connection; safe to share between threads."""

    def __init__(self, settings: OktaSettings) -> None:
        self._settings = settings

    def __reduce__(self) -> NoReturn:
        raise TypeError("OktaRequests holds credentials and is never pickled")

    def __repr__(self) -> str:
        return f"OktaRequests({self._settings.org_url!r})"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (``/api/v1/...``) in the org. Build paths from checked ids only."""
        return f"{self._settings.org_url}{path}"

    async def send(self, api_class: type[Any], method: str, url: str, call: _sdk.SdkCall) -> Answer:
        """Make ``call`` on an ``api_class`` object (an ``okta.api.*`` class), retrying as the module says;
        the answer (``Answer.empty`` when it had no body). ``method`` and ``url`` name the request in
        errors and logs."""
        answer = await self._exchange(
            method, url, lambda authorization: _sdk.call(self._settings, api_class, authorization, call)
        )
        return Answer.empty(method, url) if answer is None else answer

    async def get(self, url: str) -> Answer:
        """GET an absolute URL of the org through the SDK's request executor, with no generated method
        (a next page, or a read the SDK does not cover)."""
        return await self.send(_sdk.ApiClient, "GET", url, functools.partial(_sdk.get_url, url))

    # -- one exchange: authorization, the attempt, retries ----------------------------------

    async def _exchange(self, method: str, url: str, attempt: Callable[[str], Awaitable[T]]) -> T:
        """One request (and its retries), bounded as a whole by ``request_timeout``."""
        deadline = time.monotonic() + self._settings.request_timeout
        retries = 0
        renewed_token = False
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise asyncio.TimeoutError
                return await asyncio.wait_for(self._attempt(attempt), remaining)
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

    async def _attempt(self, attempt: Callable[[str], Awaitable[T]]) -> T:
        """One attempt, given the Authorization header's value."""
        return await attempt(await self._authorization())

    # -- the Authorization header -----------------------------------------------------------

    async def _authorization(self) -> str:
        auth = self._settings.auth
        if not isinstance(auth, PrivateKeyAuth):
            return auth.authorization
        url = _oauth.token_url(self._settings.org_url)
        key = _oauth.AccessTokenCache.key(auth, url)
        token = await _oauth.CACHE.obtain(key, lambda: self._fetch_access_token(auth, url))
        return token.authorization

    async def _fetch_access_token(self, auth: PrivateKeyAuth, url: str) -> _oauth.AccessToken:
        try:
            body = await _sdk.post_form(self._settings, url, _oauth.token_request_form(auth, url))
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


async def _sleep(seconds: float) -> None:
    """Wait before a retry (tests replace it to record the waits)."""
    await asyncio.sleep(seconds)
