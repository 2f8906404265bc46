"""What an audit report says about its own run: when, with which release, against which org, as which
principal, and with which options. Never the credential's secret.

The principal is what Okta says the credential acts as: for an API token, its owner
(``GET /api/v1/users/me``); for an OAuth service app, its client id (not a secret); for an access token,
nothing Okta reports. When Okta does not say, the report says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._okta_time import format_okta_time
from .._settings import AccessTokenAuth, OktaSettings, PrivateKeyAuth
from .._version import __version__
from ..errors import OktaTokenError

__all__ = ["AuditRun", "Principal", "principal_of"]


@dataclass(frozen=True)
class Principal:
    """Who the audit ran as: a kind (``api-token``, ``service-app``, ``access-token``), and the user's id
    and login or the app's client id when Okta (or the settings) say so; ``note`` when they do not."""

    kind: str
    id: str | None = None
    login: str | None = None
    note: str | None = None

    @property
    def shown(self) -> str:
        """One line: ``ops@example.com (00u..., API token owner)``, or why it is unknown."""
        if self.kind == "service-app":
            return f"OAuth service app {self.id}"
        if self.id is None:
            return f"unknown ({self.note})" if self.note else "unknown"
        return f"{self.login or self.id} ({self.id}, owner of the API token)"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "login": self.login, "note": self.note}


@dataclass(frozen=True)
class AuditRun:
    """The report's metadata."""

    started: datetime
    org_url: str
    principal: Principal
    options: dict[str, Any] = field(default_factory=dict)
    version: str = __version__

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": "pulumi-okta-token",
            "version": self.version,
            "started": format_okta_time(self.started),
            "org": self.org_url,
            "principal": self.principal.to_json(),
            "options": self.options,
        }


def principal_of(settings: OktaSettings, *, current_user: Callable[[], Any] | None = None) -> Principal:
    """Who ``settings``' credential acts as. ``current_user`` asks Okta for an API token's owner (made
    from the settings when not given); any error from it is a note, never the end of the audit."""
    auth = settings.auth
    if isinstance(auth, PrivateKeyAuth):
        return Principal("service-app", id=auth.client_id)
    if isinstance(auth, AccessTokenAuth):
        return Principal("access-token", note="an OAuth access token: Okta does not say whose")
    if current_user is None:
        from .._transport.users import OktaUsers

        current_user = OktaUsers(settings).current_user
    try:
        user = current_user()
    except OktaTokenError as error:
        summary = getattr(error, "error_summary", None) or type(error).__name__
        return Principal("api-token", note=f"Okta did not say whose API token this is: {summary}")
    return Principal("api-token", id=str(user.id), login=user.login)
