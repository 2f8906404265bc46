"""The fake org's users: their profile, lifecycle status and standard admin roles.

``UserDirectory`` is the part of ``FakeOrg`` that holds them (``backend``); a user's API tokens act
with the role ``FakeUser.role`` names, and not at all once the user is ``DEPROVISIONED``.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from .base import ALNUM, Clock, OrgBase, moment
from .errors import UserNotFound

__all__ = [
    "ACTIVE",
    "DEFAULT_USER_TYPE_ID",
    "DEPROVISIONED",
    "READ_ONLY_ADMIN",
    "ROLES",
    "ROLE_LABELS",
    "SUPER_ADMIN",
    "USER_STATUSES",
    "FakeRoleAssignment",
    "FakeUser",
    "UserDirectory",
]

SUPER_ADMIN = "SUPER_ADMIN"
READ_ONLY_ADMIN = "READ_ONLY_ADMIN"
ROLE_LABELS: Mapping[str, str] = {
    SUPER_ADMIN: "Super Administrator",
    "ORG_ADMIN": "Organizational Administrator",
    "APP_ADMIN": "Application Administrator",
    "USER_ADMIN": "Group Administrator",
    "GROUP_MEMBERSHIP_ADMIN": "Group Membership Administrator",
    "HELP_DESK_ADMIN": "Help Desk Administrator",
    READ_ONLY_ADMIN: "Read-Only Administrator",
    "MOBILE_ADMIN": "Mobile Administrator",
    "API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
    "REPORT_ADMIN": "Report Administrator",
}
"""Okta's standard admin roles (role ``type`` to its ``label``): the roles a fake user may hold."""
ROLES: tuple[str | None, ...] = (*ROLE_LABELS, None)
"""What ``add_user(role=...)`` takes: a standard admin role, or ``None`` for a user with none."""

ACTIVE = "ACTIVE"
DEPROVISIONED = "DEPROVISIONED"
USER_STATUSES: tuple[str, ...] = (
    "STAGED",
    "PROVISIONED",
    ACTIVE,
    "RECOVERY",
    "PASSWORD_EXPIRED",
    "LOCKED_OUT",
    "SUSPENDED",
    DEPROVISIONED,
)
"""A user's lifecycle statuses, as Okta's ``User.status`` reports them."""
_NOT_YET_ACTIVATED = frozenset({"STAGED", "PROVISIONED"})
DEFAULT_USER_TYPE_ID = "oty1fakeDefaultType0"
"""The id of the org's default user type (every fake user is of that type)."""


@dataclass(frozen=True)
class FakeRoleAssignment:
    """One standard admin role assigned to a user directly (``assignmentType: USER``)."""

    id: str
    """The assignment's id (``ra1`` + 17 letters or digits), the same for a user and role every time."""
    type: str
    created: datetime

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.type]


@dataclass(frozen=True)
class FakeUser:
    """A user as the org has it now: profile, lifecycle status and its moments, admin roles.

    A ``None`` moment is one that has not happened (a ``STAGED`` user was never activated).
    """

    id: str
    login: str
    email: str
    first_name: str
    last_name: str
    status: str
    created: datetime
    activated: datetime | None
    status_changed: datetime | None
    last_login: datetime | None
    password_changed: datetime | None
    last_updated: datetime
    roles: tuple[FakeRoleAssignment, ...] = ()

    @property
    def role_types(self) -> tuple[str, ...]:
        """The types of the user's roles (``SUPER_ADMIN``, ...), in the order they were assigned."""
        return tuple(assignment.type for assignment in self.roles)

    @property
    def role(self) -> str | None:
        """The admin role the user's API tokens act with: ``SUPER_ADMIN`` (everything) when the user
        holds it, else ``READ_ONLY_ADMIN`` (reads only) when it holds that, else ``None`` (nothing);
        the fake grants API access through no other role."""
        for role in (SUPER_ADMIN, READ_ONLY_ADMIN):
            if role in self.role_types:
                return role
        return None


class _Unset(enum.Enum):
    UNSET = "unset"


_UNSET = _Unset.UNSET


