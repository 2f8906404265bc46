"""``AskAhead``: owner questions start as soon as a listed page names the owners, each asked once,
within the bound, and the failure rules of ``look_up_owners`` hold for questions asked ahead."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token.cli._owners import OwnerUser, look_up_owners
from pulumi_okta_token.cli._owners_ahead import AskAhead
from pulumi_okta_token.errors import Forbidden

WAIT = 30.0
"""The most a test waits for a question it expects (a safeguard, never reached)."""


def owner(number: int) -> str:
    return f"00uowner{number:012d}"


def tokens(*owners: str | None) -> list[TokenMetadata]:
    return [
        TokenMetadata.from_okta_json({"id": f"00Ttoken{n:012d}", "name": f"t{n}", "userId": user})
        for n, user in enumerate(owners)
    ]


class Directory:
    """An ``OwnerDirectory`` double counting its questions; ``refuse_users`` answers 403 to users."""

    def __init__(self, refuse_users: bool = False) -> None:
        self.asked: Counter[tuple[str, str]] = Counter()
        self.first_asked = threading.Event()
        self.refuse_users = refuse_users
        self._lock = threading.Lock()

    def _note(self, kind: str, user_id: str) -> None:
        with self._lock:
            self.asked[(kind, user_id)] += 1
        self.first_asked.set()

    def user(self, user_id: str) -> OwnerUser:
        self._note("user", user_id)
        if self.refuse_users:
            raise Forbidden(status=403, error_code="E0000006")
        return OwnerUser("ACTIVE")

    def role_types(self, user_id: str) -> list[str]:
        self._note("roles", user_id)
        return []


def test_questions_start_when_a_page_names_the_owners_before_anyone_asks() -> None:
    directory = Directory()
    ahead = AskAhead(directory, statuses=True, roles=True)
    try:
        ahead.ahead(tokens(owner(1)))

        assert directory.first_asked.wait(WAIT)
    finally:
        ahead.close()


def test_an_owner_asked_ahead_and_looked_up_is_asked_each_question_once() -> None:
    directory = Directory()
    ahead = AskAhead(directory, statuses=True, roles=True)
    listed = [owner(n % 10) for n in range(50)]
    try:
        ahead.ahead(tokens(*listed[:25]))
        ahead.ahead(tokens(*listed[25:]))
        lookups = look_up_owners(ahead, listed, statuses=True, roles=True)
    finally:
        ahead.close()

    assert len(lookups.owners) == 10 and set(directory.asked.values()) == {1} and len(directory.asked) == 20


def test_tokens_without_a_user_id_start_no_question() -> None:
    directory = Directory()
    ahead = AskAhead(directory, statuses=True, roles=True)
    try:
        ahead.ahead(tokens(None, "admin@example.com"))
        look_up_owners(ahead, [], statuses=True, roles=True)
    finally:
        ahead.close()

    assert not directory.asked


def test_after_a_refusal_questions_of_that_kind_asked_ahead_are_refused_without_a_request() -> None:
    directory = Directory(refuse_users=True)
    ahead = AskAhead(directory, statuses=True, roles=False, at_once=1)
    owners = [owner(n) for n in range(6)]
    try:
        ahead.ahead(tokens(*owners))
        lookups = look_up_owners(ahead, owners, statuses=True, roles=False)
    finally:
        ahead.close()

    assert lookups.users_refused is not None
    assert sum(directory.asked.values()) <= 2  # the pool's two workers may each have asked once


def test_a_closed_directory_asks_nothing_more() -> None:
    directory = Directory()
    ahead = AskAhead(directory, statuses=True, roles=True)
    ahead.close()

    with pytest.raises(RuntimeError, match="closed"):
        ahead.user(owner(1))
    assert not directory.asked
