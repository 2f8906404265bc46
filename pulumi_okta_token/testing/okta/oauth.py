"""The org authorization server's token endpoint: client credentials with a ``private_key_jwt``.

``token_grant`` judges the form of ``POST /oauth2/v1/token`` against the fake org and returns the JSON
answer, or raises ``OAuthError`` carrying the OAuth error (``invalid_client``, ``invalid_scope``, ...).
DPoP is not implemented: the fake issues Bearer tokens only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import jwt

from .backend import ACCESS_TOKEN_LIFETIME, FakeOrg

__all__ = ["CLIENT_ASSERTION_TYPE", "MAX_ASSERTION_LIFETIME", "OAuthError", "token_grant"]

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_ASSERTION_LIFETIME = timedelta(hours=1)
"""Okta refuses a client assertion that expires more than an hour after it is presented."""

_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]


class OAuthError(Exception):
    """An OAuth error answer: ``{"error": error, "error_description": description}`` with ``status``."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def to_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def token_grant(org: FakeOrg, form: Mapping[str, str], token_url: str) -> dict[str, Any]:
    """The token endpoint's 200 answer for ``form``; ``OAuthError`` for anything Okta would refuse."""
    if form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "The authorization grant type is not supported.")
    if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
        raise OAuthError(
            "invalid_client", "client_assertion_type must be " + CLIENT_ASSERTION_TYPE, status=401
        )
    client_id = _verified_client(org, form.get("client_assertion", ""), form.get("client_id"), token_url)
    app = org.service_app(client_id)
    assert app is not None  # _verified_client found it
    requested = form.get("scope", "").split()
    if not requested:
        raise OAuthError("invalid_scope", "The authorization server requires a scope for client credentials.")
    refused = [scope for scope in requested if scope not in app.scopes]
    if refused:
        raise OAuthError("invalid_scope", "The following scopes are not allowed: " + " ".join(refused))
    access_token = org.issue_access_token(scopes=requested, client_id=client_id)
    return {
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_LIFETIME,
        "access_token": access_token,
        "scope": " ".join(requested),
    }


def _verified_client(org: FakeOrg, assertion: str, client_id: str | None, token_url: str) -> str:
    """The client id a client assertion proves: signature, iss = sub, aud, exp and a fresh jti."""
    try:
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise OAuthError("invalid_client", "The client_assertion is not a valid JWT.", status=401) from None
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or (client_id is not None and client_id != issuer):
        raise OAuthError("invalid_client", "The client_assertion iss does not name the client.", status=401)
    app = org.service_app(issuer)
    if app is None:
        raise OAuthError("invalid_client", "The client_id is not found.", status=401)
    try:
        claims = jwt.decode(
            assertion,
            app.public_key_pem,
            algorithms=_ALGORITHMS,
            audience=token_url,
            options={"require": ["iss", "sub", "aud", "exp"]},
        )
    except jwt.InvalidAudienceError:
        raise OAuthError(
            "invalid_client", f"The audience of the client_assertion must be {token_url}.", status=401
        ) from None
    except jwt.PyJWTError as error:
        raise OAuthError(
            "invalid_client", f"The client_assertion could not be verified: {error}.", status=401
        ) from None
    if claims.get("sub") != issuer:
        raise OAuthError("invalid_client", "The client_assertion sub must equal its iss.", status=401)
    expires = claims["exp"]
    if expires - org.now().timestamp() > MAX_ASSERTION_LIFETIME.total_seconds():
        raise OAuthError(
            "invalid_client",
            "The client_assertion token has an expiration too far in the future.",
            status=401,
        )
    jti = claims.get("jti")
    if isinstance(jti, str) and not org.use_assertion(issuer, jti):
        raise OAuthError("invalid_client", "The client_assertion token has already been used.", status=401)
    return issuer
