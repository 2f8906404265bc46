"""The fake org's state: users, network zones, API tokens, OAuth service apps, access tokens.

No HTTP here. Methods take and return Python values (tokens as ``models.TokenMetadata``) and raise the
domain errors below; ``server.py`` maps them to Okta's wire errors. Every method holds one lock for its
whole run, so a refused change leaves the org exactly as it was, and threads may share one org.
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .._models import NetworkCondition, TokenMetadata
from .._okta_time import format_okta_time, parse_okta_time
from .update_rules import ALL_IP_ZONES, Cause, judge_network, judge_update

__all__ = [
    "API_TOKEN_SCOPES",
    "DEFAULT_CLIENT_NAME",
    "DEFAULT_TOKEN_WINDOW",
    "READ_ONLY_ADMIN",
    "ROLES",
    "SUPER_ADMIN",
    "AccessGrant",
    "Cause",
    "FakeOrg",
    "FakeOrgError",
    "FakeServiceApp",
    "FakeToken",
    "InvalidRequest",
    "InvalidUpdate",
    "Principal",
    "TokenNotFound",
]

API_TOKEN_SCOPES: tuple[str, ...] = ("okta.apiTokens.read", "okta.apiTokens.manage")
DEFAULT_CLIENT_NAME = "Okta API"
DEFAULT_TOKEN_WINDOW = "P30D"
SUPER_ADMIN = "SUPER_ADMIN"
READ_ONLY_ADMIN = "READ_ONLY_ADMIN"
ROLES: tuple[str | None, ...] = (SUPER_ADMIN, READ_ONLY_ADMIN, None)
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
class _User:
    login: str
    role: str | None


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
        self._users: dict[str, _User] = {}
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
        self, id: str | None = None, login: str | None = None, role: str | None = SUPER_ADMIN
    ) -> str:
        """Add a user (``00u`` + 17 letters or digits); returns its id.

        ``role`` is the admin role its API tokens act with: ``SUPER_ADMIN`` (everything),
        ``READ_ONLY_ADMIN`` (reads only; 403 on PUT and DELETE) or ``None`` (403 on every call).
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {role!r}")
        with self._lock:
            user_id = id or self._id("00u", self._users)
            self._users[user_id] = _User(login or f"user.{user_id[-6:].lower()}@example.com", role)
            return user_id

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
        """The principal of an active, unexpired token's secret; a use moves ``expiresAt`` on."""
        with self._lock:
            now = self.now()
            for token_id, record in self._tokens.items():
                if record.secret != secret:
                    continue
                if now >= record.last_used + TOKEN_WINDOW:
                    return None
                record.last_used = now
                record.metadata = record.metadata.model_copy(
                    update={"expires_at": format_okta_time(now + TOKEN_WINDOW)}
                )
                owner = record.metadata.user_id or ""
                user = self._users.get(owner)
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

    def load_seed(self, data: Mapping[str, Any]) -> list[FakeToken]:
        """Add what a seed document describes (see ``__main__``); returns the tokens added.

        ``{"users": [{"id", "login"}], "zones": [{"id", "name"}], "tokens": [{<ApiToken JSON>,
        "secret"}]}``; every part and every value may be missing and is then filled realistically.
        A token's ``expiresAt`` sets its last use (``expiresAt`` - 30 days).
        """
        if not isinstance(data, Mapping):
            raise ValueError("a seed is a JSON object with 'users', 'zones' and 'tokens' lists")
        with self._lock:
            for user in _items(data, "users"):
                self.add_user(id=user.get("id"), login=user.get("login"), role=user.get("role", SUPER_ADMIN))
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
