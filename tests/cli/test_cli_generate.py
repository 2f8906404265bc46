"""``pulumi-okta-token generate`` through the console script: what it prints, and the round trip.

Round trip: the generated program (or the example program with the generated stack config) declares
exactly the org's tokens, and ``PluginEngine.up`` of those declarations adopts every one of them with
no PUT at all.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CliOrg

import pulumi_okta_token
from pulumi_okta_token import ApiToken
from pulumi_okta_token._models import NetworkCondition, TokenMetadata
from pulumi_okta_token._rules import refreshed_inputs
from pulumi_okta_token.cli.generate import NATIVE_TYPE
from pulumi_okta_token.testing import PluginEngine, ProgramDeclarations, run_program
from pulumi_okta_token.testing.engine import ImportSpec, NativeEngine

REPO = Path(__file__).resolve().parents[2]
CONFIG_PROGRAM = REPO / "examples" / "tokens_from_config"
PROJECT = "okta-api-tokens"
API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"


def varied_org(cli_org: CliOrg) -> None:
    """Tokens with each of the console's network choices, names that need care, a shared name, and a
    network condition no declaration can state."""
    org = cli_org.okta.org
    office, vpn = org.add_zone(name="office"), org.add_zone(name="vpn")
    cli_org.add("ci-deployer", network={"connection": "ANYWHERE"})
    cli_org.add("backup bot", network={"connection": "ZONE", "exclude": [office, vpn]})
    cli_org.add("In Any Zone", network={"connection": "ZONE", "include": ["ALL_IP_ZONES"]})
    cli_org.add("outside-zones", network={"connection": "ZONE", "exclude": ["ALL_IP_ZONES"]})
    cli_org.add('quote " and \\ and é and 😀', network={"connection": "ZONE", "include": [vpn]})
    cli_org.add("twin", network={"connection": "ANYWHERE"})
    cli_org.add("twin", network={"connection": "ZONE", "include": [office]})
    odd = NetworkCondition.model_construct(connection="ZONE", include=(office,), exclude=(vpn,))
    cli_org.add("odd-network", network=odd)


def program_from(text: str, tmp_path: Path) -> ProgramDeclarations:
    (tmp_path / "__main__.py").write_text(text)
    return run_program(tmp_path)


def stack_config_tokens(text: str) -> list[dict[str, Any]]:
    tokens: list[dict[str, Any]] = yaml.safe_load(text)["config"][f"{PROJECT}:tokens"]
    return tokens


def config_program_from(text: str) -> ProgramDeclarations:
    config = {f"{PROJECT}:tokens": json.dumps(stack_config_tokens(text))}
    return run_program(CONFIG_PROGRAM, config=config, project=PROJECT)


def adopt(cli_org: CliOrg, declared: ProgramDeclarations) -> dict[str, str]:
    """``up`` of the declarations through the real plugin; the ops per resource."""
    cli_org.okta.clear_journal()
    config = {"okta:orgUrl": cli_org.okta.url, "okta:apiToken": cli_org.admin.secret}
    with PluginEngine(config, project=PROJECT) as engine:
        result = engine.up(declared.inputs)
    assert result.ok, result.errors
    return result.ops()


def canonical(inputs: dict[str, Any]) -> dict[str, Any]:
    """Declared inputs as ``check`` stores them (network lists both present)."""
    if "network" in inputs:
        network = NetworkCondition.model_validate(inputs["network"])
        inputs = {**inputs, "network": network.to_props()}
    return inputs


# --------------------------------------------------------------------------------------------
# python


def test_generated_program_declares_every_token_as_it_is(cli_org: CliOrg, tmp_path: Path) -> None:
    varied_org(cli_org)

    run = cli_org.run("generate")
    declared = program_from(run.stdout, tmp_path)

    assert run.code == 0, run.stderr
    tokens = {token.id: token for token in cli_org.okta.org.tokens()}
    assert set(declared.types.values()) == {API_TOKEN_TYPE}
    by_id = {inputs["token_id"]: canonical(inputs) for inputs in declared.inputs.values()}
    assert by_id == {
        token_id: {k: v for k, v in refreshed_inputs(token).items() if k != "user_id"}
        for token_id, token in tokens.items()
    }


def test_generated_program_adopts_every_token_with_zero_puts(cli_org: CliOrg, tmp_path: Path) -> None:
    varied_org(cli_org)
    declared = program_from(cli_org.run("generate").stdout, tmp_path)

    ops = adopt(cli_org, declared)

    assert set(ops.values()) == {"create"} and len(ops) == len(cli_org.okta.org.tokens())
    assert cli_org.okta.calls("PUT") == []


def test_generated_resource_names_are_unique_and_come_from_token_names(
    cli_org: CliOrg, tmp_path: Path
) -> None:
    varied_org(cli_org)

    declared = program_from(cli_org.run("generate").stdout, tmp_path)

    names = sorted(declared.inputs)
    twins = [token.id for token in cli_org.okta.org.tokens() if token.name == "twin"]
    assert {"ci-deployer", "backup-bot", "in-any-zone", "quote-and-and-and"} <= set(names)
    assert {f"twin-{token_id}" for token_id in twins} <= set(names)


def test_generated_program_is_sorted_and_the_same_every_time(cli_org: CliOrg) -> None:
    varied_org(cli_org)

    first, second = cli_org.run("generate").stdout, cli_org.run("generate").stdout

    names = [node.value.args[0].value for node in ast.parse(first).body if _is_api_token_call(node)]  # type: ignore[attr-defined]
    assert first == second
    assert names == sorted(names)


def _is_api_token_call(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) == "ApiToken"
    )


def test_generated_program_retains_every_token_on_delete_and_says_why(
    cli_org: CliOrg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_org.add("ci-deployer")
    options = record_options(monkeypatch)

    text = cli_org.run("generate").stdout
    program_from(text, tmp_path)

    assert set(options) == {"ci-deployer", "pulumi-automation"}
    assert all(opts is not None and opts.retain_on_delete for opts in options.values())
    assert "Adopting a token must not arm its revocation" in text


def test_revoke_on_destroy_leaves_retain_out_and_warns(
    cli_org: CliOrg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_org.add("ci-deployer", days_unused=3)
    options = record_options(monkeypatch)

    text = cli_org.run("generate", "--revoke-on-destroy").stdout
    program_from(text, tmp_path)

    assert options["ci-deployer"] is None
    assert "REVOKES" in text


def record_options(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Record the ``opts`` each ``ApiToken`` of a program gets (the mocks do not show them)."""
    seen: dict[str, Any] = {}

    class Recording(ApiToken):  # type: ignore[misc]
        def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
            seen[resource_name] = kwargs.get("opts")
            super().__init__(resource_name, *args, **kwargs)

    monkeypatch.setattr(pulumi_okta_token, "ApiToken", Recording)
    return seen


