"""Users and their admin roles: ``get_user`` / ``list_user_roles`` (and ``OktaUsers``), user ids checked
before any URL, answers about another user or of the wrong shape refused, typed errors (``NotFound``
only for Okta's E0000007, ``Forbidden`` for a missing scope or admin role)."""

from __future__ import annotations

import asyncio
import json
import pickle
import subprocess
import sys
from collections.abc import Callable

import pytest
from transport_support import StaticServer

from pulumi_okta_token._settings import AccessTokenAuth, ApiTokenAuth, OktaSettings
from pulumi_okta_token._transport import OktaUsers, RoleInfo, UserInfo
from pulumi_okta_token._transport._request import OktaRequests
from pulumi_okta_token._transport.users import (
    ROLES_READ_SCOPE,
    USERS_READ_SCOPE,
    checked_user_id,
    get_user,
    list_user_roles,
)
from pulumi_okta_token.errors import Forbidden, NotFound, OktaApiError, OktaTokenError, UntrustedAnswer
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

MISSING = "00u" + "0" * 16 + "x"
OTHER = "00u" + "9" * 17
ID_SHAPE = r"'00u' followed by 17 letters or digits"
Static = Callable[[int, str, str], StaticServer]


def users(okta: FakeOkta, admin: FakeToken, **limits: float) -> OktaUsers:
    """A users client of the fake org, authenticated with ``admin``'s secret."""
    return OktaUsers(OktaSettings(org_url=okta.url, auth=ApiTokenAuth(admin.secret), **limits))  # type: ignore[arg-type]


def users_with_scopes(okta: FakeOkta, *scopes: str) -> OktaUsers:
    """A users client holding an OAuth access token with ``scopes``."""
    access_token = okta.org.issue_access_token(scopes=list(scopes))
    return OktaUsers(OktaSettings(org_url=okta.url, auth=AccessTokenAuth(access_token)))


def users_at(url: str) -> OktaUsers:
    return OktaUsers(OktaSettings(org_url=url, auth=ApiTokenAuth("00not-a-real-secret")))


@pytest.fixture
def alice(fake_okta: FakeOkta) -> str:
    return fake_okta.org.add_user(
        login="alice@example.com", status="SUSPENDED", roles=["SUPER_ADMIN", "REPORT_ADMIN"]
    )


# -- a user ---------------------------------------------------------------------------------------


def test_get_user_reads_the_users_id_status_login_and_email(
    fake_okta: FakeOkta, admin: FakeToken, alice: str
) -> None:
    user = users(fake_okta, admin).get_user(alice)
    assert user == UserInfo(
        id=alice, status="SUSPENDED", login="alice@example.com", email="alice@example.com"
    )


def test_a_user_who_is_not_active_says_so(fake_okta: FakeOkta, admin: FakeToken, alice: str) -> None:
    assert users(fake_okta, admin).get_user(alice).is_active is False


def test_an_active_user_says_so(fake_okta: FakeOkta, admin: FakeToken) -> None:
    assert users(fake_okta, admin).get_user(admin.metadata.user_id or "").is_active is True


def test_user_info_keeps_nothing_but_id_status_login_and_email(
    fake_okta: FakeOkta, admin: FakeToken, alice: str
) -> None:
    dumped = users(fake_okta, admin).get_user(alice).model_dump()
    assert set(dumped) == {"id", "status", "login", "email"}


def test_get_user_makes_one_get_of_the_user(fake_okta: FakeOkta, admin: FakeToken, alice: str) -> None:
    users(fake_okta, admin).get_user(alice)
    assert [(entry.method, entry.path) for entry in fake_okta.calls()] == [("GET", f"/api/v1/users/{alice}")]


