"""``examples/yaml``, ``examples/typescript``, ``examples/go`` and ``examples/native`` (Python) through the
real CLI and each language's host against the fake Okta: adopting is reads only, a network change is one
PUT, destroy revokes the token (and ``retainOnDelete`` or ``protect`` keeps it). YAML declares
``okta-token:index:ApiToken`` directly; TypeScript uses the Node.js SDK generated from the schema
(installed from ``sdk/nodejs/bin``), Go the Go SDK (``sdk/go/oktatoken``, by a ``replace``), Python the
classes generated into the package (``okta_token.native.ApiToken``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import NATIVE_TYPE, E2EOrg, assert_no_credential, native_python_project
from language_examples import example_stack, writes

from pulumi_okta_token._version import __version__
from pulumi_okta_token.testing.stack import PulumiStack

LANGUAGES = ("yaml", "typescript", "go")
SDK_LANGUAGES = ("typescript", "go")
"""The examples that go through a generated SDK, which registers its resources with its own version."""


def language_stack(
    language: str,
    make_stack: Callable[..., PulumiStack],
    org: E2EOrg,
    tmp_path: Path,
    venv: Path,
    **config: str,
) -> tuple[PulumiStack, str]:
    (token,) = org.add_tokens(1)
    stack = example_stack(language, make_stack, org, tmp_path / "project", venv, token, **config)
    return stack, token.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_up_adopts_the_token_without_a_write(
    language: str, make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = language_stack(language, make_stack, e2e_org, tmp_path, venv)

    stack.up()

    (resource,) = stack.resources(NATIVE_TYPE)
    assert resource["id"] == token_id
    assert resource["outputs"]["network"]["include"] == [e2e_org.office]
    assert writes(e2e_org) == Counter()
    assert e2e_org.okta.calls("GET", f"/api/v1/api-tokens/{token_id}")
    assert stack.outputs()["name"] == "svc-0"
    if language in SDK_LANGUAGES:
        # The SDK registers with its version (package.json; Go's SdkVersion and pulumi-plugin.json), which
        # is the plugin's: the default provider records it, and the plugin from `plugins.providers` (no
        # version there) served it.
        (provider,) = stack.resources("pulumi:providers:okta-token")
        assert provider["inputs"]["version"] == __version__


@pytest.mark.parametrize("language", LANGUAGES)
def test_changing_the_zone_in_the_config_is_one_put(
    language: str, make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = language_stack(language, make_stack, e2e_org, tmp_path, venv)
    stack.up()
    stack.set_config("zoneId", e2e_org.vpn)
    e2e_org.okta.clear_journal()

    stack.up()

    assert writes(e2e_org) == Counter({"PUT": 1})
    live = e2e_org.live(token_id)
    assert live is not None and live.network is not None and list(live.network.include) == [e2e_org.vpn]


@pytest.mark.parametrize("language", LANGUAGES)
def test_destroy_revokes_the_token_and_no_credential_is_stored_or_printed(
    language: str, make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = language_stack(language, make_stack, e2e_org, tmp_path, venv)
    stack.up()
    e2e_org.okta.clear_journal()

    stack.destroy()

    assert writes(e2e_org) == Counter({"DELETE": 1})
    assert e2e_org.live(token_id) is None
    assert e2e_org.live(e2e_org.admin.id) is not None
    assert stack.resources(NATIVE_TYPE) == []
    assert_no_credential(stack, e2e_org.admin.secret)


@pytest.mark.parametrize("language", SDK_LANGUAGES)
def test_destroy_keeps_a_token_declared_with_retain_on_delete(
    language: str, make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack, token_id = language_stack(language, make_stack, e2e_org, tmp_path, venv, retainOnDelete="true")
    stack.up()
    e2e_org.okta.clear_journal()

    stack.destroy()

    assert writes(e2e_org) == Counter()
    assert e2e_org.live(token_id) is not None
    assert stack.resources(NATIVE_TYPE) == []


def test_the_python_native_example_adopts_changes_the_zone_in_one_put_and_destroys_as_declared(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    office = {"connection": "ZONE", "include": [e2e_org.office]}
    ci = e2e_org.okta.org.add_token(name="ci-deployer", user_id=e2e_org.user, network=office)
    backup = e2e_org.okta.org.add_token(name="backup-bot", user_id=e2e_org.user)
    stack = make_stack(native_python_project(tmp_path / "project", venv))
    e2e_org.configure(stack, namespace="okta-token")
    for key, value in {
        "ciTokenId": ci.id,
        "officeZoneId": e2e_org.office,
        "backupTokenId": backup.id,
    }.items():
        stack.set_config(key, value)
    e2e_org.okta.clear_journal()

    stack.up()  # `ci` adopted as declared, `backup` imported by the `import_` option: reads only
    adopted = writes(e2e_org)
    stack.set_config("officeZoneId", e2e_org.vpn)
    e2e_org.okta.clear_journal()
    stack.up()
    changed = writes(e2e_org)
    changed_network = e2e_org.live(ci.id).network  # type: ignore[union-attr]
    e2e_org.okta.clear_journal()
    protected = stack.destroy(check=False)  # `ci` is protected, `backup` retained on delete
    refused = writes(e2e_org)
    (ci_urn,) = [r["urn"] for r in stack.resources(NATIVE_TYPE) if r["id"] == ci.id]
    stack.run("state", "unprotect", "--stack", stack.name, "--yes", ci_urn)
    stack.destroy()

    assert adopted == Counter()
    assert changed == Counter({"PUT": 1})
    assert changed_network is not None and list(changed_network.include) == [e2e_org.vpn]
    assert protected.returncode != 0 and refused == Counter()
    assert [entry.path for entry in e2e_org.okta.calls("DELETE")] == [f"/api/v1/api-tokens/{ci.id}"]
    assert e2e_org.live(ci.id) is None
    assert e2e_org.live(backup.id) is not None
