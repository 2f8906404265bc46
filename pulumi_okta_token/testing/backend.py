"""The fake org's state: users (with their status and admin roles), network zones, API tokens, OAuth
service apps, access tokens.

No HTTP here. Methods take and return Python values (tokens as ``models.TokenMetadata``) and raise the
domain errors below; ``server.py`` maps them to Okta's wire errors. Every method holds one lock for its
whole run, so a refused change leaves the org exactly as it was, and threads may share one org.
"""

from __future__ import annotations

import enum
import hashlib
import random
import string
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from .._models import NetworkCondition, TokenMetadata
from .._okta_time import format_okta_time, parse_okta_time
from .update_rules import ALL_IP_ZONES, Cause, judge_network, judge_update

__all__ = [
    "ACTIVE",
    "API_TOKEN_SCOPES",
    "DEFAULT_CLIENT_NAME",
    "DEFAULT_TOKEN_WINDOW",
    "DEFAULT_USER_TYPE_ID",
    "DEPROVISIONED",
    "READ_ONLY_ADMIN",
    "ROLES",
    "ROLE_LABELS",
    "SUPER_ADMIN",
    "USER_STATUSES",
    "AccessGrant",
    "Cause",
    "FakeOrg",
    "FakeOrgError",
    "FakeRoleAssignment",
    "FakeServiceApp",
    "FakeToken",
    "FakeUser",
    "InvalidRequest",
    "InvalidUpdate",
    "Principal",
    "TokenNotFound",
    "UserNotFound",
]

API_TOKEN_SCOPES: tuple[str, ...] = ("okta.apiTokens.read", "okta.apiTokens.manage")
DEFAULT_CLIENT_NAME = "Okta API"
DEFAULT_TOKEN_WINDOW = "P30D"
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
TOKEN_WINDOW = timedelta(days=30)
ACCESS_TOKEN_LIFETIME = 3600
"""Seconds an access token from the token endpoint is valid (Okta's default for service apps)."""

_ALNUM = string.ascii_letters + string.digits


# --------------------------------------------------------------------------------------------
# Domain errors


class FakeOrgError(Exception):
    """Base of the errors the fake org raises for a request it refuses."""


class TokenNotFound(FakeOrgError):
    """No active token has this id (never existed, or revoked)."""

    def __init__(self, token_id: str) -> None:
        super().__init__(f"no active API token {token_id!r}")
        self.token_id = token_id


class UserNotFound(FakeOrgError):
    """No user has this id."""

    def __init__(self, user_id: str) -> None:
        super().__init__(f"no user {user_id!r}")
        self.user_id = user_id


class InvalidRequest(FakeOrgError):
    """A request Okta would refuse as invalid; ``causes`` names every offending field."""

    def __init__(self, causes: Sequence[Cause]) -> None:
        self.causes = list(causes)
        super().__init__("; ".join(str(cause) for cause in self.causes))


class InvalidUpdate(InvalidRequest):
    """A PUT body Okta would refuse."""


# --------------------------------------------------------------------------------------------
# Values handed out


@dataclass(frozen=True)
class FakeToken:
    """A token made by ``add_token``: its id, its secret (for ``SSWS``) and its metadata then."""

    id: str
    secret: str = field(repr=False)
    metadata: TokenMetadata


@dataclass(frozen=True)
class FakeServiceApp:
    """An OAuth service app: authenticates with a ``private_key_jwt`` signed by ``private_key_pem``."""

    client_id: str
    key_id: str
    private_key_pem: str = field(repr=False)
    public_key_pem: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Principal:
    """Who a valid ``SSWS`` secret acts as: a token acts with its user's admin role."""

    user_id: str
    token_id: str
    role: str | None


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


@dataclass(frozen=True)
class AccessGrant:
    """What a valid access token allows."""

    scopes: frozenset[str]
    client_id: str | None
    expires: datetime


@dataclass
class _Token:
    metadata: TokenMetadata
    secret: str
    last_used: datetime


# --------------------------------------------------------------------------------------------
# The org


