"""Token owners for the audit: each owner's status and admin roles, each owner looked up once.

The audit's owner rules depend only on ``OwnerDirectory`` (two questions about a user), so they are
tested with a double; ``OktaOwnerDirectory`` answers them over the transport's users endpoints
(``_transport/users.py``: ``GET /api/v1/users/{id}`` and ``GET /api/v1/users/{id}/roles``).

Okta has no one request that answers both questions: ``GET /api/v1/users/{id}`` expands only ``blocks``
(and, early access, ``classification``) and ``GET /api/v1/users/{id}/roles`` only ``targets``; the
roles answer says nothing of the user's status. So each owner costs two requests, asked at once, and
``OWNERS_AT_ONCE`` owners are looked up at a time (threads, each call through the transport's one
loop, connection pool and rate-limit budget).

A 403 means the credential may not read users (scope ``okta.users.read``) or their roles
(``okta.roles.read``): from then on the lookups of that kind stop and the rules needing them are
reported as not checked, with the scope to grant. A user Okta does not have (404, E0000007) is an owner
that no longer exists. Any other error ends the audit: a partial answer is never shown as complete.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .._settings import OktaSettings
from ..errors import Forbidden, NotFound

__all__ = [
    "OWNERS_AT_ONCE",
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
OWNERS_AT_ONCE = 8
"""Owners looked up at a time, each with its two questions at once: at most 16 requests in flight. Okta
also limits the requests an org has in flight at once (35 on its smallest current tier, 75 on the
others; 15 on the old free developer tier) and a 429 there is shared by the whole org, so the audit keeps
to about half of the smallest; Okta notes that even large bulk loads rarely need more than 10. How many
requests a minute reach Okta is the rate-limit budget's to pace (``_transport/_budget.py``), not this."""


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
    at_once: int = OWNERS_AT_ONCE,
) -> OwnerLookups:
    """Ask ``directory`` about each distinct owner once: its status (``statuses``) and its roles
    (``roles``), both questions at once, ``at_once`` owners at a time, started in sorted order (the
    rate-limit budget paces what reaches Okta). A ``Forbidden`` stops that kind of question for every
    owner not yet asked; ``NotFound`` from either question marks the owner as gone. Any other error
    stops every question not yet started and is raised once those in flight have ended: no partial
    answer is returned."""
    return _Lookup(directory, sorted(set(user_ids)), statuses=statuses, roles=roles).run(progress, at_once)


_Kind = Literal["user", "roles"]


class _Lookup:
    """One run of ``look_up_owners``: the questions, their answers, and what stopped them; thread-safe."""

    def __init__(self, directory: OwnerDirectory, owners: list[str], *, statuses: bool, roles: bool) -> None:
        self._directory = directory
        self._owners = owners
        self._kinds: tuple[_Kind, ...] = (*(("user",) if statuses else ()), *(("roles",) if roles else ()))
        self._lock = threading.Lock()
        self._result = OwnerLookups()
        self._users: dict[str, OwnerUser] = {}
        self._roles: dict[str, frozenset[str]] = {}
        self._gone: set[str] = set()
        self._left = {user_id: len(self._kinds) for user_id in owners}
        self._done = 0
        self._failure: BaseException | None = None

    def run(self, progress: Callable[[int, int], None], at_once: int) -> OwnerLookups:
        if not self._kinds:
            for done, user_id in enumerate(self._owners, start=1):
                self._result.owners[user_id] = OwnerFacts(user_id)
                progress(done, len(self._owners))
            return self._result
        workers = max(1, at_once) * len(self._kinds)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="okta-owners")
        try:
            for user_id in self._owners:
                for kind in self._kinds:
                    pool.submit(self._ask, kind, user_id, progress)
            pool.shutdown(wait=True)
        except BaseException as interrupted:  # Ctrl-C: no question starts any more, none is waited for
            self._fail(interrupted)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        if self._failure is not None:
            raise self._failure
        for user_id in self._owners:  # sorted, as the owners were before
            self._result.owners[user_id] = self._facts(user_id)
        return self._result

    def _ask(self, kind: _Kind, user_id: str, progress: Callable[[int, int], None]) -> None:
        """One question, unless an error stopped the run or a refusal stopped its kind; then the owner's
        progress is counted when it was its last question."""
        try:
            try:
                if self._asked(kind):
                    self._answer(kind, user_id)
            except NotFound:
                with self._lock:
                    self._gone.add(user_id)
            except Forbidden as refused:
                with self._lock:
                    self._refuse(kind, refused)
            with self._lock:
                self._left[user_id] -= 1
                if self._left[user_id] == 0 and self._failure is None:
                    self._done += 1
                    progress(self._done, len(self._owners))
        except BaseException as error:  # ends the run: kept, and raised by run()
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        """The first error that ends the run; every question not yet started is skipped from now on."""
        with self._lock:
            self._failure = self._failure or error

    def _asked(self, kind: _Kind) -> bool:
        with self._lock:
            if self._failure is not None:
                return False
            refused = self._result.users_refused if kind == "user" else self._result.roles_refused
            return refused is None

    def _answer(self, kind: _Kind, user_id: str) -> None:
        if kind == "user":
            user = self._directory.user(user_id)
            with self._lock:
                self._users[user_id] = user
        else:
            types = frozenset(self._directory.role_types(user_id))
            with self._lock:
                self._roles[user_id] = types

    def _refuse(self, kind: _Kind, refused: Forbidden) -> None:
        if kind == "user":
            self._result.users_refused = self._result.users_refused or refused
        else:
            self._result.roles_refused = self._result.roles_refused or refused

    def _facts(self, user_id: str) -> OwnerFacts:
        if user_id in self._gone:
            return OwnerFacts(user_id, exists=False)
        user = self._users.get(user_id)
        return OwnerFacts(
            user_id,
            status=None if user is None else user.status,
            roles=self._roles.get(user_id),
            login=None if user is None else user.login,
        )


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
