"""A corporate CA through the real plugin: ``okta:caFile`` / ``OKTA_CA_FILE`` (issue 13).

The fake org serves https with a certificate of its own CA, as an org behind a TLS-inspecting proxy
looks to the plugin: the system's trust does not know that CA. ``okta:caFile`` names a PEM file that
is added to the system's trust, never replacing it, so ``SSL_CERT_FILE`` keeps working beside it. Each
plugin here sees only the environment the test gives it (no ``SSL_CERT_FILE`` of this shell).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from seeded_org import TOKENS, Org

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import PluginEngine, RunResult

MARKER = "CaFiLeMaRkEr5K8"
"""Part of the paths and contents below that no error may show."""


@pytest.fixture(scope="module")
def tls_org() -> Iterator[Org]:
    """The seeded org, served over https with a certificate of the fake's own CA."""
    with FakeOkta(tls=True) as okta:
        yield Org(okta)


@pytest.fixture(scope="module")
def unrelated_ca(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PEM file of a CA that did not sign the org's certificate."""
    path = tmp_path_factory.mktemp("unrelated") / "other-ca.pem"
    with FakeOkta(tls=True) as other:
        assert other.ca_file is not None
        shutil.copy(other.ca_file, path)
    return str(path)


def org_ca(org: Org) -> str:
    assert org.okta.ca_file is not None
    return org.okta.ca_file


def adopt(org: Org, config: dict[str, str] | None = None, env: dict[str, str] | None = None) -> RunResult:
    """One ``up`` adopting the ci token, in a plugin that sees only ``env`` besides ``PATH``."""
    org.okta.clear_journal()
    with PluginEngine({**org.config, **(config or {})}, env=env, inherit_env=False) as engine:
        result = engine.up({"ci": org.declared()})
        result_text = "\n".join([*result.errors.values(), engine.stdout, engine.stderr])
    assert MARKER not in result_text
    return result


def test_up_adopts_over_https_when_ca_file_names_the_orgs_ca(tls_org: Org) -> None:
    result = adopt(tls_org, {"okta:caFile": org_ca(tls_org)})

    assert result.ok, result.errors
    assert result.ops() == {"ci": "create"}
    assert len(tls_org.okta.calls("GET", TOKENS)) == 1


def test_ca_file_comes_from_the_environment_as_okta_ca_file(tls_org: Org) -> None:
    result = adopt(tls_org, env={"OKTA_CA_FILE": org_ca(tls_org)})

    assert result.ok, result.errors


def test_without_ca_file_the_orgs_certificate_is_refused_and_the_error_names_ca_file(tls_org: Org) -> None:
    result = adopt(tls_org)

    assert "TLS failed" in result.errors["ci"]
    assert "okta:caFile" in result.errors["ci"]
    assert tls_org.okta.calls("GET", TOKENS) == []


def test_a_ca_file_of_another_ca_does_not_make_the_org_trusted(tls_org: Org, unrelated_ca: str) -> None:
    result = adopt(tls_org, {"okta:caFile": unrelated_ca})

    assert "TLS failed" in result.errors["ci"]


def test_ca_file_adds_to_the_system_trust_so_ssl_cert_file_keeps_working(
    tls_org: Org, unrelated_ca: str
) -> None:
    result = adopt(tls_org, {"okta:caFile": unrelated_ca}, env={"SSL_CERT_FILE": org_ca(tls_org)})

    assert result.ok, result.errors


def test_a_missing_ca_file_fails_naming_the_setting_before_any_request(tls_org: Org, tmp_path: Path) -> None:
    result = adopt(tls_org, {"okta:caFile": str(tmp_path / MARKER / "corporate-ca.pem")})

    assert "okta:caFile must be the path of a PEM file of CA certificates" in result.errors["ci"]
    assert "No such file or directory" in result.errors["ci"]
    assert tls_org.okta.calls("GET", TOKENS) == []


def test_a_ca_file_that_is_not_pem_fails_naming_the_setting_before_any_request(
    tls_org: Org, tmp_path: Path
) -> None:
    not_pem = tmp_path / f"{MARKER}.pem"
    not_pem.write_text(f"corporate CA, ask the network team: {MARKER}\n")

    result = adopt(tls_org, {"okta:caFile": str(not_pem)})

    assert "okta:caFile must be the path of a PEM file of CA certificates" in result.errors["ci"]
    assert "no such block" in result.errors["ci"]
    assert tls_org.okta.calls("GET", TOKENS) == []
