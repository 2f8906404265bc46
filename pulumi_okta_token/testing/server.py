"""The fake org's HTTP layer (aiohttp): routes, authentication, rate limits, faults, journal, errors.

Each request goes through the same steps, in Okta's order: an injected fault (if one matches), the
rate limit of its endpoint family, authentication (401), scopes (403), then one thin operation that
calls the backend and renders the result. The backend's domain errors become Okta's error JSON here.
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from .backend import READ_ONLY_ADMIN, SUPER_ADMIN, Cause, FakeOrg, InvalidRequest, TokenNotFound
from .oauth import OAuthError, token_grant

__all__ = [
    "DEFAULT_RATE_LIMIT",
    "Controls",
    "Fault",
    "JournalEntry",
    "build_app",
    "path_matches",
]

DEFAULT_RATE_LIMIT = 300
"""Requests per endpoint family per minute (what real recordings show for ``/api/v1/api-tokens*``)."""

MAX_LIMIT = 200
TOKENS_PATH = "/api/v1/api-tokens"
CURRENT_PATH = TOKENS_PATH + "/current"
TOKEN_ENDPOINT = "/oauth2/v1/token"
READ_SCOPES = frozenset({"okta.apiTokens.read", "okta.apiTokens.manage"})
MANAGE_SCOPES = frozenset({"okta.apiTokens.manage"})

_SUMMARIES = {
    "E0000001": "Api validation failed: {}",
    "E0000003": "The request body was not well-formed.",
    "E0000006": "You do not have permission to perform the requested action",
    "E0000007": "Not found: Resource not found: {}",
    "E0000009": "Internal Server Error",
    "E0000011": "Invalid token provided",
    "E0000022": "The endpoint does not support the provided HTTP method",
    "E0000047": "API call exceeded rate limit due to too many requests.",
}
_FAULT_CODES = {400: "E0000001", 401: "E0000011", 403: "E0000006", 404: "E0000007", 429: "E0000047"}
_NO_DATE = "_fake_okta_no_date"


# --------------------------------------------------------------------------------------------
# Journal, faults, rate limits: the test-facing controls


@dataclass(frozen=True)
class JournalEntry:
    """One request the fake answered (or dropped: ``status`` 0). Never holds a secret."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    auth_scheme: str | None
    """``"SSWS"``, ``"Bearer"``, ``None`` (no header) or ``"invalid"`` (any other header)."""
    status: int


@dataclass
class Fault:
    """A misbehaviour for the next ``times`` requests that match ``method`` and ``path``."""

    method: str | None = None
    path: str | None = None
    status: int | None = None
    times: int | None = 1
    """How many matching requests it hits; ``None``: all of them."""
    headers: dict[str, str] = field(default_factory=dict)
    latency: float = 0.0
    drop: bool = False
    malformed: bool = False
    reset_headers: bool = True
    """For a 429: send ``X-Rate-Limit-Reset`` and ``Date`` (the SDK crashes without them)."""

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and (
            self.path is None or path_matches(self.path, path)
        )


def path_matches(pattern: str, path: str) -> bool:
    """``pattern`` equals ``path``, or ends with ``*`` and is a prefix of it."""
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return pattern == path


