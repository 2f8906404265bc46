"""A Python project with a virtualenv (``examples/tokens_from_config``), driven by the real CLI: each test
checks the stack (``pulumi stack export``) and Okta (the fake's journal and tokens)."""

from __future__ import annotations

from typing import Any

from e2e_support import DYNAMIC_TYPE, E2EOrg, adopted, declare_tokens, entry

from pulumi_okta_token.testing.stack import PulumiStack


def adopted_ids(stack: PulumiStack) -> set[str]:
    return {resource["outputs"]["token_id"] for resource in stack.resources(DYNAMIC_TYPE)}


def without_provider(values: dict[str, Any]) -> dict[str, Any]:
    """Values but ``__provider`` (a secret: its ciphertext changes each time the state is written)."""
    return {key: value for key, value in values.items() if key != "__provider"}


def test_up_adopts_every_declared_token_without_a_write(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    tokens = e2e_org.add_tokens(5)
    declare_tokens(python_stack, [entry(token) for token in tokens])

    python_stack.up()

    assert adopted_ids(python_stack) == {token.id for token in tokens}
    assert e2e_org.writes() == 0
    assert all(e2e_org.live(token.id) is not None for token in tokens)


def test_preview_after_up_expects_no_changes(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    tokens = e2e_org.add_tokens(3)
    declare_tokens(python_stack, [entry(token) for token in tokens])
    python_stack.up()
    e2e_org.okta.clear_journal()

    python_stack.preview("--expect-no-changes")

    assert e2e_org.writes() == 0


def test_a_network_change_shows_in_preview_diff_then_up_sends_one_put(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    tokens = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(token) for token in tokens])
    python_stack.up()
    vpn_only = {"connection": "ZONE", "include": [e2e_org.vpn]}
    declare_tokens(python_stack, [entry(tokens[0], network=vpn_only), entry(tokens[1])])
    e2e_org.okta.clear_journal()

    diff = python_stack.preview("--diff")
    assert e2e_org.writes() == 0
    assert e2e_org.vpn in diff.stdout
    python_stack.up()

    assert e2e_org.calls("PUT") == 1
    live = e2e_org.live(tokens[0].id)
    assert live is not None and live.network is not None
    assert list(live.network.include) == [e2e_org.vpn]
    outputs = {r["outputs"]["token_id"]: r["outputs"] for r in python_stack.resources(DYNAMIC_TYPE)}
    assert outputs[tokens[0].id]["network"]["include"] == [e2e_org.vpn]


def test_refresh_follows_a_console_rename(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    tokens = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(token) for token in tokens])
    python_stack.up()
    e2e_org.okta.org.update_token(tokens[1].id, name="renamed-in-console")
    e2e_org.okta.clear_journal()

    python_stack.refresh()

    assert e2e_org.writes() == 0
    names = {r["outputs"]["token_id"]: r["outputs"]["name"] for r in python_stack.resources(DYNAMIC_TYPE)}
    assert names[tokens[1].id] == "renamed-in-console"


def test_refresh_of_30_tokens_against_a_real_shaped_list_costs_one_page_and_the_first_gets(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    tokens = e2e_org.add_tokens(30)
    declare_tokens(python_stack, [entry(token) for token in tokens])
    python_stack.up()
    e2e_org.okta.clear_journal()

    python_stack.refresh()  # the list says tokenWindow: null; the state holds it; the CLI diffs each read

    okta = e2e_org.okta
    assert (len(okta.calls("GET", "/api/v1/api-tokens")), len(okta.calls("GET", "/api/v1/api-tokens/*"))) == (
        1,
        4,
    )
    assert e2e_org.writes() == 0
    assert adopted_ids(python_stack) == {token.id for token in tokens}


def test_refresh_drops_a_token_revoked_in_the_console(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    tokens = e2e_org.add_tokens(3)
    declare_tokens(python_stack, [entry(token) for token in tokens])
    python_stack.up()
    e2e_org.okta.org.revoke_token(tokens[0].id)
    e2e_org.okta.clear_journal()

    python_stack.refresh()

    assert adopted_ids(python_stack) == {tokens[1].id, tokens[2].id}
    assert e2e_org.writes() == 0


def test_destroy_revokes_exactly_the_declared_tokens(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    declared, bystanders = e2e_org.add_tokens(3), e2e_org.add_tokens(2, prefix="other")
    declare_tokens(python_stack, [entry(token) for token in declared])
    python_stack.up()

    python_stack.destroy()

    assert python_stack.resources(DYNAMIC_TYPE) == []
    assert e2e_org.calls("DELETE") == 3
    assert all(e2e_org.live(token.id) is None for token in declared)
    assert all(e2e_org.live(token.id) is not None for token in bystanders)
    assert e2e_org.live(e2e_org.admin.id) is not None


def test_destroy_keeps_a_retained_token_active(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    kept, revoked = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(kept, retain=True), entry(revoked)])
    python_stack.up()

    python_stack.destroy()

    assert python_stack.resources(DYNAMIC_TYPE) == []
    assert e2e_org.live(kept.id) is not None
    assert e2e_org.live(revoked.id) is None
    assert e2e_org.calls("DELETE") == 1


def test_destroy_refuses_a_protected_token_and_keeps_it(python_stack: PulumiStack, e2e_org: E2EOrg) -> None:
    (token,) = adopted(python_stack, e2e_org)
    (resource,) = python_stack.resources(DYNAMIC_TYPE)
    python_stack.run("state", "protect", "--stack", python_stack.name, "--yes", resource["urn"])

    result = python_stack.destroy(check=False)

    assert result.returncode != 0
    assert "protect" in result.output
    assert e2e_org.live(token.id) is not None
    assert e2e_org.calls("DELETE") == 0
    assert adopted_ids(python_stack) == {token.id}


def test_an_update_okta_refuses_changes_nothing_and_keeps_the_stored_outputs(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    (token,) = adopted(python_stack, e2e_org)
    before = without_provider(python_stack.resources(DYNAMIC_TYPE)[0]["outputs"])
    declare_tokens(python_stack, [entry(token, network={"connection": "ANYWHERE"})])
    e2e_org.okta.inject_fault("PUT", f"/api/v1/api-tokens/{token.id}", status=403)

    result = python_stack.up(check=False)

    assert result.returncode != 0
    assert "403" in result.output
    live = e2e_org.live(token.id)
    assert live is not None and live.network is not None and live.network.connection == "ZONE"
    assert without_provider(python_stack.resources(DYNAMIC_TYPE)[0]["outputs"]) == before
    python_stack.up()
    live = e2e_org.live(token.id)
    assert live is not None and live.network is not None and live.network.connection == "ANYWHERE"


def test_renaming_a_token_in_the_config_renames_it_in_okta_and_revokes_nothing(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    # The program names each resource after its token, so the engine creates a resource under the new
    # name (adopting the token, 1 PUT) and deletes the old one in the same `up`: that delete must forget
    # the old resource, not revoke the token the new one now manages.
    (token,) = adopted(python_stack, e2e_org)
    declare_tokens(python_stack, [entry(token, name="renamed")])
    e2e_org.okta.clear_journal()

    python_stack.up()

    assert e2e_org.calls("DELETE") == 0
    live = e2e_org.live(token.id)
    assert live is not None and live.name == "renamed"
    (resource,) = python_stack.resources(DYNAMIC_TYPE)
    assert resource["urn"].endswith("::renamed")
    assert resource["outputs"]["name"] == "renamed"
    python_stack.destroy()
    assert e2e_org.live(token.id) is None
