"""The five API-token operations over HTTP: Okta's shapes, headers, errors, and bad input.

Every JSON answer is checked against the OpenAPI schemas by the ``api`` fixture.
"""

from __future__ import annotations

import re

import pytest
from fake_okta_support import TOKENS, Api, SpecChecker
from jsonschema.exceptions import ValidationError
from seeded_org import Org

ABSENT = "00Tinvalid9999999999"


def test_schema_checks_run_because_the_spec_file_is_present(checker: SpecChecker | None) -> None:
    if checker is None:
        pytest.skip("shared/okta/api-tokens.openapi.yaml is not next to the repository: schema checks off")
    assert checker.schema_for("GET", TOKENS + "/00T", 200) == {"$ref": "#/components/schemas/ApiToken"}


def test_patched_spec_accepts_the_recorded_real_token(checker: SpecChecker | None) -> None:
    if checker is None:
        pytest.skip("shared/okta/api-tokens.openapi.yaml is not next to the repository: schema checks off")
    recorded = {
        "id": "00T1gtr35t8ZbfBfV1d7",
        "name": "api-token-test-token",
        "userId": "00unkw1sfbTw08c0g1d7",
        "clientName": "Okta API",
        "tokenWindow": "P30D",
        "network": {"connection": "ZONE", "exclude": ["nzonkw1sfwwiH9Hxt1d7"]},
        "expiresAt": "2025-12-02T14:47:13.000Z",
        "created": "2025-11-02T14:47:13.000Z",
        "lastUpdated": "2025-11-06T08:22:21.000Z",
        "_links": {"self": {"href": "https://x/api/v1/api-tokens/00T1gtr35t8ZbfBfV1d7"}},
    }
    checker.check("GET", TOKENS + "/00T1gtr35t8ZbfBfV1d7", 200, recorded)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "tokenWindow": "30 days"},
        {"name": "x", "_link": {}},
        {"id": "00T"},
        {"name": "x", "created": "now"},
    ],
)
def test_the_schema_check_refuses_what_the_spec_does_not_allow(
    checker: SpecChecker | None, body: dict[str, str]
) -> None:
    if checker is None:
        pytest.skip("shared/okta/api-tokens.openapi.yaml is not next to the repository: schema checks off")
    with pytest.raises((ValidationError, AssertionError), match=r"30 days|_link|name|date-time"):
        checker.check("GET", TOKENS + "/00T", 200, body)


# -- the operations -------------------------------------------------------------------------


def test_get_returns_the_token_with_links_to_itself_and_its_user(api: Api, org: Org) -> None:
    answer = api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert answer.status == 200
    assert answer.data["id"] == org.token.id and answer.data["network"] == {
        "connection": "ZONE",
        "include": [org.office],
    }
    assert answer.data["_links"]["self"]["href"] == f"{org.okta.url}{TOKENS}/{org.token.id}"
    assert answer.data["_links"]["user"]["href"] == f"{org.okta.url}/api/v1/users/{org.user}"


def test_get_of_an_unknown_token_is_404_with_oktas_summary(api: Api, org: Org) -> None:
    answer = api.call("GET", f"{TOKENS}/{ABSENT}", auth=org.auth)
    assert answer.status == 404
    assert answer.data["errorCode"] == "E0000007" and answer.data["errorLink"] == "E0000007"
    assert answer.data["errorSummary"] == f"Not found: Resource not found: {ABSENT} (Token)"
    assert answer.data["errorCauses"] == []


def test_each_error_has_a_fresh_error_id(api: Api, org: Org) -> None:
    first = api.call("GET", f"{TOKENS}/{ABSENT}", auth=org.auth)
    second = api.call("GET", f"{TOKENS}/{ABSENT}", auth=org.auth)
    assert first.data["errorId"] != second.data["errorId"]


def test_list_returns_every_active_token(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth)
    assert answer.status == 200 and [t["id"] for t in answer.data] == [org.admin.id, org.token.id]


