"""Where settings come from: stack config first, then the environment; blank means unset."""

from __future__ import annotations

import pytest
from settings_support import SECRET, load

from pulumi_okta_token._settings import ApiTokenAuth, load_settings


def test_blank_values_count_as_unset() -> None:
    settings = load({"orgName": "acme", "apiToken": "  "}, OKTA_API_TOKEN=SECRET)
    assert settings.auth == ApiTokenAuth(SECRET)


def test_environment_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKTA_ORG_NAME", "fromosenv")
    monkeypatch.setenv("OKTA_API_TOKEN", SECRET)
    for name in ("OKTA_ORG_URL", "OKTA_ACCESS_TOKEN", "OKTA_API_CLIENT_ID", "OKTA_API_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert load_settings().org_url == "https://fromosenv.okta.com"
