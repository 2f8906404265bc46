"""The fake org's OAuth service apps and what the token endpoint hands out: access tokens and grants.

``ServiceApps`` is the part of ``FakeOrg`` (``backend``) that holds the apps, the client assertions
already used (a ``jti`` is good once) and the access tokens issued; ``oauth.py`` judges a token
request against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .base import ALNUM, Clock, OrgBase

__all__ = ["ACCESS_TOKEN_LIFETIME", "API_TOKEN_SCOPES", "AccessGrant", "FakeServiceApp", "ServiceApps"]

API_TOKEN_SCOPES: tuple[str, ...] = ("okta.apiTokens.read", "okta.apiTokens.manage")
ACCESS_TOKEN_LIFETIME = 3600
"""Seconds an access token from the token endpoint is valid (Okta's default for service apps)."""


@dataclass(frozen=True)
class FakeServiceApp:
    """An OAuth service app: authenticates with a ``private_key_jwt`` signed by ``private_key_pem``."""

    client_id: str
    key_id: str
    private_key_pem: str = field(repr=False)
    public_key_pem: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class AccessGrant:
    """What a valid access token allows."""

    scopes: frozenset[str]
    client_id: str | None
    expires: datetime


class ServiceApps(OrgBase):
    """The org's service apps and access tokens, as a part of ``FakeOrg`` (it shares the org's lock,
    clock and ids)."""

    def __init__(self, seed: int | None = None, clock: Clock | None = None) -> None:
        super().__init__(seed=seed, clock=clock)
        self._apps: dict[str, FakeServiceApp] = {}
        self._access: dict[str, AccessGrant] = {}
        self._used_assertions: set[str] = set()

    def add_service_app(
        self, scopes: Sequence[str] = API_TOKEN_SCOPES, client_id: str | None = None
    ) -> FakeServiceApp:
        """An OAuth service app with a fresh RSA key pair, granted ``scopes``."""
        private_pem, public_pem = _rsa_key_pair()
        with self._lock:
            app = FakeServiceApp(
                client_id=client_id or self._id("0oa", self._apps),
                key_id=self._id("kid", ()),
                private_key_pem=private_pem,
                public_key_pem=public_pem,
                scopes=tuple(scopes),
            )
            self._apps[app.client_id] = app
            return app

    def service_app(self, client_id: str) -> FakeServiceApp | None:
        with self._lock:
            return self._apps.get(client_id)

    def use_assertion(self, client_id: str, jti: str) -> bool:
        """Record a client assertion's ``jti``; False if it was used before (a replay)."""
        with self._lock:
            key = f"{client_id}\x00{jti}"
            if key in self._used_assertions:
                return False
            self._used_assertions.add(key)
            return True

    def issue_access_token(
        self,
        scopes: Sequence[str] = API_TOKEN_SCOPES,
        client_id: str | None = None,
        lifetime: int = ACCESS_TOKEN_LIFETIME,
    ) -> str:
        """An access token for ``Authorization: Bearer``, granting ``scopes`` for ``lifetime`` seconds."""
        with self._lock:
            value = self._characters(ALNUM, 64)
            self._access[value] = AccessGrant(
                scopes=frozenset(scopes),
                client_id=client_id,
                expires=self.now() + timedelta(seconds=lifetime),
            )
            return value

    def access_grant(self, access_token: str) -> AccessGrant | None:
        """What an unexpired access token allows, or ``None``."""
        with self._lock:
            grant = self._access.get(access_token)
            if grant is None or self.now() >= grant.expires:
                return None
            return grant

    def reset(self) -> None:
        with self._lock:
            self._apps.clear()
            self._access.clear()
            self._used_assertions.clear()
            super().reset()


def _rsa_key_pair() -> tuple[str, str]:
    """A fresh 2048-bit RSA key: its private (PKCS#8) and public (SubjectPublicKeyInfo) PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem
