"""The models and the one mapping between Okta JSON, Pulumi properties and models."""

from __future__ import annotations

import pytest
from pulumi.runtime.rpc import UNKNOWN
from pydantic import ValidationError

from pulumi_okta_token.models import (
    NetworkCondition,
    TokenMetadata,
    TokenSpec,
    check_props,
    differences,
    normalize_network_props,
    outputs_from_token,
    refreshed_inputs,
    same_instant,
    token_from_outputs,
    update_body,
)
from pulumi_okta_token.provider import is_unknown

TOKEN = "00T1gtr35t8ZbfBfV1d7"
USER = "00unkw1sfbTw08c0g1d7"
ZONE = "nzonkw1sfwwiH9Hxt1d7"
OTHER_ZONE = "nzonkw1sfwwi79Hat2d7"

RECORDED = {
    "id": TOKEN,
    "name": "api-token-test-token",
    "userId": USER,
    "clientName": "Okta API",
    "tokenWindow": "P30D",
    "network": {"connection": "ZONE", "exclude": [ZONE]},
    "expiresAt": "2025-12-02T14:47:13.000Z",
    "created": "2025-11-02T14:47:13.000Z",
    "lastUpdated": "2025-11-06T08:22:21.000Z",
    "_links": {"self": {"href": "https://x/api/v1/api-tokens/" + TOKEN}},
}


def failures_of(props: dict[str, object]) -> dict[str, str]:
    _, failures = check_props(props, is_unknown)
    return dict(failures)


def test_recorded_okta_json_parses_into_token_metadata() -> None:
    token = TokenMetadata.from_okta_json(RECORDED)
    assert (token.id, token.user_id, token.token_window) == (TOKEN, USER, "P30D")
    assert token.network == NetworkCondition(connection="ZONE", exclude=(ZONE,))


def test_token_metadata_renders_okta_json_with_links() -> None:
    body = TokenMetadata.from_okta_json(RECORDED).to_okta_json("https://acme.okta.com/")
    assert body["network"] == {"connection": "ZONE", "exclude": [ZONE]}
    assert body["_links"]["self"]["href"] == f"https://acme.okta.com/api/v1/api-tokens/{TOKEN}"
    assert body["_links"]["user"]["href"] == f"https://acme.okta.com/api/v1/users/{USER}"


def test_null_token_window_and_missing_name_are_tolerated() -> None:
    token = TokenMetadata.from_okta_json({"id": TOKEN, "tokenWindow": None})
    assert token.name is None and token.token_window is None


def test_outputs_round_trip_to_the_same_token() -> None:
    token = TokenMetadata.from_okta_json(RECORDED)
    assert token_from_outputs(TOKEN, outputs_from_token(token)) == token


def test_outputs_hold_every_documented_field_in_snake_case() -> None:
    outputs = outputs_from_token(TokenMetadata.from_okta_json(RECORDED))
    assert outputs["network"] == {"connection": "ZONE", "include": [], "exclude": [ZONE]}
    assert set(outputs) == {
        "token_id",
        "name",
        "user_id",
        "client_name",
        "created",
        "network",
        "last_updated",
        "expires_at",
        "token_window",
    }


def test_update_body_sends_only_name_user_and_network() -> None:
    body = update_body("ci", USER, NetworkCondition(connection="ANYWHERE"))
    assert body == {"name": "ci", "userId": USER, "network": {"connection": "ANYWHERE"}}


def test_ip_blocks_and_plural_spelling_become_plain_zone_lists() -> None:
    spec = TokenSpec.from_props(
        {"token_id": TOKEN, "network": {"connection": "ZONE", "excludes": [{"ip": ZONE}, OTHER_ZONE]}}
    )
    assert spec.to_props()["network"] == {"connection": "ZONE", "include": [], "exclude": [ZONE, OTHER_ZONE]}


def test_normalize_network_props_leaves_conflicts_for_check() -> None:
    props = {"connection": "ZONE", "include": [ZONE], "includes": [OTHER_ZONE]}
    assert normalize_network_props(props) == props


def test_check_refuses_both_include_and_includes() -> None:
    network = {"connection": "ZONE", "include": [ZONE], "includes": [OTHER_ZONE]}
    assert "same field" in failures_of({"token_id": TOKEN, "network": network})["network"]


def test_check_refuses_unknown_connection() -> None:
    reason = failures_of({"token_id": TOKEN, "network": {"connection": "VPN"}})["network"]
    assert "'ANYWHERE' or 'ZONE'" in reason and "VPN" in reason


def test_check_refuses_zone_without_include_or_exclude() -> None:
    reason = failures_of({"token_id": TOKEN, "network": {"connection": "ZONE"}})["network"]
    assert "exactly one of include or exclude" in reason


