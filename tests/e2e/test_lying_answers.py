"""Answers that lie, through the real CLI: an answer about another token, a PUT answered 200 that did not
apply, an HTML 404 from something that is not Okta. The operation fails naming what happened, Okta keeps
every token, and the state keeps what it had."""

from __future__ import annotations

from e2e_support import DYNAMIC_TYPE, E2EOrg, adopted, declare_tokens, entry

from pulumi_okta_token.testing.stack import PulumiStack


def stored(stack: PulumiStack) -> dict[str, dict[str, object]]:
    return {
        r["outputs"]["token_id"]: {k: v for k, v in r["outputs"].items() if k != "__provider"}
        for r in stack.resources(DYNAMIC_TYPE)
    }


def test_refresh_answered_with_another_tokens_json_fails_and_keeps_the_state(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    asked, other = e2e_org.add_tokens(2)
    declare_tokens(python_stack, [entry(asked)])
    python_stack.up()
    before = stored(python_stack)
    e2e_org.okta.inject_fault("GET", f"/api/v1/api-tokens/{asked.id}", answer_with_token=other.id, times=None)
    e2e_org.okta.inject_fault("GET", "/api/v1/api-tokens", answer_with_token=other.id, times=None)

    failed = python_stack.refresh(check=False)

    assert failed.returncode != 0
    assert asked.id in failed.output and other.id in failed.output
    assert stored(python_stack) == before
    assert e2e_org.writes() == 0


def test_an_update_answered_200_without_applying_it_fails_and_the_next_refresh_tells_the_truth(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    (token,) = adopted(python_stack, e2e_org)
    declare_tokens(python_stack, [entry(token, network={"connection": "ANYWHERE"})])
    e2e_org.okta.inject_fault("PUT", f"/api/v1/api-tokens/{token.id}", not_applied=True)

    failed = python_stack.up(check=False)

    assert failed.returncode != 0
    assert "ChangeNotApplied" in failed.output or "not applied" in failed.output
    python_stack.refresh()
    assert stored(python_stack)[token.id]["network"]["connection"] == "ZONE"  # type: ignore[index]


def test_destroy_answered_by_an_html_404_keeps_the_token_in_the_state(
    python_stack: PulumiStack, e2e_org: E2EOrg
) -> None:
    (token,) = adopted(python_stack, e2e_org)
    e2e_org.okta.inject_fault("DELETE", f"/api/v1/api-tokens/{token.id}", html=True, status=404)

    failed = python_stack.destroy(check=False)

    assert failed.returncode != 0
    assert set(stored(python_stack)) == {token.id}
    assert e2e_org.live(token.id) is not None
