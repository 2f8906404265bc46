"""The fake org's HTTP layer (aiohttp): routes, authentication, scopes, Okta's errors.

Each request goes through the same steps: it is counted against its rate-limit bucket and its
caller's share of it (``controls.py``), an injected fault answers it if one matches (``faults.py``),
else the limits (429), authentication (401), scopes (403), then one thin operation that calls the
backend and renders the result. The backend's domain errors become Okta's error JSON here; every
request ends up in the journal.

Served: the API-token endpoints, ``GET /api/v1/users/{id}`` (``me``: an API token's owner) and
``GET /api/v1/users/{id}/roles``
(scopes ``okta.users.read`` and ``okta.roles.read``), all in the ``/api/v1`` bucket, and the OAuth
token endpoint. An ``SSWS`` token acts with its user's admin role (``FakeUser.role``).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from .backend import (
    READ_ONLY_ADMIN,
    SUPER_ADMIN,
    Cause,
    FakeOrg,
    FakeUser,
    InvalidRequest,
    TokenNotFound,
    UserNotFound,
)
from .controls import API_BUCKET, MAX_PAGE_SIZE, TOKEN_ENDPOINT_BUCKET, Controls, JournalEntry, RateCount
from .faults import ConnectionDropped, Exchange
from .oauth import OAuthError, token_grant
from .wire import (
    NO_DATE,
    base_url,
    json_response,
    okta_error,
    roles_json,
    token_answer,
    token_json,
    token_not_found,
    user_json,
    user_not_found,
)

__all__ = ["MAX_LIMIT", "build_app"]

MAX_LIMIT = MAX_PAGE_SIZE
TOKENS_PATH = "/api/v1/api-tokens"
CURRENT_PATH = TOKENS_PATH + "/current"
TOKEN_ENDPOINT = "/oauth2/v1/token"
USER_PATH = re.compile(r"/api/v1/users/(?P<user>[^/]+)(?P<roles>/roles)?")
"""``/api/v1/users/{id}`` and ``/api/v1/users/{id}/roles`` (by id only: no login, no ``me``)."""
READ_SCOPES = frozenset({"okta.apiTokens.read", "okta.apiTokens.manage"})
MANAGE_SCOPES = frozenset({"okta.apiTokens.manage"})
USERS_READ_SCOPES = frozenset({"okta.users.read", "okta.users.manage"})
ROLES_READ_SCOPES = frozenset({"okta.roles.read", "okta.roles.manage"})


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
        bucket, operation = self._route(request)
        limits = self._count(request, bucket)
        rate_headers = limits.headers(self.controls.rate_headers) if limits is not None else {}
        fault = self.controls.take_fault(request.method, request.path)
        exchange = Exchange(
            request,
            self.org,
            rate_headers,
            self.controls.rate_limit,
            self.controls.null_token_window_in_lists,
        )
        if fault is not None:
            faulted = await fault.answer(exchange)
            if faulted is not None:
                return faulted
        response = await self._served(request, raw, bucket, operation, limits)
        response.headers.update(rate_headers)
        if fault is not None:
            if isinstance(response, web.Response):
                response = fault.alter(response, exchange)
            response.headers.update(fault.headers)
        return response

    async def _served(
        self,
        request: web.Request,
        raw: bytes,
        bucket: str,
        operation: Operation | None,
        limits: RateCount | None,
    ) -> web.StreamResponse:
        """The org's own answer: unserved, rate-limited, or the operation's."""
        if operation is None:
            return _unserved(bucket, request)
        if limits is not None and not limits.admitted:
            return okta_error(429, "E0000047")
        if bucket == TOKEN_ENDPOINT_BUCKET:
            return await operation(request, raw, _ANONYMOUS)
        return await self._api(request, raw, operation)

    def _route(self, request: web.Request) -> tuple[str, Operation | None]:
        """The request's rate-limit bucket (``""``: a path the fake does not serve) and operation."""
        path, method = request.path, request.method
        if path == TOKEN_ENDPOINT:
            return TOKEN_ENDPOINT_BUCKET, self._token_endpoint if method == "POST" else None
        if path == TOKENS_PATH:
            return API_BUCKET, self._list if method == "GET" else None
        if path == CURRENT_PATH and method == "DELETE":
            return API_BUCKET, self._revoke_current
        if path.startswith(TOKENS_PATH + "/") and "/" not in path[len(TOKENS_PATH) + 1 :]:
            return API_BUCKET, {"GET": self._get, "PUT": self._put, "DELETE": self._revoke}.get(method)
        user_path = USER_PATH.fullmatch(path)
        if user_path is not None:
            operation = self._user_roles if user_path["roles"] else self._get_user
            return API_BUCKET, operation if method == "GET" else None
        return "", None

    # -- rate limits ---------------------------------------------------------------------------

    def _count(self, request: web.Request, bucket: str) -> RateCount | None:
        """Count the request against its bucket and, in ``/api/v1``, its caller's share."""
        if not bucket:
            return None
        principal = self._principal(request) if bucket == API_BUCKET else None
        return self.controls.count(bucket, principal, self.org.now().timestamp())

    def _principal(self, request: web.Request) -> str | None:
        """Whose share the request uses: the API token's id or the OAuth app's client id.

        Looked up without counting as a use of the token; ``None`` for a credential that is not valid.
        """
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        if not credential or credential != credential.strip():
            return None
        if scheme == "SSWS":
            return self.org.token_id_of(credential)
        if scheme == "Bearer":
            grant = self.org.access_grant(credential)
            if grant is None:
                return None
            return grant.client_id or "access-token:" + hashlib.sha256(credential.encode()).hexdigest()[:16]
        return None

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
        scope, granting = _scope_needed(request)
        if caller.scheme == "Bearer" and not caller.scopes & granting:
            return okta_error(403, "E0000006", causes=[f"The access token lacks the scope {scope}"])
        revoking_itself = request.method == "DELETE" and request.path == CURRENT_PATH
        if caller.scheme == "SSWS" and not revoking_itself and not _role_allows(caller.role, request.method):
            return okta_error(403, "E0000006")
        try:
            return await operation(request, raw, caller)
        except TokenNotFound as error:
            return token_not_found(error.token_id)
        except UserNotFound as error:
            return user_not_found(error.user_id)
        except InvalidRequest as error:
            return okta_error(
                400, "E0000001", error.causes[0].field, causes=[str(cause) for cause in error.causes]
            )

    # -- operations ----------------------------------------------------------------------------

    async def _list(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        limit = _limit(request.query.get("limit"), self.controls.page_size)
        cap = self.controls.page_cap
        served = limit if cap is None else min(limit or cap, cap)
        tokens, next_after = self.org.list_tokens(after=request.query.get("after"), limit=served)
        base = base_url(request)
        links = [f'<{base}{TOKENS_PATH}{_query(request.query)}>; rel="self"']
        if next_after is not None and served is not None:
            asked = limit or served
            links.append(
                f'<{base}{TOKENS_PATH}{_query(_next_query(request.query, next_after, asked))}>; rel="next"'
            )
        items = [token_json(token, base) for token in tokens]
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

    async def _get_user(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        return json_response(200, user_json(self._user(request, caller), base_url(request)))

    async def _user_roles(self, request: web.Request, raw: bytes, caller: _Caller) -> web.StreamResponse:
        return json_response(200, roles_json(self._user(request), base_url(request)))

    def _user(self, request: web.Request, caller: _Caller | None = None) -> FakeUser:
        """The user the path names (``me``: an API token's owner); ``UserNotFound`` when there is none."""
        match = USER_PATH.fullmatch(request.path)
        user_id = match["user"] if match is not None else ""
        token = self.org.token(caller.token_id) if user_id == "me" and caller and caller.token_id else None
        user = self.org.user(token.user_id if token is not None and token.user_id else user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

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


def _unserved(bucket: str, request: web.Request) -> web.Response:
    """The answer for a method or path the fake does not serve."""
    if bucket:
        return okta_error(405, "E0000022")
    return okta_error(404, "E0000007", f"{request.path} (Resource)")


def _scope_needed(request: web.Request) -> tuple[str, frozenset[str]]:
    """The OAuth scope a request needs (to name it in a 403) and every scope that grants it."""
    user_path = USER_PATH.fullmatch(request.path)
    if user_path is not None:
        if user_path["roles"]:
            return "okta.roles.read", ROLES_READ_SCOPES
        return "okta.users.read", USERS_READ_SCOPES
    if request.method == "GET":
        return "okta.apiTokens.read", READ_SCOPES
    return "okta.apiTokens.manage", MANAGE_SCOPES


def _role_allows(role: str | None, method: str) -> bool:
    """What an API token may do with its user's admin role."""
    return role == SUPER_ADMIN or (role == READ_ONLY_ADMIN and method == "GET")


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


def _next_query(query: Mapping[str, str], after: str, limit: int) -> dict[str, str]:
    """The next page's query as Okta writes it: ``after`` and ``limit`` first, other parameters kept."""
    rest = {key: value for key, value in query.items() if key not in ("after", "limit")}
    return {"after": after, "limit": str(limit), **rest}


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