def test_check_refuses_zone_with_both_include_and_exclude() -> None:
    network = {"connection": "ZONE", "include": [ZONE], "exclude": [OTHER_ZONE]}
    assert "exactly one" in failures_of({"token_id": TOKEN, "network": network})["network"]


def test_check_refuses_zones_with_anywhere() -> None:
    network = {"connection": "ANYWHERE", "include": [ZONE]}
    assert "takes no include or exclude" in failures_of({"token_id": TOKEN, "network": network})["network"]


def test_check_explains_that_an_ip_address_is_not_a_zone_id() -> None:
    network = {"connection": "ZONE", "include": [{"ip": "10.0.0.0/8"}]}
    reason = failures_of({"token_id": TOKEN, "network": network})["network"]
    assert "network zone ids" in reason and "10.0.0.0/8" in reason


def test_check_refuses_malformed_zone_id() -> None:
    network = {"connection": "ZONE", "include": ["zone-1"]}
    assert "network.include[0]" in failures_of({"token_id": TOKEN, "network": network})["network"]


@pytest.mark.parametrize(
    ("prop", "value", "words"),
    [
        ("token_id", "00Tshort", "'00T' followed by 17"),
        ("token_id", "00u1gtr35t8ZbfBfV1d7", "API token id"),
        ("user_id", "bob", "'00u' followed by 17"),
        ("name", "", "non-empty"),
        ("name", "   ", "non-empty"),
        ("created", "yesterday", "ISO-8601"),
    ],
)
def test_check_names_each_malformed_property(prop: str, value: str, words: str) -> None:
    props = {"token_id": TOKEN, prop: value}
    assert words in failures_of(props)[prop]


def test_check_requires_token_id_and_says_where_to_find_it() -> None:
    assert "Admin Console" in failures_of({"name": "ci"})["token_id"]


def test_check_reports_every_bad_property_at_once() -> None:
    failures = failures_of({"token_id": "x", "user_id": "y", "name": "", "network": {"connection": "Z"}})
    assert set(failures) == {"token_id", "user_id", "name", "network"}


def test_check_refuses_a_property_apitoken_does_not_have() -> None:
    assert "not a property" in failures_of({"token_id": TOKEN, "nmae": "typo"})["nmae"]


def test_check_passes_unknown_values_through_during_preview() -> None:
    inputs, failures = check_props({"token_id": TOKEN, "name": UNKNOWN}, is_unknown)
    assert failures == [] and inputs == {"token_id": TOKEN, "name": UNKNOWN}


def test_check_still_validates_known_values_next_to_an_unknown_token_id() -> None:
    _inputs, failures = check_props({"token_id": UNKNOWN, "name": ""}, is_unknown)
    assert dict(failures).keys() == {"name"}


def test_check_returns_canonical_inputs_without_null_values() -> None:
    inputs, _ = check_props(
        {"token_id": TOKEN, "name": None, "network": {"connection": "anywhere"}}, is_unknown
    )
    assert inputs == {"token_id": TOKEN, "network": {"connection": "ANYWHERE", "include": [], "exclude": []}}


def test_network_zone_lists_compare_as_sets() -> None:
    a = NetworkCondition(connection="ZONE", include=(ZONE, OTHER_ZONE))
    assert a.same_as(NetworkCondition(connection="ZONE", include=(OTHER_ZONE, ZONE)))
    assert not a.same_as(NetworkCondition(connection="ZONE", include=(ZONE,)))


def test_differences_ignore_fields_the_user_did_not_set() -> None:
    token = TokenMetadata.from_okta_json(RECORDED)
    assert differences(TokenSpec(token_id=TOKEN), token) == []


def test_differences_mark_owner_client_and_created_as_assertions() -> None:
    token = TokenMetadata.from_okta_json(RECORDED)
    spec = TokenSpec(token_id=TOKEN, name="renamed", client_name="Other", user_id="00u0000000000000000a")
    found = {item.field: item.asserted for item in differences(spec, token)}
    assert found == {"name": False, "client_name": True, "user_id": True}


def test_created_is_compared_as_an_instant() -> None:
    assert same_instant("2025-11-02T14:47:13Z", "2025-11-02T14:47:13.000Z")
    token = TokenMetadata.from_okta_json(RECORDED)
    assert differences(TokenSpec(token_id=TOKEN, created="2025-11-02T14:47:13Z"), token) == []


def test_refreshed_inputs_declare_the_live_name_and_network() -> None:
    inputs = refreshed_inputs(TokenMetadata.from_okta_json(RECORDED))
    assert inputs["name"] == "api-token-test-token"
    assert inputs["network"]["exclude"] == [ZONE]


def test_token_spec_is_strict_about_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        TokenSpec.from_props({"token_id": TOKEN, "id": TOKEN})
