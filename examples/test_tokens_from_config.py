"""A user's own tests of the program in ``tokens_from_config/``, offline, against a fake Okta org.

Two tools from ``pulumi_okta_token.testing`` make this possible without the Pulumi CLI or an org:

* ``fake_okta``, a pytest fixture (registered when the package is installed): an Okta org on
  127.0.0.1 speaking the API-token endpoints, with ``okta.org`` to seed it and ``okta.calls(...)``, a
  journal of the requests it served;
* ``PluginEngine``: starts the provider plugin the Pulumi CLI would start and plays ``up``,
  ``preview``, ``refresh`` and ``destroy`` like the engine.

The program itself runs under Pulumi's mocks (``run_program``): that collects the inputs of the
``ApiToken`` resources it declares for a given stack config, which the engine then deploys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_okta_token.testing import FakeOkta, PluginEngine, ProgramDeclarations, run_program

PROGRAM = Path(__file__).parent / "tokens_from_config"
PROJECT = "okta-api-tokens"  # the `name` in Pulumi.yaml: the namespace of the program's own config


def declared_tokens(tokens: list[dict[str, Any]]) -> ProgramDeclarations:
    """Run the program with ``tokens`` as its stack config; return what it declared."""
    return run_program(PROGRAM, config={f"{PROJECT}:tokens": json.dumps(tokens)}, project=PROJECT)


@pytest.fixture
def org(fake_okta: FakeOkta) -> dict[str, str]:
    """A small org: two zones, two tokens to manage, and the token the provider authenticates with."""
    office = fake_okta.org.add_zone(name="office")
    vpn = fake_okta.org.add_zone(name="vpn")
    automation = fake_okta.org.add_token(name="pulumi-automation")
    ci = fake_okta.org.add_token(name="ci-deployer", network={"connection": "ANYWHERE"})
    backup = fake_okta.org.add_token(name="backup-bot", network={"connection": "ZONE", "exclude": [office]})
    return {"office": office, "vpn": vpn, "ci": ci.id, "backup": backup.id, "secret": automation.secret}


def stack_tokens(org: dict[str, str]) -> list[dict[str, Any]]:
    """The stack config this test deploys: ci-deployer limited to the vpn, backup-bot usable anywhere."""
    return [
        {"name": "ci-deployer", "id": org["ci"], "network": {"connection": "ZONE", "include": [org["vpn"]]}},
        {"name": "backup-bot", "id": org["backup"], "network": {"connection": "ANYWHERE"}},
    ]


def engine_for(fake_okta: FakeOkta, org: dict[str, str]) -> PluginEngine:
    return PluginEngine({"okta:orgUrl": fake_okta.url, "okta:apiToken": org["secret"]}, project=PROJECT)


def test_program_declares_one_api_token_per_config_entry(org: dict[str, str]) -> None:
    declared = declared_tokens(stack_tokens(org))

    assert declared.types == dict.fromkeys(
        ("ci-deployer", "backup-bot"), "pulumi-python:dynamic/okta:ApiToken"
    )
    assert declared.inputs["ci-deployer"]["token_id"] == org["ci"]


def test_up_gives_each_token_the_network_condition_of_its_config_entry(
    fake_okta: FakeOkta, org: dict[str, str]
) -> None:
    program = declared_tokens(stack_tokens(org)).inputs

    with engine_for(fake_okta, org) as engine:
        result = engine.up(program)

    assert result.ok, result.errors
    ci, backup = fake_okta.org.token(org["ci"]), fake_okta.org.token(org["backup"])
    assert ci is not None and ci.network is not None and list(ci.network.include) == [org["vpn"]]
    assert backup is not None and backup.network is not None and backup.network.connection == "ANYWHERE"


def test_second_up_writes_nothing(fake_okta: FakeOkta, org: dict[str, str]) -> None:
    program = declared_tokens(stack_tokens(org)).inputs

    with engine_for(fake_okta, org) as engine:
        engine.up(program)
        fake_okta.clear_journal()
        result = engine.up(program)

    assert result.ops() == {"ci-deployer": "same", "backup-bot": "same"}
    assert fake_okta.calls("PUT", "/api/v1/api-tokens/*") == []


def test_refresh_then_preview_shows_a_rename_made_in_the_console(
    fake_okta: FakeOkta, org: dict[str, str]
) -> None:
    program = declared_tokens(stack_tokens(org)).inputs

    with engine_for(fake_okta, org) as engine:
        engine.up(program)
        fake_okta.org.update_token(org["ci"], name="renamed by hand")
        engine.refresh()
        preview = engine.preview(program)

    assert preview.ops() == {"ci-deployer": "update", "backup-bot": "same"}


def test_destroy_revokes_the_declared_tokens(fake_okta: FakeOkta, org: dict[str, str]) -> None:
    program = declared_tokens(stack_tokens(org)).inputs

    with engine_for(fake_okta, org) as engine:
        engine.up(program)
        result = engine.destroy()

    assert result.ok, result.errors
    assert fake_okta.org.token(org["ci"]) is None
