"""Users and their admin roles: one user by id, and the roles assigned to it (what an audit of token
owners reads). Read-only; nothing here changes the org.

Each call is a few lines over the request layer (``_request.OktaRequests``), as for API tokens:

* a user id must be ``00u`` and 17 letters or digits, as a whole, before any URL is built from it;
* ``GET /api/v1/users/{id}`` is read with ``UserInfo``: the id, the lifecycle status, the login and
  email, nothing more of the profile and nothing of the credentials; an answer about another user
  raises ``UntrustedAnswer``;
* ``GET /api/v1/users/{id}/roles`` is read with ``RoleInfo`` (type, label, status, assignment type);
  a role assignment whose ``assignee`` link names another user raises ``UntrustedAnswer``;
* error answers are the request layer's typed errors: ``NotFound`` only for Okta's 404 E0000007 (no
  user with that id), ``Forbidden`` for 403: an OAuth access token without ``okta.users.read`` /
  ``okta.roles.read`` (``USERS_READ_SCOPE`` / ``ROLES_READ_SCOPE``), or an API token whose user's
  admin role may not read users.

``get_user`` and ``list_user_roles`` are coroutines over one ``OktaRequests`` (to run many lookups at
once); ``OktaUsers`` offers both to synchronous callers, each call through ``_loop.run``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn
from urllib.parse import urlsplit

from okta.api.role_assignment_a_user_api import RoleAssignmentAUserApi
from okta.api.user_api import UserApi
from pydantic import AliasPath, BaseModel, ConfigDict, Field

from .._models import USER_ID_RE, shown
from .._settings import OktaSettings
from ..errors import OktaTokenError, UntrustedAnswer
from ._answers import Answer
from ._loop import run
from ._request import OktaRequests

__all__ = [
    "ACTIVE",
    "ROLES_READ_SCOPE",
    "SUPER_ADMIN",
    "USERS_READ_SCOPE",
    "OktaUsers",
    "RoleInfo",
    "UserInfo",
    "checked_user_id",
    "get_current_user",
    "get_user",
    "list_user_roles",
]

USERS_READ_SCOPE = "okta.users.read"
"""The OAuth scope ``GET /api/v1/users/{id}`` needs (``okta.users.manage`` grants it too)."""
ROLES_READ_SCOPE = "okta.roles.read"
"""The OAuth scope ``GET /api/v1/users/{id}/roles`` needs (``okta.roles.manage`` grants it too)."""

ACTIVE = "ACTIVE"
SUPER_ADMIN = "SUPER_ADMIN"
"""The statuses Okta documents for a user; ``UserInfo.status`` may hold one Okta adds later."""

_USERS_PATH = "/api/v1/users"
_A_USER = "a user"
_ROLES = "a list of role assignments"


class UserInfo(BaseModel):
    """A user as an audit needs it: id, status, login and email (nothing secret).

    Read from Okta's ``User`` object: ``login`` and ``email`` come from its ``profile``.
    """

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    id: str
    status: str
    """Okta's user status: ``ACTIVE``, ``STAGED``, ``SUSPENDED``, ``DEPROVISIONED``, ..."""
    login: str | None = Field(default=None, validation_alias=AliasPath("profile", "login"))
    email: str | None = Field(default=None, validation_alias=AliasPath("profile", "email"))

    @property
    def is_active(self) -> bool:
        """Whether the status is ``ACTIVE`` (any other status is a user who cannot act as usual)."""
        return self.status == ACTIVE

    @classmethod
    def from_okta_json(cls, data: Mapping[str, Any]) -> UserInfo:
        return cls.model_validate(data)


class RoleInfo(BaseModel):
    """One admin role assigned to a user, as ``GET /api/v1/users/{id}/roles`` lists it."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    type: str
    """``SUPER_ADMIN``, ``ORG_ADMIN``, ``READ_ONLY_ADMIN``, ``API_ACCESS_MANAGEMENT_ADMIN``, ..."""
    label: str | None = None
    status: str | None = None
    """``ACTIVE`` or ``INACTIVE``."""
    assignment_type: str | None = Field(default=None, alias="assignmentType")
    """``USER`` (assigned to the user) or ``GROUP`` (through a group it belongs to)."""
    id: str | None = None
    """The role assignment's id."""
    assignee_href: str | None = Field(
        default=None, validation_alias=AliasPath("_links", "assignee", "href"), exclude=True, repr=False
    )
    """Where the answer says the assignee is (checked against the user asked about)."""

    @property
    def is_active(self) -> bool:
        """Whether the assignment is in force (``ACTIVE``, or no status given)."""
        return self.status in (None, ACTIVE)

    @classmethod
    def from_okta_json(cls, data: Mapping[str, Any]) -> RoleInfo:
        return cls.model_validate(data)


