"""The command's helpers without a server: durations, derived fields, filters, settings, stack state,
generated text, and ``main``'s exit codes and error lines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token.cli import list_cmd
from pulumi_okta_token.cli import main as main_module
from pulumi_okta_token.cli._stack_state import API_TOKEN_TYPE, read_stack_state
from pulumi_okta_token.cli._tokens import TokenFilters, UsageError, cli_settings, parse_duration, views
from pulumi_okta_token.cli.generate import generate, resource_names
from pulumi_okta_token.errors import ConfigurationError, RateLimited, UntrustedAnswer
from pulumi_okta_token.testing import run_program

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)


def token(name: str | None = "ci", token_id: str = "00Ttoken000000000001", **fields: Any) -> TokenMetadata:
    return TokenMetadata.from_okta_json({"id": token_id, "name": name, **fields})


# -- durations and derived fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P30D", timedelta(days=30)),
        ("p2w", timedelta(weeks=2)),
        ("PT720H", timedelta(hours=720)),
        ("P1DT12H30M5.5S", timedelta(days=1, hours=12, minutes=30, seconds=5.5)),
    ],
)
def test_parse_duration_reads_iso_8601_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "P1DT", "30D", "P1M", "P1Y", "P-1D", "thirty days"])
def test_parse_duration_refuses_what_it_cannot_read_exactly(text: str) -> None:
    assert parse_duration(text) is None


def test_days_left_counts_whole_days_and_goes_negative_after_expiry() -> None:
    soon, gone = views(
        [
            token("a", "00Ttoken000000000001", expiresAt="2026-03-03T23:00:00.000Z"),
            token("b", "00Ttoken000000000002", expiresAt="2026-02-28T12:00:00.000Z"),
        ],
        NOW,
    )

    assert (soon.days_left, gone.days_left) == (2, -1)


def test_last_used_is_unknown_without_a_window_or_an_expiry() -> None:
    (no_window,) = views([token(expiresAt="2026-03-03T00:00:00.000Z", tokenWindow=None)], NOW)
    (no_expiry,) = views([token(tokenWindow="P30D")], NOW)

    assert no_window.last_used is None and no_expiry.last_used is None and no_expiry.days_left is None


def test_views_are_sorted_by_name_then_id() -> None:
    made = views([token("b", "00Ttoken000000000003"), token("a", "00Ttoken000000000002"), token(None)], NOW)

    assert [view.token.name for view in made] == [None, "a", "b"]


# -- filters and settings -------------------------------------------------------------------------


def test_filters_combine() -> None:
    keep = TokenFilters(name="ci-*", owner="00uowner000000000001", network="zone")
    match = token("ci-x", userId="00uowner000000000001", network={"connection": "ZONE", "include": ["nzoa"]})

    assert keep.keep(match)
    assert not keep.keep(match.model_copy(update={"name": "CI-x"}))
    assert not keep.keep(match.model_copy(update={"user_id": "00uother000000000001"}))


def test_owner_filter_refuses_what_is_not_a_user_id() -> None:
    with pytest.raises(UsageError, match="--owner takes an Okta user id"):
        TokenFilters(owner="00u123\n")


def test_org_url_option_wins_over_the_environment() -> None:
    env = {"OKTA_ORG_NAME": "other", "OKTA_BASE_URL": "oktapreview.com", "OKTA_API_TOKEN": "00abc"}

    settings = cli_settings("https://acme.okta.com/", env)

    assert settings.org_url == "https://acme.okta.com"


def test_settings_come_from_the_environment_as_for_the_provider() -> None:
    settings = cli_settings(
        None, {"OKTA_ORG_NAME": "acme", "OKTA_API_TOKEN": "00abc", "OKTA_MAX_RETRIES": "5"}
    )

    assert (settings.org_url, settings.max_retries) == ("https://acme.okta.com", 5)


def test_configuration_errors_never_show_the_value() -> None:
    with pytest.raises(ConfigurationError) as caught:
        cli_settings("https://u:secretpw@acme.okta.com", {"OKTA_API_TOKEN": "00abc"})

    assert "secretpw" not in str(caught.value)


# -- stack state ----------------------------------------------------------------------------------


def test_api_token_type_is_the_one_the_resource_registers() -> None:
    from pulumi_okta_token import ApiToken

    declared = run_program(lambda: ApiToken("x", token_id="00Ttoken000000000001"))

    assert declared.types == {"x": API_TOKEN_TYPE}


def test_stack_state_reads_names_ids_and_pending_deletes(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    resources = [
        {
            "type": API_TOKEN_TYPE,
            "urn": "urn:pulumi:s::p::t::ci",
            "id": "00Ttoken000000000001",
            "outputs": {"name": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}},
        },
        {
            "type": API_TOKEN_TYPE,
            "urn": "urn:pulumi:s::p::t::old",
            "id": "00Ttoken000000000002",
            "outputs": {"name": "old"},
            "delete": True,
        },
        {"type": API_TOKEN_TYPE, "urn": "urn:pulumi:s::p::t::pending", "id": ""},
        {
            "type": "pulumi:providers:okta",
            "urn": "urn:pulumi:s::p::pulumi:providers:okta::default",
            "id": "x",
        },
    ]
    state.write_text(json.dumps({"version": 3, "deployment": {"resources": resources}}))

    managed = read_stack_state(state)

    assert [(m.name, m.token_id, m.token_name, m.pending_delete) for m in managed] == [
        ("ci", "00Ttoken000000000001", None, False),
        ("old", "00Ttoken000000000002", "old", True),
    ]


def test_stack_state_errors_never_quote_the_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"secret": "00verySecretValue", "deployment": 1}')

    with pytest.raises(UsageError) as caught:
        read_stack_state(state)

    assert "00verySecretValue" not in str(caught.value)


# -- generated text -------------------------------------------------------------------------------


def test_resource_names_are_slugs_and_shared_ones_carry_the_id() -> None:
    tokens = [
        token("CI Deployer", "00Ttoken000000000001"),
        token("ci-deployer", "00Ttoken000000000002"),
        token("backup", "00Ttoken000000000003"),
        token("  ", "00Ttoken000000000004"),
        token("日本", "00Ttoken000000000005"),
    ]

    names = resource_names(tokens)

    assert names == {
        "00Ttoken000000000001": "ci-deployer-00Ttoken000000000001",
        "00Ttoken000000000002": "ci-deployer-00Ttoken000000000002",
        "00Ttoken000000000003": "backup",
        "00Ttoken000000000004": "token-00Ttoken000000000004",
        "00Ttoken000000000005": "token-00Ttoken000000000005",
    }


def test_generated_python_leaves_undeclarable_values_out_and_says_so() -> None:
    odd = token(
        "  ",
        network={
            "connection": "ZONE",
            "include": ["nzoa0000000000000001"],
            "exclude": ["nzob0000000000000001"],
        },
    )

    text = generate([odd], "python", org_url="https://acme.okta.com").text

    call = text[text.index("ApiToken(\n") :]
    assert "name=" not in call and "network=" not in call
    assert "# name not declared" in text and "# network not declared" in text
    compile(text, "__main__.py", "exec")


def test_generate_refuses_a_zone_id_that_is_no_zone_id() -> None:
    odd = token("ci", network={"connection": "ZONE", "include": ["nzob"]})

    with pytest.raises(UntrustedAnswer, match=r"network\.include holds 'nzob', not a zone id"):
        generate([odd], "python", org_url="https://acme.okta.com")


def test_stack_config_leaves_out_a_blank_name() -> None:
    generated = generate([token(" ")], "stack-config", org_url="https://acme.okta.com")

    assert yaml.safe_load(generated.text)["config"]["okta-api-tokens:tokens"] == []
    assert [reason for _, reason in generated.left_out] == [
        "its name is blank, and the program declares each entry's name"
    ]


def test_stack_config_quotes_an_odd_project_name() -> None:
    text = generate([token("ci")], "stack-config", org_url="u", project="my project").text

    assert "my project:tokens" in yaml.safe_load(text)["config"]


# -- main -----------------------------------------------------------------------------------------


def test_main_turns_okta_errors_into_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def limited(settings: Any) -> list[TokenMetadata]:
        raise RateLimited(status=429, error_code="E0000047", error_summary="API call exceeded rate limit")

    monkeypatch.setattr(list_cmd, "fetch_tokens", limited)

    code = main_module.main(
        ["list"], environ={"OKTA_ORG_URL": "https://acme.okta.com", "OKTA_API_TOKEN": "00x"}
    )

    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("pulumi-okta-token list: error: Okta's rate limit stopped the command")


def test_main_reports_an_unexpected_error_in_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(settings: Any) -> list[TokenMetadata]:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(list_cmd, "fetch_tokens", broken)

    code = main_module.main(
        ["list"], environ={"OKTA_ORG_URL": "https://acme.okta.com", "OKTA_API_TOKEN": "00x"}
    )

    assert code == 2
    assert capsys.readouterr().err == "pulumi-okta-token list: error: unexpected RuntimeError: boom\n"


def test_main_stops_quietly_on_interrupt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(settings: Any) -> list[TokenMetadata]:
        raise KeyboardInterrupt

    monkeypatch.setattr(list_cmd, "fetch_tokens", interrupted)

    code = main_module.main(
        ["list"], environ={"OKTA_ORG_URL": "https://acme.okta.com", "OKTA_API_TOKEN": "00x"}
    )

    assert (code, capsys.readouterr().err) == (130, "pulumi-okta-token list: interrupted\n")
