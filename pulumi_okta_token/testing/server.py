"""The fake org's HTTP layer (aiohttp): routes, authentication, scopes, Okta's errors.

Each request goes through the same steps: it is counted against the rate limit of its endpoint family,
an injected fault answers it if one matches (``faults.py``), else the limit (429), authentication
(401), scopes (403), then one thin operation that calls the backend and renders the result. The
backend's domain errors become Okta's error JSON here; every request ends up in the journal.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from .backend import READ_ONLY_ADMIN, SUPER_ADMIN, Cause, FakeOrg, InvalidRequest, TokenNotFound
from .controls import Controls, JournalEntry
from .faults import ConnectionDropped, Exchange
from .oauth import OAuthError, token_grant
from .wire import NO_DATE, base_url, json_response, okta_error, token_answer, token_not_found

__all__ = ["MAX_LIMIT", "build_app"]

MAX_LIMIT = 200
TOKENS_PATH = "/api/v1/api-tokens"
CURRENT_PATH = TOKENS_PATH + "/current"
TOKEN_ENDPOINT = "/oauth2/v1/token"
READ_SCOPES = frozenset({"okta.apiTokens.read", "okta.apiTokens.manage"})
MANAGE_SCOPES = frozenset({"okta.apiTokens.manage"})


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
    if response.headers.pop(NO_DATE, None) is not None:
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
        except ConnectionDropped:
            self.controls.record(JournalEntry(**entry, status=0))
            return web.Response(status=204)  # never sent: the transport is closed
        except web.HTTPRequestEntityTooLarge:
            response = okta_error(413, "E0000001", "body", causes=["body: the request body is too large"])
        except Exception as error:  # never crash: an unexpected error is a 500 in Okta's shape
            response = okta_error(500, "E0000009", causes=[type(error).__name__])
        response.headers["X-Okta-Request-Id"] = secrets.token_urlsafe(20)
        # The org's clock, as X-Rate-Limit-Reset reads it (a fault's own Date is kept).
        response.headers.setdefault(
            "Date", format_datetime(self.org.now().astimezone(timezone.utc), usegmt=True)
        )
        self.controls.record(JournalEntry(**entry, status=response.status))
        return response

    async def _answer(self, request: web.Request, raw: bytes) -> web.StreamResponse:
        family, operation = self._route(request)
        limits = self.controls.count(family, self.org.now().timestamp()) if family else None
        rate_headers = _rate_headers(limits)
        fault = self.controls.take_fault(request.method, request.path)
        if fault is not None:
            exchange = Exchange(request, self.org, rate_headers, self.controls.rate_limit)
            faulted = await fault.answer(exchange)
            if faulted is not None:
                return faulted
        response = await self._served(request, raw, family, operation, limits)
        response.headers.update(rate_headers)
        if fault is not None:
            response.headers.update(fault.headers)
        return response

    async def _served(
        self,
        request: web.Request,
        raw: bytes,
        family: str,
        operation: Operation | None,
        limits: tuple[int, int, int] | None,
    ) -> web.StreamResponse:
        """The org's own answer: unserved, rate-limited, or the operation's."""
        if operation is None:
            return _unserved(family, request)
        if limits is not None and limits[1] < 0:
            return okta_error(429, "E0000047")
        if family == "oauth":
            return await operation(request, raw, _ANONYMOUS)
        return await self._api(request, raw, operation)

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
            return token_not_found(error.token_id)
        except InvalidRequest as error:
            return okta_error(
                400, "E0000001", error.causes[0].field, causes=[str(cause) for cause in error.causes]
            )

    # -- operations ----------------------------------------------------------------------------

    async def _list(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        limit = _limit(request.query.get("limit"), self.controls.page_size)
        tokens, next_after = self.org.list_tokens(after=request.query.get("after"), limit=limit)
        base = base_url(request)
        links = [f'<{base}{TOKENS_PATH}{_query(request.query)}>; rel="self"']
        if next_after is not None:
            following = {**request.query, "after": next_after}
            links.append(f'<{base}{TOKENS_PATH}{_query(following)}>; rel="next"')
        items = [token.to_okta_json(base) for token in tokens]
        if self.controls.null_token_window_in_lists:
            items = [{**item, "tokenWindow": None} for item in items]
        response = json_response(200, items)
        for link in links:
            response.headers.add("Link", link)
        return response

    async def _get(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        token_id = request.match_info["tail"].rsplit("/", 1)[-1]
        token = self.org.token(token_id)
        if token is None:
            raise TokenNotFound(token_id)
        return token_answer(token, request)

    async def _put(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        token_id = request.match_info["tail"].rsplit("/", 1)[-1]
        if self.org.token(token_id) is None:
            raise TokenNotFound(token_id)
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return okta_error(400, "E0000003")
        return token_answer(self.org.apply_update(token_id, body), request)

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
            return json_response(error.status, error.to_json())
        form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        url = base_url(request) + TOKEN_ENDPOINT
        try:
            answer = token_grant(self.org, form, url)
        except OAuthError as error:
            return json_response(error.status, error.to_json())
        return json_response(200, answer, {"Cache-Control": "no-store", "Pragma": "no-cache"})


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