class FakeOrg:
    """An Okta org's API tokens and what they refer to. Thread-safe.

    :param seed: makes generated ids and secrets repeatable.
    :param clock: the current time (UTC); tests may pass a fixed one.
    """

    def __init__(self, seed: int | None = None, clock: Callable[[], datetime] | None = None) -> None:
        self._random = random.Random(seed)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._lock = threading.RLock()
        self._users: dict[str, FakeUser] = {}
        self._zones: dict[str, str] = {}
        self._tokens: dict[str, _Token] = {}
        self._order: dict[str, int] = {}
        self._apps: dict[str, FakeServiceApp] = {}
        self._access: dict[str, AccessGrant] = {}
        self._used_assertions: set[str] = set()

    # -- ids and time --------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def _id(self, prefix: str, taken: Iterable[str]) -> str:
        existing = set(taken)
        while True:
            candidate = prefix + "".join(self._random.choice(_ALNUM) for _ in range(17))
            if candidate not in existing:
                return candidate

    def _secret(self) -> str:
        return "00" + "".join(self._random.choice(_ALNUM + "-_") for _ in range(40))

    # -- users and zones -----------------------------------------------------------------------

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
            made = _moment(created) or self.now()
            self._users[user_id] = _new_user(
                user_id,
                login or f"user.{user_id[-6:].lower()}@example.com",
                status,
                made,
                first_name=first_name,
                last_name=last_name,
                last_login=_moment(last_login),
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
                changes["last_login"] = _moment(last_login)
            self._users[user_id] = replace(user, **changes)
            return self._users[user_id]

    def add_zone(self, name: str = "zone", id: str | None = None) -> str:
        """Add an IP network zone (``nzo`` + 17 letters or digits); returns its id."""
        with self._lock:
            zone_id = id or self._id("nzo", self._zones)
            self._zones[zone_id] = name
            return zone_id

    def has_user(self, user_id: str) -> bool:
        with self._lock:
            return user_id in self._users

    def has_zone(self, zone_id: str) -> bool:
        with self._lock:
            return zone_id in self._zones

    # -- tokens --------------------------------------------------------------------------------

    def add_token(
        self,
        name: str = "token",
        *,
        id: str | None = None,
        secret: str | None = None,
        user_id: str | None = None,
        client_name: str = DEFAULT_CLIENT_NAME,
        created: datetime | str | None = None,
        last_updated: datetime | str | None = None,
        last_used: datetime | str | None = None,
        network: Mapping[str, Any] | NetworkCondition | None = None,
        token_window: str | None = DEFAULT_TOKEN_WINDOW,
    ) -> FakeToken:
        """Add an active token, as if a user had made it in the Admin Console.

        Missing values are filled realistically: a new user when ``user_id`` is omitted (an unknown
        ``user_id`` or zone id is added to the org), ``created`` = now, ``lastUpdated`` = ``created``,
        last use = ``created``, ``expiresAt`` = last use + 30 days, network ``ANYWHERE``.
        """
        condition = _network(network)
        with self._lock:
            token_id = id or self._id("00T", self._tokens)
            if token_id in self._tokens:
                raise ValueError(f"token {token_id} already exists")
            owner = user_id or self.add_user()
            if owner not in self._users:
                self.add_user(id=owner)
            self._add_missing_zones(condition)
            made = _moment(created) or self.now()
            used = _moment(last_used) or made
            metadata = TokenMetadata(
                id=token_id,
                name=name,
                user_id=owner,
                client_name=client_name,
                created=format_okta_time(made),
                last_updated=format_okta_time(_moment(last_updated) or made),
                expires_at=format_okta_time(used + TOKEN_WINDOW),
                token_window=token_window,
                network=condition,
            )
            record = _Token(metadata=metadata, secret=secret or self._secret(), last_used=used)
            self._tokens[token_id] = record
            self._order[token_id] = len(self._order)
            return FakeToken(id=token_id, secret=record.secret, metadata=metadata)

    def token(self, token_id: str) -> TokenMetadata | None:
        """The active token's metadata, or ``None`` (never existed, or revoked)."""
        with self._lock:
            record = self._tokens.get(token_id)
            return record.metadata if record is not None else None

    def tokens(self) -> list[TokenMetadata]:
        """Every active token, oldest first (the order of the list operation)."""
        with self._lock:
            return [record.metadata for record in self._tokens.values()]

    def list_tokens(
        self, after: str | None = None, limit: int | None = None
    ) -> tuple[list[TokenMetadata], str | None]:
        """One page of active tokens, oldest first, and the cursor of the next page (``None``: last page).

        ``after`` is the id of the last token of the previous page (it may have been revoked since).
        """
        with self._lock:
            start = -1
            if after is not None:
                if after not in self._order:
                    raise InvalidRequest([Cause("after", f"{after!r} is not a cursor this list returned")])
                start = self._order[after]
            remaining = [
                record.metadata for token_id, record in self._tokens.items() if self._order[token_id] > start
            ]
            if limit is None or len(remaining) <= limit:
                return remaining, None
            page = remaining[:limit]
            return page, page[-1].id

    def update_token(
        self,
        token_id: str,
        *,
        name: str | None = None,
        network: Mapping[str, Any] | NetworkCondition | None = None,
    ) -> TokenMetadata:
        """Change a token out of band, as an admin in the console would; bumps ``lastUpdated``."""
        condition = _network(network) if network is not None else None
        with self._lock:
            record = self._active(token_id)
            changes: dict[str, Any] = {"last_updated": self._bumped(record.metadata)}
            if name is not None:
                changes["name"] = name
            if condition is not None:
                self._add_missing_zones(condition)
                changes["network"] = condition
            record.metadata = record.metadata.model_copy(update=changes)
            return record.metadata

    def revoke_token(self, token_id: str) -> None:
        """Revoke an active token: it disappears and its secret stops working."""
        with self._lock:
            self._active(token_id)
            del self._tokens[token_id]

    def apply_update(self, token_id: str, body: Any) -> TokenMetadata:
        """A PUT body, judged as Okta does; the token is changed only if the whole body is valid.

        ``clientName`` and ``created`` are read-only and ignored; a field left out keeps its value.
        """
        with self._lock:
            record = self._active(token_id)
            if not isinstance(body, Mapping):
                raise InvalidUpdate([Cause("body", "must be a JSON object (ApiTokenUpdate)")])
            changes, causes = judge_update(
                body, owner=record.metadata.user_id, users=self._users, zones=self._zones
            )
            if causes:
                raise InvalidUpdate(causes)
            changes["last_updated"] = self._bumped(record.metadata)
            record.metadata = record.metadata.model_copy(update=changes)
            return record.metadata

    def _add_missing_zones(self, condition: NetworkCondition) -> None:
        for zone_id in (*condition.include, *condition.exclude):
            if zone_id != ALL_IP_ZONES and zone_id not in self._zones:
                self.add_zone(id=zone_id)

    def _active(self, token_id: str) -> _Token:
        record = self._tokens.get(token_id)
        if record is None:
            raise TokenNotFound(token_id)
        return record

    def _bumped(self, metadata: TokenMetadata) -> str:
        """A ``lastUpdated`` later than the current one, even when the clock has not moved.

        Compared in whole milliseconds, the precision Okta writes: a change within the millisecond of
        the previous one still moves ``lastUpdated`` on.
        """
        now = self.now()
        moment = now.replace(microsecond=now.microsecond // 1000 * 1000)
        if metadata.last_updated is not None:
            previous = parse_okta_time(metadata.last_updated)
            if moment <= previous:
                moment = previous + timedelta(milliseconds=1)
        return format_okta_time(moment)

    # -- authentication ------------------------------------------------------------------------

    def authenticate(self, secret: str) -> Principal | None:
        """The principal of an active, unexpired token's secret; a use moves ``expiresAt`` on.

        ``None`` for an unknown, revoked or expired secret, and for a token of a ``DEPROVISIONED`` user
        (not a use then: its expiry stays).
        """
        with self._lock:
            now = self.now()
            for token_id, record in self._tokens.items():
                if record.secret != secret:
                    continue
                owner = record.metadata.user_id or ""
                user = self._users.get(owner)
                if now >= record.last_used + TOKEN_WINDOW:
                    return None
                if user is not None and user.status == DEPROVISIONED:
                    return None  # Okta rejects the tokens of a deactivated user
                record.last_used = now
                record.metadata = record.metadata.model_copy(
                    update={"expires_at": format_okta_time(now + TOKEN_WINDOW)}
                )
                return Principal(user_id=owner, token_id=token_id, role=user.role if user else None)
            return None

    def token_id_of(self, secret: str) -> str | None:
        """The id of the active, unexpired token with this secret; unlike ``authenticate``, not a use."""
        with self._lock:
            now = self.now()
            for token_id, record in self._tokens.items():
                if record.secret == secret and now < record.last_used + TOKEN_WINDOW:
                    return token_id
            return None

    def add_service_app(
        self, scopes: Sequence[str] = API_TOKEN_SCOPES, client_id: str | None = None
    ) -> FakeServiceApp:
        """An OAuth service app with a fresh RSA key pair, granted ``scopes``."""
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
            value = "".join(self._random.choice(_ALNUM) for _ in range(64))
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

    # -- whole org -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: users, zones, tokens, apps, access tokens."""
        with self._lock:
            for store in (self._users, self._zones, self._tokens, self._order, self._apps, self._access):
                store.clear()
            self._used_assertions.clear()

    def _add_seed_user(self, user: Mapping[str, Any]) -> None:
        self.add_user(
            id=user.get("id"),
            login=user.get("login"),
            **_seed_roles(user),
            status=user.get("status") or ACTIVE,
            first_name=user.get("firstName"),
            last_name=user.get("lastName"),
            created=user.get("created"),
            last_login=user.get("lastLogin"),
        )

    def load_seed(self, data: Mapping[str, Any]) -> list[FakeToken]:
        """Add what a seed document describes (see ``__main__``); returns the tokens added.

        ``{"users": [{"id", "login", "status", "roles", "firstName", "lastName", "created",
        "lastLogin"}], "zones": [{"id", "name"}], "tokens": [{<ApiToken JSON>, "secret"}]}``; every
        part and every value may be missing and is then filled realistically (a user is ``ACTIVE``
        with ``roles: ["SUPER_ADMIN"]``). A token's ``expiresAt`` sets its last use (``expiresAt`` -
        30 days).
        """
        if not isinstance(data, Mapping):
            raise ValueError("a seed is a JSON object with 'users', 'zones' and 'tokens' lists")
        with self._lock:
            for user in _items(data, "users"):
                self._add_seed_user(user)
            for zone in _items(data, "zones"):
                self.add_zone(name=zone.get("name") or "zone", id=zone.get("id"))
            added = []
            for token in _items(data, "tokens"):
                expires = _moment(token.get("expiresAt"))
                added.append(
                    self.add_token(
                        token.get("name") or "token",
                        id=token.get("id"),
                        secret=token.get("secret"),
                        user_id=token.get("userId"),
                        client_name=token.get("clientName") or DEFAULT_CLIENT_NAME,
                        created=token.get("created"),
                        last_updated=token.get("lastUpdated"),
                        last_used=expires - TOKEN_WINDOW if expires else None,
                        network=token.get("network"),
                        token_window=token.get("tokenWindow", DEFAULT_TOKEN_WINDOW),
                    )
                )
            return added


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
        digest, index = divmod(digest, len(_ALNUM))
        chars.append(_ALNUM[index])
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


def _seed_roles(user: Mapping[str, Any]) -> dict[str, Any]:
    """``add_user``'s role argument from a seed user: ``roles`` (a list), or the older ``role``."""
    if "roles" in user:
        roles = user["roles"]
        if not isinstance(roles, list):
            raise ValueError(f"seed user {user.get('id')!r}: roles must be a list of role types")
        return {"roles": roles}
    if "role" in user:
        return {"role": user["role"]}
    return {}


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise ValueError(f"seed {key!r} must be a list of objects")
    return items


def _moment(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return parse_okta_time(value)


def _network(value: Mapping[str, Any] | NetworkCondition | None) -> NetworkCondition:
    if value is None:
        return NetworkCondition(connection="ANYWHERE")
    if isinstance(value, NetworkCondition):
        return value
    if isinstance(value, Mapping) and _names_all_zones(value):
        return _all_zones_network(value)
    return NetworkCondition.model_validate(value)


def _names_all_zones(value: Mapping[str, Any]) -> bool:
    return any(
        isinstance(value.get(key), list) and ALL_IP_ZONES in value[key] for key in ("include", "exclude")
    )


def _all_zones_network(value: Mapping[str, Any]) -> NetworkCondition:
    """``{connection: ZONE, include or exclude: [ALL_IP_ZONES]}``, judged by the PUT rules.

    Built without ``NetworkCondition``'s validator (``judge_network`` uses ``model_construct``), which
    may refuse the keyword as input; zone ids are not checked here (``add_token`` adds unknown ones).
    """
    condition, causes = judge_network(value, _EveryZone())
    if condition is None:
        raise ValueError("; ".join(str(cause) for cause in causes))
    return condition


class _EveryZone:
    """A container of every zone id: unknown zones are added, not refused."""

    def __contains__(self, zone_id: object) -> bool:
        return True
