"""The request layer, through OktaApiTokens: the Authorization header, error answers as typed errors,
retries and rate-limit waits, the request deadline."""

from __future__ import annotations

import asyncio
import email.utils
import logging
from collections.abc import Callable

import pytest
from transport_support import HTML_404, MISSING_ID, TOKEN_PATHS, StaticServer, api, api_at, statuses

from pulumi_okta_token._settings import AccessTokenAuth, ApiTokenAuth, OktaSettings
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token._transport._loop import run
from pulumi_okta_token._transport._request import OktaRequests
from pulumi_okta_token.errors import (
    Forbidden,
    NotFound,
    OktaApiError,
    OktaTokenError,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationFailed,
)
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

# -- authorization header ---------------------------------------------------------------------


def test_api_token_is_sent_as_ssws_with_a_space(fake_okta: FakeOkta, admin: FakeToken) -> None:
    api(fake_okta, admin).get(admin.id)  # the fake refuses "SSWS<token>" with 401
    assert [(entry.auth_scheme, entry.status) for entry in fake_okta.calls()] == [("SSWS", 200)]


def test_access_token_is_sent_as_bearer_with_a_space(fake_okta: FakeOkta, admin: FakeToken) -> None:
    access_token = fake_okta.org.issue_access_token()
    OktaApiTokens(OktaSettings(org_url=fake_okta.url, auth=AccessTokenAuth(access_token))).get(admin.id)
    assert [(entry.auth_scheme, entry.status) for entry in fake_okta.calls()] == [("Bearer", 200)]


