"""What Okta's answers mean, read without sending anything: success bodies, error bodies, retry timing.

* ``Answer``: a 2xx answer whose body is JSON (``parse_answer`` says so clearly when it is not), with its
  ``Link rel="next"`` target; ``one`` / ``each`` read it with an endpoint's model and say clearly what
  came back when it is not that (an empty body, an array for an object, a missing field);
* ``api_error``: an error answer as the typed error of ``errors.py`` (Okta's error JSON, an OAuth error,
  or any other body quoted in short); a 404 is ``NotFound`` only with Okta's JSON and ``errorCode``
  E0000007, so a proxy's or CDN's page never makes a token look revoked;
* ``ErrorAnswer``: that error with the answer's headers, raised by the HTTP client for the request layer
  to retry or raise;
* ``retry_delay``: how long to wait before retrying 429 (until ``X-Rate-Limit-Reset`` by the server's
  clock, one second at least) and 500/502/503/504 (``Retry-After``, else an exponential back-off);
* ``rate_limit``: what an answer's ``X-Rate-Limit-*`` headers say, for the pacing of requests
  (``_budget``), read with the same header readers (every value of a repeated header, numbers, dates).
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from ..errors import NOT_FOUND_CODE, NotFound, OktaApiError, OktaTokenError, api_error_class

__all__ = [
    "RETRYABLE_STATUSES",
    "Answer",
    "ErrorAnswer",
    "RateLimit",
    "api_error",
    "not_oktas_not_found",
    "parse_answer",
    "rate_limit",
    "retry_delay",
    "snippet",
    "validation_reason",
]

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses retried (every call the transport makes is idempotent)."""

_BACKOFF_FIRST = 0.5
_BACKOFF_MAX = 8.0
_RATE_LIMIT_MIN_WAIT = 1.0  # the Okta SDK waits "reset - date + 1" s, so one second when reset is now

# --------------------------------------------------------------------------------------------
# Success answers


@dataclass(frozen=True)
class Answer:
    """A 2xx answer: what was asked, what came back (JSON not yet checked), and the next page if any."""

    method: str
    url: str
    status: int | None
    """None when the answer had no body to read (a 204, or a status the SDK maps to no type)."""
    body: str
    data: Any
    """The body's JSON, not yet checked against any model."""
    next_url: str | None = None
    """The absolute ``Link: <...>; rel="next"`` target, not yet checked to stay in the org."""

    @classmethod
    def empty(cls, method: str, url: str) -> Answer:
        """An answer with no body."""
        return cls(method=method, url=url, status=None, body="", data=None)

    def one(self, parse: Callable[[Any], T], expected: str) -> T:
        """The body's JSON object as ``parse`` (a model's validator) reads it; ``OktaTokenError`` naming
        ``expected`` (``"an API token"``) and quoting the body when it is not one."""
        data = self._json(expected)
        if not isinstance(data, Mapping):
            raise self.shape_error(expected, f"expected an object, got {type(data).__name__}")
        return self._parsed(lambda: parse(data), expected)

    def each(self, parse: Callable[[Any], T], expected: str) -> list[T]:
        """Each item of the body's JSON array as ``parse`` reads it; ``OktaTokenError`` naming ``expected``
        (``"a list of API tokens"``) when the body is not such an array."""
        data = self._json(expected)
        if not isinstance(data, list):
            raise self.shape_error(expected, f"expected an array, got {type(data).__name__}")
        return self._parsed(lambda: [parse(item) for item in data], expected)

    def shape_error(self, expected: str, reason: str) -> OktaTokenError:
        """The error for JSON that is not ``expected``, quoting the body in short."""
        return OktaTokenError(
            f"Okta answered {self.method} {self.url} with HTTP {self.status} and JSON that is not "
            f"{expected} ({reason}): {snippet(self.body)!r}"
        )

    def _json(self, expected: str) -> Any:
        if self.status is None:
            raise OktaTokenError(
                f"Okta answered {self.method} {self.url} with an empty body where {expected} was expected"
            )
        return self.data

    def _parsed(self, parse: Callable[[], T], expected: str) -> T:
        try:
            return parse()
        except (ValidationError, TypeError) as exc:
            raise self.shape_error(expected, validation_reason(exc)) from exc


def parse_answer(method: str, url: str, status: int, body: str, next_url: str | None = None) -> Answer:
    """The ``Answer`` for a 2xx body; ``OktaTokenError`` quoting the body when it is not JSON."""
    try:
        data = json.loads(body)
    except ValueError:
        raise OktaTokenError(
            f"Okta answered {method} {url} with HTTP {status} and a body that is not JSON: {snippet(body)!r}"
        ) from None
    except RecursionError:
        raise OktaTokenError(
            f"Okta answered {method} {url} with HTTP {status} and JSON nested too deep to read "
            f"(no Okta answer is): {snippet(body, 60)!r}"
        ) from None
    return Answer(method=method, url=url, status=status, body=body, data=data, next_url=next_url)


def validation_reason(exc: Exception) -> str:
    """The first reason pydantic gives (``id: Field required``), or the exception's text."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc)


# --------------------------------------------------------------------------------------------
# Error answers


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


# --------------------------------------------------------------------------------------------
# Retry timing


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


@dataclass(frozen=True)
class RateLimit:
    """What one answer's ``X-Rate-Limit-Limit``, ``-Remaining`` and ``-Reset`` headers say."""

    limit: int
    remaining: int
    reset: float
    """When the window ends, in epoch seconds of the server's clock."""
    reset_in: float
    """Seconds from the answer to the reset, by the server's clock (its ``Date``; else ``now``); may be
    0 or less for a window that ends in the answer's second or has ended."""


def rate_limit(headers: Mapping[str, str], now: float | None = None) -> RateLimit | None:
    """The answer's rate-limit headers; ``None`` unless all three are there and are numbers (a server
    without limits, or a proxy's answer). ``now`` (epoch seconds) stands in for a missing ``Date``."""
    limit = _min_float(_all(headers, "X-Rate-Limit-Limit"))
    remaining = _min_float(_all(headers, "X-Rate-Limit-Remaining"))
    reset = _min_float(_all(headers, "X-Rate-Limit-Reset"))
    if limit is None or remaining is None or reset is None:
        return None
    if not all(math.isfinite(number) for number in (limit, remaining, reset)) or limit < 1:
        return None
    server_now = _http_date(headers.get("Date"))
    if server_now is None:
        server_now = time.time() if now is None else now
    return RateLimit(int(limit), max(int(remaining), 0), reset, reset - server_now)


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
    """``text`` on one line, cut to ``limit`` characters: safe to quote in an error message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."
