"""Each credential source works through the plugin (issue 4, test 12).

One plugin process per test: the plugin configures a provider once per process.
"""

from __future__ import annotations

from seeded_org import TOKENS, Org

from pulumi_okta_token.testing.engine import PluginEngine

SCOPES = ["okta.apiTokens.read", "okta.apiTokens.manage"]


def adopt_with(org: Org, config: dict[str, str], env: dict[str, str] | None = None) -> str:
    """Adopt the ci token with these credentials; the auth scheme the fake saw on the API call."""
    with PluginEngine(config, env=env) as engine:
        result = engine.up({"ci": org.declared()})
    assert result.errors == {}
    (get,) = org.okta.calls("GET", TOKENS)
    return str(get.auth_scheme)


def private_key_settings(org: Org) -> tuple[str, str, str]:
    app = org.okta.org.add_service_app(scopes=SCOPES)
    return app.client_id, app.private_key_pem, app.key_id


def test_api_token_from_stack_config_is_sent_as_ssws(org: Org) -> None:
    assert adopt_with(org, org.config) == "SSWS"


def test_api_token_from_the_environment_is_sent_as_ssws(org: Org) -> None:
    env = {"OKTA_ORG_URL": org.okta.url, "OKTA_API_TOKEN": org.admin.secret}
    assert adopt_with(org, {}, env) == "SSWS"


def test_access_token_from_stack_config_is_sent_as_bearer(org: Org) -> None:
    access = org.okta.org.issue_access_token(scopes=SCOPES)
    assert adopt_with(org, {"okta:orgUrl": org.okta.url, "okta:accessToken": access}) == "Bearer"


def test_access_token_from_the_environment_is_sent_as_bearer(org: Org) -> None:
    access = org.okta.org.issue_access_token(scopes=SCOPES)
    assert adopt_with(org, {}, {"OKTA_ORG_URL": org.okta.url, "OKTA_ACCESS_TOKEN": access}) == "Bearer"


def test_private_key_from_stack_config_gets_a_bearer_token(org: Org) -> None:
    client_id, key, key_id = private_key_settings(org)
    config = {
        "okta:orgUrl": org.okta.url,
        "okta:clientId": client_id,
        "okta:privateKey": key,
        "okta:privateKeyId": key_id,
        "okta:scopes": " ".join(SCOPES),
    }
    assert adopt_with(org, config) == "Bearer"


def test_private_key_from_the_environment_gets_a_bearer_token(org: Org) -> None:
    client_id, key, key_id = private_key_settings(org)
    env = {
        "OKTA_ORG_URL": org.okta.url,
        "OKTA_API_CLIENT_ID": client_id,
        "OKTA_API_PRIVATE_KEY": key,
        "OKTA_API_PRIVATE_KEY_ID": key_id,
        "OKTA_API_SCOPES": " ".join(SCOPES),
    }
    assert adopt_with(org, {}, env) == "Bearer"


def test_stack_config_wins_over_the_environment(org: Org) -> None:
    env = {"OKTA_ORG_URL": org.okta.url, "OKTA_API_TOKEN": "not-the-admin-token"}
    assert adopt_with(org, org.config, env) == "SSWS"
