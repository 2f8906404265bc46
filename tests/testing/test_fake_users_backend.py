"""``FakeOrg``'s users: lifecycle status, admin roles, changes out of band, the seed format."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from pulumi_okta_token.testing.backend import FakeOrg, UserNotFound

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def org(clock: Clock) -> FakeOrg:
    return FakeOrg(seed=7, clock=clock)


# -- a new user -----------------------------------------------------------------------------------


def test_a_new_user_is_active_and_a_super_admin_by_default(org: FakeOrg) -> None:
    user = org.user(org.add_user())
    assert user is not None
    assert user.status == "ACTIVE" and user.role_types == ("SUPER_ADMIN",) and user.role == "SUPER_ADMIN"


def test_a_new_active_user_was_created_activated_and_given_a_password_now(org: FakeOrg) -> None:
    user = org.user(org.add_user())
    assert user is not None
    assert user.created == user.activated == user.status_changed == user.password_changed == START
    assert user.last_login is None and user.last_updated == START


def test_a_staged_user_was_never_activated_and_has_no_password(org: FakeOrg) -> None:
    user = org.user(org.add_user(status="STAGED"))
    assert user is not None
    assert user.activated is None and user.password_changed is None and user.status_changed is None


def test_a_users_profile_is_made_from_its_login(org: FakeOrg) -> None:
    user = org.user(org.add_user(login="alice.smith@example.com"))
    assert user is not None
    assert (user.first_name, user.last_name, user.email) == ("Alice", "Smith", "alice.smith@example.com")


def test_add_user_takes_every_status_okta_reports(org: FakeOrg) -> None:
    statuses = ["STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT"]
    statuses += ["SUSPENDED", "DEPROVISIONED"]
    made = [org.user(org.add_user(status=status)) for status in statuses]
    assert [user.status for user in made if user is not None] == statuses


def test_add_user_refuses_a_status_okta_does_not_have(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="status is one of STAGED, PROVISIONED"):
        org.add_user(status="INACTIVE")


def test_add_user_assigns_the_roles_given_in_order(org: FakeOrg) -> None:
    user = org.user(org.add_user(roles=["ORG_ADMIN", "API_ACCESS_MANAGEMENT_ADMIN"]))
    assert user is not None
    assert user.role_types == ("ORG_ADMIN", "API_ACCESS_MANAGEMENT_ADMIN")
    assert [assignment.label for assignment in user.roles] == [
        "Organizational Administrator",
        "API Access Management Administrator",
    ]


def test_role_assignment_ids_are_ra1_and_seventeen_alphanumerics(org: FakeOrg) -> None:
    user = org.user(org.add_user(roles=["SUPER_ADMIN", "READ_ONLY_ADMIN"]))
    assert user is not None
    assert all(re.fullmatch(r"ra1[0-9A-Za-z]{17}", assignment.id) for assignment in user.roles)
    assert len({assignment.id for assignment in user.roles}) == 2


def test_assigning_roles_draws_no_random_number_so_a_seeded_org_keeps_its_token_ids(clock: Clock) -> None:
    plain, with_roles = FakeOrg(seed=3, clock=clock), FakeOrg(seed=3, clock=clock)
    plain.add_user()
    with_roles.add_user(roles=["ORG_ADMIN", "REPORT_ADMIN", "HELP_DESK_ADMIN"])
    assert plain.add_token().id == with_roles.add_token().id


def test_no_roles_is_a_user_without_admin_role(org: FakeOrg) -> None:
    user = org.user(org.add_user(roles=[]))
    assert user is not None
    assert user.roles == () and user.role is None


def test_role_none_is_a_user_without_admin_role(org: FakeOrg) -> None:
    user = org.user(org.add_user(role=None))
    assert user is not None
    assert user.roles == ()


def test_add_user_refuses_a_role_that_is_not_a_standard_admin_role(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="'GOD' is not a standard admin role"):
        org.add_user(roles=["SUPER_ADMIN", "GOD"])


def test_add_user_refuses_a_role_given_twice(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="ORG_ADMIN given more than once"):
        org.add_user(roles=["ORG_ADMIN", "ORG_ADMIN"])


def test_add_user_refuses_role_and_roles_together(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="not both"):
        org.add_user(role="SUPER_ADMIN", roles=["ORG_ADMIN"])


def test_add_user_refuses_a_string_for_roles(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="list of role types"):
        org.add_user(roles="SUPER_ADMIN")


# -- the role a user's tokens act with ----------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "acts_as"),
    [
        (["ORG_ADMIN", "SUPER_ADMIN"], "SUPER_ADMIN"),
        (["READ_ONLY_ADMIN", "SUPER_ADMIN"], "SUPER_ADMIN"),
        (["HELP_DESK_ADMIN", "READ_ONLY_ADMIN"], "READ_ONLY_ADMIN"),
        (["ORG_ADMIN"], None),
    ],
)
def test_a_users_tokens_act_as_super_admin_else_read_only_admin_else_nothing(
    org: FakeOrg, roles: list[str], acts_as: str | None
) -> None:
    token = org.add_token(user_id=org.add_user(roles=roles))
    principal = org.authenticate(token.secret)
    assert principal is not None and principal.role == acts_as


def test_the_token_of_a_deprovisioned_user_is_not_accepted(org: FakeOrg) -> None:
    token = org.add_token(user_id=org.add_user(status="DEPROVISIONED"))
    assert org.authenticate(token.secret) is None


def test_a_refused_token_of_a_deprovisioned_user_does_not_count_as_a_use(org: FakeOrg, clock: Clock) -> None:
    token = org.add_token(user_id=org.add_user(status="DEPROVISIONED"))
    clock.now = START + timedelta(days=2)
    org.authenticate(token.secret)
    assert org.token(token.id) == token.metadata


def test_the_token_of_a_suspended_user_is_still_accepted(org: FakeOrg) -> None:
    token = org.add_token(user_id=org.add_user(status="SUSPENDED"))
    assert org.authenticate(token.secret) is not None


# -- changes out of band --------------------------------------------------------------------------


def test_update_user_status_moves_status_changed_and_last_updated(org: FakeOrg, clock: Clock) -> None:
    user_id = org.add_user()
    clock.now = START + timedelta(days=3)
    user = org.update_user(user_id, status="SUSPENDED")
    assert user.status == "SUSPENDED"
    assert user.status_changed == user.last_updated == clock.now and user.activated == START


def test_update_user_to_the_same_status_changes_nothing(org: FakeOrg, clock: Clock) -> None:
    user_id = org.add_user()
    before = org.user(user_id)
    clock.now = START + timedelta(days=3)
    assert org.update_user(user_id, status="ACTIVE") == before


def test_activating_a_staged_user_sets_activated(org: FakeOrg, clock: Clock) -> None:
    user_id = org.add_user(status="STAGED")
    clock.now = START + timedelta(hours=1)
    assert org.update_user(user_id, status="ACTIVE").activated == clock.now


def test_update_user_roles_keeps_a_kept_roles_assignment_and_assigns_new_ones_now(
    org: FakeOrg, clock: Clock
) -> None:
    user_id = org.add_user(roles=["SUPER_ADMIN", "ORG_ADMIN"])
    kept = org.user(user_id).roles[1]  # type: ignore[union-attr]
    clock.now = START + timedelta(days=1)
    user = org.update_user(user_id, roles=["ORG_ADMIN", "REPORT_ADMIN"])
    assert user.roles[0] == kept
    assert user.roles[1].type == "REPORT_ADMIN" and user.roles[1].created == clock.now


def test_a_token_acts_with_its_users_roles_as_they_are_at_each_call(org: FakeOrg) -> None:
    user_id = org.add_user()
    token = org.add_token(user_id=user_id)
    org.update_user(user_id, roles=["READ_ONLY_ADMIN"])
    principal = org.authenticate(token.secret)
    assert principal is not None and principal.role == "READ_ONLY_ADMIN"


def test_deprovisioning_a_user_stops_its_tokens_from_the_next_call(org: FakeOrg) -> None:
    user_id = org.add_user()
    token = org.add_token(user_id=user_id)
    org.update_user(user_id, status="DEPROVISIONED")
    assert org.authenticate(token.secret) is None


def test_update_user_refuses_an_unknown_status(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="status"):
        org.update_user(org.add_user(), status="GONE")


def test_update_user_of_an_unknown_user_raises_user_not_found(org: FakeOrg) -> None:
    with pytest.raises(UserNotFound) as raised:
        org.update_user("00u" + "x" * 17, status="SUSPENDED")
    assert raised.value.user_id == "00u" + "x" * 17


def test_update_user_records_a_login(org: FakeOrg) -> None:
    moment = START + timedelta(minutes=5)
    assert org.update_user(org.add_user(), last_login=moment).last_login == moment


def test_users_lists_every_user_in_the_order_added(org: FakeOrg) -> None:
    made = [org.add_user(), org.add_user(status="STAGED")]
    assert [user.id for user in org.users()] == made


def test_reset_forgets_users(org: FakeOrg) -> None:
    user_id = org.add_user()
    org.reset()
    assert org.user(user_id) is None and org.users() == []


# -- the seed format ------------------------------------------------------------------------------


ALICE = "00u" + "a" * 17


def test_a_seed_user_carries_its_status_roles_names_and_moments(org: FakeOrg) -> None:
    org.load_seed(
        {
            "users": [
                {
                    "id": ALICE,
                    "login": "alice@example.com",
                    "status": "LOCKED_OUT",
                    "roles": ["ORG_ADMIN", "READ_ONLY_ADMIN"],
                    "firstName": "Alice",
                    "lastName": "Liddell",
                    "created": "2025-01-02T03:04:05.000Z",
                    "lastLogin": "2026-01-01T00:00:00.000Z",
                }
            ]
        }
    )
    user = org.user(ALICE)
    assert user is not None
    assert (user.status, user.role_types) == ("LOCKED_OUT", ("ORG_ADMIN", "READ_ONLY_ADMIN"))
    assert (user.first_name, user.last_name) == ("Alice", "Liddell")
    assert user.created == datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert user.last_login == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_a_seed_user_without_status_or_roles_is_an_active_super_admin(org: FakeOrg) -> None:
    org.load_seed({"users": [{"id": ALICE}]})
    user = org.user(ALICE)
    assert user is not None and (user.status, user.role_types) == ("ACTIVE", ("SUPER_ADMIN",))


def test_a_seed_user_may_still_give_one_role(org: FakeOrg) -> None:
    org.load_seed({"users": [{"id": ALICE, "role": "READ_ONLY_ADMIN"}]})
    user = org.user(ALICE)
    assert user is not None and user.role_types == ("READ_ONLY_ADMIN",)


def test_a_seed_user_with_an_unknown_status_is_refused(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="status"):
        org.load_seed({"users": [{"id": ALICE, "status": "RETIRED"}]})


def test_a_seed_user_whose_roles_are_not_a_list_is_refused(org: FakeOrg) -> None:
    with pytest.raises(ValueError, match="roles must be a list"):
        org.load_seed({"users": [{"id": ALICE, "roles": "SUPER_ADMIN"}]})
