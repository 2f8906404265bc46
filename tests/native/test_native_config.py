"""The native provider's configuration: ``okta-token:*`` settings (then the ``OKTA_*`` variables), read by
``pulumi_okta_token._settings``; ``CheckConfig`` reports every bad setting by name, never its value."""

from __future__ import annotations

from typing import Any

import pytest
from native_org import NativeOrg

from pulumi_okta_token._settings import load_settings
from pulumi_okta_token.native.schema import CONFIG_KEYS
from pulumi_okta_token.native.settings import config_failures, config_getter, config_text, namespaced
from pulumi_okta_token.provider import is_unknown
from pulumi_okta_token.testing.engine import ConfigRejected, NativeEngine

TOKEN = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD"


def failures(values: dict[str, Any], environ: dict[str, str] | None = None) -> list[str]:
    return config_failures(values, environ or {}, is_unknown)


# -- reading the settings (no plugin) --------------------------------------------------------------


def test_the_native_keys_are_read_as_the_dynamic_providers_settings() -> None:
    values = {"orgName": "acme", "baseUrl": "oktapreview.com", "apiToken": TOKEN, "maxRetries": "3"}

    settings = load_settings(config_getter(values), {})

    assert settings.org_url == "https://acme.oktapreview.com"
    assert settings.max_retries == 3


def test_okta_variables_are_read_when_no_native_key_is_set() -> None:
    environ = {"OKTA_ORG_NAME": "acme", "OKTA_API_TOKEN": TOKEN}

    assert load_settings(config_getter({}), environ).org_url == "https://acme.okta.com"
    assert failures({}, environ) == []


def test_typed_values_are_written_as_the_text_the_settings_read() -> None:
    assert config_text(3.0) == "3"
    assert config_text(12.5) == "12.5"
    assert config_text(["okta.apiTokens.read", "okta.apiTokens.manage"]) == (
        '["okta.apiTokens.read", "okta.apiTokens.manage"]'
    )


def test_setting_names_in_messages_are_rewritten_to_the_okta_token_namespace() -> None:
    text = "set okta:apiToken / OKTA_API_TOKEN, e.g. `pulumi config set okta:orgName acme`; okta:unknownKey"

    assert namespaced(text) == (
        "set okta-token:apiToken / OKTA_API_TOKEN, e.g. `pulumi config set okta-token:orgName acme`; "
        "okta:unknownKey"
    )


def test_every_bad_setting_is_reported_by_name_without_its_value() -> None:
    values = {"orgUrl": "https://acme.okta.com/admin", "apiToken": f"{TOKEN} x", "maxRetries": "101"}

    found = failures(values)

    assert [reason.split(" ", 1)[0] for reason in found] == [
        "okta-token:orgUrl",
        "okta-token:apiToken",
        "okta-token:maxRetries",
    ]
    assert not any(TOKEN in reason or "/admin" in reason for reason in found)


def test_a_refused_private_key_setting_does_not_hide_the_settings_read_after_it() -> None:
    values = {
        "orgName": "acme",
        "clientId": "not a client id",
        "privateKey": "-----BEGIN x",
        "maxRetries": "x",
    }

    found = failures(values)

    assert [reason.split(" ", 1)[0] for reason in found] == ["okta-token:clientId", "okta-token:maxRetries"]


def test_a_token_pasted_as_the_org_name_is_reported_without_showing_it() -> None:
    found = failures({"orgName": TOKEN, "apiToken": TOKEN})

    assert len(found) == 1 and found[0].startswith("okta-token:orgName looks like an Okta API token")
    assert TOKEN not in found[0]


def test_a_missing_credential_is_reported_once_naming_the_okta_token_settings() -> None:
    (reason,) = failures({"orgName": "acme"})

    assert reason.startswith("No Okta credentials are configured.")
    assert "okta-token:apiToken / OKTA_API_TOKEN" in reason and "okta:apiToken" not in reason


def test_an_unknown_setting_is_reported_with_the_settings_there_are() -> None:
    found = failures({"orgName": "acme", "apiToken": TOKEN, "apitoken": TOKEN})

    assert found == [
        "okta-token:apitoken is not a setting of the okta-token provider (a typo?); its settings are "
        + ", ".join(f"okta-token:{key}" for key in CONFIG_KEYS)
    ]


def test_the_engines_own_keys_are_not_settings() -> None:
    assert failures({"orgName": "acme", "apiToken": TOKEN, "version": "0.1.0", "__internal": {}}) == []


# -- through the plugin ------------------------------------------------------------------------


def test_check_config_failures_stop_the_load_before_configure(org: NativeOrg) -> None:
    engine = NativeEngine({**org.config, "okta-token:maxRetries": "101"})

    with pytest.raises(ConfigRejected) as rejected:
        engine.refresh()

    assert str(rejected.value).startswith(
        "pulumi:providers:okta-token resource 'default' has a problem: okta-token:maxRetries is above 100"
    )
    assert engine.calls == ["Handshake", "GetPluginInfo", "CheckConfig", "Cancel"]


def test_okta_namespace_settings_do_not_reach_the_native_provider(org: NativeOrg) -> None:
    engine = NativeEngine({"okta:orgUrl": org.okta.url, "okta:apiToken": org.admin.secret})

    with pytest.raises(ConfigRejected, match="No Okta org is configured"):
        engine.refresh()


def test_okta_variables_configure_the_plugin(org: NativeOrg) -> None:
    engine = NativeEngine(env={"OKTA_ORG_URL": org.okta.url, "OKTA_API_TOKEN": org.admin.secret})

    result = engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    assert result.run.ok and engine.state["ci"].outputs == org.outputs()


def test_an_error_after_a_refused_credential_names_the_okta_token_setting(org: NativeOrg) -> None:
    engine = NativeEngine({**org.config, "okta-token:apiToken": "00" + "x" * 40})

    result = engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    error = result.run.errors["ci"]
    assert "okta-token:apiToken / OKTA_API_TOKEN" in error and "okta:apiToken" not in error


def test_diff_config_reports_a_change_and_never_a_replacement(engine: NativeEngine, org: NativeOrg) -> None:
    from pulumi.runtime.proto import provider_pb2

    from pulumi_okta_token.testing.engine.messages import to_struct

    with engine.plugin() as stub:
        changed = stub.DiffConfig(
            provider_pb2.DiffRequest(
                urn=engine.urn("default", "pulumi:providers:okta-token"),
                old_inputs=to_struct({"orgUrl": org.okta.url, "version": "0.1.0"}),
                olds=to_struct({"orgUrl": org.okta.url}),
                news=to_struct({"orgUrl": "https://other.okta.com", "version": "0.1.0"}),
            )
        )
        same = stub.DiffConfig(
            provider_pb2.DiffRequest(
                old_inputs=to_struct({"orgUrl": org.okta.url}),
                news=to_struct({"orgUrl": org.okta.url, "version": "0.1.0"}),
            )
        )

    assert changed.changes == provider_pb2.DiffResponse.DIFF_SOME and list(changed.replaces) == []
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