def test_generate_filters_like_list(cli_org: CliOrg, tmp_path: Path) -> None:
    varied_org(cli_org)

    run = cli_org.run("generate", "--network", "anywhere", "--name", "[ct]*")
    declared = program_from(run.stdout, tmp_path)

    (twin,) = [token.id for token in cli_org.okta.org.tokens() if token.name == "twin" and _anywhere(token)]
    assert sorted(declared.inputs) == ["ci-deployer", f"twin-{twin}"]


def _anywhere(token: TokenMetadata) -> bool:
    return token.network is not None and token.network.connection == "ANYWHERE"


# --------------------------------------------------------------------------------------------
# stack-config


def test_stack_config_lists_each_token_for_the_example_program(cli_org: CliOrg) -> None:
    varied_org(cli_org)

    run = cli_org.run("generate", "--format", "stack-config")

    entries = stack_config_tokens(run.stdout)
    assert run.code == 0, run.stderr
    assert [entry["name"] for entry in entries] == sorted(entry["name"] for entry in entries)
    assert all(entry["retain"] is True for entry in entries)
    (backup,) = [entry for entry in entries if entry["name"] == "backup bot"]
    assert backup["network"]["connection"] == "ZONE" and len(backup["network"]["exclude"]) == 2


def test_stack_config_leaves_out_tokens_sharing_a_name_and_says_so(cli_org: CliOrg) -> None:
    varied_org(cli_org)

    run = cli_org.run("generate", "--format", "stack-config")

    twins = [token.id for token in cli_org.okta.org.tokens() if token.name == "twin"]
    assert "twin" not in [entry["name"] for entry in stack_config_tokens(run.stdout)]
    assert all(f"# Left out: {token_id}" in run.stdout for token_id in twins)
    assert all(f"left out token {token_id}" in run.stderr for token_id in twins)


def test_stack_config_round_trip_adopts_every_listed_token_with_zero_puts(cli_org: CliOrg) -> None:
    varied_org(cli_org)
    text = cli_org.run("generate", "--format", "stack-config").stdout

    declared = config_program_from(text)
    ops = adopt(cli_org, declared)

    listed = {entry["id"] for entry in stack_config_tokens(text)}
    shared = {token.id for token in cli_org.okta.org.tokens() if token.name == "twin"}
    assert {inputs["token_id"] for inputs in declared.inputs.values()} == listed
    assert listed == {token.id for token in cli_org.okta.org.tokens()} - shared
    assert set(ops.values()) == {"create"}
    assert cli_org.okta.calls("PUT") == []


def test_stack_config_with_revoke_on_destroy_sets_retain_false(cli_org: CliOrg) -> None:
    cli_org.add("ci-deployer", days_unused=3)

    text = cli_org.run("generate", "--format", "stack-config", "--revoke-on-destroy").stdout

    (entry,) = [entry for entry in stack_config_tokens(text) if entry["name"] == "ci-deployer"]
    assert entry["retain"] is False


def test_generate_with_nothing_to_declare_writes_nothing_and_exits_2(cli_org: CliOrg) -> None:
    run = cli_org.run("generate", "--name", "no-such-*")

    assert (run.code, run.stdout) == (2, "")
    assert "nothing to generate: no token matches the filters" in run.stderr


def test_import_file_names_every_token_once_for_the_native_resource(cli_org: CliOrg) -> None:
    varied_org(cli_org)
    document = json.loads(cli_org.run("generate", "--format", "import-file").stdout)

    entries = document["resources"]
    assert {entry["type"] for entry in entries} == {NATIVE_TYPE}
    assert sorted(entry["id"] for entry in entries) == sorted(token.id for token in cli_org.okta.org.tokens())
    assert len({entry["name"] for entry in entries}) == len(entries)


def test_import_file_type_is_the_native_schemas() -> None:
    from pulumi_okta_token.native.schema import TYPE_TOKEN

    assert NATIVE_TYPE == TYPE_TOKEN


def test_import_file_round_trip_imports_every_token_through_the_native_plugin_without_a_write(
    cli_org: CliOrg,
) -> None:
    varied_org(cli_org)
    document = json.loads(cli_org.run("generate", "--format", "import-file").stdout)
    cli_org.okta.clear_journal()
    engine = NativeEngine(
        {"okta-token:orgUrl": cli_org.okta.url, "okta-token:apiToken": cli_org.admin.secret}
    )

    result = engine.import_resources(ImportSpec.file(document), generate_code=False)

    assert result.run.ok, result.run.errors
    assert len(result.run.steps) == len(document["resources"])
    assert cli_org.okta.calls("PUT") == [] and cli_org.okta.calls("DELETE") == []
