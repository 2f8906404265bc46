"""OAuth 2.0 client credentials with a ``private_key_jwt`` client assertion, for Okta service apps.

The request layer (``_request``) sends the request; this module builds it, reads the answer and caches
access tokens in memory (one process-wide cache, never part of any pickled object) until shortly before
they expire.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._settings import PrivateKeyAuth
from ..errors import OktaTokenError

__all__ = [
    "ASSERTION_LIFETIME",
    "RENEW_BEFORE_EXPIRY",
    "AccessToken",
    "AccessTokenCache",
    "client_assertion",
    "parse_token_response",
    "token_request_form",
    "token_url",
]

ASSERTION_LIFETIME = 300
"""Seconds a client assertion is valid (Okta accepts at most one hour)."""

RENEW_BEFORE_EXPIRY = 60.0
"""An access token is renewed this many seconds before Okta says it expires."""

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def token_url(org_url: str) -> str:
    """The org authorization server's token endpoint (the one that grants ``okta.*`` scopes)."""
    return f"{org_url}/oauth2/v1/token"


def client_assertion(auth: PrivateKeyAuth, audience: str, now: float | None = None) -> str:
    """A signed JWT proving the client: iss = sub = client id, aud = token URL, a fresh jti, kid header."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(auth.private_key.encode(), password=None)
    algorithm = "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = {256: "ES256", 384: "ES384", 521: "ES512"}.get(key.curve.key_size, "ES256")
    issued = int(time.time() if now is None else now)
    claims = {
        "iss": auth.client_id,
        "sub": auth.client_id,
        "aud": audience,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
        "jti": uuid.uuid4().hex,
    }
    headers = {"kid": auth.key_id} if auth.key_id else None
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)  # type: ignore[arg-type]


def token_request_form(auth: PrivateKeyAuth, audience: str) -> dict[str, str]:
    """The url-encoded form of the token request."""
    return {
        "grant_type": "client_credentials",
        "scope": " ".join(auth.scopes),
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": client_assertion(auth, audience),
    }


@dataclass(frozen=True)
class AccessToken:
    """An access token and the monotonic time it should be renewed at."""

    value: str = field(repr=False)
    token_type: str
    renew_at: float

    def __reduce__(self) -> Any:
        raise TypeError("AccessToken holds a credential and is never pickled")

    @property
    def authorization(self) -> str:
        return f"{self.token_type} {self.value}"


def parse_token_response(body: str, url: str, now: float | None = None) -> AccessToken:
    """The access token of a 200 answer from the token endpoint; a clear error for anything else."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, Mapping) or not isinstance(data.get("access_token"), str):
        raise OktaTokenError(
            f"The token endpoint {url} answered without an access_token; is the org URL right?"
        )
    token_type = str(data.get("token_type") or "Bearer")
    if token_type.lower() == "dpop":
        raise OktaTokenError(
            f"The service app's token from {url} is a DPoP token; pulumi-okta-token sends Bearer tokens. "
            "Turn off 'Require Demonstrating Proof of Possession (DPoP)' for the app in the Admin Console."
        )
    try:
        lifetime = float(data.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600.0
    started = time.monotonic() if now is None else now
    renew_at = started + max(lifetime - RENEW_BEFORE_EXPIRY, lifetime / 2)
    return AccessToken(value=data["access_token"], token_type="Bearer", renew_at=renew_at)


class AccessTokenCache:
    """Access tokens by (token URL, client, key, scopes), kept in memory until their renewal time.

    ``obtain`` fetches a missing token once however many threads (each with its own event loop) ask
    for it at the same time: the first asks Okta, the others wait for its answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, ...], AccessToken] = {}
        self._pending: dict[tuple[str, ...], concurrent.futures.Future[AccessToken]] = {}

    def __reduce__(self) -> Any:
        raise TypeError("AccessTokenCache holds credentials and is never pickled")

    @staticmethod
    def key(auth: PrivateKeyAuth, url: str) -> tuple[str, ...]:
        fingerprint = hashlib.sha256(auth.private_key.encode()).hexdigest()
        return (url, auth.client_id, auth.key_id or "", " ".join(sorted(auth.scopes)), fingerprint)

    def get(self, key: tuple[str, ...], now: float | None = None) -> AccessToken | None:
        with self._lock:
            return self._fresh(key, time.monotonic() if now is None else now)

    def _fresh(self, key: tuple[str, ...], now: float) -> AccessToken | None:
        token = self._tokens.get(key)
        if token is not None and now >= token.renew_at:
            del self._tokens[key]
            token = None
        return token

    async def obtain(self, key: tuple[str, ...], fetch: Callable[[], Awaitable[AccessToken]]) -> AccessToken:
        """The cached token, or the one ``fetch`` gets (shared with concurrent callers)."""
        with self._lock:
            token = self._fresh(key, time.monotonic())
            if token is not None:
                return token
            pending = self._pending.get(key)
            if pending is None:
                pending = self._pending[key] = concurrent.futures.Future()
                pending.set_running_or_notify_cancel()  # a waiter's timeout must not cancel it
                owner = True
            else:
                owner = False
        if not owner:
            return await asyncio.wrap_future(pending)
        try:
            token = await fetch()
        except BaseException as exc:
            with self._lock:
                self._pending.pop(key, None)
            shared = (
                exc
                if isinstance(exc, Exception)
                else OktaTokenError("The access token request was cancelled")
            )
            pending.set_exception(shared)
            raise
        with self._lock:
            self._tokens[key] = token
            self._pending.pop(key, None)
        pending.set_result(token)
        return token

    def put(self, key: tuple[str, ...], token: AccessToken) -> None:
        with self._lock:
            self._tokens[key] = token

    def discard(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


CACHE = AccessTokenCache()
"""The process-wide cache."""