def test_get_user_of_an_unknown_user_raises_not_found(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(NotFound) as caught:
        users(fake_okta, admin).get_user(MISSING)
    assert caught.value.error_code == "E0000007" and MISSING in str(caught.value)


def test_a_404_that_is_not_oktas_is_not_not_found(fake_okta: FakeOkta, admin: FakeToken, alice: str) -> None:
    fake_okta.inject_fault(method="GET", path=f"/api/v1/users/{alice}", status=404, html=True)
    with pytest.raises(OktaApiError) as caught:
        users(fake_okta, admin).get_user(alice)
    assert caught.value.status == 404 and not isinstance(caught.value, NotFound)


def test_get_user_with_an_access_token_lacking_okta_users_read_raises_forbidden(
    fake_okta: FakeOkta, alice: str
) -> None:
    client = users_with_scopes(fake_okta, "okta.apiTokens.read", ROLES_READ_SCOPE)
    with pytest.raises(Forbidden) as caught:
        client.get_user(alice)
    assert USERS_READ_SCOPE in str(caught.value)


def test_get_user_with_okta_users_read_succeeds(fake_okta: FakeOkta, alice: str) -> None:
    assert users_with_scopes(fake_okta, USERS_READ_SCOPE).get_user(alice).id == alice


def test_get_user_with_the_token_of_a_user_without_admin_role_raises_forbidden(
    fake_okta: FakeOkta, alice: str
) -> None:
    plain = fake_okta.org.add_token(user_id=fake_okta.org.add_user(roles=[]))
    with pytest.raises(Forbidden):
        users(fake_okta, plain).get_user(alice)


def test_a_read_only_admins_token_reads_a_user(fake_okta: FakeOkta, alice: str) -> None:
    reader = fake_okta.org.add_token(user_id=fake_okta.org.add_user(roles=["READ_ONLY_ADMIN"]))
    assert users(fake_okta, reader).get_user(alice).status == "SUSPENDED"


def test_a_rate_limited_user_read_is_retried(
    fake_okta: FakeOkta, admin: FakeToken, alice: str, waits: list[float]
) -> None:
    fake_okta.inject_fault(method="GET", path=f"/api/v1/users/{alice}", status=429)
    assert users(fake_okta, admin).get_user(alice).id == alice
    assert [entry.status for entry in fake_okta.calls("GET")] == [429, 200] and len(waits) == 1


# -- its roles --------------------------------------------------------------------------------------


def test_list_user_roles_reads_each_roles_type_label_status_and_assignment(
    fake_okta: FakeOkta, admin: FakeToken, alice: str
) -> None:
    roles = users(fake_okta, admin).list_user_roles(alice)
    assert [(role.type, role.label, role.status, role.assignment_type) for role in roles] == [
        ("SUPER_ADMIN", "Super Administrator", "ACTIVE", "USER"),
        ("REPORT_ADMIN", "Report Administrator", "ACTIVE", "USER"),
    ]
    assert all(role.is_active and role.id for role in roles)


def test_list_user_roles_of_a_user_without_admin_roles_is_empty(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    assert users(fake_okta, admin).list_user_roles(fake_okta.org.add_user(roles=[])) == []


def test_list_user_roles_of_an_unknown_user_raises_not_found(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(NotFound):
        users(fake_okta, admin).list_user_roles(MISSING)


def test_list_user_roles_with_an_access_token_lacking_okta_roles_read_raises_forbidden(
    fake_okta: FakeOkta, alice: str
) -> None:
    with pytest.raises(Forbidden) as caught:
        users_with_scopes(fake_okta, USERS_READ_SCOPE).list_user_roles(alice)
    assert ROLES_READ_SCOPE in str(caught.value)


def test_list_user_roles_with_okta_roles_read_succeeds(fake_okta: FakeOkta, alice: str) -> None:
    assert len(users_with_scopes(fake_okta, ROLES_READ_SCOPE).list_user_roles(alice)) == 2


def test_an_inactive_role_assignment_says_so() -> None:
    role = RoleInfo.from_okta_json({"type": "APP_ADMIN", "status": "INACTIVE", "assignmentType": "GROUP"})
    assert role.is_active is False


# -- answers that cannot be trusted or read -------------------------------------------------------


def user_json(user_id: str, status: str = "ACTIVE") -> str:
    return json.dumps({"id": user_id, "status": status, "profile": {"login": "x@example.com"}})


def role_json(assignee: str | None, assignment_type: str = "USER") -> dict[str, object]:
    role: dict[str, object] = {
        "id": "ra1",
        "type": "SUPER_ADMIN",
        "status": "ACTIVE",
        "assignmentType": assignment_type,
    }
    if assignee is not None:
        role["_links"] = {"assignee": {"href": f"https://acme.okta.com/api/v1/users/{assignee}"}}
    return role


def test_a_user_answer_about_another_user_is_untrusted(static_server: Static) -> None:
    server = static_server(200, "application/json", user_json(OTHER))
    with pytest.raises(UntrustedAnswer, match=f"about user '{OTHER}', not user {MISSING}"):
        users_at(server.url).get_user(MISSING)


def test_an_untrusted_user_answer_is_not_asked_again(static_server: Static) -> None:
    server = static_server(200, "application/json", user_json(OTHER))
    with pytest.raises(UntrustedAnswer):
        users_at(server.url).get_user(MISSING)
    assert server.requests == [("GET", f"/api/v1/users/{MISSING}")]


def test_a_role_assigned_to_another_user_is_untrusted(static_server: Static) -> None:
    server = static_server(200, "application/json", json.dumps([role_json(MISSING), role_json(OTHER)]))
    with pytest.raises(UntrustedAnswer, match=f"a role assigned to '{OTHER}'"):
        users_at(server.url).list_user_roles(MISSING)


def test_roles_without_an_assignee_link_or_assigned_through_a_group_are_kept(static_server: Static) -> None:
    group = role_json(None, "GROUP")
    group["_links"] = {"assignee": {"href": "https://acme.okta.com/api/v1/groups/00g1"}}
    server = static_server(200, "application/json", json.dumps([role_json(None), group]))
    assert [role.assignment_type for role in users_at(server.url).list_user_roles(MISSING)] == [
        "USER",
        "GROUP",
    ]


def test_a_user_answer_without_a_status_is_a_clear_error(static_server: Static) -> None:
    server = static_server(200, "application/json", json.dumps({"id": MISSING}))
    with pytest.raises(OktaTokenError, match=r"not a user \(status: Field required\)"):
        users_at(server.url).get_user(MISSING)


def test_a_roles_answer_that_is_not_an_array_is_a_clear_error(static_server: Static) -> None:
    server = static_server(200, "application/json", json.dumps(role_json(MISSING)))
    with pytest.raises(OktaTokenError, match="not a list of role assignments"):
        users_at(server.url).list_user_roles(MISSING)


def test_a_role_without_a_type_is_a_clear_error(static_server: Static) -> None:
    server = static_server(200, "application/json", json.dumps([{"id": "ra1", "status": "ACTIVE"}]))
    with pytest.raises(OktaTokenError, match=r"type: Field required"):
        users_at(server.url).list_user_roles(MISSING)


# -- ids that are not user ids ----------------------------------------------------------------------


NOT_USER_IDS = [
    "",
    "..",
    "me",
    "alice@example.com",
    "00u1gtr35t8ZbfBfV1d7\n",
    "00u1gtr35t8ZbfBfV1d",
    "00u1gtr35t8ZbfBfV1d7x",
    "00T1gtr35t8ZbfBfV1d7",
    "00u1gtr35t8ZbfBfV1d7/roles",
    "00u1gtr35t8ZbfBfV1d7/../../api-tokens",
    "00u1gtr35t8ZbfBfV1d7?limit=1",
    "00u1gtr35t8ZbfBfV1\u00e97",
]


@pytest.mark.parametrize("user_id", NOT_USER_IDS)
def test_get_user_refuses_an_id_that_is_not_a_user_id(
    fake_okta: FakeOkta, admin: FakeToken, user_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        users(fake_okta, admin).get_user(user_id)
    assert fake_okta.calls() == []


@pytest.mark.parametrize("user_id", NOT_USER_IDS)
def test_list_user_roles_refuses_an_id_that_is_not_a_user_id(
    fake_okta: FakeOkta, admin: FakeToken, user_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        users(fake_okta, admin).list_user_roles(user_id)
    assert fake_okta.calls() == []


def test_a_value_that_is_not_a_string_is_refused_by_its_type() -> None:
    with pytest.raises(OktaTokenError, match="A value of type int is not an Okta user id"):
        checked_user_id(42)


def test_a_refused_user_id_is_cut_to_a_readable_length() -> None:
    with pytest.raises(OktaTokenError) as caught:
        checked_user_id("00u" + "x" * 1_000_000)
    assert len(str(caught.value)) < 300 and "nothing was sent to Okta" in str(caught.value)


# -- the coroutines and the client object ---------------------------------------------------------


async def test_the_coroutines_look_up_several_users_at_once_over_one_request_layer(
    fake_okta: FakeOkta, admin: FakeToken, alice: str
) -> None:
    requests = OktaRequests(OktaSettings(org_url=fake_okta.url, auth=ApiTokenAuth(admin.secret)))
    user, roles = await asyncio.gather(get_user(requests, alice), list_user_roles(requests, alice))
    assert user.id == alice and [role.type for role in roles] == ["SUPER_ADMIN", "REPORT_ADMIN"]


def test_the_client_refuses_to_be_pickled(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(users(fake_okta, admin))


def test_repr_names_the_org_but_no_credential(fake_okta: FakeOkta, admin: FakeToken) -> None:
    text = repr(users(fake_okta, admin))
    assert fake_okta.url in text and admin.secret not in text


def test_importing_the_transport_loads_no_users_module_until_it_is_used() -> None:
    code = "import sys, pulumi_okta_token._transport as t; print('okta.api.user_api' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
