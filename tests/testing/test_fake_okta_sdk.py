"""The official ``okta`` SDK, unmodified, against the fake (FACTS.md §3).

The SDK's ``ApiTokenApi`` is built the way ``okta.client.Client`` builds it (config setter,
validator, request executor) without importing ``okta.client`` (3.4 s). Its ``get``/``list``/
``upsert``/``revoke`` send ``SSWS<token>`` with no space, which Okta (and the fake) refuse with 401;
sending the documented ``SSWS <token>`` works.
"""

from __future__ import annotations

from typing import Any

import pytest
from okta.api.api_token_api import ApiTokenApi
from okta.cache.no_op_cache import NoOpCache
from okta.config.config_setter import ConfigSetter
from okta.config.config_validator import ConfigValidator
from okta.models.api_token_update import ApiTokenUpdate
from okta.request_executor import RequestExecutor
from seeded_org import Org


@pytest.fixture
def sdk_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """http:// org URLs are refused by the SDK unless this variable is set (FACTS.md §3.7)."""
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "1")
    monkeypatch.chdir(tmp_path)  # no ./okta.yaml can interfere


def token_api(org_url: str, secret: str, max_retries: int = 0) -> ApiTokenApi:
    setter = ConfigSetter()
    setter._apply_config({"client": {"orgUrl": org_url, "token": secret, "authorizationMode": "SSWS"}})
    config = setter._prune_config(setter.get_config())
    config["client"]["rateLimit"] = {"maxRetries": max_retries}
    ConfigValidator(config)
    api = ApiTokenApi(config)
    api._request_executor = RequestExecutor(config, NoOpCache())  # what Client.__init__ does
    return api


def documented(secret: str) -> dict[str, str]:
    return {"in": "header", "type": "api_key", "key": "Authorization", "value": f"SSWS {secret}"}


async def test_sdk_round_trips_with_the_documented_header_and_gets_401_with_its_own(
    org: Org, sdk_env: None
) -> None:
    api = token_api(org.okta.url, org.admin.secret)
    auth = documented(org.admin.secret)

    _, _, refused = await api.get_api_token(org.token.id)
    assert refused is not None and refused.status == 401 and refused.error_code == "E0000011"
    assert org.okta.calls()[-1].auth_scheme == "invalid"

    tokens, _, error = await api.list_api_tokens(_request_auth=auth)
    assert error is None and [t.id for t in tokens] == [org.admin.id, org.token.id]

    token, _, error = await api.get_api_token(org.token.id, _request_auth=auth)
    assert error is None and token.name == "ci" and token.network.include == [org.office]

    update = ApiTokenUpdate.from_dict(
        {"name": "ci", "userId": org.user, "network": {"connection": "ZONE", "exclude": [org.vpn]}}
    )
    updated, _, error = await api.upsert_api_token(org.token.id, update, _request_auth=auth)
    assert error is None and updated.network.exclude == [org.vpn]
    assert org.okta.calls("PUT")[-1].body == {
        "name": "ci",
        "userId": org.user,
        "network": {"connection": "ZONE", "exclude": [org.vpn]},
    }

    _, _, error = await api.revoke_api_token(org.token.id, _request_auth=auth)
    assert error is None and org.okta.org.token(org.token.id) is None


async def test_sdk_with_authorization_mode_ending_in_a_space_is_accepted(org: Org, sdk_env: None) -> None:
    api = token_api(org.okta.url, org.admin.secret)
    api.configuration.authorization_mode = "SSWS "
    token, _, error = await api.get_api_token(org.token.id)
    assert error is None and token.id == org.token.id


async def test_sdk_sees_oktas_404_error_fields(org: Org, sdk_env: None) -> None:
    api = token_api(org.okta.url, org.admin.secret)
    absent = "00Tinvalid9999999999"
    _, _, error = await api.get_api_token(absent, _request_auth=documented(org.admin.secret))
    assert error.status == 404 and error.error_code == "E0000007"
    assert error.error_summary == f"Not found: Resource not found: {absent} (Token)"


async def test_sdk_revoke_current_sends_the_documented_header_itself(org: Org, sdk_env: None) -> None:
    api = token_api(org.okta.url, org.token.secret)
    result = await api.revoke_current_api_token()
    assert result[-1] is None and org.okta.org.token(org.token.id) is None


async def test_sdk_retries_a_429_fault_that_has_reset_headers(org: Org, sdk_env: None) -> None:
    api = token_api(org.okta.url, org.admin.secret, max_retries=1)
    org.okta.inject_fault(method="GET", path=f"/api/v1/api-tokens/{org.token.id}", status=429)
    token, _, error = await api.get_api_token(org.token.id, _request_auth=documented(org.admin.secret))
    assert error is None and token.id == org.token.id
    assert [call.status for call in org.okta.calls("GET")] == [429, 200]


async def test_sdk_crashes_on_a_429_fault_without_reset_headers_as_facts_record(
    org: Org, sdk_env: None
) -> None:
    api = token_api(org.okta.url, org.admin.secret, max_retries=1)
    org.okta.inject_fault(method="GET", status=429, reset_headers=False)
    with pytest.raises(AttributeError, match="status"):
        await api.get_api_token(org.token.id, _request_auth=documented(org.admin.secret))
