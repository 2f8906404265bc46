"""The Okta-SDK adapter: no answer as TransportError, no redirects, no okta.yaml or process-wide
switch, the SDK's logging left alone, its result tuples read, its cheap import path."""

from __future__ import annotations

import http.client
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from transport_support import TOKEN_PATHS, api_at, closed_port

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token._transport import _sdk
from pulumi_okta_token.errors import NotFound, OktaApiError, OktaTokenError, TransportError
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.backend import FakeToken

# -- no answer: TransportError with the cause -------------------------------------------------


def test_refused_connection_raises_transport_error_with_the_cause() -> None:
    with pytest.raises(TransportError, match=r"cannot connect") as caught:
        api_at(f"http://127.0.0.1:{closed_port()}", "secret").get("00T1gtr35t8ZbfBfV1d7")
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
    assert caught.value.method == "GET"


def test_dropped_connection_raises_transport_error_with_the_cause(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, drop=True)
    with pytest.raises(TransportError, match=r"dropped") as caught:
        api_at(fake_okta.url, admin.secret).get(admin.id)
    assert isinstance(caught.value.__cause__, aiohttp.ClientError)


def test_transport_failures_are_not_retried(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, drop=True)
    with pytest.raises(TransportError):
        api_at(fake_okta.url, admin.secret).get(admin.id)
    assert len(fake_okta.calls("GET")) == 1


def test_redirects_are_not_followed(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=302, headers={"Location": "http://127.0.0.1:9/steal"})
    with pytest.raises(OktaTokenError, match=r"HTTP 302"):
        api_at(fake_okta.url, admin.secret).get(admin.id)


# -- no process-wide switches, no okta.yaml ---------------------------------------------------


def test_plain_http_to_loopback_works_without_the_sdks_testing_switch(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", raising=False)
    assert api_at(fake_okta.url, admin.secret).get(admin.id).id == admin.id
    assert "OKTA_TESTING_TESTINGDISABLEHTTPSCHECK" not in __import__("os").environ


def test_okta_yaml_files_and_sdk_variables_do_not_override_the_settings(
    fake_okta: FakeOkta, admin: FakeToken, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    yaml = "okta:\n  client:\n    orgUrl: https://elsewhere.okta.com\n    token: wrong-token\n"
    (tmp_path / ".okta").mkdir()
    (tmp_path / ".okta" / "okta.yaml").write_text(yaml)
    (tmp_path / "okta.yaml").write_text(yaml)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OKTA_CLIENT_ORGURL", "https://elsewhere.okta.com")
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", "wrong-token")
    assert api_at(fake_okta.url, admin.secret).get(admin.id).id == admin.id
    assert [entry.auth_scheme for entry in fake_okta.calls()] == ["SSWS"]


# -- logging ----------------------------------------------------------------------------------


def test_the_sdk_logger_stays_silent(
    fake_okta: FakeOkta, admin: FakeToken, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(OktaTokenError):
        api_at(fake_okta.url, admin.secret).get("00T0000000000000000x")
    assert [record for record in caplog.records if record.name.startswith("okta")] == []


def test_logging_configuration_is_left_as_it_was(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    loggers = [logging.getLogger(name) for name in ("okta-sdk-python", "okta", "urllib3")]
    levels = [lg.level for lg in loggers]
    monkeypatch.setattr(http.client.HTTPConnection, "debuglevel", 1)  # the SDK's Configuration() sets 0
    try:
        for lg in loggers:  # ... and okta and urllib3 to WARNING
            lg.setLevel(logging.DEBUG)
        before = [(lg.level, lg.disabled, list(lg.handlers)) for lg in loggers]
        api_at(fake_okta.url, admin.secret).get(admin.id)
        assert [(lg.level, lg.disabled, list(lg.handlers)) for lg in loggers] == before
        assert http.client.HTTPConnection.debuglevel == 1
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


# -- SDK result shapes ------------------------------------------------------------------------


class _Response:
    status = 404
    headers: dict[str, str] = {}  # noqa: RUF012


def _okta_api_error() -> Any:
    from okta.errors.okta_api_error import OktaAPIError

    body = {"errorCode": "E0000007", "errorSummary": "Not found", "errorId": "oae1", "errorCauses": []}
    return OktaAPIError("https://x/api/v1/api-tokens/1", _Response(), body)


def test_sdk_three_tuple_with_an_okta_api_error_raises_the_typed_error() -> None:
    with pytest.raises(NotFound) as caught:
        _sdk.unpack((None, _Response(), _okta_api_error()))
    assert (caught.value.error_code, caught.value.error_id) == ("E0000007", "oae1")


def test_sdk_revoke_two_tuple_with_an_error_raises_the_typed_error() -> None:
    with pytest.raises(NotFound):
        _sdk.unpack((_Response(), _okta_api_error()))


def test_sdk_http_error_for_a_non_json_body_raises_the_typed_error() -> None:
    from okta.errors.http_error import HTTPError

    with pytest.raises(OktaApiError, match=r"HTTP 404"):
        _sdk.unpack((None, None, HTTPError("https://x", _Response(), "<html>")))


def test_sdk_http_error_for_a_non_json_404_is_not_not_found() -> None:
    from okta.errors.http_error import HTTPError

    with pytest.raises(OktaApiError) as caught:
        _sdk.unpack((None, None, HTTPError("https://x", _Response(), "<html>")))
    assert not isinstance(caught.value, NotFound)
    assert "not Okta's not-found answer" in str(caught.value)


def test_sdk_success_tuple_gives_its_data() -> None:
    token = TokenMetadata(id="00T1gtr35t8ZbfBfV1d7")
    assert _sdk.unpack((token, _Response(), None)) is token


def test_sdk_error_without_a_status_is_still_an_okta_token_error() -> None:
    with pytest.raises(OktaTokenError, match=r"ValueError: boom"):
        _sdk.unpack((None, None, ValueError("boom")))


# -- import cost and path ---------------------------------------------------------------------


@pytest.mark.parametrize("module", ["pulumi_okta_token", "pulumi_okta_token._transport"])
def test_importing_does_not_load_okta_client(module: str) -> None:
    code = f"import sys, {module}; print('okta.client' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_the_sdk_is_reached_through_api_token_api(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    from okta.api.api_token_api import ApiTokenApi

    called: list[type] = []
    generated = ApiTokenApi.get_api_token

    async def spy(self: ApiTokenApi, *args: Any, **kwargs: Any) -> Any:
        called.append(type(self))
        return await generated(self, *args, **kwargs)

    monkeypatch.setattr(ApiTokenApi, "get_api_token", spy)
    api_at(fake_okta.url, admin.secret).get(admin.id)
    assert called == [ApiTokenApi]