class Controls:
    """What tests set and read besides the org: journal, faults, rate limit, page size. Thread-safe."""

    def __init__(self, rate_limit: int | None = DEFAULT_RATE_LIMIT, page_size: int | None = None) -> None:
        self._lock = threading.Lock()
        self._journal: list[JournalEntry] = []
        self._faults: list[Fault] = []
        self._windows: dict[str, tuple[int, int]] = {}
        self.rate_limit = rate_limit
        self.page_size = page_size
        self.null_token_window_in_lists = False
        """Send ``tokenWindow: null`` in list answers, as real orgs do (FACTS.md §1)."""

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self._journal.append(entry)

    def journal(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._journal)

    def clear_journal(self) -> None:
        with self._lock:
            self._journal.clear()

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first fault matching the request, counted down (and dropped when used up)."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
            return None

    def count(self, family: str, now: float) -> tuple[int, int, int] | None:
        """Count a request against its family's bucket: ``(limit, remaining, reset)`` or ``None`` if off.

        ``remaining`` is negative once the limit is passed. Buckets are fixed one-minute windows.
        """
        with self._lock:
            limit = self.rate_limit
            if limit is None:
                return None
            window = int(now // 60) * 60
            start, used = self._windows.get(family, (window, 0))
            if start != window:
                used = 0
            used += 1
            self._windows[family] = (window, used)
            return limit, limit - used, window + 60

    def reset(self) -> None:
        with self._lock:
            self._journal.clear()
            self._faults.clear()
            self._windows.clear()


# --------------------------------------------------------------------------------------------
# Rendering


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def okta_error(
    status: int,
    code: str,
    detail: str = "",
    causes: list[str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """Okta's error JSON: code, summary, ``errorLink`` = code, a fresh ``errorId``, causes."""
    summary = _SUMMARIES.get(code, "Error").format(detail)
    body = {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": "oae" + secrets.token_urlsafe(16)[:22],
        "errorCauses": [{"errorSummary": cause} for cause in causes or []],
    }
    return _json(status, body, headers)


# --------------------------------------------------------------------------------------------
# The application


@dataclass(frozen=True)
class _Caller:
    scheme: str
    token_id: str | None = None
    scopes: frozenset[str] = frozenset()
    role: str | None = None


_ANONYMOUS = _Caller("none")
"""The token endpoint's caller: it authenticates with the form, not a header."""

Operation = Callable[[web.Request, Any, _Caller], Awaitable[web.StreamResponse]]


def build_app(org: FakeOrg, controls: Controls) -> web.Application:
    """The aiohttp application of the fake org (one catch-all route; ``_Dispatcher`` routes)."""
    app = web.Application()
    dispatcher = _Dispatcher(org, controls)
    app.router.add_route("*", "/{tail:.*}", dispatcher.handle)
    app.on_response_prepare.append(_strip_date)
    return app


async def _strip_date(request: web.Request, response: web.StreamResponse) -> None:
    if response.headers.pop(_NO_DATE, None) is not None:
        response.headers.popall("Date", None)


class _Dispatcher:
    def __init__(self, org: FakeOrg, controls: Controls) -> None:
        self.org = org
        self.controls = controls

    async def handle(self, request: web.Request) -> web.StreamResponse:
        entry: dict[str, Any] = {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "body": None,
            "auth_scheme": _auth_scheme(request.headers.get("Authorization")),
        }
        try:
            raw = await request.read()
            entry["body"] = _journal_body(raw, request.content_type)
            response = await self._answer(request, raw)
        except _Dropped:
            self.controls.record(JournalEntry(**entry, status=0))
            return web.Response(status=204)  # never sent: the transport is closed
        except web.HTTPRequestEntityTooLarge:
            response = okta_error(413, "E0000001", "body", causes=["body: the request body is too large"])
        except Exception as error:  # never crash: an unexpected error is a 500 in Okta's shape
            response = okta_error(500, "E0000009", causes=[type(error).__name__])
        response.headers["X-Okta-Request-Id"] = secrets.token_urlsafe(20)
        self.controls.record(JournalEntry(**entry, status=response.status))
        return response

    async def _answer(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        family, operation = self._route(request)
        limits = self.controls.count(family, self.org.now().timestamp()) if family else None
        rate_headers = _rate_headers(limits)
        fault = self.controls.take_fault(request.method, request.path)
        if fault is not None:
            faulted = await self._fault(request, fault, rate_headers)
            if faulted is not None:
                return faulted
        if operation is None:
            return _unserved(family, request)
        if limits is not None and limits[1] < 0:
            return okta_error(429, "E0000047", headers=rate_headers)
        if family == "oauth":
            response = await operation(request, raw, _ANONYMOUS)
        else:
            response = await self._api(request, raw, operation)
        response.headers.update(rate_headers)
        return response

    async def _fault(
        self, request: web.Request, fault: Fault, rate_headers: Mapping[str, str]
    ) -> web.StreamResponse | None:
        """The faulty answer, or ``None`` when the fault only adds latency. Faults change nothing."""
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.drop:
            if request.transport is not None:
                request.transport.abort()
            raise _Dropped
        headers = dict(rate_headers)
        if fault.malformed:
            headers.update({"Content-Type": "application/json", **fault.headers})
            return web.Response(status=200, body=b'{"id": "00T', headers=headers)
        if fault.status is None:
            return None
        if fault.status == 429 and fault.reset_headers:
            # Reset = the Date second: a client that waits "reset - date + 1" waits one second.
            now = self.org.now()
            headers.update(
                {
                    "X-Rate-Limit-Limit": str(self.controls.rate_limit or DEFAULT_RATE_LIMIT),
                    "X-Rate-Limit-Remaining": "0",
                    "X-Rate-Limit-Reset": str(math.floor(now.timestamp())),
                    "Date": format_datetime(now.astimezone(timezone.utc), usegmt=True),
                }
            )
        elif fault.status == 429:
            headers.pop("X-Rate-Limit-Reset", None)
            headers[_NO_DATE] = "1"
        headers.update(fault.headers)
        code = _FAULT_CODES.get(fault.status, "E0000009")
        detail = request.path if code == "E0000007" else ""
        return okta_error(fault.status, code, detail, headers=headers)

    def _route(self, request: web.Request) -> tuple[str, Operation | None]:
        path, method = request.path, request.method
        if path == TOKEN_ENDPOINT:
            return "oauth", self._token_endpoint if method == "POST" else None
        if path == TOKENS_PATH:
            return "api-tokens", self._list if method == "GET" else None
        if path == CURRENT_PATH and method == "DELETE":
            return "api-tokens", self._revoke_current
        if path.startswith(TOKENS_PATH + "/") and "/" not in path[len(TOKENS_PATH) + 1 :]:
            return "api-tokens", {"GET": self._get, "PUT": self._put, "DELETE": self._revoke}.get(method)
        return "", None

    # -- authentication ------------------------------------------------------------------------

    def _caller(self, request: web.Request) -> _Caller | None:
        header = request.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        if not credential or credential != credential.strip():
            return None
        if scheme == "SSWS":
            principal = self.org.authenticate(credential)
            if principal is None:
                return None
            return _Caller("SSWS", token_id=principal.token_id, role=principal.role)
        if scheme == "Bearer":
            grant = self.org.access_grant(credential)
            if grant is None:
                return None
            return _Caller("Bearer", scopes=grant.scopes)
        return None

    async def _api(self, request: web.Request, raw: bytes, operation: Operation) -> web.StreamResponse:
        caller = self._caller(request)
        if caller is None:
            return okta_error(401, "E0000011")
        needed = READ_SCOPES if request.method == "GET" else MANAGE_SCOPES
        if caller.scheme == "Bearer" and not caller.scopes & needed:
            scope = "okta.apiTokens.read" if request.method == "GET" else "okta.apiTokens.manage"
            return okta_error(403, "E0000006", causes=[f"The access token lacks the scope {scope}"])
        revoking_itself = request.method == "DELETE" and request.path == CURRENT_PATH
        if caller.scheme == "SSWS" and not revoking_itself and not _role_allows(caller.role, request.method):
            return okta_error(403, "E0000006")
        try:
            return await operation(request, raw, caller)
        except TokenNotFound as error:
            return okta_error(404, "E0000007", f"{error.token_id} (Token)")
        except InvalidRequest as error:
            return okta_error(
                400, "E0000001", error.causes[0].field, causes=[str(cause) for cause in error.causes]
            )

    # -- operations ----------------------------------------------------------------------------

    async def _list(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        limit = _limit(request.query.get("limit"), self.controls.page_size)
        tokens, next_after = self.org.list_tokens(after=request.query.get("after"), limit=limit)
        base = _base_url(request)
        links = [f'<{base}{TOKENS_PATH}{_query(request.query)}>; rel="self"']
        if next_after is not None:
            following = {**request.query, "after": next_after}
            links.append(f'<{base}{TOKENS_PATH}{_query(following)}>; rel="next"')
        items = [token.to_okta_json(base) for token in tokens]
        if self.controls.null_token_window_in_lists:
            items = [{**item, "tokenWindow": None} for item in items]
        response = _json(200, items)
        for link in links:
            response.headers.add("Link", link)
        return response

    async def _get(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        token_id = request.match_info["tail"].rsplit("/", 1)[-1]
        token = self.org.token(token_id)
        if token is None:
            raise TokenNotFound(token_id)
        return _json(200, token.to_okta_json(_base_url(request)))

    async def _put(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        token_id = request.match_info["tail"].rsplit("/", 1)[-1]
        if self.org.token(token_id) is None:
            raise TokenNotFound(token_id)
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return okta_error(400, "E0000003")
        return _json(200, self.org.apply_update(token_id, body).to_okta_json(_base_url(request)))

    async def _revoke(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        self.org.revoke_token(request.match_info["tail"].rsplit("/", 1)[-1])
        return web.Response(status=204)

    async def _revoke_current(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        if caller.token_id is None:
            return okta_error(403, "E0000006", causes=["Only an API token (SSWS) can revoke itself"])
        self.org.revoke_token(caller.token_id)
        return web.Response(status=204)

    async def _token_endpoint(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        if request.content_type != "application/x-www-form-urlencoded":
            error = OAuthError(
                "invalid_request", "The token request must be application/x-www-form-urlencoded."
            )
            return _json(error.status, error.to_json())
        form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        url = _base_url(request) + TOKEN_ENDPOINT
        try:
            answer = token_grant(self.org, form, url)
        except OAuthError as error:
            return _json(error.status, error.to_json())
        return _json(200, answer, {"Cache-Control": "no-store", "Pragma": "no-cache"})


class _Dropped(Exception):
    """The connection was closed on purpose, with no answer."""


def _unserved(family: str, request: web.Request) -> web.Response:
    """The answer for a method or path the fake does not serve."""
    if family:
        return okta_error(405, "E0000022")
    return okta_error(404, "E0000007", f"{request.path} (Resource)")


def _role_allows(role: str | None, method: str) -> bool:
    """What an API token may do with its user's admin role."""
    return role == SUPER_ADMIN or (role == READ_ONLY_ADMIN and method == "GET")


def _rate_headers(limits: tuple[int, int, int] | None) -> dict[str, str]:
    if limits is None:
        return {}
    limit, remaining, reset = limits
    return {
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(max(remaining, 0)),
        "X-Rate-Limit-Reset": str(reset),
    }


def _limit(value: str | None, page_size: int | None) -> int | None:
    if value is None:
        return page_size
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        raise InvalidRequest([Cause("limit", f"must be a whole number from 1 to {MAX_LIMIT}, got {value!r}")])
    return min(limit, MAX_LIMIT)


def _query(params: Mapping[str, str]) -> str:
    return "?" + urlencode(dict(params)) if params else ""


def _base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _auth_scheme(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, credential = header.partition(" ")
    if scheme in ("SSWS", "Bearer") and credential:
        return scheme
    return "invalid"


def _journal_body(raw: bytes, content_type: str) -> Any:
    """The request body as the journal keeps it: JSON parsed, a form with its assertion hidden."""
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if content_type == "application/x-www-form-urlencoded":
        form = dict(parse_qsl(text, keep_blank_values=True))
        for key in ("client_assertion", "client_secret"):
            if key in form:
                form[key] = "<redacted>"
        return form
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text
