"""Token owners for the audit: each owner's status and admin roles, each owner looked up once.

The audit's owner rules depend only on ``OwnerDirectory`` (two questions about a user), so they are
tested with a double; ``OktaOwnerDirectory`` answers them over the transport's users endpoints
(``_transport/users.py``: ``GET /api/v1/users/{id}`` and ``GET /api/v1/users/{id}/roles``).

A 403 means the credential may not read users (scope ``okta.users.read``) or their roles
(``okta.roles.read``): from then on the lookups of that kind stop and the rules needing them are
reported as not checked, with the scope to grant. A user Okta does not have (404, E0000007) is an owner
that no longer exists. Any other error ends the audit: a partial answer is never shown as complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .._settings import OktaSettings
from ..errors import Forbidden, NotFound

__all__ = [
    "ROLES_SCOPE",
    "USERS_SCOPE",
    "OktaOwnerDirectory",
    "OwnerDirectory",
    "OwnerFacts",
    "OwnerLookups",
    "OwnerUser",
    "look_up_owners",
]

USERS_SCOPE = "okta.users.read"
ROLES_SCOPE = "okta.roles.read"


@dataclass(frozen=True)
class OwnerUser:
    """What Okta says of a user: its status (``ACTIVE``, ``SUSPENDED``, ``DEPROVISIONED``, ...) and login."""

    status: str
    login: str | None = None


class OwnerDirectory(Protocol):
    """What the audit asks about a token's owner. Both raise ``NotFound`` for a user Okta does not have
    and ``Forbidden`` when the credential may not ask."""

    def user(self, user_id: str) -> OwnerUser:
        """The user's status and login (one request)."""
        ...

    def role_types(self, user_id: str) -> list[str]:
        """The types of the admin roles assigned to the user (``SUPER_ADMIN``, ``ORG_ADMIN``, ...)."""
        ...


@dataclass(frozen=True)
class OwnerFacts:
    """What was learnt about one owner; ``None`` where it was not asked or could not be read."""

    user_id: str
    exists: bool = True
    status: str | None = None
    roles: frozenset[str] | None = None
    login: str | None = None

    @property
    def shown(self) -> str:
        """The owner as a person reads it: the login when Okta gave one, else the user id."""
        return self.login or self.user_id


@dataclass
class OwnerLookups:
    """Every owner's facts, and the permission error that stopped a kind of lookup, if any."""

    owners: dict[str, OwnerFacts] = field(default_factory=dict)
    users_refused: Forbidden | None = None
    roles_refused: Forbidden | None = None


def look_up_owners(
    directory: OwnerDirectory,
    user_ids: Iterable[str],
    *,
    statuses: bool,
    roles: bool,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> OwnerLookups:
    """Ask ``directory`` about each distinct owner once, in sorted order: its status (``statuses``) and its
    roles (``roles``). A ``Forbidden`` stops that kind of lookup for every later owner; ``NotFound``
    marks the owner as gone (and its roles are not asked)."""
    result = OwnerLookups()
    owners = sorted(set(user_ids))
    for done, user_id in enumerate(owners, start=1):
        result.owners[user_id] = _facts(directory, user_id, result, statuses=statuses, roles=roles)
        progress(done, len(owners))
    return result


def _facts(
    directory: OwnerDirectory, user_id: str, lookups: OwnerLookups, *, statuses: bool, roles: bool
) -> OwnerFacts:
    status: str | None = None
    login: str | None = None
    role_types: frozenset[str] | None = None
    try:
        if statuses and lookups.users_refused is None:
            try:
                user = directory.user(user_id)
                status, login = user.status, user.login
            except Forbidden as refused:
                lookups.users_refused = refused
        if roles and lookups.roles_refused is None:
            try:
                role_types = frozenset(directory.role_types(user_id))
            except Forbidden as refused:
                lookups.roles_refused = refused
    except NotFound:
        return OwnerFacts(user_id, exists=False)
    return OwnerFacts(user_id, status=status, roles=role_types, login=login)


class OktaOwnerDirectory:
    """``OwnerDirectory`` over the org's users endpoints, with the provider's settings and transport."""

    def __init__(self, settings: OktaSettings) -> None:
        from .._transport.users import OktaUsers  # the SDK's users and roles APIs load on first use

        self._client = OktaUsers(settings)

    def user(self, user_id: str) -> OwnerUser:
        found = self._client.get_user(user_id)
        return OwnerUser(str(found.status), found.login)

    def role_types(self, user_id: str) -> list[str]:
        """The types of the roles in force (an ``INACTIVE`` assignment grants nothing)."""
        return [str(role.type) for role in self._client.list_user_roles(user_id) if role.is_active]
