"""Secrets through the native plugin: it accepts them, credentials arrive as secrets and never come back
in plain text, and a property the program marked secret stays secret."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from google.protobuf.json_format import MessageToJson
from native_org import NativeOrg
from pulumi.runtime import rpc

from pulumi_okta_token.testing.engine import NativeEngine, secret

SCOPES = ["okta.apiTokens.read", "okta.apiTokens.manage"]


def api_token(org: NativeOrg) -> tuple[dict[str, str], list[str]]:
    return org.config, [org.admin.secret]


def access_token(org: NativeOrg) -> tuple[dict[str, str], list[str]]:
    access = org.okta.org.issue_access_token(scopes=SCOPES)
    return {"okta-token:orgUrl": org.okta.url, "okta-token:accessToken": access}, [access]


def private_key(org: NativeOrg) -> tuple[dict[str, str], list[str]]:
    app = org.okta.org.add_service_app(scopes=SCOPES)
    config = {
        "okta-token:orgUrl": org.okta.url,
        "okta-token:clientId": app.client_id,
        "okta-token:privateKey": app.private_key_pem,
        "okta-token:privateKeyId": app.key_id,
    }
    body = [line for line in app.private_key_pem.splitlines() if line and not line.startswith("-----")]
    return config, [app.private_key_pem, *body]


CREDENTIALS: dict[str, Callable[[NativeOrg], tuple[dict[str, str], list[str]]]] = {
    "api-token": api_token,
    "access-token": access_token,
    "private-key": private_key,
}


def lifecycle(engine: NativeEngine, org: NativeOrg) -> list[str]:
    """Import, rename, refresh, a failing import, destroy; the error texts."""
    errors: list[str] = []
    imported = engine.import_one("ci", org.token.id, protect=False)
    errors += imported.run.errors.values()
    errors += engine.up({"ci": org.declared(name="renamed")}).errors.values()
    errors += engine.refresh().errors.values()
    errors += engine.import_one("typo", "00Tnot-an-id").run.errors.values()
    errors += engine.destroy().errors.values()
    assert org.live() is None, "the lifecycle ran to its end"
    return errors


@pytest.mark.parametrize("kind", sorted(CREDENTIALS))
def test_no_credential_comes_back_in_plain_text(org: NativeOrg, kind: str) -> None:
    config, credentials = CREDENTIALS[kind](org)
    engine = NativeEngine(config)

    errors = lifecycle(engine, org)

    places = {
        "errors": "\n".join(errors),
        "stdout": engine.stdout,
        "stderr": engine.stderr,
        "state": json.dumps(engine.state_json()),
    }
    for method, message in engine.responses:
        if method != "CheckConfig":
            places[method] = places.get(method, "") + MessageToJson(message)
    for credential in credentials:
        assert [place for place, text in places.items() if credential in text] == []


@pytest.mark.parametrize("kind", sorted(CREDENTIALS))
def test_check_config_answers_the_credentials_as_secrets(org: NativeOrg, kind: str) -> None:
    config, _ = CREDENTIALS[kind](org)
    engine = NativeEngine(config, secret_keys=())  # set without --secret in the stack config

    engine.refresh()

    (checked,) = [message for method, message in engine.responses if method == "CheckConfig"]
    inputs = rpc.deserialize_properties(checked.inputs)
    credential_keys = {"apiToken", "accessToken", "privateKey"} & inputs.keys()
    assert credential_keys and all(rpc.is_rpc_secret(inputs[key]) for key in credential_keys)
    assert not any(rpc.is_rpc_secret(inputs[key]) for key in inputs.keys() - credential_keys)


def test_the_plugin_says_it_accepts_secrets_in_handshake_and_configure(engine: NativeEngine) -> None:
    engine.refresh()

    answers = dict(engine.responses)
    assert answers["Handshake"].accept_secrets
    assert answers["Configure"].acceptSecrets and answers["Configure"].supportsPreview


def test_a_name_the_program_marked_secret_is_answered_secret(engine: NativeEngine, org: NativeOrg) -> None:
    engine.up({"ci": org.declared(name=secret("ci"))})

    stored = engine.state["ci"]
    assert rpc.is_rpc_secret(stored.outputs["name"]) and rpc.is_rpc_secret(stored.inputs["name"])
    assert not rpc.is_rpc_secret(stored.outputs["token_id"])

    engine.refresh()

    assert rpc.is_rpc_secret(engine.state["ci"].outputs["name"])
    assert rpc.is_rpc_secret(engine.state["ci"].inputs["name"])


def test_a_preview_answers_a_secret_name_secret(engine: NativeEngine, org: NativeOrg) -> None:
    result = engine.preview({"ci": org.declared(name=secret("ci"))})

    outputs = result["ci"].outputs or {}
    assert rpc.is_rpc_secret(outputs["name"]) and not rpc.is_rpc_secret(outputs["token_id"])


def test_check_config_answers_an_http_proxy_with_user_info_as_a_secret(org: NativeOrg) -> None:
    # Issue 17, item 14: the proxy's password would land in the state as a plain value.
    password = "proxy-Pa55word-in-the-url"
    config = {**org.config, "okta-token:httpProxy": f"http://ops:{password}@proxy.example.com:3128"}
    engine = NativeEngine(config, secret_keys=())  # set without --secret in the stack config

    engine.refresh()  # the org is on 127.0.0.1: never proxied

    (checked,) = [message for method, message in engine.responses if method == "CheckConfig"]
    inputs = rpc.deserialize_properties(checked.inputs)
    assert rpc.is_rpc_secret(inputs["httpProxy"])  # wrapped: the engine encrypts it in the state
    assert password in rpc.unwrap_rpc_secret(inputs["httpProxy"])
