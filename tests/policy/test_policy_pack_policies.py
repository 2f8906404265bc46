"""The pack's ``pulumi_policy`` policies (``policy._pack``): one per rule, on both ``ApiToken`` types and
no other, configurable, and unknown values kept apart from known ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from pulumi_okta_token._okta_time import format_okta_time
from pulumi_okta_token.cli._stack_state import API_TOKEN_TYPE
from pulumi_okta_token.native.schema import TYPE_TOKEN
from pulumi_okta_token.policy._judge import UNKNOWN
from pulumi_okta_token.policy._pack import RESOURCE_TYPES, plain, policies

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
ANYWHERE = {"token_id": "00Tci00000000000000A", "network": {"connection": "ANYWHERE"}}


def by_name() -> dict[str, ResourceValidationPolicy | StackValidationPolicy]:
    return {policy.name: policy for policy in policies(now=lambda: NOW)}


def options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def violations_of(rule: str, resource_type: str, props: dict[str, Any]) -> list[str]:
    policy = by_name()[rule]
    assert isinstance(policy, ResourceValidationPolicy) and policy.validate is not None
    args = ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:s::p::{resource_type}::ci",
        "ci",
        options(),
        None,
    )
    found: list[str] = []
    validations = policy.validate if isinstance(policy.validate, list) else [policy.validate]
    for validate in validations:
        validate(args, lambda message, urn=None: found.append(message))
    return found


def stack_violations(resources: list[tuple[str, dict[str, Any]]], config: dict[str, Any]) -> list[str]:
    policy = by_name()["expiring"]
    assert isinstance(policy, StackValidationPolicy) and policy.validate is not None
    args = StackValidationArgs(
        [
            PolicyResource(
                kind, unknown_checking_proxy(props), f"urn::{i}", f"r{i}", options(), None, None, [], {}
            )
            for i, (kind, props) in enumerate(resources)
        ],
        config,
    )
    found: list[str] = []
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


def test_the_pack_judges_the_dynamic_and_the_native_api_token_types() -> None:
    assert RESOURCE_TYPES == ("pulumi-python:dynamic/okta:ApiToken", "okta-token:index:ApiToken")
    assert RESOURCE_TYPES == (API_TOKEN_TYPE, TYPE_TOKEN)


def test_each_rule_is_one_policy_with_its_default_enforcement_level() -> None:
    assert {name: policy.enforcement_level for name, policy in by_name().items()} == {
        "network-anywhere": EnforcementLevel.MANDATORY,
        "network-exclude-only": EnforcementLevel.ADVISORY,
        "network-undeclared": EnforcementLevel.ADVISORY,
        "expiring": EnforcementLevel.ADVISORY,
    }


def test_expiring_takes_days_from_the_policy_config_with_a_default_of_seven() -> None:
    schema = by_name()["expiring"].config_schema
    assert schema is not None
    assert schema.properties == {"days": {"type": "integer", "minimum": 0, "default": 7}}


def test_network_anywhere_reports_either_api_token_type() -> None:
    assert len(violations_of("network-anywhere", API_TOKEN_TYPE, ANYWHERE)) == 1
    assert len(violations_of("network-anywhere", TYPE_TOKEN, ANYWHERE)) == 1


def test_other_resource_types_are_not_judged() -> None:
    assert violations_of("network-anywhere", "pulumi-python:dynamic:Resource", ANYWHERE) == []
    assert violations_of("network-undeclared", "okta:index/apiToken:ApiToken", {}) == []


def test_a_network_unknown_during_preview_is_neither_reported_nor_an_error() -> None:
    props = {
        "token_id": "00Tci00000000000000A",
        "network": {"connection": "ZONE", "include": UNKNOWN_ARRAY_VALUE},
    }
    assert violations_of("network-exclude-only", TYPE_TOKEN, props) == []
    assert violations_of("network-undeclared", TYPE_TOKEN, props) == []


def test_plain_replaces_each_unknown_value_and_keeps_the_known_ones() -> None:
    proxied = unknown_checking_proxy(
        {
            "token_id": UNKNOWN_STRING_VALUE,
            "name": "ci",
            "network": {"include": ["nzo1", UNKNOWN_STRING_VALUE]},
        }
    )
    assert plain(proxied) == {"token_id": UNKNOWN, "name": "ci", "network": {"include": ["nzo1", UNKNOWN]}}


def test_expiring_reports_with_the_configured_days_and_skips_new_tokens() -> None:
    soon = {"token_id": "00Tci00000000000000A", "expires_at": format_okta_time(NOW + timedelta(days=20))}
    new = {"token_id": "00Tci00000000000000B", "expires_at": UNKNOWN_STRING_VALUE}
    resources = [(API_TOKEN_TYPE, soon), (TYPE_TOKEN, new), ("aws:s3/bucket:Bucket", soon)]

    assert stack_violations(resources, {}) == []
    (message,) = stack_violations(resources, {"days": 30})
    assert message.startswith("expiring: ApiToken 'r0' (token 00Tci00000000000000A) expires in 20 days")
