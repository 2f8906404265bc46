"""No credential in the state, the backend's files or anything the CLI prints, failures included; the
pickled provider (``__provider``) is stored as a secret."""

from __future__ import annotations

from e2e_support import DYNAMIC_TYPE, E2EOrg, adopted, assert_no_credential, declare_tokens, entry

from pulumi_okta_token.testing.stack import PulumiStack

SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""The key Pulumi's checkpoints mark a secret value with."""


def test_no_credential_in_state_backend_files_or_output_through_a_lifecycle(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    tokens = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(token) for token in tokens])
    python_stack.up()
    python_stack.preview("--diff")
    python_stack.refresh()
    python_stack.destroy()

    assert_no_credential(python_stack, e2e_org.admin.secret)


def test_no_credential_in_the_output_of_a_failed_operation(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    (token,) = adopted(python_stack, e2e_org)
    declare_tokens(python_stack, [entry(token, network={"connection": "ANYWHERE"})])
    e2e_org.okta.inject_fault("PUT", f"/api/v1/api-tokens/{token.id}", status=500, times=None)

    failed = python_stack.up(check=False)

    assert failed.returncode != 0
    assert_no_credential(python_stack, e2e_org.admin.secret)


def test_a_rejected_credential_is_not_echoed(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    (token,) = e2e_org.add_tokens(1)
    declare_tokens(python_stack, [entry(token)])
    wrong = "00" + "Z" * 40
    python_stack.set_config("okta:apiToken", wrong, secret=True)

    failed = python_stack.up(check=False)

    assert failed.returncode != 0
    assert "401" in failed.output or "E0000011" in failed.output or "credential" in failed.output.lower()
    assert_no_credential(python_stack, wrong)


def test_the_pickled_provider_is_a_secret_in_the_state(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    adopted(python_stack, e2e_org)

    (resource,) = python_stack.resources(DYNAMIC_TYPE)

    for side in ("inputs", "outputs"):
        provider = resource[side]["__provider"]
        assert isinstance(provider, dict) and provider.get(SECRET_SIG), f"{side}.__provider is not a secret"
        assert "ciphertext" in provider
