"""The provider's rules: what check accepts, what diff calls a change, what a refresh declares."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pulumi.dynamic import ConfigureRequest, ReadResult
from pulumi.dynamic.config import Config
from pulumi.runtime.rpc import UNKNOWN
from token_samples import OTHER_ZONE, RECORDED, TOKEN, USER, ZONE

from pulumi_okta_token._models import TokenMetadata, TokenSpec, outputs_from_token
from pulumi_okta_token._okta_time import same_instant
from pulumi_okta_token._rules import check_props, differences, refreshed_inputs
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token.provider import ApiTokenProvider, is_unknown

MISSING = object()


def failures_of(props: dict[str, object]) -> dict[str, str]:
    _, failures = check_props(props, is_unknown)
    return dict(failures)


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


# -- ids are whole strings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "value"),
    [("token_id", TOKEN + "\n"), ("user_id", USER + "\n")],
)
def test_check_refuses_an_id_followed_by_a_newline(prop: str, value: str) -> None:
    assert prop in failures_of({"token_id": TOKEN, prop: value})


def test_check_refuses_a_zone_id_followed_by_a_newline() -> None:
    network = {"connection": "ZONE", "include": [ZONE + "\n"]}
    assert "network.include[0]" in failures_of({"token_id": TOKEN, "network": network})["network"]


# -- echoed values are cut to a readable length ------------------------------------------------------


def test_check_cuts_a_huge_token_id_in_its_reason() -> None:
    reason = failures_of({"token_id": "x" * 1_000_000})["token_id"]
    assert len(reason) < 400 and "1000000 characters" in reason


@pytest.mark.parametrize(
    "network",
    [
        {"connection": "Z" * 100_000},
        {"connection": "ZONE", "include": ["z" * 100_000]},
        {"connection": "ZONE", "include": [{"y" * 100_000: ZONE}]},
    ],
)
def test_check_cuts_huge_network_values_in_its_reason(network: dict[str, object]) -> None:
    reason = failures_of({"token_id": TOKEN, "network": network})["network"]
    assert len(reason) < 600 and "characters)" in reason


# -- the five network choices of the Admin Console ----------------------------------------------------


@pytest.mark.parametrize("key", ["include", "exclude"])
def test_check_accepts_all_ip_zones_as_the_single_zone_value(key: str) -> None:
    inputs, failures = check_props(
        {"token_id": TOKEN, "network": {"connection": "ZONE", key: ["ALL_IP_ZONES"]}}, is_unknown
    )
    assert failures == []
    assert inputs["network"][key] == ["ALL_IP_ZONES"]


def test_check_refuses_all_ip_zones_mixed_with_zone_ids() -> None:
    network = {"connection": "ZONE", "include": ["ALL_IP_ZONES", ZONE]}
    reason = failures_of({"token_id": TOKEN, "network": network})["network"]
    assert "ALL_IP_ZONES" in reason and "alone" in reason


CONSOLE_CHOICES = [
    ({"connection": "ANYWHERE"}, {"connection": "ANYWHERE", "include": [], "exclude": []}),
    (
        {"connection": "ZONE", "include": ["ALL_IP_ZONES"]},
        {"connection": "ZONE", "include": ["ALL_IP_ZONES"], "exclude": []},
    ),
    ({"connection": "ZONE", "include": [ZONE]}, {"connection": "ZONE", "include": [ZONE], "exclude": []}),
    (
        {"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]},
        {"connection": "ZONE", "include": [], "exclude": ["ALL_IP_ZONES"]},
    ),
    ({"connection": "ZONE", "exclude": [ZONE]}, {"connection": "ZONE", "include": [], "exclude": [ZONE]}),
]


@pytest.mark.parametrize(("okta_network", "declared"), CONSOLE_CHOICES)
def test_each_console_network_choice_refreshes_into_inputs_check_accepts(
    okta_network: dict[str, object], declared: dict[str, object]
) -> None:
    inputs = refreshed_inputs(TokenMetadata.from_okta_json({**RECORDED, "network": okta_network}))
    assert inputs["network"] == declared and failures_of(inputs) == {}


def test_refreshed_inputs_leave_out_a_network_that_cannot_be_declared() -> None:
    token = TokenMetadata.from_okta_json(
        {**RECORDED, "network": {"connection": "ANYWHERE", "include": [ZONE]}}
    )
    assert "network" not in refreshed_inputs(token)
    assert outputs_from_token(token)["network"] == {
        "connection": "ANYWHERE",
        "include": [ZONE],
        "exclude": [],
    }


def test_refreshed_inputs_leave_out_a_network_without_connection() -> None:
    token = TokenMetadata.from_okta_json({**RECORDED, "network": {"include": [ZONE]}})
    assert "network" not in refreshed_inputs(token)


@pytest.mark.parametrize(("prop", "okta_value"), [("name", ""), ("name", "   "), ("user_id", "bob")])
def test_refreshed_inputs_leave_out_a_value_check_would_refuse(prop: str, okta_value: str) -> None:
    key = {"name": "name", "user_id": "userId"}[prop]
    inputs = refreshed_inputs(TokenMetadata.from_okta_json({**RECORDED, key: okta_value}))
    assert prop not in inputs and failures_of(inputs) == {}


# -- property: whatever network Okta returns, adopt + refresh yields inputs check accepts ------------------

OTHER_TOKEN_IDS = st.from_regex(r"00T[0-9A-Za-z]{17}", fullmatch=True)
ZONE_IDS = [ZONE, OTHER_ZONE, "nzo0000000000000000z"]
ANY_ZONE = ["ALL_IP_ZONES", "all_ip_zones", "All_IP_Zones"]
NOT_ZONES = ["10.0.0.0/8", "nzoshort", "", ZONE + "\n"]
ANYWHERE_SPELLINGS = ["ANYWHERE", "anywhere", "AnyWhere"]
ZONE_SPELLINGS = ["ZONE", "zone", "Zone"]


def without_missing(mapping: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in mapping.items() if value is not MISSING}


no_zones = st.sampled_from([None, [], MISSING])
some_zones = st.one_of(
    st.lists(st.sampled_from(ZONE_IDS), min_size=1, max_size=4),  # duplicates come often
    st.lists(st.sampled_from(ANY_ZONE), min_size=1, max_size=2),
)
console_networks = st.one_of(
    st.builds(
        lambda connection, include, exclude: without_missing(
            {"connection": connection, "include": include, "exclude": exclude}
        ),
        st.sampled_from(ANYWHERE_SPELLINGS),
        no_zones,
        no_zones,
    ),
    st.builds(
        lambda connection, include, exclude: without_missing(
            {"connection": connection, "include": include, "exclude": exclude}
        ),
        st.sampled_from(ZONE_SPELLINGS),
        some_zones,
        no_zones,
    ),
    st.builds(
        lambda connection, include, exclude: without_missing(
            {"connection": connection, "include": include, "exclude": exclude}
        ),
        st.sampled_from(ZONE_SPELLINGS),
        no_zones,
        some_zones,
    ),
)
any_zone_list = st.one_of(st.none(), st.lists(st.sampled_from(ZONE_IDS + ANY_ZONE + NOT_ZONES), max_size=4))
odd_networks = st.fixed_dictionaries(
    {},
    optional={
        "connection": st.sampled_from([*ANYWHERE_SPELLINGS, *ZONE_SPELLINGS, "", "VPN", None]),
        "include": any_zone_list,
        "exclude": any_zone_list,
    },
)
networks_as_okta_returns_them = st.one_of(st.none(), console_networks, odd_networks)
tokens_as_okta_returns_them = st.builds(
    lambda token_id, name, user_id, network: without_missing(
        {**RECORDED, "id": token_id, "name": name, "userId": user_id, "network": network}
    ),
    OTHER_TOKEN_IDS,
    st.sampled_from(["ci", "ci deployer (prod)", "", "  ", None, MISSING]),
    st.sampled_from([USER, "bob", None, MISSING]),
    st.one_of(networks_as_okta_returns_them, st.just(MISSING)),
)


def adopted_then_refreshed(okta_json: dict[str, object]) -> tuple[ApiTokenProvider, ReadResult]:
    """``create`` with only the token id declared, then ``read``, while Okta answers ``okta_json``."""
    provider = ApiTokenProvider()
    provider.configure(
        ConfigureRequest(
            Config(
                raw_config={"okta:orgUrl": "https://acme.okta.com", "okta:apiToken": "not-a-real-token"},
                project_name="test",
            )
        )
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OktaApiTokens, "get", lambda _self, _id: TokenMetadata.from_okta_json(okta_json))
        created = provider.create({"token_id": okta_json["id"]})
        assert created.id is not None and created.outs is not None
        return provider, provider.read(created.id, created.outs)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(okta_json=tokens_as_okta_returns_them)
def test_any_token_okta_returns_refreshes_to_inputs_check_accepts_and_diff_finds_unchanged(
    okta_json: dict[str, object],
) -> None:
    provider, refreshed = adopted_then_refreshed(okta_json)
    assert refreshed.id is not None and refreshed.outs is not None and refreshed.inputs is not None
    event("network refreshed into the inputs" if "network" in refreshed.inputs else "network left out")
    checked = provider.check({}, refreshed.inputs)
    assert [(failure.property, failure.reason) for failure in checked.failures] == []
    assert provider.diff(refreshed.id, refreshed.outs, checked.inputs).changes is False
