"""``examples/typescript`` (the Node.js SDK generated from the schema, installed from ``sdk/nodejs/bin``)
through the real CLI and its Node.js host against the fake Okta: adopting is reads only, a network
change is one PUT, destroy revokes the token, and ``retainOnDelete`` keeps it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from e2e_support import NATIVE_TYPE, E2EOrg
from language_examples import assert_no_credential, example_stack, writes

from pulumi_okta_token._version import __version__
from pulumi_okta_token.testing.stack import PulumiStack


def typescript_stack(
    make_stack: Callable[..., PulumiStack], org: E2EOrg, tmp_path: Path, venv: Path, **config: str
) -> tuple[PulumiStack, str]:
    (token,) = org.add_tokens(1)
    return example_stack("typescript", make_stack, org, tmp_path / "project", venv, token, **config), token.id


def test_up_adopts_the_token_without_a_write_through_the_sdk_at_the_plugins_version(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = typescript_stack(make_stack, e2e_org, tmp_path, venv)

    stack.up()

    (resource,) = stack.resources(NATIVE_TYPE)
    assert resource["id"] == token_id
    assert resource["outputs"]["network"]["include"] == [e2e_org.office]
    assert writes(e2e_org) == Counter()
    assert e2e_org.okta.calls("GET", f"/api/v1/api-tokens/{token_id}")
    assert stack.outputs()["name"] == "svc-0"
    # The SDK registers with its package.json version, which is the plugin's: the default provider
    # records it, and the plugin from `plugins.providers` (no version there) served it.
    (provider,) = stack.resources("pulumi:providers:okta-token")
    assert provider["inputs"]["version"] == __version__


def test_changing_the_zone_in_the_config_is_one_put(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = typescript_stack(make_stack, e2e_org, tmp_path, venv)
    stack.up()
    stack.set_config("zoneId", e2e_org.vpn)
    e2e_org.okta.clear_journal()

    stack.up()

    assert writes(e2e_org) == Counter({"PUT": 1})
    live = e2e_org.live(token_id)
    assert live is not None and live.network is not None and list(live.network.include) == [e2e_org.vpn]


def test_destroy_revokes_the_token_and_no_credential_is_stored_or_printed(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = typescript_stack(make_stack, e2e_org, tmp_path, venv)
    stack.up()
    e2e_org.okta.clear_journal()

    stack.destroy()

    assert writes(e2e_org) == Counter({"DELETE": 1})
    assert e2e_org.live(token_id) is None
    assert stack.resources(NATIVE_TYPE) == []
    assert_no_credential(stack, e2e_org.admin.secret)


def test_destroy_keeps_a_token_declared_with_retain_on_delete(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = typescript_stack(make_stack, e2e_org, tmp_path, venv, retainOnDelete="true")
    stack.up()
    e2e_org.okta.clear_journal()

    stack.destroy()

    assert writes(e2e_org) == Counter()
    assert e2e_org.live(token_id) is not None
    assert stack.resources(NATIVE_TYPE) == []
