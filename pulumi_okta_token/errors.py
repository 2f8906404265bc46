"""The errors this package raises.

Every error carries enough context for a person to act on it without reading a traceback::

    OktaTokenError                  base of everything below
    ├── ConfigurationError          credentials or org URL missing, conflicting or unsafe
    ├── AdoptionError               a declared token cannot be adopted (absent, or an assertion differs)
    ├── TransportError              no HTTP answer: refused, reset, TLS, timeout (``__cause__`` kept)
    ├── UntrustedAnswer             a success answer that cannot be what was asked for; nothing follows it
    │   ├── WrongTokenAnswer        the answer is about another token than the one asked for
    │   └── ChangeNotApplied        a PUT answered 200, but the token does not show the declared values
    └── OktaApiError                Okta answered with an error status
        ├── ValidationFailed        400 E0000001, with Okta's ``errorCauses``
        ├── Unauthorized            401 E0000011
        ├── Forbidden               403 E0000006
        ├── NotFound                404 with Okta's own E0000007 (any other 404 is a plain OktaApiError)
        ├── RateLimited             429 E0000047, after retries ran out
        └── ServerError             5xx, after retries ran out

``OktaApiError`` text reads ``<summary> (HTTP <status>, <errorCode>, errorId <errorId>)`` followed by
the error causes, so the gRPC error a Pulumi user sees names what Okta said.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AdoptionError",
    "ChangeNotApplied",
    "ConfigurationError",
    "Forbidden",
    "NotFound",
    "OktaApiError",
    "OktaTokenError",
    "RateLimited",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "UntrustedAnswer",
    "ValidationFailed",
    "WrongTokenAnswer",
]


class OktaTokenError(Exception):
    """Base class of every error raised by pulumi-okta-token."""


class ConfigurationError(OktaTokenError):
    """The provider cannot tell which org to call or with which credentials."""


class AdoptionError(OktaTokenError):
    """A declared token cannot be adopted: it does not exist, or it differs from the declaration."""


class TransportError(OktaTokenError):
    """The request got no HTTP answer (connection refused or dropped, TLS failure, timeout)."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class UntrustedAnswer(OktaTokenError):
    """Okta answered with success, but the answer cannot be what was asked for (a misrouting proxy or
    cache, or an Okta defect). Nothing is written to the state or to Okta after such an answer."""


class WrongTokenAnswer(UntrustedAnswer):
    """An answer about a token carries another token's id."""

    def __init__(
        self, message: str, *, asked_id: str, answered_id: str, method: str = "", url: str = ""
    ) -> None:
        super().__init__(message)
        self.asked_id = asked_id
        self.answered_id = answered_id
        self.method = method
        self.url = url


class ChangeNotApplied(UntrustedAnswer):
    """A PUT was answered 200, but the token Okta returned does not show the declared values."""

    def __init__(self, message: str, *, token_id: str, fields: Sequence[str]) -> None:
        super().__init__(message)
        self.token_id = token_id
        self.fields = list(fields)


class OktaApiError(OktaTokenError):
    """Okta answered with an error status; the attributes hold what it said."""

    def __init__(
        self,
        *,
        status: int,
        error_code: str = "",
        error_summary: str = "",
        error_id: str = "",
        error_causes: Sequence[str] = (),
        method: str = "",
        url: str = "",
    ) -> None:
        self.status = status
        self.error_code = error_code
        self.error_summary = error_summary
        self.error_id = error_id
        self.error_causes = list(error_causes)
        self.method = method
        self.url = url
        super().__init__(self._describe())

    def _describe(self) -> str:
        """One line: what Okta said is its text (``errorSummary``, code, id, causes), so it is made
        terminal-safe (``_text.one_line``): a summary's newline or escape sequence is shown, not obeyed.
        The attributes keep it as Okta sent it."""
        from ._text import one_line  # _text needs the models; this module stays light

        summary = self.error_summary or "Okta returned an error"
        details = [f"HTTP {self.status}"]
        if self.error_code:
            details.append(self.error_code)
        if self.error_id:
            details.append(f"errorId {self.error_id}")
        text = f"{summary} ({', '.join(details)})"
        if self.method and self.url:
            text += f" on {self.method} {self.url}"
        if self.error_causes:
            text += "; causes: " + "; ".join(self.error_causes)
        return one_line(text, limit=None)


class ValidationFailed(OktaApiError):
    """400: Okta refused the request body; ``error_causes`` names the fields."""


class Unauthorized(OktaApiError):
    """401: the credentials were not accepted (wrong, revoked or expired)."""


class Forbidden(OktaApiError):
    """403: the credentials lack the permission or OAuth scope for this call."""


class NotFound(OktaApiError):
    """404 whose body is Okta's error JSON with ``errorCode`` E0000007: no active token with that id
    (never created, or revoked). A 404 in any other shape (a proxy's or CDN's page) is not this."""


class RateLimited(OktaApiError):
    """429: Okta's rate limit stopped a call. The summary says which bound did (``okta:rateLimitWait``,
    ``okta:maxRetries``, or a ``Retry-After`` past ``okta:requestTimeout``), after how many requests, and
    the setting that changes it."""


class ServerError(OktaApiError):
    """5xx: Okta failed through every retry."""


NOT_FOUND_CODE = "E0000007"
"""Okta's ``errorCode`` for "no such resource": the only 404 that means a token is gone."""

_BY_STATUS: dict[int, type[OktaApiError]] = {
    400: ValidationFailed,
    401: Unauthorized,
    403: Forbidden,
    429: RateLimited,
}


def api_error_class(status: int, error_code: str = "") -> type[OktaApiError]:
    """The error class for an HTTP status and Okta's ``errorCode``: ``NotFound`` only for a 404 with
    E0000007, ``ServerError`` for 5xx, the base for statuses (and 404s) not listed."""
    if status >= 500:
        return ServerError
    if status == 404:
        return NotFound if error_code == NOT_FOUND_CODE else OktaApiError
    return _BY_STATUS.get(status, OktaApiError)
