"""``GET /api/v1/users/{id}`` and ``GET /api/v1/users/{id}/roles`` as the fake serves them: Okta's
shapes (read back with the official SDK's models), authentication, scopes, admin roles, 404, the
``/api/v1`` bucket, faults and the journal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import pytest
from fake_okta_support import TOKENS, Answer, Api, SpecChecker
from okta.models.list_group_assigned_roles200_response_inner import ListGroupAssignedRoles200ResponseInner
from okta.models.user import User
from seeded_org import Org

from pulumi_okta_token.testing import FakeOkta

NOW = datetime(2026, 3, 1, 10, 0, 20, tzinfo=timezone.utc)
MISSING = "00u" + "0" * 16 + "x"
USER_FIELDS = {
    "id",
    "status",
    "created",
    "activated",
    "statusChanged",
    "lastLogin",
    "lastUpdated",
    "passwordChanged",
    "type",
    "profile",
    "credentials",
    "_links",
}
ROLE_FIELDS = {"id", "label", "type", "status", "created", "lastUpdated", "assignmentType", "_links"}


def user_path(user_id: str) -> str:
    return f"/api/v1/users/{user_id}"


def roles_path(user_id: str) -> str:
    return f"/api/v1/users/{user_id}/roles"


def bearer(org: Org, *scopes: str) -> str:
    return "Bearer " + org.okta.org.issue_access_token(scopes=list(scopes))


def token_of(org: Org, *, roles: list[str] | None = None, status: str = "ACTIVE") -> str:
    """The ``Authorization`` of a token of a new user with these roles (default: super admin) and status."""
    return "SSWS " + org.okta.org.add_token(user_id=org.okta.org.add_user(roles=roles, status=status)).secret


def assert_error(answer: Answer, status: int, code: str) -> None:
    assert answer.status == status and answer.data["errorCode"] == code


@pytest.fixture
def alice(org: Org) -> str:
    """A locked-out org admin who also holds the API Access Management role."""
    return org.okta.org.add_user(
        login="alice.liddell@example.com",
        status="LOCKED_OUT",
        roles=["ORG_ADMIN", "API_ACCESS_MANAGEMENT_ADMIN"],
    )


# -- the user ---------------------------------------------------------------------------------------


def test_get_user_answers_its_status_and_profile(api: Api, org: Org, alice: str) -> None:
    answer = api.call("GET", user_path(alice), auth=org.auth)
    assert answer.status == 200 and answer.header("Content-Type") == "application/json"
    assert answer.data["id"] == alice and answer.data["status"] == "LOCKED_OUT"
    assert answer.data["profile"]["login"] == answer.data["profile"]["email"] == "alice.liddell@example.com"
    assert (answer.data["profile"]["firstName"], answer.data["profile"]["lastName"]) == ("Alice", "Liddell")


def test_get_user_answers_every_field_of_oktas_user_object(api: Api, org: Org, alice: str) -> None:
    assert set(api.call("GET", user_path(alice), auth=org.auth).data) == USER_FIELDS


def test_the_user_answer_reads_as_the_okta_sdks_user_model(api: Api, org: Org, alice: str) -> None:
    user = User.from_dict(api.call("GET", user_path(alice), auth=org.auth).data)
    assert user is not None and user.id == alice and user.status is not None
    assert user.status.value == "LOCKED_OUT" and user.type is not None and user.type.id
    assert user.links is not None and user.links.var_self is not None


def test_the_user_answer_links_to_itself_in_the_org(api: Api, org: Org, alice: str) -> None:
    links = api.call("GET", user_path(alice), auth=org.auth).data["_links"]
    assert links["self"]["href"] == f"{org.okta.url}{user_path(alice)}"


def test_a_staged_user_has_null_activation_and_password_moments(api: Api, org: Org) -> None:
    staged = org.okta.org.add_user(status="STAGED")
    data = api.call("GET", user_path(staged), auth=org.auth).data
    assert data["activated"] is None and data["passwordChanged"] is None and data["lastLogin"] is None


def test_the_user_answer_shows_a_status_changed_out_of_band(api: Api, org: Org, alice: str) -> None:
    org.okta.org.update_user(alice, status="DEPROVISIONED")
    assert api.call("GET", user_path(alice), auth=org.auth).data["status"] == "DEPROVISIONED"


def test_the_user_answer_carries_no_credential_secret(api: Api, org: Org, alice: str) -> None:
    credentials = api.call("GET", user_path(alice), auth=org.auth).data["credentials"]
    assert credentials == {"provider": {"type": "OKTA", "name": "OKTA"}}


# -- its roles --------------------------------------------------------------------------------------


def test_roles_answers_an_array_of_the_users_role_assignments(api: Api, org: Org, alice: str) -> None:
    answer = api.call("GET", roles_path(alice), auth=org.auth)
    assert answer.status == 200
    assert [(role["type"], role["label"]) for role in answer.data] == [
        ("ORG_ADMIN", "Organizational Administrator"),
        ("API_ACCESS_MANAGEMENT_ADMIN", "API Access Management Administrator"),
    ]


def test_each_role_assignment_is_active_assigned_to_the_user_and_links_to_it(
    api: Api, org: Org, alice: str
) -> None:
    for role in api.call("GET", roles_path(alice), auth=org.auth).data:
        assert set(role) == ROLE_FIELDS
        assert role["status"] == "ACTIVE" and role["assignmentType"] == "USER"
        assert role["_links"]["assignee"]["href"] == f"{org.okta.url}{user_path(alice)}"


def test_the_roles_answer_reads_as_the_okta_sdks_role_models(api: Api, org: Org, alice: str) -> None:
    for item in api.call("GET", roles_path(alice), auth=org.auth).data:
        role = ListGroupAssignedRoles200ResponseInner.from_dict(item).actual_instance
        assert role is not None and role.id == item["id"] and role.type.value == item["type"]


def test_a_user_without_admin_roles_has_an_empty_roles_array(api: Api, org: Org) -> None:
    plain = org.okta.org.add_user(roles=[])
    assert api.call("GET", roles_path(plain), auth=org.auth).data == []


def test_the_roles_answer_shows_roles_changed_out_of_band(api: Api, org: Org, alice: str) -> None:
    org.okta.org.update_user(alice, roles=["SUPER_ADMIN"])
    assert [role["type"] for role in api.call("GET", roles_path(alice), auth=org.auth).data] == [
        "SUPER_ADMIN"
    ]


# -- unknown users and paths ----------------------------------------------------------------------


def test_an_unknown_user_is_404_e0000007_naming_the_user(api: Api, org: Org) -> None:
    answer = api.call("GET", user_path(MISSING), auth=org.auth)
    assert_error(answer, 404, "E0000007")
    assert answer.data["errorSummary"] == f"Not found: Resource not found: {MISSING} (User)"


def test_the_roles_of_an_unknown_user_are_404_e0000007(api: Api, org: Org) -> None:
    assert_error(api.call("GET", roles_path(MISSING), auth=org.auth), 404, "E0000007")


def test_a_user_is_found_by_id_only_not_by_login(api: Api, org: Org, alice: str) -> None:
    assert_error(api.call("GET", user_path("alice.liddell@example.com"), auth=org.auth), 404, "E0000007")


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_only_get_is_served_on_a_user_and_its_roles(api: Api, org: Org, alice: str, method: str) -> None:
    for path in (user_path(alice), roles_path(alice)):
        assert_error(api.call(method, path, auth=org.auth, body={}), 405, "E0000022")
    assert org.okta.org.user(alice) is not None


# -- authentication and authorization -------------------------------------------------------------


@pytest.mark.parametrize("path", [user_path, roles_path])
def test_no_credential_is_401(api: Api, org: Org, alice: str, path: Callable[[str], str]) -> None:
    assert_error(api.call("GET", path(alice)), 401, "E0000011")


def test_a_bearer_token_with_okta_users_read_reads_a_user(api: Api, org: Org, alice: str) -> None:
    assert api.call("GET", user_path(alice), auth=bearer(org, "okta.users.read")).status == 200


def test_a_bearer_token_with_okta_users_manage_reads_a_user_too(api: Api, org: Org, alice: str) -> None:
    assert api.call("GET", user_path(alice), auth=bearer(org, "okta.users.manage")).status == 200


def test_a_bearer_token_without_okta_users_read_is_403_naming_the_scope(
    api: Api, org: Org, alice: str
) -> None:
    answer = api.call("GET", user_path(alice), auth=bearer(org, "okta.apiTokens.read", "okta.roles.read"))
    assert_error(answer, 403, "E0000006")
    assert answer.data["errorCauses"] == [
        {"errorSummary": "The access token lacks the scope okta.users.read"}
    ]


def test_a_bearer_token_with_okta_roles_read_reads_roles(api: Api, org: Org, alice: str) -> None:
    assert api.call("GET", roles_path(alice), auth=bearer(org, "okta.roles.read")).status == 200


def test_a_bearer_token_with_okta_roles_manage_reads_roles_too(api: Api, org: Org, alice: str) -> None:
    assert api.call("GET", roles_path(alice), auth=bearer(org, "okta.roles.manage")).status == 200


def test_a_bearer_token_with_only_okta_users_read_is_403_for_roles_naming_okta_roles_read(
    api: Api, org: Org, alice: str
) -> None:
    answer = api.call("GET", roles_path(alice), auth=bearer(org, "okta.users.read"))
    assert_error(answer, 403, "E0000006")
    assert answer.data["errorCauses"] == [
        {"errorSummary": "The access token lacks the scope okta.roles.read"}
    ]


def test_api_token_scopes_grant_no_user_read(api: Api, org: Org, alice: str) -> None:
    answer = api.call("GET", user_path(alice), auth=bearer(org, "okta.apiTokens.manage"))
    assert_error(answer, 403, "E0000006")


def test_user_scopes_still_grant_no_api_token_read(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=bearer(org, "okta.users.read", "okta.roles.read"))
    assert_error(answer, 403, "E0000006")


@pytest.mark.parametrize("path", [user_path, roles_path])
def test_a_read_only_admins_token_reads_users_and_roles(
    api: Api, org: Org, alice: str, path: Callable[[str], str]
) -> None:
    reader = token_of(org, roles=["READ_ONLY_ADMIN"])
    assert api.call("GET", path(alice), auth=reader).status == 200


@pytest.mark.parametrize("path", [user_path, roles_path])
def test_the_token_of_a_user_without_admin_role_is_403(
    api: Api, org: Org, alice: str, path: Callable[[str], str]
) -> None:
    assert_error(api.call("GET", path(alice), auth=token_of(org, roles=[])), 403, "E0000006")


def test_the_token_of_an_org_admin_is_403_as_for_the_token_endpoints(api: Api, org: Org, alice: str) -> None:
    assert_error(api.call("GET", user_path(alice), auth=token_of(org, roles=["ORG_ADMIN"])), 403, "E0000006")


def test_the_token_of_a_deprovisioned_user_is_401(api: Api, org: Org, alice: str) -> None:
    answer = api.call("GET", user_path(alice), auth=token_of(org, status="DEPROVISIONED"))
    assert_error(answer, 401, "E0000011")


def test_a_token_whose_user_loses_its_roles_is_403_from_the_next_call(api: Api, org: Org, alice: str) -> None:
    org.okta.org.update_user(org.user, roles=[])
    assert_error(api.call("GET", user_path(alice), auth=org.auth), 403, "E0000006")


# -- rate limits, faults, journal -----------------------------------------------------------------


@pytest.fixture
def frozen(checker: SpecChecker | None) -> Iterator[Api]:
    """A fake whose clock stands still, so a rate-limit window never rolls over mid-test."""
    with FakeOkta(clock=lambda: NOW) as okta:
        yield Api(okta, checker)


def test_user_and_role_reads_count_against_the_api_v1_bucket_with_the_token_endpoints(frozen: Api) -> None:
    admin = frozen.okta.org.add_token()
    auth, user = f"SSWS {admin.secret}", admin.metadata.user_id or ""
    frozen.okta.set_rate_limit(3)
    frozen.okta.set_token_share(100)
    answers = [
        frozen.call("GET", TOKENS, auth=auth),
        frozen.call("GET", user_path(user), auth=auth),
        frozen.call("GET", roles_path(user), auth=auth),
        frozen.call("GET", user_path(user), auth=auth),
    ]
    assert [answer.status for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].data["errorCode"] == "E0000047"
    assert [answer.header("X-Rate-Limit-Remaining") for answer in answers] == ["2", "1", "0", "0"]


def test_user_reads_use_the_callers_share_of_the_bucket(frozen: Api) -> None:
    admin = frozen.okta.org.add_token()
    auth, user = f"SSWS {admin.secret}", admin.metadata.user_id or ""
    frozen.okta.set_rate_limit(10)
    frozen.okta.set_token_share(20)
    statuses = [frozen.call("GET", user_path(user), auth=auth).status for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_an_injected_fault_answers_a_user_read(api: Api, org: Org, alice: str) -> None:
    org.okta.inject_fault(method="GET", path="/api/v1/users/*", status=503)
    assert api.call("GET", roles_path(alice), auth=org.auth).status == 503
    assert api.call("GET", roles_path(alice), auth=org.auth).status == 200


def test_user_and_role_reads_are_journaled(api: Api, org: Org, alice: str) -> None:
    api.call("GET", user_path(alice), auth=org.auth)
    api.call("GET", roles_path(MISSING), auth=org.auth)
    calls = [
        (entry.path, entry.status, entry.auth_scheme) for entry in org.okta.calls("GET", "/api/v1/users/*")
    ]
    assert calls == [(user_path(alice), 200, "SSWS"), (roles_path(MISSING), 404, "SSWS")]
