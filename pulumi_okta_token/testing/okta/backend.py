"""The fake org: ``FakeOrg``, its API tokens and network zones, and the door to the rest of its state.

No HTTP here. Methods take and return Python values (tokens as ``models.TokenMetadata``) and raise the
domain errors of ``errors``; ``server.py`` maps them to Okta's wire errors. Every method holds one lock
for its whole run, so a refused change leaves the org exactly as it was, and threads may share one org.

``FakeOrg`` is made of parts, one module each, sharing that lock (``base``): ``users`` (users, their
status and admin roles), ``apps`` (OAuth service apps, client assertions, access tokens); the token
state is here, the shapes it is kept in are in ``tokens``, and ``seed`` loads a seed document. Every
name the other modules export is importable from here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..._models import NetworkCondition, TokenMetadata
from ..._okta_time import format_okta_time
from .apps import ACCESS_TOKEN_LIFETIME, API_TOKEN_SCOPES, AccessGrant, FakeServiceApp, ServiceApps
from .base import Clock, moment
from .errors import FakeOrgError, InvalidRequest, InvalidUpdate, TokenNotFound, UserNotFound
from .seed import add_seed
from .tokens import (
    DEFAULT_CLIENT_NAME,
    DEFAULT_TOKEN_WINDOW,
    TOKEN_WINDOW,
    FakeToken,
    Principal,
    TokenRecord,
    bumped_last_updated,
    network_condition,
)
from .update_rules import ALL_IP_ZONES, Cause, judge_update
from .users import (
    ACTIVE,
    DEFAULT_USER_TYPE_ID,
    DEPROVISIONED,
    READ_ONLY_ADMIN,
    ROLE_LABELS,
    ROLES,
    SUPER_ADMIN,
    USER_STATUSES,
    FakeRoleAssignment,
    FakeUser,
    UserDirectory,
)

__all__ = [
    "ACCESS_TOKEN_LIFETIME",
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
    "TOKEN_WINDOW",
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


class FakeOrg(UserDirectory, ServiceApps):
    """An Okta org's API tokens and what they refer to. Thread-safe.

    Users and roles come from ``UserDirectory`` (``add_user``, ``user``, ``users``, ``update_user``),
    service apps and access tokens from ``ServiceApps`` (``add_service_app``, ``issue_access_token``,
    ``access_grant``, ...); zones, tokens and authentication are here.

    :param seed: makes generated ids and secrets repeatable.
    :param clock: the current time (UTC); tests may pass a fixed one.
    """

    def __init__(self, seed: int | None = None, clock: Clock | None = None) -> None:
        super().__init__(seed=seed, clock=clock)
        self._zones: dict[str, str] = {}
        self._tokens: dict[str, TokenRecord] = {}
        self._order: dict[str, int] = {}

    # -- zones ---------------------------------------------------------------------------------

    def add_zone(self, name: str = "zone", id: str | None = None) -> str:
        """Add an IP network zone (``nzo`` + 17 letters or digits); returns its id."""
        with self._lock:
            zone_id = id or self._id("nzo", self._zones)
            self._zones[zone_id] = name
            return zone_id

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
        condition = network_condition(network)
        with self._lock:
            token_id = id or self._id("00T", self._tokens)
            if token_id in self._tokens:
                raise ValueError(f"token {token_id} already exists")
            owner = user_id or self.add_user()
            if owner not in self._users:
                self.add_user(id=owner)
            self._add_missing_zones(condition)
            made = moment(created) or self.now()
            used = moment(last_used) or made
            metadata = TokenMetadata(
                id=token_id,
                name=name,
                user_id=owner,
                client_name=client_name,
                created=format_okta_time(made),
                last_updated=format_okta_time(moment(last_updated) or made),
                expires_at=format_okta_time(used + TOKEN_WINDOW),
                token_window=token_window,
                network=condition,
            )
            record = TokenRecord(metadata=metadata, secret=secret or self._secret(), last_used=used)
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
        condition = network_condition(network) if network is not None else None
        with self._lock:
            record = self._active(token_id)
            changes: dict[str, Any] = {"last_updated": bumped_last_updated(record.metadata, self.now())}
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
            changes["last_updated"] = bumped_last_updated(record.metadata, self.now())
            record.metadata = record.metadata.model_copy(update=changes)
            return record.metadata

    def _add_missing_zones(self, condition: NetworkCondition) -> None:
        for zone_id in (*condition.include, *condition.exclude):
            if zone_id != ALL_IP_ZONES and zone_id not in self._zones:
                self.add_zone(id=zone_id)

    def _active(self, token_id: str) -> TokenRecord:
        record = self._tokens.get(token_id)
        if record is None:
            raise TokenNotFound(token_id)
        return record

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

    # -- whole org -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: users, zones, tokens, apps, access tokens."""
        with self._lock:
            for store in (self._zones, self._tokens, self._order):
                store.clear()
            super().reset()

    def load_seed(self, data: Mapping[str, Any]) -> list[FakeToken]:
        """Add what a seed document describes (see ``__main__``); returns the tokens added.

        ``{"users": [{"id", "login", "status", "roles", "firstName", "lastName", "created",
        "lastLogin"}], "zones": [{"id", "name"}], "tokens": [{<ApiToken JSON>, "secret"}]}``; every
        part and every value may be missing and is then filled realistically (a user is ``ACTIVE``
        with ``roles: ["SUPER_ADMIN"]``). A token's ``expiresAt`` sets its last use (``expiresAt`` -
        30 days).
        """
        with self._lock:
            return add_seed(self, data)