def test_put_changes_the_network_and_bumps_last_updated(api: Api, org: Org) -> None:
    before = org.okta.org.token(org.token.id)
    body = {"name": "ci", "userId": org.user, "network": {"connection": "ANYWHERE"}}
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=body)
    assert answer.status == 200 and answer.data["network"] == {"connection": "ANYWHERE"}
    assert before is not None and answer.data["lastUpdated"] > (before.last_updated or "")


def test_put_of_the_recorded_terraform_body_is_accepted(api: Api, org: Org) -> None:
    body = {
        "clientName": "Okta API",
        "created": "2025-11-02T14:47:13Z",
        "name": "ci",
        "network": {"connection": "ZONE", "exclude": [org.vpn]},
        "userId": org.user,
    }
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=body)
    assert answer.status == 200 and answer.data["network"] == {"connection": "ZONE", "exclude": [org.vpn]}


def test_delete_revokes_with_204_and_no_body(api: Api, org: Org) -> None:
    answer = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert (answer.status, answer.raw) == (204, b"")
    assert org.okta.org.token(org.token.id) is None


def test_delete_of_a_revoked_token_is_404(api: Api, org: Org) -> None:
    org.okta.org.revoke_token(org.token.id)
    answer = api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert answer.status == 404 and answer.data["errorCode"] == "E0000007"


def test_delete_current_revokes_the_callers_own_token(api: Api, org: Org) -> None:
    answer = api.call("DELETE", f"{TOKENS}/current", auth=f"SSWS {org.token.secret}")
    assert answer.status == 204
    assert org.okta.org.token(org.token.id) is None and org.okta.org.token(org.admin.id) is not None


def test_get_renders_a_token_in_all_ip_zones_as_okta_json(api: Api, org: Org) -> None:
    network = {"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}
    token = org.okta.org.add_token(name="anywhere-but-zones", user_id=org.user, network=network)
    answer = api.call("GET", f"{TOKENS}/{token.id}", auth=org.auth)
    assert answer.status == 200 and answer.data["network"] == network


def test_put_of_all_ip_zones_is_applied_and_answered(api: Api, org: Org) -> None:
    body = {"name": "ci", "network": {"connection": "ZONE", "include": ["ALL_IP_ZONES"]}}
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=body)
    assert answer.status == 200 and answer.data["network"] == body["network"]


def test_put_mixing_all_ip_zones_with_a_zone_is_400_naming_the_field(api: Api, org: Org) -> None:
    body = {"name": "ci", "network": {"connection": "ZONE", "include": ["ALL_IP_ZONES", org.vpn]}}
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=body)
    assert answer.status == 400 and answer.data["errorCode"] == "E0000001"
    assert answer.data["errorSummary"] == "Api validation failed: network.include"
    assert answer.data["errorCauses"][0]["errorSummary"].startswith("network.include: ALL_IP_ZONES")
    assert org.okta.org.token(org.token.id) == org.token.metadata


# -- headers --------------------------------------------------------------------------------


def test_answers_carry_json_content_type_request_id_and_date(api: Api, org: Org) -> None:
    answer = api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert answer.header("Content-Type") == "application/json"
    assert answer.header("X-Okta-Request-Id") and answer.header("Date")


def test_error_answers_carry_json_content_type_too(api: Api, org: Org) -> None:
    answer = api.call("GET", f"{TOKENS}/{ABSENT}", auth=org.auth)
    assert answer.header("Content-Type") == "application/json"


def test_request_ids_differ_between_requests(api: Api, org: Org) -> None:
    ids = {api.call("GET", TOKENS, auth=org.auth).header("X-Okta-Request-Id") for _ in range(3)}
    assert len(ids) == 3


# -- bad input: Okta's error shape, org unchanged ---------------------------------------------