# --------------------------------------------------------------------------------------------
# The calls


async def get_user(requests: OktaRequests, user_id: str) -> UserInfo:
    """The user with this id; ``NotFound`` when the org has none (Okta's 404 E0000007).

    Raises ``OktaTokenError`` (no request) for an id that is not a user id, ``Forbidden`` when the
    credential may not read users, and ``UntrustedAnswer`` when the answer is about another user.
    """
    user_id = checked_user_id(user_id)
    url = requests.url(f"{_USERS_PATH}/{user_id}")
    answer = await requests.send(
        UserApi, "GET", url, lambda api, auth: api.get_user(user_id, _request_auth=auth)
    )
    user = answer.one(UserInfo.from_okta_json, _A_USER)
    if user.id != user_id:
        raise _wrong_user(answer, user_id, f"user {shown(user.id)}")
    return user


async def get_current_user(requests: OktaRequests) -> UserInfo:
    """The user the credential acts as (``GET /api/v1/users/me``): an API token's owner. Raises as
    ``get_user`` does; an OAuth service app has no such user (Okta answers with an error)."""
    url = requests.url(f"{_USERS_PATH}/me")
    answer = await requests.send(
        UserApi, "GET", url, lambda api, auth: api.get_user("me", _request_auth=auth)
    )
    user = answer.one(UserInfo.from_okta_json, _A_USER)
    checked_user_id(user.id)
    return user


async def list_user_roles(requests: OktaRequests, user_id: str) -> list[RoleInfo]:
    """Every admin role assigned to the user (directly or through a group); ``NotFound`` when the org
    has no such user. Raises as ``get_user`` does (``Forbidden``: the credential may not read roles)."""
    user_id = checked_user_id(user_id)
    url = requests.url(f"{_USERS_PATH}/{user_id}/roles")
    answer = await requests.send(
        RoleAssignmentAUserApi,
        "GET",
        url,
        lambda api, auth: api.list_assigned_roles_for_user(user_id, _request_auth=auth),
    )
    roles = answer.each(RoleInfo.from_okta_json, _ROLES)
    for role in roles:
        assignee = _assignee_user(role)
        if assignee is not None and assignee != user_id:
            raise _wrong_user(answer, user_id, f"a role assigned to {shown(assignee)}")
    return roles


class OktaUsers:
    """Read users and their admin roles in one org. Thread-safe; every call is synchronous."""

    def __init__(self, settings: OktaSettings) -> None:
        self._settings = settings
        self._requests = OktaRequests(settings)

    def __reduce__(self) -> NoReturn:
        raise TypeError("OktaUsers holds credentials and is never pickled")

    def __repr__(self) -> str:
        return f"OktaUsers({self._settings.org_url!r})"

    def get_user(self, user_id: str) -> UserInfo:
        """``get_user``, synchronously (the id is checked before anything runs)."""
        user_id = checked_user_id(user_id)
        return run(lambda: get_user(self._requests, user_id))

    def current_user(self) -> UserInfo:
        """``get_current_user``, synchronously."""
        return run(lambda: get_current_user(self._requests))

    def list_user_roles(self, user_id: str) -> list[RoleInfo]:
        """``list_user_roles``, synchronously (the id is checked before anything runs)."""
        user_id = checked_user_id(user_id)
        return run(lambda: list_user_roles(self._requests, user_id))


# --------------------------------------------------------------------------------------------
# Checks


def checked_user_id(user_id: object) -> str:
    """``user_id`` when it is a whole Okta user id; no URL is ever built from anything else."""
    if isinstance(user_id, str) and USER_ID_RE.fullmatch(user_id):
        return user_id
    what = shown(user_id) if isinstance(user_id, str) else f"A value of type {type(user_id).__name__}"
    raise OktaTokenError(
        f"{what} is not an Okta user id ('00u' followed by 17 letters or digits, as in "
        "00unkw1sfbTw08c0g1d7); nothing was sent to Okta"
    )


def _assignee_user(role: RoleInfo) -> str | None:
    """The user id an assignment's ``assignee`` link names (``.../api/v1/users/{id}``), if it names one."""
    if role.assignee_href is None:
        return None
    head, _, last = urlsplit(role.assignee_href).path.rstrip("/").rpartition("/")
    return last if head.endswith(_USERS_PATH) else None


def _wrong_user(answer: Answer, user_id: str, answered: str) -> UntrustedAnswer:
    return UntrustedAnswer(
        f"Okta's answer to {answer.method} {answer.url} is about {answered}, not user {user_id}: a proxy "
        "or cache may have mixed up answers, or Okta erred. The answer is not used; run the command "
        "again, and if it repeats, check what answers for the org URL"
    )
