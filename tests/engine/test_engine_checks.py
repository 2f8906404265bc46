"""Bad inputs reach the user as CheckFailures naming each property (issue 4, test 10)."""

from __future__ import annotations

from seeded_org import Org

from pulumi_okta_token.testing.engine import PluginEngine


def failed_properties(engine: PluginEngine, inputs: dict[str, object]) -> set[str]:
    step = engine.up({"ci": inputs})["ci"]
    assert step.calls == ["Check"], "a refused resource must get no further message"
    return {failure.property for failure in step.failures}


def test_each_bad_property_gets_its_own_check_failure(org: Org, engine: PluginEngine) -> None:
    bad = {
        "token_id": "not-a-token-id",
        "user_id": "alice",
        "network": {"connection": "ZONE", "include": ["10.0.0.0/8"]},
    }
    assert failed_properties(engine, bad) == {"token_id", "user_id", "network"}


def test_a_missing_token_id_is_a_check_failure_naming_token_id(org: Org, engine: PluginEngine) -> None:
    assert failed_properties(engine, {"name": "ci"}) == {"token_id"}


def test_an_unknown_property_is_a_check_failure_naming_it(org: Org, engine: PluginEngine) -> None:
    assert "colour" in failed_properties(engine, {**org.declared(), "colour": "blue"})


def test_check_failure_text_names_the_property_and_the_reason(org: Org, engine: PluginEngine) -> None:
    step = engine.up({"ci": org.declared(network={"connection": "ZONE", "include": ["10.0.0.0/8"]})})["ci"]
    assert step.error is not None
    assert "property network value" in step.error and "zone" in step.error


def test_bad_inputs_make_no_api_call(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": {"token_id": "not-a-token-id"}})
    assert org.okta.calls("GET", "/api/v1/api-tokens/*") == []
