"""Issue 8 (safety) through the real plugin: one behaviour per test, grouped by the issue's defect numbers.

The fake Okta produces the bad answers on demand (``FakeOkta.inject_fault``): another token's JSON, a PUT
answered 200 that changed nothing, an HTML 404 from something that is not Okta, a 429 that resets now, a
502. ``ci`` is token A (see ``engine_org.Org``); ``deploy`` is token B, managed by another resource of the
same stack, so revoking it by mistake is the harm the first tests guard against.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from engine_org import Org, live_outputs, without_provider

from pulumi_okta_token.testing.engine import PluginEngine

NOT_APPLIED = re.compile(r"not\s+(been\s+)?appl|n't\s+appl", re.IGNORECASE)
"""How an error says Okta accepted a change but did not apply it."""

WELL_FORMED_ID = "00Tabcdefghijklmnopq"


def token_path(token_id: str) -> str:
    return f"/api/v1/api-tokens/{token_id}"


@pytest.fixture
def deploy(org: Org) -> Any:
    """Token B: another token of the same user, managed by the ``deploy`` resource."""
    return org.okta.org.add_token(name="deploy", user_id=org.user)


def both(org: Org, deploy: Any, **ci: Any) -> dict[str, dict[str, Any]]:
    """The program that manages A (``ci``, with ``ci`` overrides) and B (``deploy``)."""
    return {"ci": org.declared(**ci), "deploy": {"token_id": deploy.id, "name": "deploy"}}


def store_id(engine: PluginEngine, name: str, resource_id: str) -> None:
    """Make the stored resource ``name`` carry ``resource_id``, as a hand-edited or imported state would."""
    stored = engine.state[name]
    engine.put_resource(
        dataclasses.replace(
            stored,
            id=resource_id,
            inputs={**stored.inputs, "token_id": resource_id},
            outputs={**stored.outputs, "token_id": resource_id},
        )
    )


# ------------------------------------------------------------------------------------------------------
# 1. An answer about another token: error naming both ids; nothing stored or written after it


def refresh_answered_with_b(org: Org, deploy: Any, engine: PluginEngine) -> Any:
    engine.up(both(org, deploy))
    org.okta.inject_fault("GET", token_path(org.token.id), answer_with_token=deploy.id)
    return engine.refresh()


def test_refresh_answered_with_another_tokens_json_fails_naming_both_ids(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    error = refresh_answered_with_b(org, deploy, engine).errors["ci"]
    assert org.token.id in error and deploy.id in error


def test_refresh_answered_with_another_tokens_json_keeps_the_right_id_in_the_state(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    refresh_answered_with_b(org, deploy, engine)
    stored = engine.state["ci"]
    assert (stored.id, stored.outputs["token_id"], stored.outputs["name"]) == (
        org.token.id,
        org.token.id,
        "ci",
    )


def test_up_after_a_refresh_answered_with_another_tokens_json_neither_replaces_nor_revokes(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    refresh_answered_with_b(org, deploy, engine)
    org.okta.clear_journal()
    result = engine.up(both(org, deploy))
    assert result.ops() == {"ci": "same", "deploy": "same"}
    assert org.calls("DELETE") == 0
    assert org.live(deploy.id) is not None and org.live() is not None


def test_adopt_answered_with_another_tokens_json_fails_naming_both_ids(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    org.okta.inject_fault("GET", token_path(org.token.id), answer_with_token=deploy.id)
    error = engine.up({"ci": org.declared()}).errors["ci"]
    assert org.token.id in error and deploy.id in error


def test_adopt_answered_with_another_tokens_json_stores_nothing_and_writes_nothing(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    org.okta.inject_fault("GET", token_path(org.token.id), answer_with_token=deploy.id)
    engine.up({"ci": org.declared()})
    assert "ci" not in engine.state
    assert org.writes() == 0


def update_answered_with_b(org: Org, deploy: Any, engine: PluginEngine) -> Any:
    engine.up(both(org, deploy))
    org.okta.inject_fault("PUT", token_path(org.token.id), answer_with_token=deploy.id)
    return engine.up(both(org, deploy, name="ci-renamed"))


def test_update_answered_with_another_tokens_json_fails_naming_both_ids(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    error = update_answered_with_b(org, deploy, engine).errors["ci"]
    assert org.token.id in error and deploy.id in error


def test_update_answered_with_another_tokens_json_keeps_the_tokens_own_outputs(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    update_answered_with_b(org, deploy, engine)
    stored = engine.state["ci"]
    assert (stored.id, stored.outputs["token_id"], stored.outputs["name"]) == (
        org.token.id,
        org.token.id,
        "ci",
    )


def test_up_after_an_update_answered_with_another_tokens_json_renames_without_revoking(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    update_answered_with_b(org, deploy, engine)
    org.okta.clear_journal()
    result = engine.up(both(org, deploy, name="ci-renamed"))
    assert (result.ops()["ci"], result.errors) == ("update", {})
    assert org.calls("DELETE") == 0
    assert org.live(deploy.id) is not None
    assert org.live().name == "ci-renamed"


# ------------------------------------------------------------------------------------------------------
# 2. A PUT answered 200 that Okta did not apply: the operation fails, naming the field


def test_a_rename_okta_did_not_apply_fails_the_up_saying_so_and_naming_name(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.inject_fault("PUT", token_path(org.token.id), not_applied=True)
    error = engine.up({"ci": org.declared(name="ci-renamed")}).errors["ci"]
    assert NOT_APPLIED.search(error), error
    assert "name" in error


def test_a_network_change_okta_did_not_apply_fails_the_up_naming_network(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.inject_fault("PUT", token_path(org.token.id), not_applied=True)
    error = engine.up({"ci": org.declared(network={"connection": "ZONE", "include": [org.vpn]})}).errors["ci"]
    assert NOT_APPLIED.search(error), error
    assert "network" in error


def test_a_rename_okta_did_not_apply_leaves_the_old_name_in_the_state(org: Org, engine: PluginEngine) -> None:
    # Neither the outputs nor the inputs (what the engine records as deployed) claim the new name.
    engine.up({"ci": org.declared()})
    org.okta.inject_fault("PUT", token_path(org.token.id), not_applied=True)
    engine.up({"ci": org.declared(name="ci-renamed")})
    stored = engine.state["ci"]
    assert (stored.outputs["name"], stored.inputs["name"]) == ("ci", "ci")


def test_a_rename_okta_never_applies_fails_on_every_up(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.inject_fault("PUT", token_path(org.token.id), times=None, not_applied=True)
    results = [engine.up({"ci": org.declared(name="ci-renamed")}) for _ in range(2)]
    assert [result.ok for result in results] == [False, False]


def test_an_adoption_whose_put_okta_did_not_apply_fails_and_stores_nothing(
    org: Org, engine: PluginEngine
) -> None:
    org.okta.inject_fault("PUT", token_path(org.token.id), not_applied=True)
    error = engine.up({"ci": org.declared(name="ci-renamed")}).errors["ci"]
    assert NOT_APPLIED.search(error), error
    assert "ci" not in engine.state


# ------------------------------------------------------------------------------------------------------
# 3. Only Okta's own 404 (JSON, errorCode E0000007) means "gone"


def destroy_answered_with_an_html_404(org: Org, engine: PluginEngine) -> Any:
    engine.up({"ci": org.declared()})
    org.okta.inject_fault("DELETE", token_path(org.token.id), status=404, html=True)
    return engine.destroy()


def test_destroy_answered_with_a_non_okta_404_fails_naming_the_url(org: Org, engine: PluginEngine) -> None:
    error = destroy_answered_with_an_html_404(org, engine).errors["ci"]
    assert f"{org.okta.url}{token_path(org.token.id)}" in error


def test_destroy_answered_with_a_non_okta_404_keeps_the_token_active_and_in_the_state(
    org: Org, engine: PluginEngine
) -> None:
    destroy_answered_with_an_html_404(org, engine)
    assert org.live() is not None
    assert engine.state["ci"].id == org.token.id


def test_refresh_answered_with_a_non_okta_404_keeps_the_resource_in_the_state(
    org: Org, engine: PluginEngine
) -> None:
    engine.up({"ci": org.declared()})
    org.okta.inject_fault("GET", token_path(org.token.id), status=404, html=True)
    result = engine.refresh()
    assert (result["ci"].op, result["ci"].ok) == ("read", False)
    assert engine.state["ci"].id == org.token.id


def test_adopt_answered_with_a_non_okta_404_names_the_url_and_does_not_call_the_token_absent(
    org: Org, engine: PluginEngine
) -> None:
    org.okta.inject_fault("GET", token_path(org.token.id), status=404, html=True)
    error = engine.up({"ci": org.declared()}).errors["ci"]
    assert f"{org.okta.url}{token_path(org.token.id)}" in error
    assert "does not exist" not in error


# ------------------------------------------------------------------------------------------------------
# 4. A PUT never writes back a field the program does not declare: it takes it from the live token


def test_a_rename_keeps_the_network_zone_an_admin_set_when_network_is_undeclared(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    engine.up({"deploy": {"token_id": deploy.id, "name": "deploy"}})
    org.okta.org.update_token(deploy.id, network={"connection": "ZONE", "include": [org.office]})
    result = engine.up({"deploy": {"token_id": deploy.id, "name": "deploy-2"}})
    assert result.errors == {}
    live = org.live(deploy.id)
    assert (live.name, live.network.connection, live.network.include) == ("deploy-2", "ZONE", (org.office,))


def test_a_rename_with_network_undeclared_stores_the_live_network(
    org: Org, deploy: Any, engine: PluginEngine
) -> None:
    engine.up({"deploy": {"token_id": deploy.id, "name": "deploy"}})
    org.okta.org.update_token(deploy.id, network={"connection": "ZONE", "include": [org.office]})
    engine.up({"deploy": {"token_id": deploy.id, "name": "deploy-2"}})
    stored = without_provider(engine.state["deploy"].outputs)
    assert stored["network"] == {"connection": "ZONE", "include": [org.office], "exclude": []}
    assert stored == live_outputs(org.live(deploy.id))


def test_a_network_change_keeps_the_name_an_admin_set_when_name_is_undeclared(
    org: Org, engine: PluginEngine
) -> None:
    office = {"connection": "ZONE", "include": [org.office]}
    engine.up({"ci": {"token_id": org.token.id, "network": office}})
    org.okta.org.update_token(org.token.id, name="renamed-in-console")
    result = engine.up(
        {"ci": {"token_id": org.token.id, "network": {"connection": "ZONE", "include": [org.vpn]}}}
    )
    assert result.errors == {}
    assert (org.live().name, org.live().network.include) == ("renamed-in-console", (org.vpn,))


# ------------------------------------------------------------------------------------------------------
# 5. Key material never in error text (the full matrix is tests/engine/test_engine_config_errors.py)


def test_a_private_key_body_given_without_its_pem_lines_is_not_echoed(org: Org) -> None:
    app = org.okta.org.add_service_app()
    body = "".join(line for line in app.private_key_pem.splitlines() if not line.startswith("-----"))
    config = {
        "okta:orgUrl": org.okta.url,
        "okta:clientId": app.client_id,
        "okta:privateKey": body,
        "okta:privateKeyId": app.key_id,
    }
    with PluginEngine(config) as engine:
        result = engine.up({"ci": org.declared()})
        seen = (result.errors.get("ci") or "") + engine.stdout + engine.stderr
    assert not result.ok
    pieces = [body[start : start + 24] for start in range(0, len(body) - 24, 12)]
    assert not [piece for piece in pieces if piece in seen]


# ------------------------------------------------------------------------------------------------------
# 6. Retries: a 429 that resets now waits at least a second; 502 is retried


@pytest.fixture
def patient_engine(org: Org) -> Iterator[PluginEngine]:
    """The plugin allowed many retries, within 3 s per request."""
    config = {**org.config, "okta:maxRetries": "10", "okta:requestTimeout": "3"}
    with PluginEngine(config) as running:
        yield running


def test_a_429_that_resets_now_is_retried_after_at_least_one_second(
    org: Org, patient_engine: PluginEngine
) -> None:
    patient_engine.up({"ci": org.declared()})  # the plugin has loaded everything it needs
    org.okta.inject_fault("PUT", token_path(org.token.id), status=429)
    org.okta.clear_journal()
    began = time.monotonic()
    result = patient_engine.up({"ci": org.declared(name="ci-renamed")})
    assert (result.errors, org.calls("PUT")) == ({}, 2)
    assert time.monotonic() - began >= 1.0


def test_429s_that_reset_now_get_at_most_one_request_a_second_however_many_retries_are_allowed(
    org: Org, patient_engine: PluginEngine
) -> None:
    org.okta.inject_fault("GET", token_path(org.token.id), status=429, times=None)
    result = patient_engine.up({"ci": org.declared()})
    assert not result.ok
    # 3 s of okta:requestTimeout, at least 1 s between attempts: at most 4 requests (before: 11).
    assert org.calls("GET") <= 4


def test_a_single_502_is_retried_and_the_up_succeeds(org: Org, engine: PluginEngine) -> None:
    org.okta.inject_fault("GET", token_path(org.token.id), status=502)
    result = engine.up({"ci": org.declared()})
    assert (result.errors, org.calls("GET")) == ({}, 2)
    assert engine.state["ci"].id == org.token.id


# ------------------------------------------------------------------------------------------------------
# 7. Ids are validated as whole strings; read and delete refuse what is not a token id, without a request

NOT_TOKEN_IDS = ["..", f"{WELL_FORMED_ID}\n", f"{WELL_FORMED_ID}/../../users"]


@pytest.mark.parametrize("bad_id", NOT_TOKEN_IDS, ids=repr)
def test_refresh_refuses_a_stored_id_that_is_not_a_token_id_and_sends_no_request(
    org: Org, engine: PluginEngine, bad_id: str
) -> None:
    engine.up({"ci": org.declared()})
    store_id(engine, "ci", bad_id)
    org.okta.clear_journal()
    result = engine.refresh()
    assert (result["ci"].op, result["ci"].ok) == ("read", False)
    assert "token" in (result["ci"].error or "").lower()
    assert org.okta.journal == []


@pytest.mark.parametrize("bad_id", NOT_TOKEN_IDS, ids=repr)
def test_refresh_keeps_a_resource_whose_stored_id_is_not_a_token_id(
    org: Org, engine: PluginEngine, bad_id: str
) -> None:
    engine.up({"ci": org.declared()})
    store_id(engine, "ci", bad_id)
    engine.refresh()
    assert engine.state["ci"].id == bad_id


@pytest.mark.parametrize("bad_id", NOT_TOKEN_IDS, ids=repr)
def test_destroy_refuses_a_stored_id_that_is_not_a_token_id_and_sends_no_request(
    org: Org, engine: PluginEngine, bad_id: str
) -> None:
    engine.up({"ci": org.declared()})
    store_id(engine, "ci", bad_id)
    org.okta.clear_journal()
    result = engine.destroy()
    assert not result["ci"].ok
    assert "token" in (result["ci"].error or "").lower()
    assert org.okta.journal == []
    assert "ci" in engine.state
    assert org.live() is not None


def checked_failures(engine: PluginEngine, inputs: dict[str, Any]) -> set[str]:
    step = engine.up({"ci": inputs})["ci"]
    assert step.calls == ["Check"], "a refused resource must get no further message"
    return {failure.property for failure in step.failures}


def test_check_refuses_a_token_id_with_a_trailing_newline(org: Org, engine: PluginEngine) -> None:
    assert checked_failures(engine, org.declared(token_id=org.token.id + "\n")) == {"token_id"}
    assert org.okta.journal == []


def test_check_refuses_a_user_id_with_a_trailing_newline(org: Org, engine: PluginEngine) -> None:
    assert checked_failures(engine, org.declared(user_id=org.user + "\n")) == {"user_id"}


def test_check_refuses_a_zone_id_with_a_trailing_newline(org: Org, engine: PluginEngine) -> None:
    network = {"connection": "ZONE", "include": [org.vpn + "\n"]}
    assert checked_failures(engine, org.declared(network=network)) == {"network"}


# ------------------------------------------------------------------------------------------------------
# 8. Rough edges: revoking the provider's own credential; long values in check failures


def test_a_401_after_revoking_the_providers_own_token_names_that_cause_and_retain_on_delete(org: Org) -> None:
    # One process for up and destroy: its warm rate budget sends both DELETEs at once, so the delayed
    # one reaches Okta after the credential's own.
    engine = PluginEngine(org.config, fresh_plugin_per_operation=False).start()
    program = {
        "automation": {"token_id": org.admin.id, "name": "pulumi-automation"},
        "ci": org.declared(),
    }
    assert engine.up(program).errors == {}
    # ci's DELETE reaches Okta after the credential's own: it is then refused with a 401.
    org.okta.inject_fault("DELETE", token_path(org.token.id), latency=0.5)
    result = engine.destroy()
    assert result["automation"].ok
    error = result["ci"].error or ""
    assert "401" in error and "retain_on_delete" in error
    assert re.search(r"credential|authenticat", error, re.IGNORECASE)
    assert org.live() is not None and "ci" in engine.state
    engine.close()


def test_a_check_failure_for_a_megabyte_token_id_is_short(org: Org, engine: PluginEngine) -> None:
    step = engine.up({"ci": {"token_id": "00T" + "x" * 1_000_000}})["ci"]
    assert [failure.property for failure in step.failures] == ["token_id"]
    assert len(step.failures[0].reason) < 1000
