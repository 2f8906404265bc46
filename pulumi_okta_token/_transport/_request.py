"""The request layer: one request to the org, whatever the endpoint, until it is answered or given up.

``OktaRequests.send`` takes a method, a URL and the SDK call that makes the request, and adds what every
request needs; it knows no path, no model and no id (the endpoint modules do):

* **authorization**: the ``Authorization`` header from the settings: ``SSWS <api token>``,
  ``Bearer <access token>``, or, for a service app's private key, a ``Bearer`` token from the org's
  OAuth token endpoint (``_oauth``), cached per process and fetched again once after a 401;
* **the rate-limit budget**: every attempt is first admitted by the process's budget for the org and
  credential (``_budget``), which waits while Okta's ``X-Rate-Limit-*`` headers leave no more than the
  headroom (``rate_limit_headroom``), and after a 429. Those waits are not failures and not retries:
  each call may wait ``rate_limit_wait`` seconds in all (``okta:rateLimitWait``), and a wait that would
  pass that raises ``RateLimited`` at once, naming the setting;
* **the deadline**: each request, its attempts and its waits before retrying a 5xx included, is bounded
  by ``request_timeout`` (``okta:requestTimeout``); no answer within it raises ``TransportError``. Time
  spent waiting for rate-limit budget does not count against it;
* **retries**: 500/502/503/504 back off (``_answers.retry_delay``), as does a 429 that gives no reset
  to wait for (no ``X-Rate-Limit-*`` headers, or a reset that is already due), at most ``max_retries``
  times and never past the deadline; a 429 with a reset to come is waited out by the budget and does
  not use a retry. Other error answers raise their typed error at once (``NotFound`` only for Okta's
  E0000007);
* **transport failures** (refused, dropped, TLS, proxy) raise ``TransportError`` and are never retried:
  a dropped PUT may have been applied.

Every retry decision is made in ``_exchange`` and every attempt goes through ``_attempt``. Coroutines
run on the transport's loop thread (``_loop.run``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn, TypeVar

from .._settings import OktaSettings, PrivateKeyAuth
from ..errors import RateLimited, TransportError
from . import _budget, _oauth, _sdk
from ._answers import RETRYABLE_STATUSES, Answer, ErrorAnswer, rate_limit

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
            method,
            url,
            lambda authorization, observe: _sdk.call(self._settings, api_class, authorization, call, observe),
        )
        return Answer.empty(method, url) if answer is None else answer

    async def connect_ahead(self) -> None:
        """Open the org's connection (TCP, TLS) before the first request needs it; sends no request and
        never raises (``_ahead``)."""
        await _sdk.connect_ahead(self._settings)

    async def get(self, url: str) -> Answer:
        """GET an absolute URL of the org through the SDK's request executor, with no generated method
        (a next page, or a read the SDK does not cover)."""
        return await self.send(_sdk.ApiClient, "GET", url, functools.partial(_sdk.get_url, url))

    # -- one exchange: authorization, the attempt, retries ----------------------------------

    async def _exchange(
        self, method: str, url: str, attempt: Callable[[str, _sdk.Observer], Awaitable[T]]
    ) -> T:
        """One request (and its retries), bounded by ``request_timeout`` besides rate-limit waits."""
        budget = _budget.budget_for(self._settings)
        allowance = _budget.allowance(self._settings.rate_limit_wait)
        deadline = time.monotonic() + (self._settings.timeout_seconds or math.inf)  # requestTimeout 0: none
        retries = 0
        sent = 0
        renewed_token = False
        last_429: ErrorAnswer | None = None
        while True:
            started = time.monotonic()
            ticket = await self._admitted(budget, allowance, method, url, last_429, sent)
            deadline += time.monotonic() - started  # waiting for the budget is not the request's time
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise asyncio.TimeoutError
                sent += 1
                limit = None if math.isinf(remaining) else remaining
                return await asyncio.wait_for(self._attempt(attempt, ticket.observe), limit)
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
                if _waits_for_a_window(answer):
                    last_429 = answer  # the budget waits for the reset: not a retry
                    continue
                delay = self._retry_wait(answer, retries, deadline)
                if delay is None:
                    if answer.error.status == 429:
                        raise self._gave_up(answer, retries, deadline, sent) from None
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
                if answer.error.status == 429:
                    last_429 = answer  # the budget holds the other requests back meanwhile
                await _sleep(delay)
            finally:
                ticket.release()

    async def _admitted(
        self,
        budget: _budget.Budget,
        allowance: _budget.Allowance,
        method: str,
        url: str,
        last_429: ErrorAnswer | None,
        sent: int,
    ) -> _budget.Ticket:
        """The budget's admission for the next attempt; ``RateLimited`` when waiting for it would pass
        what the call has left of ``rate_limit_wait``."""
        try:
            return await budget.admit(self._settings.rate_limit_headroom, allowance)
        except _budget.WaitTooLong as too_long:
            raise _waited_too_long(too_long, method, url, last_429, sent) from None

    def _gave_up(self, answer: ErrorAnswer, retries: int, deadline: float, sent: int) -> RateLimited:
        """The error for a 429 not retried: which bound stopped it (``maxRetries``, or a ``Retry-After``
        past what is left of ``requestTimeout``), after how many requests, and the setting to change."""
        settings = self._settings
        requests = _requests(sent)
        if retries >= settings.max_retries:
            bound = (
                f"Okta answered 429 to {requests} of this call, the first and the {settings.max_retries} "
                f"retries okta:maxRetries allows, and gave no reset to wait for. Run again in a minute, or "
                "raise okta:maxRetries / OKTA_MAX_RETRIES"
            )
        else:
            delay = answer.retry_delay(retries)
            left = max(deadline - time.monotonic(), 0.0)
            bound = (
                f"Okta asked to wait {delay:.0f} s before trying again (Retry-After), more than the "
                f"{left:.0f} s left of okta:requestTimeout ({settings.request_timeout:g} s per call), so it "
                f"was not retried after {requests}. Run again later, or raise okta:requestTimeout / "
                "OKTA_REQUEST_TIMEOUT"
            )
        return _rate_limited(answer, bound)

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

    async def _attempt(
        self, attempt: Callable[[str, _sdk.Observer], Awaitable[T]], observe: _sdk.Observer
    ) -> T:
        """One attempt, given the Authorization header's value and who is told the answer's headers."""
        return await attempt(await self._authorization(), observe)

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


def _waits_for_a_window(answer: ErrorAnswer) -> bool:
    """A 429 whose ``X-Rate-Limit-Reset`` is still to come: the budget waits for it, no retry is used."""
    if answer.error.status != 429:
        return False
    limits = rate_limit(answer.headers, now=answer.received)
    return limits is not None and limits.reset_in > 0


def _requests(sent: int) -> str:
    return f"{sent} request{'s' if sent != 1 else ''}"


def _rate_limited(answer: ErrorAnswer, bound: str) -> RateLimited:
    """Okta's 429 as ``RateLimited``, its summary followed by what stopped the call (``bound``)."""
    error = answer.error
    return RateLimited(
        status=error.status,
        error_code=error.error_code,
        error_summary=f"{error.error_summary} {bound}".strip(),
        error_id=error.error_id,
        error_causes=error.error_causes,
        method=error.method,
        url=error.url,
    )


