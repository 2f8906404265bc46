"""A service app's private key: PEM inline or a file, RSA or EC; neither key, content nor path shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from settings_support import SECRET, key_body, load, refusal

from pulumi_okta_token._settings import DEFAULT_SCOPES, PrivateKeyAuth
from pulumi_okta_token.errors import ConfigurationError


def key_file_refusal(directory: Path, content: bytes) -> str:
    """The refusal of a key file holding ``content``."""
    path = directory / "key.pem"
    path.write_bytes(content)
    return refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})


def test_private_key_from_stack_config_is_used_with_default_scopes(pem: str) -> None:
    settings = load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "privateKeyId": "kid1"})
    assert settings.auth == PrivateKeyAuth(
        client_id="0oa1", private_key=pem.strip(), key_id="kid1", scopes=DEFAULT_SCOPES
    )


def test_private_key_from_the_environment_is_used(pem: str) -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_CLIENT_ID="0oa1", OKTA_API_PRIVATE_KEY=pem, OKTA_API_PRIVATE_KEY_ID="k"
    )
    assert settings.auth == PrivateKeyAuth(client_id="0oa1", private_key=pem.strip(), key_id="k")


def test_private_key_may_be_a_file_path(pem: str, tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text(pem)
    settings = load({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.private_key == pem


def test_private_key_with_escaped_newlines_is_unescaped(pem: str) -> None:
    settings = load(
        OKTA_ORG_NAME="acme", OKTA_API_CLIENT_ID="0oa1", OKTA_API_PRIVATE_KEY=pem.replace("\n", "\\n")
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.private_key.strip() == pem.strip()


def test_private_key_parts_may_come_from_stack_config_and_environment(pem: str) -> None:
    settings = load({"orgName": "acme", "clientId": "0oa1"}, OKTA_API_PRIVATE_KEY=pem)
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.client_id == "0oa1"


def test_scopes_may_be_separated_by_spaces_or_commas(pem: str) -> None:
    settings = load(
        {"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": "okta.a.read, okta.b okta.c"}
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.scopes == ("okta.a.read", "okta.b", "okta.c")


def test_scopes_may_be_a_json_list_as_a_yaml_list_in_stack_config_arrives(pem: str) -> None:
    settings = load(
        {"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": '["okta.a.read", "okta.b"]'}
    )
    assert isinstance(settings.auth, PrivateKeyAuth)
    assert settings.auth.scopes == ("okta.a.read", "okta.b")


def test_an_elliptic_curve_key_is_accepted() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert isinstance(load({"orgName": "a", "clientId": "0oa1", "privateKey": pem}).auth, PrivateKeyAuth)


def test_client_id_without_a_private_key_is_refused_naming_the_missing_one() -> None:
    with pytest.raises(ConfigurationError, match=r"needs okta:privateKey / OKTA_API_PRIVATE_KEY"):
        load({"orgName": "acme", "clientId": "0oa1"})


def test_private_key_that_is_not_pem_nor_a_file_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"no file can be read there \(No such file or directory\)"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": "/no/such/key.pem"})


def test_broken_pem_is_refused_without_showing_it() -> None:
    broken = "-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBITS\n-----END PRIVATE KEY-----\n"
    with pytest.raises(ConfigurationError, match=r"does not hold an unencrypted PEM private key") as caught:
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": broken})
    assert "SECRETBITS" not in str(caught.value)


def test_a_key_type_okta_does_not_take_is_refused() -> None:
    pem = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )
    with pytest.raises(ConfigurationError, match=r"RSA or EC"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem})


def test_key_body_without_begin_lines_is_refused_as_a_key_body(pem: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:privateKey looks like the body of a key"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": key_body(pem)})


@pytest.mark.parametrize("join", ["\n", "", "\\n"], ids=["lines", "one-line", "escaped-newlines"])
def test_key_body_without_begin_lines_is_not_shown_in_the_error_or_its_traceback(pem: str, join: str) -> None:
    body = join.join(key_body(pem).splitlines())
    text = refusal({"orgName": "acme", "clientId": "0oa1"}, OKTA_API_PRIVATE_KEY=body)
    assert "OKTA_API_PRIVATE_KEY" in text
    for line in key_body(pem).splitlines():
        assert line not in text


def test_key_error_chains_no_exception(pem: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": key_body(pem)})
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ is True


def test_key_file_path_that_does_not_exist_is_not_shown(tmp_path: Path) -> None:
    path = tmp_path / SECRET / "key.pem"
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})
    assert "okta:privateKey has no '-----BEGIN' line" in text
    assert SECRET not in text


def test_key_path_with_a_nul_byte_is_refused_as_a_configuration_error() -> None:
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": f"/keys/{SECRET}\0.pem"})
    assert "okta:privateKey" in text
    assert SECRET not in text


def test_key_file_that_is_not_pem_is_refused_without_showing_its_content(tmp_path: Path) -> None:
    text = key_file_refusal(tmp_path, f"client_secret = {SECRET}\n".encode())
    assert "okta:privateKey does not hold an unencrypted PEM private key" in text
    assert SECRET not in text


def test_key_file_with_broken_pem_is_refused_without_showing_its_content(tmp_path: Path) -> None:
    text = key_file_refusal(
        tmp_path, f"-----BEGIN PRIVATE KEY-----\n{SECRET}\n-----END PRIVATE KEY-----\n".encode()
    )
    assert "okta:privateKey does not hold an unencrypted PEM private key" in text
    assert SECRET not in text


def test_key_file_with_binary_content_is_refused_without_showing_it(tmp_path: Path) -> None:
    text = key_file_refusal(tmp_path, b"\x30\x82\xff" + SECRET.encode())
    assert "okta:privateKey names a file that is not PEM text" in text
    assert SECRET not in text


def test_key_file_larger_than_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\n" + "A" * 70_000)
    with pytest.raises(ConfigurationError, match=r"names a file larger than 64 KiB"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": str(path)})


def test_a_directory_as_the_key_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"no file can be read there \(Is a directory\)"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": str(tmp_path)})


def test_encrypted_key_is_refused() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()
    with pytest.raises(ConfigurationError, match=r"does not hold an unencrypted PEM private key"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": encrypted})


def test_client_id_holding_a_key_is_refused_without_showing_it(pem: str) -> None:
    text = refusal({"orgName": "acme", "clientId": pem, "privateKey": pem})
    assert "okta:clientId must be the service app's client ID" in text
    assert key_body(pem).splitlines()[1] not in text


def test_key_id_with_spaces_is_refused_without_showing_it(pem: str) -> None:
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "privateKeyId": f"k {SECRET}"})
    assert "okta:privateKeyId must be the key's id" in text
    assert SECRET not in text


@pytest.mark.parametrize(
    "scopes", [SECRET, f"okta.apiTokens.read {SECRET}", f'["okta.apiTokens.read", 7, "{SECRET}"]', "[", "[]"]
)
def test_scopes_that_are_not_okta_scopes_are_refused_without_showing_them(pem: str, scopes: str) -> None:
    text = refusal({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": scopes})
    assert "okta:scopes takes Okta scopes" in text
    assert SECRET not in text


def test_deeply_nested_scopes_are_refused_as_a_configuration_error(pem: str) -> None:
    with pytest.raises(ConfigurationError, match=r"okta:scopes"):
        load({"orgName": "acme", "clientId": "0oa1", "privateKey": pem, "scopes": "[" * 100_000})
