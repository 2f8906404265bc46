"""What the fake org's answers look like on the wire: Okta's JSON, its error shape, a token by id, a
user and its role assignments.

A token's JSON is the package's mapping (``TokenMetadata.to_okta_json``) plus what only Okta's answers
carry: ``name`` even when null, and ``_links`` to the token itself and its owner.

Shared by the HTTP layer (``server.py``) and the faults (``faults.py``), so a faulty answer that
pretends to be Okta's looks exactly like Okta's.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from .._models import TokenMetadata
from .._okta_time import format_okta_time
from .backend import DEFAULT_USER_TYPE_ID, FakeUser

__all__ = [
    "NO_DATE",
    "base_url",
    "json_response",
    "okta_error",
    "roles_json",
    "token_answer",
    "token_json",
    "token_not_found",
    "user_json",
    "user_not_found",
]

NO_DATE = "_fake_okta_no_date"
"""A header that makes the server send the answer without ``Date`` (removed before sending)."""

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


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
    """``body`` as JSON with ``Content-Type: application/json``."""
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
    return json_response(status, body, headers)


def token_not_found(token_id: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """Okta's 404 for a token id that is not an active token."""
    return okta_error(404, "E0000007", f"{token_id} (Token)", headers=headers)


def token_answer(
    token: TokenMetadata, request: web.Request, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A 200 with the token's JSON as a GET by id renders it, ``_links`` included."""
    return json_response(200, token_json(token, base_url(request)), headers)


def token_json(token: TokenMetadata, base: str) -> dict[str, Any]:
    """The token as Okta's answers render it for a client that reached the org at ``base``."""
    return {"id": token.id, "name": token.name, **token.to_okta_json(), "_links": _links(token, base)}


def _links(token: TokenMetadata, base: str) -> dict[str, Any]:
    """``self`` (GET and DELETE allowed) and, when the token has an owner, ``user``."""
    root = base.rstrip("/")
    links: dict[str, Any] = {
        "self": {"href": f"{root}/api/v1/api-tokens/{token.id}", "hints": {"allow": ["GET", "DELETE"]}}
    }
    if token.user_id:
        links["user"] = {"href": f"{root}/api/v1/users/{token.user_id}", "hints": {"allow": ["GET"]}}
    return links


def user_not_found(user_id: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """Okta's 404 for a user id that is no user of the org."""
    return okta_error(404, "E0000007", f"{user_id} (User)", headers=headers)


def user_json(user: FakeUser, base: str) -> dict[str, Any]:
    """Okta's ``User`` object for ``GET /api/v1/users/{id}`` (a moment that has not happened is null)."""
    return {
        "id": user.id,
        "status": user.status,
        "created": _time(user.created),
        "activated": _time(user.activated),
        "statusChanged": _time(user.status_changed),
        "lastLogin": _time(user.last_login),
        "lastUpdated": _time(user.last_updated),
        "passwordChanged": _time(user.password_changed),
        "type": {"id": DEFAULT_USER_TYPE_ID},
        "profile": {
            "firstName": user.first_name,
            "lastName": user.last_name,
            "mobilePhone": None,
            "secondEmail": None,
            "login": user.login,
            "email": user.email,
        },
        "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {
            "self": {"href": f"{base}/api/v1/users/{user.id}"},
            "type": {"href": f"{base}/api/v1/meta/types/user/{DEFAULT_USER_TYPE_ID}"},
        },
    }


def roles_json(user: FakeUser, base: str) -> list[dict[str, Any]]:
    """The JSON array of ``GET /api/v1/users/{id}/roles``: the user's own role assignments."""
    assignee = {"assignee": {"href": f"{base}/api/v1/users/{user.id}"}}
    return [
        {
            "id": assignment.id,
            "label": assignment.label,
            "type": assignment.type,
            "status": "ACTIVE",
            "created": _time(assignment.created),
            "lastUpdated": _time(assignment.created),
            "assignmentType": "USER",
            "_links": assignee,
        }
        for assignment in user.roles
    ]


def _time(moment: datetime | None) -> str | None:
    return format_okta_time(moment) if moment is not None else None


def base_url(request: web.Request) -> str:
    """``scheme://host[:port]`` as the client reached the fake."""
    return f"{request.scheme}://{request.host}"
