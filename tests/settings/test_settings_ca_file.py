"""``okta:caFile`` / ``OKTA_CA_FILE``: a PEM file of CA certificates added to the system's trust.

Checked when the settings load, before any request: a file that cannot be read or holds no PEM
certificate is refused with an error that names the setting and the shape it takes, never the path
or the file's content (the rule of every setting: a secret may have been pasted there).
"""

from __future__ import annotations

import shutil
import traceback
from pathlib import Path

import pytest

from pulumi_okta_token._settings import load_settings
from pulumi_okta_token.errors import ConfigurationError
from pulumi_okta_token.testing.okta.certs import CERT_FILE, write_certificate

CREDENTIALS = {"okta:orgName": "acme", "okta:apiToken": "00abcdefSECRETtoken1234567890"}
MARKER = "CaFiLeMaRkEr5K8"
"""Part of the paths and contents below that no error may show."""
EXPECTED = "okta:caFile must be the path of a PEM file of CA certificates"


def ca_pem() -> bytes:
    directory = write_certificate()
    try:
        return (directory / CERT_FILE).read_bytes()
    finally:
        shutil.rmtree(directory)


def load(ca_file: str | None = None, **env: str) -> str | None:
    config = {**CREDENTIALS, **({"okta:caFile": ca_file} if ca_file is not None else {})}
    return load_settings(config.get, env).ca_file


def refusal(ca_file: str) -> str:
    """The whole traceback a user would see (chained exceptions included)."""
    with pytest.raises(ConfigurationError) as caught:
        load(ca_file)
    return "".join(traceback.format_exception(caught.value))


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "corporate-ca.pem"
    path.write_bytes(ca_pem())
    return path


def test_ca_file_is_unset_by_default() -> None:
    assert load() is None


def test_ca_file_comes_from_stack_config(bundle: Path) -> None:
    assert load(str(bundle)) == str(bundle)


def test_ca_file_comes_from_the_environment(bundle: Path) -> None:
    assert load(OKTA_CA_FILE=str(bundle)) == str(bundle)


def test_ca_file_in_stack_config_wins_over_the_environment(bundle: Path, tmp_path: Path) -> None:
    assert load(str(bundle), OKTA_CA_FILE=str(tmp_path / "absent.pem")) == str(bundle)


def test_a_relative_ca_file_is_made_absolute_where_the_settings_load(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bundle.parent)
    assert load(bundle.name) == str(bundle)


def test_a_home_relative_ca_file_is_expanded(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(bundle.parent))
    assert load(f"~/{bundle.name}") == str(bundle)


def test_a_bundle_with_comments_and_several_certificates_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bundle.pem"
    path.write_bytes(b"# Issuer: CN=Corporate Root\n" + ca_pem() + b"\n# Issuer: CN=Proxy\n" + ca_pem())
    assert load(str(path)) == str(path)


def test_a_missing_ca_file_is_refused_without_showing_its_path(tmp_path: Path) -> None:
    text = refusal(str(tmp_path / MARKER / "ca.pem"))

    assert EXPECTED in text
    assert "No such file or directory" in text
    assert MARKER not in text


def test_a_directory_as_ca_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / MARKER).mkdir()
    text = refusal(str(tmp_path / MARKER))

    assert EXPECTED in text
    assert MARKER not in text


@pytest.mark.parametrize(
    "content",
    [
        b"",
        f"ask the network team for the CA; {MARKER}\n".encode(),
        f"-----BEGIN PRIVATE KEY-----\n{MARKER}\n-----END PRIVATE KEY-----\n".encode(),
        b"\x30\x82\x01\x0a" + MARKER.encode(),  # DER, not PEM
    ],
    ids=["empty", "text", "a key", "DER"],
)
def test_a_ca_file_without_a_pem_certificate_is_refused_without_showing_it(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / f"{MARKER}.pem"
    path.write_bytes(content)
    text = refusal(str(path))

    assert EXPECTED in text
    assert "no such block" in text
    assert MARKER not in text


def test_a_ca_file_with_a_damaged_certificate_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / f"{MARKER}.pem"
    path.write_text(f"-----BEGIN CERTIFICATE-----\n{MARKER}\n-----END CERTIFICATE-----\n")
    text = refusal(str(path))

    assert EXPECTED in text
    assert "damaged certificate block" in text
    assert MARKER not in text