def test_put_with_unknown_zone_is_refused_with_error_cause(api: Api, org: Org) -> None:
    unknown = "nzo" + "q" * 17
    body = {"name": "ci", "network": {"connection": "ZONE", "include": [unknown]}}
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=body)
    assert answer.status == 400 and answer.data["errorCode"] == "E0000001"
    assert answer.data["errorSummary"] == "Api validation failed: network.include"
    assert [cause["errorSummary"] for cause in answer.data["errorCauses"]] == [
        f"network.include: No network zone with id {unknown!r}"
    ]
    assert org.okta.org.token(org.token.id) == org.token.metadata


def test_put_changing_the_owner_is_refused_and_changes_nothing(api: Api, org: Org) -> None:
    other = org.okta.org.add_user()
    body = {"name": "renamed", "userId": other}
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=body)
    assert answer.status == 400 and "userId" in answer.data["errorCauses"][0]["errorSummary"]
    assert org.okta.org.token(org.token.id) == org.token.metadata


def test_put_with_a_body_that_is_not_json_is_400_and_changes_nothing(api: Api, org: Org) -> None:
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, raw=b"name=ci")
    assert answer.status == 400 and answer.data["errorCode"] == "E0000003"
    assert org.okta.org.token(org.token.id) == org.token.metadata


def test_put_with_no_body_is_400(api: Api, org: Org) -> None:
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert answer.status == 400


def test_put_with_a_json_array_body_is_400_naming_the_body(api: Api, org: Org) -> None:
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body=[1, 2])
    assert answer.status == 400 and answer.data["errorCauses"][0]["errorSummary"].startswith("body:")


def test_put_of_an_unknown_token_is_404(api: Api, org: Org) -> None:
    answer = api.call("PUT", f"{TOKENS}/{ABSENT}", auth=org.auth, body={"name": "x"})
    assert answer.status == 404 and answer.data["errorSummary"].endswith(f"{ABSENT} (Token)")


def test_an_unsupported_method_is_405_in_oktas_shape(api: Api, org: Org) -> None:
    answer = api.call("POST", TOKENS, auth=org.auth, body={"name": "new"})
    assert answer.status == 405 and answer.data["errorCode"] == "E0000022"
    assert len(org.okta.org.tokens()) == 2


def test_an_unknown_path_is_404_in_oktas_shape(api: Api, org: Org) -> None:
    answer = api.call("GET", "/api/v1/users", auth=org.auth)
    assert answer.status == 404 and answer.data["errorCode"] == "E0000007"


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe", b'{"name": "x"', b"null", b'"text"', b'{"network": null}', b'{"name": {"a": 1}}'],
)
def test_malformed_put_bodies_never_crash_the_server_and_change_nothing(
    api: Api, org: Org, raw: bytes
) -> None:
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, raw=raw)
    assert answer.status == 400 and re.fullmatch(r"E00000\d\d", answer.data["errorCode"])
    assert org.okta.org.token(org.token.id) == org.token.metadata


def test_a_deeply_nested_json_body_is_400_not_a_crash(api: Api, org: Org) -> None:
    raw = b"[" * 100_000 + b"]" * 100_000
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, raw=raw)
    assert answer.status == 400 and answer.data["errorCode"] == "E0000003"


def test_a_body_over_the_size_limit_is_413_in_oktas_shape(api: Api, org: Org) -> None:
    raw = b'{"name": "' + b"x" * 3_000_000 + b'"}'
    answer = api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, raw=raw)
    assert answer.status == 413 and answer.data["errorCode"] == "E0000001"
    assert org.okta.org.token(org.token.id) == org.token.metadata


def test_an_unexpected_error_inside_the_fake_is_a_500_in_oktas_shape_and_serving_goes_on(
    api: Api, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(org.okta.org, "list_tokens", broken)
    answer = api.call("GET", TOKENS, auth=org.auth)
    assert answer.status == 500 and answer.data["errorCode"] == "E0000009"
    assert api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth).status == 200
