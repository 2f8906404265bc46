"""``look_up_owners`` over a directory double: questions asked at once and bounded, each owner asked once,
and the failure rules (a refusal stops its kind, a gone owner, any other error ends the look-ups)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from pulumi_okta_token.cli._owners import OWNERS_AT_ONCE, OwnerUser, look_up_owners
from pulumi_okta_token.errors import Forbidden, NotFound, UntrustedAnswer

WAIT = 30.0
"""The most a question waits for the others it should overlap with (a safeguard, never reached)."""


def owner(number: int) -> str:
    return f"00uowner{number:012d}"


class Directory:
    """An ``OwnerDirectory`` double that counts the questions in flight and, with ``together``, holds each
    question until that many are in flight (a barrier: it fails unless they truly overlap)."""

    def __init__(self, together: int | None = None) -> None:
        self.asked: Counter[tuple[str, str]] = Counter()
        self.most_at_once = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._barrier = threading.Barrier(together, timeout=WAIT) if together else None
        self.refuse: set[str] = set()
        self.gone: set[str] = set()
        self.lie_about: set[str] = set()

    def _question(self, kind: str, user_id: str) -> None:
        with self._lock:
            self.asked[(kind, user_id)] += 1
            self._in_flight += 1
            self.most_at_once = max(self.most_at_once, self._in_flight)
        try:
            if self._barrier is not None:
                self._barrier.wait()
        finally:
            with self._lock:
                self._in_flight -= 1
        if kind in self.refuse:
            raise Forbidden(status=403, error_code="E0000006")
        if user_id in self.gone:
            raise NotFound(status=404, error_code="E0000007")
        if user_id in self.lie_about:
            raise UntrustedAnswer("the answer is about another user")

    def user(self, user_id: str) -> OwnerUser:
        self._question("user", user_id)
        return OwnerUser("ACTIVE", f"{user_id}@example.com")

    def role_types(self, user_id: str) -> list[str]:
        self._question("roles", user_id)
        return ["SUPER_ADMIN"]


def test_owner_look_ups_overlap_two_questions_per_owner_for_as_many_owners_as_allowed() -> None:
    owners = [owner(n) for n in range(OWNERS_AT_ONCE * 5)]
    directory = Directory(together=2 * OWNERS_AT_ONCE)

    lookups = look_up_owners(directory, owners, statuses=True, roles=True)

    assert directory.most_at_once == 2 * OWNERS_AT_ONCE
    assert all(facts.roles == {"SUPER_ADMIN"} for facts in lookups.owners.values())


def test_owner_look_ups_never_have_more_owners_in_flight_than_the_bound() -> None:
    directory = Directory()

    look_up_owners(directory, [owner(n) for n in range(100)], statuses=True, roles=True, at_once=3)

    assert directory.most_at_once <= 6


def test_each_owner_is_asked_each_question_once_however_often_it_owns() -> None:
    owners = [owner(n % 30) for n in range(300)]
    directory = Directory()

    lookups = look_up_owners(directory, owners, statuses=True, roles=True)

    assert set(directory.asked.values()) == {1}
    assert len(directory.asked) == 60 and list(lookups.owners) == sorted(set(owners))


def test_only_the_questions_of_the_selected_rules_are_asked() -> None:
    directory = Directory()

    look_up_owners(directory, [owner(n) for n in range(5)], statuses=False, roles=True)

    assert {kind for kind, _ in directory.asked} == {"roles"}


def test_a_refusal_stops_its_kind_of_question_for_owners_not_yet_asked() -> None:
    directory = Directory()
    directory.refuse = {"user"}

    lookups = look_up_owners(directory, [owner(n) for n in range(5)], statuses=True, roles=False, at_once=1)

    assert list(directory.asked) == [("user", owner(0))]
    assert lookups.users_refused is not None and lookups.roles_refused is None


def test_an_owner_either_question_finds_gone_is_reported_gone() -> None:
    directory = Directory()
    directory.gone = {owner(1)}

    lookups = look_up_owners(directory, [owner(0), owner(1)], statuses=True, roles=True)

    assert lookups.owners[owner(1)].exists is False and lookups.owners[owner(0)].exists


def test_any_other_error_ends_the_look_ups_and_is_raised() -> None:
    directory = Directory()
    directory.lie_about = {owner(0)}

    with pytest.raises(UntrustedAnswer):
        look_up_owners(directory, [owner(n) for n in range(50)], statuses=True, roles=True, at_once=1)

    assert len(directory.asked) < 100


def test_progress_counts_each_owner_once_its_questions_are_answered() -> None:
    seen: list[tuple[int, int]] = []

    look_up_owners(
        Directory(),
        [owner(n) for n in range(20)],
        statuses=True,
        roles=True,
        progress=lambda *p: seen.append(p),
    )

    assert seen == [(done, 20) for done in range(1, 21)]
