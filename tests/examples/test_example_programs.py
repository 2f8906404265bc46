"""The example programs declare what their docstrings say, in a form the provider accepts."""

from __future__ import annotations

import json

from program_mocks import API_TOKEN_TYPE, REPO

from pulumi_okta_token._models import TokenSpec
from pulumi_okta_token.testing import run_program

EXAMPLES = REPO / "examples"
PROJECT = "okta-api-tokens"  # the name in Pulumi.yaml


def test_seed_example_declares_the_documented_token() -> None:
    registered = run_program(EXAMPLES / "seed_token", project=PROJECT)

    assert registered.types == {"ci-deployer": API_TOKEN_TYPE}
    assert registered.inputs["ci-deployer"]["token_id"] == "00T1fxzubpqiepH11d38"


def test_seed_examples_ip_blocks_are_stored_as_zone_ids() -> None:
    registered = run_program(EXAMPLES / "seed_token", project=PROJECT)

    spec = TokenSpec.from_props(registered.inputs["ci-deployer"])

    assert spec.network is not None
    assert spec.network.exclude == ("nzonkw1sfwwi79Hat2d7",)


def test_config_example_declares_one_valid_token_per_entry() -> None:
    tokens = [
        {"name": "ci-deployer", "id": "00T1fxzubpqiepH11d38", "network": {"connection": "ANYWHERE"}},
        {
            "name": "backup-bot",
            "id": "00T2backupbotToken01",
            "network": {"connection": "ZONE", "include": ["nzonkw1sfwwi79Hat2d7"]},
        },
    ]
    registered = run_program(
        EXAMPLES / "tokens_from_config", config={f"{PROJECT}:tokens": json.dumps(tokens)}, project=PROJECT
    )

    specs = {name: TokenSpec.from_props(inputs) for name, inputs in registered.inputs.items()}

    assert {name: spec.token_id for name, spec in specs.items()} == {
        "ci-deployer": "00T1fxzubpqiepH11d38",
        "backup-bot": "00T2backupbotToken01",
    }


def test_pulumi_yaml_runs_the_config_example_from_the_repository_virtualenv() -> None:
    text = (REPO / "Pulumi.yaml").read_text()

    assert "\nmain:" not in text  # tests/e2e/test_readme_commands.py shows why
    assert "virtualenv: .venv" in text
    assert 'examples" / "tokens_from_config" / "__main__.py' in (REPO / "__main__.py").read_text()


def test_the_repository_program_declares_what_the_config_example_declares() -> None:
    tokens = [{"name": "ci-deployer", "id": "00T1fxzubpqiepH11d38"}]
    registered = run_program(REPO, config={f"{PROJECT}:tokens": json.dumps(tokens)}, project=PROJECT)

    assert {name: inputs["token_id"] for name, inputs in registered.inputs.items()} == {
        "ci-deployer": "00T1fxzubpqiepH11d38"
    }
