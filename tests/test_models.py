"""The models and the one mapping between Okta JSON, Pulumi properties and models."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from token_samples import OTHER_ZONE, RECORDED, TOKEN, USER, ZONE

from pulumi_okta_token._models import (
    OUTPUT_FIELDS,
    NetworkCondition,
    TokenMetadata,
    TokenSpec,
    canonical_network,
    outputs_from_token,
    spelling_conflicts,
    token_from_outputs,
    update_body,
)


def test_recorded_okta_json_parses_into_token_metadata() -> None:
    token = TokenMetadata.from_okta_json(RECORDED)
    assert (token.id, token.user_id, token.token_window) == (TOKEN, USER, "P30D")
    assert token.network == NetworkCondition(connection="ZONE", exclude=(ZONE,))


def test_okta_json_round_trips_without_the_links_only_okta_renders() -> None:
    recorded = {key: value for key, value in RECORDED.items() if key != "_links"}
    assert TokenMetadata.from_okta_json(RECORDED).to_okta_json() == recorded


def test_null_token_window_and_missing_name_are_tolerated() -> None:
    token = TokenMetadata.from_okta_json({"id": TOKEN, "tokenWindow": None})
    assert token.name is None and token.token_window is None


def test_outputs_round_trip_to_the_same_token() -> None:
    token = TokenMetadata.from_okta_json(RECORDED)
    assert token_from_outputs(TOKEN, outputs_from_token(token)) == token


def test_output_fields_are_token_id_and_the_other_fields_of_the_token() -> None:
    assert tuple(outputs_from_token(TokenMetadata.from_okta_json(RECORDED))) == OUTPUT_FIELDS


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


def test_canonical_network_rewrites_every_accepted_spelling() -> None:
    declared = {"connection": "zone", "excludes": [{"ip": ZONE}, "all_ip_zones"], "include": None}
    assert canonical_network(declared) == {"connection": "ZONE", "exclude": [ZONE, "ALL_IP_ZONES"]}


def test_canonical_network_leaves_conflicts_for_check() -> None:
    props = {"connection": "ZONE", "include": [ZONE], "includes": [OTHER_ZONE]}
    assert canonical_network(props) == props


def test_canonical_network_leaves_values_it_cannot_look_into_as_they_are() -> None:
    unresolved = object()
    props = {"connection": unresolved, "includes": unresolved, "exclude": [unresolved]}
    assert canonical_network(props) == {
        "connection": unresolved,
        "include": unresolved,
        "exclude": [unresolved],
    }


def test_spelling_conflicts_name_the_list_given_under_both_names() -> None:
    assert spelling_conflicts({"exclude": [ZONE], "excludes": [ZONE]}) == [
        "give exclude or excludes, not both (they are the same field)"
    ]
    assert spelling_conflicts({"include": [ZONE], "excludes": None}) == []


def test_network_zone_lists_compare_as_sets() -> None:
    a = NetworkCondition(connection="ZONE", include=(ZONE, OTHER_ZONE))
    assert a.same_as(NetworkCondition(connection="ZONE", include=(OTHER_ZONE, ZONE)))
    assert not a.same_as(NetworkCondition(connection="ZONE", include=(ZONE,)))


def test_token_spec_is_strict_about_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        TokenSpec.from_props({"token_id": TOKEN, "id": TOKEN})


def test_all_ip_zones_is_sent_in_the_put_body_as_okta_spells_it() -> None:
    spec = TokenSpec.from_props(
        {"token_id": TOKEN, "network": {"connection": "zone", "exclude": ["all_ip_zones"]}}
    )
    body = update_body(None, None, spec.network)
    assert body == {"network": {"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]}}


def test_a_network_okta_spells_in_odd_case_is_read_in_canonical_case() -> None:
    token = TokenMetadata.from_okta_json(
        {**RECORDED, "network": {"connection": "Zone", "include": ["all_ip_zones"]}}
    )
    assert token.network == NetworkCondition(connection="ZONE", include=("ALL_IP_ZONES",))


def test_a_lone_zone_okta_reports_instead_of_a_list_reads_as_a_list_of_one() -> None:
    token = TokenMetadata.from_okta_json(
        {**RECORDED, "network": {"connection": "ZONE", "include": "all_ip_zones"}}
    )
    assert token.network is not None and token.network.include == ("ALL_IP_ZONES",)


def test_a_network_without_connection_is_read_rather_than_refused() -> None:
    token = TokenMetadata.from_okta_json({**RECORDED, "network": {"include": [ZONE]}})
    assert token.network is not None and token.network.include == (ZONE,)