class UserDirectory(OrgBase):
    """The org's users, as a part of ``FakeOrg`` (it shares the org's lock, clock and ids)."""

    def __init__(self, seed: int | None = None, clock: Clock | None = None) -> None:
        super().__init__(seed=seed, clock=clock)
        self._users: dict[str, FakeUser] = {}

    def add_user(
        self,
        id: str | None = None,
        login: str | None = None,
        role: str | Literal[_Unset.UNSET] | None = _UNSET,
        *,
        roles: Iterable[str] | None = None,
        status: str = ACTIVE,
        first_name: str | None = None,
        last_name: str | None = None,
        created: datetime | str | None = None,
        last_login: datetime | str | None = None,
    ) -> str:
        """Add a user (``00u`` + 17 letters or digits); returns its id.

        ``roles``: the standard admin roles assigned to the user (``ROLE_LABELS``), in order; ``role``
        is short for one role (``None``: no admin role); give one or the other; neither is
        ``SUPER_ADMIN``. The user's API tokens act with ``FakeUser.role``: ``SUPER_ADMIN`` may do
        everything, ``READ_ONLY_ADMIN`` may read (403 on PUT and DELETE), a user with neither gets
        403 on every call. ``status``: one of ``USER_STATUSES``; Okta rejects the API tokens of a
        ``DEPROVISIONED`` (deactivated) user (401), and so does the fake. Missing values are filled
        realistically: the login ``user.<end of id>@example.com``, names from the login, ``created`` =
        now, activation and password change at creation (unless ``STAGED`` or ``PROVISIONED``), no
        login yet.
        """
        types = _role_types(role, roles)
        _check_status(status)
        with self._lock:
            user_id = id or self._id("00u", self._users)
            made = moment(created) or self.now()
            self._users[user_id] = _new_user(
                user_id,
                login or f"user.{user_id[-6:].lower()}@example.com",
                status,
                made,
                first_name=first_name,
                last_name=last_name,
                last_login=moment(last_login),
                roles=tuple(_assignment(user_id, kind, made) for kind in types),
            )
            return user_id

    def user(self, user_id: str) -> FakeUser | None:
        """The user as the org has it now, or ``None``."""
        with self._lock:
            return self._users.get(user_id)

    def users(self) -> list[FakeUser]:
        """Every user, in the order they were added."""
        with self._lock:
            return list(self._users.values())

    def has_user(self, user_id: str) -> bool:
        with self._lock:
            return user_id in self._users

    def update_user(
        self,
        user_id: str,
        *,
        status: str | None = None,
        roles: Iterable[str] | None = None,
        last_login: datetime | str | None = None,
    ) -> FakeUser:
        """Change a user out of band, as an admin or the user would; ``UserNotFound`` if there is none.

        A new ``status`` moves ``statusChanged`` and ``lastUpdated`` to now (and ``activated`` too, the
        first time the user becomes ``ACTIVE``). ``roles`` replaces the user's admin roles: a role
        kept keeps its assignment, a new one is assigned now; ``[]`` takes every role away. The
        user's API tokens act with the new roles and status from their next call.
        """
        types = _role_types(_UNSET, roles) if roles is not None else None
        if status is not None:
            _check_status(status)
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                raise UserNotFound(user_id)
            now = self.now()
            changes: dict[str, Any] = {}
            if status is not None and status != user.status:
                changes.update(status=status, status_changed=now, last_updated=now)
                if status == ACTIVE and user.activated is None:
                    changes["activated"] = now
            if types is not None:
                kept = {assignment.type: assignment for assignment in user.roles}
                changes["roles"] = tuple(kept.get(kind) or _assignment(user_id, kind, now) for kind in types)
            if last_login is not None:
                changes["last_login"] = moment(last_login)
            self._users[user_id] = replace(user, **changes)
            return self._users[user_id]

    def reset(self) -> None:
        with self._lock:
            self._users.clear()
            super().reset()


def _role_types(role: str | Literal[_Unset.UNSET] | None, roles: Iterable[str] | None) -> tuple[str, ...]:
    """The role types ``add_user`` assigns, checked: known, each once, ``role`` or ``roles``."""
    if roles is None:
        if role is _UNSET:
            return (SUPER_ADMIN,)
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {role!r}")
        return () if role is None else (role,)
    if role is not _UNSET:
        raise ValueError("give a user's admin roles as role=... or roles=[...], not both")
    if isinstance(roles, str):
        raise ValueError(f"roles is a list of role types, got the string {roles!r}")
    types = tuple(roles)
    for kind in types:
        if kind not in ROLE_LABELS:
            raise ValueError(f"roles: {kind!r} is not a standard admin role ({', '.join(ROLE_LABELS)})")
    repeated = sorted({kind for kind in types if types.count(kind) > 1})
    if repeated:
        raise ValueError(f"roles: {', '.join(repeated)} given more than once")
    return types


def _check_status(status: object) -> None:
    if status not in USER_STATUSES:
        raise ValueError(f"a user's status is one of {', '.join(USER_STATUSES)}, got {status!r}")


def _assignment(user_id: str, kind: str, created: datetime) -> FakeRoleAssignment:
    """The assignment of role ``kind`` to the user: its id derived from both (no random number drawn,
    so a seeded org's other ids stay as they were)."""
    digest = int.from_bytes(hashlib.sha256(f"{user_id}/{kind}".encode()).digest(), "big")
    chars = []
    for _ in range(17):
        digest, index = divmod(digest, len(ALNUM))
        chars.append(ALNUM[index])
    return FakeRoleAssignment(id="ra1" + "".join(chars), type=kind, created=created)


def _new_user(
    user_id: str,
    login: str,
    status: str,
    created: datetime,
    *,
    first_name: str | None,
    last_name: str | None,
    last_login: datetime | None,
    roles: tuple[FakeRoleAssignment, ...],
) -> FakeUser:
    """A user made in ``status`` at ``created``: activated and with a password then, unless it is
    not activated yet (``STAGED``, ``PROVISIONED``)."""
    names = login.split("@", 1)[0].replace("_", ".").split(".")
    activated = None if status in _NOT_YET_ACTIVATED else created
    return FakeUser(
        id=user_id,
        login=login,
        email=login if "@" in login else f"{login}@example.com",
        first_name=first_name or names[0].title() or "User",
        last_name=last_name or (names[1].title() if len(names) > 1 and names[1] else "Example"),
        status=status,
        created=created,
        activated=activated,
        status_changed=None if status == "STAGED" else created,
        last_login=last_login,
        password_changed=activated,
        last_updated=created,
        roles=roles,
    )
