"""The ``ApiToken`` lifecycle through the real plugin (issue 4, tests 1-9), API calls counted in the fake."""

from __future__ import annotations

import base64

import dill
from engine_org import ABSENT_TOKEN, live_outputs, without_provider
from seeded_org import Org

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token.testing.engine import PROVIDER_KEY, UNKNOWN, PluginEngine


def test_first_up_adopts_the_token_with_outputs_equal_to_the_live_token(
    org: Org, engine: PluginEngine
) -> None:
    result = engine.up({"ci": org.declared()})
    step = result["ci"]
    assert (step.op, step.id, step.error) == ("create", org.token.id, None)
    assert without_provider(engine.state["ci"].outputs) == live_outputs(org.live())


def test_first_up_of_a_matching_token_costs_one_get_and_no_put(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    assert (org.calls("GET"), org.calls("PUT")) == (1, 0)


def test_second_up_of_the_same_program_changes_nothing_and_writes_nothing(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()
    result = engine.up({"ci": org.declared()})
    assert result.ops() == {"ci": "same"}
    assert org.writes() == 0


def test_up_with_a_new_network_condition_updates_with_exactly_one_put(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()
    result = engine.up({"ci": org.declared(network={"connection": "ZONE", "include": [org.vpn]})})
    assert (result["ci"].op, result["ci"].calls) == ("update", ["Check", "Diff", "Update"])
    assert org.calls("PUT") == 1
    assert org.live().network.include == (org.vpn,)
    assert engine.state["ci"].outputs["network"]["include"] == [org.vpn]


def test_a_new_serialization_of_the_provider_alone_is_no_change(org: Org, engine: PluginEngine) -> None:
    # What a package upgrade does to ``__provider``: other bytes, same class. The plugin configures a
    # second provider instance for the new string; the diff must ignore ``__provider``.
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()
    engine.provider_string = base64.b64encode(dill.dumps(ApiTokenProvider(), protocol=2)).decode()
    result = engine.up({"ci": org.declared()})
    assert (result.ops(), result.errors) == ({"ci": "same"}, {})
    assert engine.state["ci"].inputs[PROVIDER_KEY] == engine.provider_string
    assert org.writes() == 0


def test_preview_with_an_unknown_name_succeeds_and_writes_nothing(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()
    result = engine.preview({"ci": org.declared(name=UNKNOWN)})
    assert result.errors == {}
    assert result["ci"].calls == ["Check", "Diff"]
    assert org.writes() == 0
    assert org.live().name == "ci"


def test_preview_with_a_zone_not_created_yet_succeeds_and_writes_nothing(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()
    result = engine.preview({"ci": org.declared(network={"connection": "ZONE", "include": [UNKNOWN]})})
    assert (result.ops(), result.errors) == ({"ci": "update"}, {})
    assert org.writes() == 0


def test_preview_of_a_new_resource_with_an_unknown_name_plans_its_creation(
    org: Org, engine: PluginEngine
) -> None:
    result = engine.preview({"ci": org.declared(name=UNKNOWN)})
    assert (result["ci"].op, result["ci"].error) == ("create", None)
    assert engine.state == {}


def test_refresh_after_an_out_of_band_change_makes_the_state_follow_okta(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.org.update_token(org.token.id, name="renamed-in-console")
    result = engine.refresh()
    assert result["ci"].op == "read"
    assert without_provider(engine.state["ci"].outputs) == live_outputs(org.live())
    assert engine.state["ci"].outputs["name"] == "renamed-in-console"


def test_preview_after_refresh_shows_the_drift_as_an_update(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.org.update_token(org.token.id, name="renamed-in-console")
    engine.refresh()
    org.okta.clear_journal()
    result = engine.preview({"ci": org.declared()})
    assert result.ops() == {"ci": "update"}
    assert org.writes() == 0


def test_refresh_after_an_out_of_band_revoke_drops_the_resource_from_the_state(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.org.revoke_token(org.token.id)
    result = engine.refresh()
    assert result.ops() == {"ci": "gone"}
    assert engine.state == {}


def test_changed_token_id_adopts_the_new_token_then_revokes_the_old(org: Org, engine: PluginEngine) -> None:
    other = org.okta.org.add_token(name="ci-2", user_id=org.user)
    engine.up({"ci": org.declared()})
    result = engine.up({"ci": {"token_id": other.id, "name": "ci-2"}})
    step = result["ci"]
    assert (step.op, step.calls) == ("replace", ["Check", "Diff", "Check", "Create", "Delete"])
    assert (step.old_id, step.id, engine.state["ci"].id) == (org.token.id, other.id, other.id)
    assert org.live() is None
    assert org.live(other.id) is not None


def test_destroy_revokes_the_token_with_one_delete(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()
    result = engine.destroy()
    assert (result.ops(), result.errors) == ({"ci": "delete"}, {})
    assert org.calls("DELETE") == 1
    assert org.live() is None
    assert engine.state == {}


def test_destroy_of_a_token_already_revoked_succeeds(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.org.revoke_token(org.token.id)
    result = engine.destroy()
    assert result.errors == {}
    assert engine.state == {}


def test_up_of_an_absent_token_fails_naming_the_id_and_the_remedy(org: Org, engine: PluginEngine) -> None:
    result = engine.up({"ci": {"token_id": ABSENT_TOKEN}})
    error = result.errors["ci"]
    assert ABSENT_TOKEN in error
    assert "Admin Console" in error and "token_id" in error


def test_up_of_an_absent_token_writes_nothing_and_keeps_no_state(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": {"token_id": ABSENT_TOKEN}})
    assert org.writes() == 0
    assert engine.state == {}


def test_the_whole_lifecycle_works_with_a_fresh_plugin_per_operation_as_the_cli_runs_it(org: Org) -> None:
    with PluginEngine(org.config, fresh_plugin_per_operation=True) as engine:
        results = [
            engine.up({"ci": org.declared()}),
            engine.up({"ci": org.declared(network={"connection": "ANYWHERE"})}),
            engine.refresh(),
            engine.destroy(),
        ]
        assert engine.plugin_starts == 4
    assert [result.ops() for result in results] == [
        {"ci": op} for op in ("create", "update", "read", "delete")
    ]
    assert [result.errors for result in results] == [{}] * 4
    assert org.live() is None
