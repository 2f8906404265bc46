"""No credential leaks out of the plugin (issue 4, test 13).

For each kind of credential, a whole lifecycle runs through the plugin; then the serialized
``__provider`` (decoded from base64), every message the plugin answered, every error text, the saved
state and the plugin's stdout and stderr are scanned for the credential.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from google.protobuf.json_format import MessageToJson
from seeded_org import Org

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import PROVIDER_KEY, PluginEngine, RunResult

SCOPES = ["okta.apiTokens.read", "okta.apiTokens.manage"]
SIG_KEY, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def api_token(org: Org) -> tuple[dict[str, str], list[str]]:
    return org.config, [org.admin.secret]


def access_token(org: Org) -> tuple[dict[str, str], list[str]]:
    access = org.okta.org.issue_access_token(scopes=SCOPES)
    return {"okta:orgUrl": org.okta.url, "okta:accessToken": access}, [access]


def private_key(org: Org) -> tuple[dict[str, str], list[str]]:
    app = org.okta.org.add_service_app(scopes=SCOPES)
    config = {
        "okta:orgUrl": org.okta.url,
        "okta:clientId": app.client_id,
        "okta:privateKey": app.private_key_pem,
        "okta:privateKeyId": app.key_id,
    }
    body_lines = [line for line in app.private_key_pem.splitlines() if line and not line.startswith("-----")]
    return config, [app.private_key_pem, *body_lines]


CREDENTIALS: dict[str, Callable[[Org], tuple[dict[str, str], list[str]]]] = {
    "api-token": api_token,
    "access-token": access_token,
    "private-key": private_key,
}


class Leaks:
    """Everything the plugin produced in one lifecycle, and where a credential shows up in it."""

    def __init__(self, engine: PluginEngine, results: list[RunResult], state: dict[str, object]) -> None:
        self.places: dict[str, str] = {
            "__provider": engine.provider_string + base64.b64decode(engine.provider_string).decode("latin-1"),
            "answers": "\n".join(MessageToJson(response) for _, response in engine.responses),
            "errors": "\n".join(error for result in results for error in result.errors.values()),
            "state": json.dumps(state),
            "stdout": engine.stdout,
            "stderr": engine.stderr,
        }

    def found(self, secrets: list[str]) -> list[str]:
        return [place for place, text in self.places.items() for secret in secrets if secret in text]


@dataclass
class Lifecycle:
    leaks: Leaks
    secrets: list[str]
    state: dict[str, object]
    """The saved state while the resource was in it."""
    token_id: str


@pytest.fixture(scope="module", params=list(CREDENTIALS))
def lifecycle(request: pytest.FixtureRequest) -> Iterator[Lifecycle]:
    """Adopt, update, preview, refresh, save the state, destroy: once per kind of credential.

    Module-scoped (its own fake org), so the plugin starts from a clean environment instead of the
    function-scoped fixture that strips Okta variables.
    """
    with FakeOkta() as okta:
        org = Org(okta)
        config, secrets = CREDENTIALS[request.param](org)
        with PluginEngine(config, inherit_env=False) as engine:
            results = [engine.up({"ci": org.declared()})]
            results.append(engine.up({"ci": org.declared(network={"connection": "ANYWHERE"})}))
            results.append(engine.preview({"ci": org.declared(name="ci-renamed")}))
            results.append(engine.refresh())
            state = engine.state_json()
            results.append(engine.destroy())
        assert [result.errors for result in results] == [{}] * len(results)
        yield Lifecycle(Leaks(engine, results, state), secrets, state, org.token.id)


def test_no_credential_appears_in_provider_answers_state_or_plugin_output(lifecycle: Lifecycle) -> None:
    assert lifecycle.leaks.found(lifecycle.secrets) == []


def test_the_scan_sees_what_the_plugin_produced(lifecycle: Lifecycle) -> None:
    assert set(lifecycle.leaks.found([lifecycle.token_id])) >= {"answers", "state"}


def test_the_serialized_provider_is_a_secret_in_the_saved_state(lifecycle: Lifecycle) -> None:
    (resource,) = lifecycle.state["deployment"]["resources"]  # type: ignore[index]
    assert resource["inputs"][PROVIDER_KEY][SIG_KEY] == SECRET_SIG
    assert resource["outputs"][PROVIDER_KEY][SIG_KEY] == SECRET_SIG


def test_the_provider_asks_to_be_stored_as_a_secret() -> None:
    assert ApiTokenProvider.serialize_as_secret_always is True


def test_a_rejected_api_token_is_not_echoed_in_the_error(org: Org) -> None:
    wrong = "00WrongSecretValueThatOktaRejects0000000000"
    with PluginEngine({"okta:orgUrl": org.okta.url, "okta:apiToken": wrong}) as engine:
        result = engine.up({"ci": org.declared()})
        output = engine.stdout + engine.stderr
    assert "401" in result.errors["ci"]
    assert wrong not in result.errors["ci"] + output