def test_next_pages_carry_the_same_authorization(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.org.add_token(name="second")
    fake_okta.set_page_cap(1)
    api(fake_okta, admin).list()
    assert [entry.auth_scheme for entry in fake_okta.calls("GET")] == ["SSWS", "SSWS"]


# -- any endpoint ---------------------------------------------------------------------------

ZONE_ID = "nzowc1U5Jh5xuAK0o0g3"
ZONE_JSON = '{"id": "nzowc1U5Jh5xuAK0o0g3", "name": "office"}'


def test_send_makes_a_generated_call_of_any_sdk_api_with_the_documented_header(
    static_server: Callable[[int, str, str], StaticServer],
) -> None:
    from okta.api.network_zone_api import NetworkZoneApi

    server = static_server(200, "application/json", ZONE_JSON)
    requests = OktaRequests(OktaSettings(org_url=server.url, auth=ApiTokenAuth("secret")))
    url = requests.url(f"/api/v1/zones/{ZONE_ID}")
    answer = run(
        lambda: requests.send(
            NetworkZoneApi, "GET", url, lambda api, auth: api.get_network_zone(ZONE_ID, _request_auth=auth)
        )
    )
    assert answer.one(dict, "a network zone") == {"id": ZONE_ID, "name": "office"}
    assert (server.requests, server.authorizations) == (
        [("GET", f"/api/v1/zones/{ZONE_ID}")],
        ["SSWS secret"],
    )


def test_get_reads_any_url_of_the_org_without_a_generated_method(
    static_server: Callable[[int, str, str], StaticServer],
) -> None:
    server = static_server(200, "application/json", ZONE_JSON)
    requests = OktaRequests(OktaSettings(org_url=server.url, auth=ApiTokenAuth("secret")))
    answer = run(lambda: requests.get(requests.url(f"/api/v1/zones/{ZONE_ID}")))
    assert answer.one(dict, "a network zone") == {"id": ZONE_ID, "name": "office"}
    assert (server.requests, server.authorizations) == (
        [("GET", f"/api/v1/zones/{ZONE_ID}")],
        ["SSWS secret"],
    )


# -- typed errors -----------------------------------------------------------------------------


def test_get_of_an_unknown_token_raises_not_found_with_okta_error_fields(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    with pytest.raises(NotFound) as caught:
        api(fake_okta, admin).get(MISSING_ID)
    error = caught.value
    assert (error.status, error.error_code) == (404, "E0000007")
    assert MISSING_ID in error.error_summary
    assert error.error_id
    assert f"HTTP 404, E0000007, errorId {error.error_id}" in str(error)


def test_revoke_of_an_unknown_token_raises_not_found(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(NotFound):
        api(fake_okta, admin).revoke(MISSING_ID)


def test_wrong_api_token_raises_unauthorized(fake_okta: FakeOkta, admin: FakeToken) -> None:
    settings = OktaSettings(org_url=fake_okta.url, auth=ApiTokenAuth("not-a-token"))
    with pytest.raises(Unauthorized) as caught:
        OktaApiTokens(settings).get(admin.id)
    assert caught.value.error_code == "E0000011"


def test_access_token_without_manage_scope_raises_forbidden_on_update(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    read_only = fake_okta.org.issue_access_token(scopes=["okta.apiTokens.read"])
    client = OktaApiTokens(OktaSettings(org_url=fake_okta.url, auth=AccessTokenAuth(read_only)))
    with pytest.raises(Forbidden) as caught:
        client.update(admin.id, {"name": "renamed"})
    assert caught.value.error_code == "E0000006"


def test_refused_update_raises_validation_failed_with_error_causes(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        api(fake_okta, admin).update(admin.id, {"name": "   "})
    assert caught.value.status == 400
    assert caught.value.error_causes
    assert "causes:" in str(caught.value)


def test_success_with_a_broken_json_body_raises_a_clear_error(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, malformed=True)
    with pytest.raises(OktaTokenError, match=r"body that is not JSON"):
        api(fake_okta, admin).get(admin.id)


# -- 404s that are not Okta's not-found -------------------------------------------------------


def test_get_answered_by_an_html_404_raises_a_plain_api_error(
    static_server: Callable[[int, str, str], StaticServer], admin: FakeToken
) -> None:
    server = static_server(404, "text/html", HTML_404)
    client = OktaApiTokens(OktaSettings(org_url=server.url, auth=ApiTokenAuth(admin.secret)))
    with pytest.raises(OktaApiError) as caught:
        client.get(admin.id)
    assert not isinstance(caught.value, NotFound)
    assert f"GET {server.url}/api/v1/api-tokens/{admin.id}" in str(caught.value)


def test_revoke_answered_by_an_html_404_raises_a_plain_api_error(
    static_server: Callable[[int, str, str], StaticServer], admin: FakeToken
) -> None:
    server = static_server(404, "text/html", HTML_404)
    client = OktaApiTokens(OktaSettings(org_url=server.url, auth=ApiTokenAuth(admin.secret)))
    with pytest.raises(OktaApiError) as caught:
        client.revoke(admin.id)
    assert not isinstance(caught.value, NotFound)
    assert server.requests == [("DELETE", f"/api/v1/api-tokens/{admin.id}")]


def test_revoke_answered_by_a_json_404_of_another_shape_raises_a_plain_api_error(
    static_server: Callable[[int, str, str], StaticServer], admin: FakeToken
) -> None:
    server = static_server(404, "application/json", '{"message": "no route"}')
    client = OktaApiTokens(OktaSettings(org_url=server.url, auth=ApiTokenAuth(admin.secret)))
    with pytest.raises(OktaApiError) as caught:
        client.revoke(admin.id)
    assert not isinstance(caught.value, NotFound)


# -- retries ----------------------------------------------------------------------------------


def test_one_503_then_success_makes_two_requests(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503)
    assert api(fake_okta, admin).get(admin.id).id == admin.id
    assert statuses(fake_okta, "GET") == [503, 200]


@pytest.mark.parametrize("status", [500, 504])
def test_500_and_504_are_retried(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float], status: int
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=status)
    api(fake_okta, admin).get(admin.id)
    assert statuses(fake_okta, "GET") == [status, 200]


def test_a_502_is_retried_like_the_other_server_errors(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=502)
    assert api(fake_okta, admin).get(admin.id).id == admin.id
    assert statuses(fake_okta, "GET") == [502, 200]


def test_retries_stop_at_max_retries_with_server_error(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503, times=3)
    with pytest.raises(ServerError):
        api(fake_okta, admin, max_retries=1).get(admin.id)
    assert statuses(fake_okta, "GET") == [503, 503]


def test_sdk_retries_do_not_multiply_ours(fake_okta: FakeOkta, admin: FakeToken, waits: list[float]) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503, times=None)
    with pytest.raises(ServerError):
        api(fake_okta, admin, max_retries=2).get(admin.id)
    assert len(fake_okta.calls("GET")) == 3


def test_zero_max_retries_makes_one_request(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503)
    with pytest.raises(ServerError):
        api(fake_okta, admin, max_retries=0).get(admin.id)
    assert statuses(fake_okta, "GET") == [503]


def test_server_errors_back_off_exponentially(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503, times=3)
    api(fake_okta, admin, max_retries=3).get(admin.id)
    assert waits == [0.5, 1.0, 2.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_not_retried(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float], status: int
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=status)
    with pytest.raises(OktaApiError):
        api(fake_okta, admin).get(admin.id)
    assert statuses(fake_okta, "GET") == [status]


def test_revoke_is_retried_after_a_503(fake_okta: FakeOkta, admin: FakeToken, waits: list[float]) -> None:
    token = fake_okta.org.add_token(name="doomed")
    fake_okta.inject_fault("DELETE", TOKEN_PATHS, status=503)
    api(fake_okta, admin).revoke(token.id)
    assert statuses(fake_okta, "DELETE") == [503, 204]


def test_429_waits_until_the_rate_limit_reset_by_the_servers_clock(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    server_now = 1_900_000_000
    headers = {
        "Date": email.utils.formatdate(server_now, usegmt=True),
        "X-Rate-Limit-Reset": str(server_now + 7),
    }
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, headers=headers)
    api(fake_okta, admin).get(admin.id)
    assert waits == [7.0]
    assert statuses(fake_okta, "GET") == [429, 200]


def test_429_without_date_and_reset_headers_is_retried_not_a_crash(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, reset_headers=False)
    api(fake_okta, admin).get(admin.id)
    assert statuses(fake_okta, "GET") == [429, 200]


def test_a_429_without_date_and_reset_headers_waits_at_least_a_second(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, reset_headers=False)
    api(fake_okta, admin).get(admin.id)
    assert waits == [1.0]


def test_a_429_resetting_at_the_date_second_waits_one_second(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429)  # X-Rate-Limit-Reset == Date
    api(fake_okta, admin).get(admin.id)
    assert waits == [1.0]


def test_repeated_429s_resetting_now_never_retry_faster_than_once_a_second(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, times=None)
    with pytest.raises(RateLimited):
        api(fake_okta, admin, max_retries=5).get(admin.id)
    assert waits == [1.0] * 5


def test_429s_that_reset_now_are_retries_bounded_by_the_request_timeout(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, times=None)  # X-Rate-Limit-Reset == Date
    with pytest.raises(RateLimited):
        api(fake_okta, admin, max_retries=10, request_timeout=2.5).get(admin.id)
    assert len(fake_okta.calls("GET")) <= 3  # one a second at most, for 2.5 s


def test_a_429_resetting_after_the_request_timeout_is_waited_out_not_failed(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    server_now = 1_900_000_000
    headers = {
        "Date": email.utils.formatdate(server_now, usegmt=True),
        "X-Rate-Limit-Reset": str(server_now + 60),
    }
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, headers=headers)
    assert api(fake_okta, admin, request_timeout=10).get(admin.id).id == admin.id
    assert waits == [60.0]
    assert statuses(fake_okta, "GET") == [429, 200]


def test_429s_with_a_reset_to_come_do_not_use_up_max_retries(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    server_now = 1_900_000_000
    headers = {
        "Date": email.utils.formatdate(server_now, usegmt=True),
        "X-Rate-Limit-Reset": str(server_now + 60),
    }
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, headers=headers, times=3)
    assert api(fake_okta, admin, max_retries=1).get(admin.id).id == admin.id
    assert statuses(fake_okta, "GET") == [429, 429, 429, 200]


def test_a_429_resetting_after_the_rate_limit_wait_raises_rate_limited_at_once_naming_the_setting(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    server_now = 1_900_000_000
    headers = {
        "Date": email.utils.formatdate(server_now, usegmt=True),
        "X-Rate-Limit-Reset": str(server_now + 60),
    }
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, headers=headers)
    with pytest.raises(RateLimited, match=r"okta:rateLimitWait \(10 s of waiting per call") as caught:
        api(fake_okta, admin, rate_limit_wait=10).get(admin.id)
    assert (caught.value.status, caught.value.error_code) == (429, "E0000047")
    assert caught.value.error_id
    assert waits == []
    assert statuses(fake_okta, "GET") == [429]


def test_an_exhausted_rate_limit_with_no_waiting_allowed_raises_rate_limited_without_sending(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.set_rate_limit(1)
    client = api(fake_okta, admin, rate_limit_wait=0)
    client.get(admin.id)
    with pytest.raises(RateLimited, match=r"okta:rateLimitWait.*nothing was sent") as caught:
        client.get(admin.id)
    assert caught.value.status == 429
    assert statuses(fake_okta, "GET") == [200]


# -- the deadline -----------------------------------------------------------------------------


def test_slow_answer_past_the_request_timeout_raises_transport_error(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, latency=3.0)
    with pytest.raises(TransportError, match=r"within 0.2 s \(okta:requestTimeout\)") as caught:
        api_at(fake_okta.url, admin.secret, request_timeout=0.2).get(admin.id)
    assert isinstance(caught.value.__cause__, asyncio.TimeoutError)


def test_request_timeout_zero_sets_no_limit_as_in_pulumi_okta(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.inject_fault("GET", TOKEN_PATHS, latency=0.5)

    assert api_at(fake_okta.url, admin.secret, request_timeout=0).get(admin.id).id == admin.id


# -- logging ----------------------------------------------------------------------------------


def test_no_log_line_at_any_level_holds_the_api_token(
    fake_okta: FakeOkta, admin: FakeToken, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = api_at(fake_okta.url, admin.secret, max_retries=1)
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=503)
    client.get(admin.id)
    client.list()
    client.update(admin.id, {"name": "renamed"})
    with pytest.raises(OktaTokenError):
        client.get("00T0000000000000000x")
    assert caplog.records, "debug logging was captured"
    assert admin.secret not in caplog.text
    assert "Authorization" not in caplog.text
