"""The policy pack through the real CLI on the native ``okta-token:index:ApiToken``, in a YAML program
and in a Python one: the same rule stops a token declared usable from anywhere, before any request that
writes to Okta, and passes a restricted one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_support import E2EOrg, add_yaml_resources, native_python_project, native_yaml_project
from policy_support import policy_pack, writes

from pulumi_okta_token.testing.stack import PulumiStack

NATIVE = "okta-token:index:ApiToken"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return policy_pack(Path(sys.prefix), tmp_path_factory.mktemp("policy"))


def yaml_stack(
    make_stack: Callable[..., PulumiStack], org: E2EOrg, project: Path, network: dict[str, Any]
) -> tuple[PulumiStack, str]:
    """A YAML program declaring one native token (made in the org, restricted to the office zone) with
    ``network``; the token's id."""
    (token,) = org.add_tokens(1)
    add_yaml_resources(
        project,
        {"ci": {"type": "okta-token:ApiToken", "properties": {"token_id": token.id, "network": network}}},
    )
    stack = make_stack(project)
    org.configure(stack, namespace="okta-token")
    org.okta.clear_journal()
    return stack, token.id


def test_a_yaml_program_declaring_an_anywhere_token_fails_preview_with_no_write(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path, pack: Path
) -> None:
    project = native_yaml_project(tmp_path / "project", venv)
    stack, token_id = yaml_stack(make_stack, e2e_org, project, {"connection": "ANYWHERE"})

    result = stack.preview("--policy-pack", str(pack), check=False)

    assert result.returncode != 0
    assert f"[mandatory]  network-anywhere  ({NATIVE}: ci)" in result.stdout
    assert f"ApiToken 'ci' (token {token_id}) is usable from any IP address" in result.stdout
    assert writes(e2e_org) == []


def test_a_yaml_program_declaring_a_restricted_token_passes_preview(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path, pack: Path
) -> None:
    project = native_yaml_project(tmp_path / "project", venv)
    stack, _ = yaml_stack(make_stack, e2e_org, project, {"connection": "ZONE", "include": [e2e_org.office]})

    result = stack.preview("--policy-pack", str(pack))

    assert "pulumi-okta-token@v" in result.stdout and "network-anywhere" not in result.stdout
    assert writes(e2e_org) == []


def test_a_yaml_program_excluding_zones_only_gets_the_advisory_network_exclude_only(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path, pack: Path
) -> None:
    project = native_yaml_project(tmp_path / "project", venv)
    stack, _ = yaml_stack(make_stack, e2e_org, project, {"connection": "ZONE", "exclude": [e2e_org.vpn]})

    result = stack.preview("--policy-pack", str(pack))

    assert f"[advisory]  network-exclude-only  ({NATIVE}: ci)" in result.stdout
    assert "only excludes 1 zone: it is usable from every other network" in result.stdout


PYTHON_PROGRAM = """\
import pulumi

import pulumi_okta_token as okta_token

config = pulumi.Config()
okta_token.native.ApiToken(
    "ci",
    token_id=config.require("ciTokenId"),
    name="ci-deployer",
    network={"connection": config.require("connection")},
)
"""


def test_a_python_program_declaring_a_native_anywhere_token_fails_preview_with_no_write(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path, pack: Path
) -> None:
    project = native_python_project(tmp_path / "project", venv)
    (project / "__main__.py").write_text(PYTHON_PROGRAM)
    (token,) = e2e_org.add_tokens(1)
    stack = make_stack(project)
    e2e_org.configure(stack, namespace="okta-token")
    stack.set_config("ciTokenId", token.id)
    stack.set_config("connection", "ANYWHERE")
    e2e_org.okta.clear_journal()

    result = stack.preview("--policy-pack", str(pack), check=False)

    assert result.returncode != 0
    assert f"[mandatory]  network-anywhere  ({NATIVE}: ci)" in result.stdout
    assert f"ApiToken 'ci' (token {token.id})" in result.stdout
    assert writes(e2e_org) == []