def _waited_too_long(
    too_long: _budget.WaitTooLong, method: str, url: str, last_429: ErrorAnswer | None, sent: int
) -> RateLimited:
    """The error for a rate-limit wait that would pass ``okta:rateLimitWait``: Okta's 429 when there was
    one, with what the wait would have been; else the budget's own account (no 429 came). Either says
    how many requests the call sent."""
    allowance = too_long.allowance
    wait = "for longer" if math.isinf(too_long.wait) else f"{too_long.wait:.0f} s"
    bound = (
        f"waiting {wait} for Okta's rate limit to reset would pass okta:rateLimitWait "
        f"({allowance.total:g} s of waiting per call, {max(allowance.left, 0.0):.0f} s of it left), so the "
        f"call stopped after {_requests(sent)}, without a retry. Raise okta:rateLimitWait / "
        "OKTA_RATE_LIMIT_WAIT, or run again when other clients of this credential use less of its rate limit"
    )
    if last_429 is not None:
        error = last_429.error
        return RateLimited(
            status=error.status,
            error_code=error.error_code,
            error_summary=f"{error.error_summary} Then {bound}",
            error_id=error.error_id,
            error_causes=error.error_causes,
            method=method,
            url=url,
        )
    nothing = "; nothing was sent" if sent == 0 else ""
    return RateLimited(
        status=429,
        error_summary=(
            "No 429 came, but Okta's rate-limit headers show this credential's limit used up (past the "
            f"headroom, okta:rateLimitHeadroom), and {bound}{nothing}"
        ),
        method=method,
        url=url,
    )


async def _sleep(seconds: float) -> None:
    """Wait before a retry (tests replace it to record the waits)."""
    await asyncio.sleep(seconds)
