"""The policy pack through the real CLI on a Python program with the dynamic ``ApiToken``
(``examples/tokens_from_config``): ``--policy-pack "$(pulumi-okta-token policy-pack)"`` stops a token
declared usable from anywhere before any request that writes to Okta, passes a restricted one, and
follows ``--policy-pack-config``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_support import E2EOrg, declare_tokens, entry
from policy_support import policy_config, policy_pack, writes

from pulumi_okta_token.testing.stack import PulumiStack

ANYWHERE = {"connection": "ANYWHERE"}


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return policy_pack(Path(sys.prefix), tmp_path_factory.mktemp("policy"))


def test_preview_of_an_anywhere_token_fails_naming_the_rule_token_and_fix_with_no_write(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path
) -> None:
    ok, anywhere = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(ok), entry(anywhere, network=ANYWHERE)])

    result = python_stack.preview("--policy-pack", str(pack), check=False)

    assert result.returncode != 0
    assert "[mandatory]  network-anywhere  (pulumi-python:dynamic/okta:ApiToken: svc-1)" in result.stdout
    assert f"network-anywhere: ApiToken 'svc-1' (token {anywhere.id}) is usable from any IP" in result.stdout
    assert "Fix: Restrict the token to the network zones" in result.stdout
    assert "svc-0)" not in result.stdout
    assert writes(e2e_org) == []


def test_up_of_an_anywhere_token_stops_before_okta_changes(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path
) -> None:
    (token,) = e2e_org.add_tokens(1)
    declare_tokens(python_stack, [entry(token, network=ANYWHERE)])

    result = python_stack.up("--policy-pack", str(pack), check=False)

    assert result.returncode != 0 and "network-anywhere" in result.stdout
    assert writes(e2e_org) == []
    live = e2e_org.live(token.id)
    assert live is not None and live.network is not None and live.network.connection == "ZONE"


def test_a_program_restricting_every_token_passes_preview_and_up(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path
) -> None:
    tokens = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(token) for token in tokens])

    preview = python_stack.preview("--policy-pack", str(pack))
    python_stack.up("--policy-pack", str(pack))

    assert "pulumi-okta-token@v" in preview.stdout and "[mandatory]" not in preview.stdout
    assert "[advisory]" not in preview.stdout
    assert writes(e2e_org) == []


def test_advisory_config_reports_an_anywhere_token_and_lets_preview_pass(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path, tmp_path: Path
) -> None:
    (token,) = e2e_org.add_tokens(1)
    declare_tokens(python_stack, [entry(token, network=ANYWHERE)])
    config = policy_config(tmp_path / "policy.json", {"network-anywhere": "advisory"})

    result = python_stack.preview("--policy-pack", str(pack), "--policy-pack-config", str(config))

    assert "[advisory]  network-anywhere  (pulumi-python:dynamic/okta:ApiToken: svc-0)" in result.stdout
    assert writes(e2e_org) == []


def test_a_token_without_a_declared_network_gets_the_advisory_network_undeclared(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path
) -> None:
    (token,) = e2e_org.add_tokens(1)
    declare_tokens(python_stack, [{"name": token.metadata.name, "id": token.id}])

    result = python_stack.preview("--policy-pack", str(pack))

    assert "[advisory]  network-undeclared  (pulumi-python:dynamic/okta:ApiToken: svc-0)" in result.stdout
    assert "keeps whatever network condition Okta has" in result.stdout


def test_expiring_days_from_the_policy_config_judge_an_adopted_tokens_expiry(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path, tmp_path: Path
) -> None:
    (token,) = e2e_org.add_tokens(1)  # the fake's tokens expire 30 days from now
    declare_tokens(python_stack, [entry(token)])
    python_stack.up("--policy-pack", str(pack))
    e2e_org.okta.clear_journal()
    strict = policy_config(
        tmp_path / "policy.json", {"expiring": {"enforcementLevel": "mandatory", "days": 45}}
    )

    default = python_stack.preview("--policy-pack", str(pack))
    stopped = python_stack.preview(
        "--policy-pack", str(pack), "--policy-pack-config", str(strict), check=False
    )

    assert "expiring" not in default.stdout
    assert stopped.returncode != 0
    assert f"expiring: ApiToken 'svc-0' (token {token.id}) expires in 29 days" in stopped.stdout
    assert "within the policy's 45 days" in stopped.stdout
    assert writes(e2e_org) == []


def test_all_advisory_in_the_policy_config_reports_every_rule_without_blocking(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path, tmp_path: Path
) -> None:
    (token,) = e2e_org.add_tokens(1)
    declare_tokens(python_stack, [entry(token, network=ANYWHERE)])
    config = policy_config(tmp_path / "policy.json", {"all": "advisory"})

    result = python_stack.preview("--policy-pack", str(pack), "--policy-pack-config", str(config))

    assert "[advisory]  network-anywhere" in result.stdout and "[mandatory]" not in result.stdout


def test_among_three_hundred_tokens_preview_names_only_the_one_declared_anywhere(
    python_stack: PulumiStack, e2e_org: E2EOrg, pack: Path
) -> None:
    tokens = e2e_org.add_tokens(300)
    anywhere = tokens[150]
    declare_tokens(
        python_stack,
        [entry(token, network=ANYWHERE) if token is anywhere else entry(token) for token in tokens],
    )

    result = python_stack.preview("--policy-pack", str(pack), check=False)

    assert result.returncode != 0
    assert result.stdout.count("[mandatory]  network-anywhere") == 1
    assert f"network-anywhere: ApiToken 'svc-150' (token {anywhere.id})" in result.stdout
    assert writes(e2e_org) == []
