"""OktaApiTokens against the fake Okta: the four calls, auth headers, typed errors, retries, paging."""

from __future__ import annotations

import email.utils
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_okta_token import okta_api
from pulumi_okta_token.config import AccessTokenAuth, ApiTokenAuth, OktaSettings
from pulumi_okta_token.errors import (
    Forbidden,
    NotFound,
    OktaApiError,
    OktaTokenError,
    RateLimited,
    ServerError,
    Unauthorized,
    ValidationFailed,
)
from pulumi_okta_token.models import NetworkCondition, TokenMetadata, update_body
from pulumi_okta_token.okta_api import OktaApiTokens
from pulumi_okta_token.testing import FakeOkta, FakeToken

MISSING_ID = "00T0000000000000000x"
TOKEN_PATHS = "/api/v1/api-tokens/*"


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Retry waits, recorded instead of slept."""
    recorded: list[float] = []

    async def record(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(okta_api, "_sleep", record)
    yield recorded


@pytest.fixture
def admin(fake_okta: FakeOkta) -> FakeToken:
    """The API token the tests authenticate with."""
    return fake_okta.org.add_token(name="admin")


def api(okta: FakeOkta, admin: FakeToken, **limits: Any) -> OktaApiTokens:
    return OktaApiTokens(OktaSettings(org_url=okta.url, auth=ApiTokenAuth(admin.secret), **limits))


def statuses(okta: FakeOkta, method: str, path: str = TOKEN_PATHS) -> list[int]:
    return [entry.status for entry in okta.calls(method, path)]


# -- the four calls -------------------------------------------------------------------------


def test_get_returns_the_live_token_metadata(fake_okta: FakeOkta, admin: FakeToken) -> None:
    token = fake_okta.org.add_token(name="ci-deployer")
    assert api(fake_okta, admin).get(token.id) == fake_okta.org.token(token.id)


def test_get_makes_exactly_one_request(fake_okta: FakeOkta, admin: FakeToken) -> None:
    api(fake_okta, admin).get(admin.id)
    assert len(fake_okta.calls()) == 1


def test_get_parses_a_null_name_and_odd_token_window_the_sdk_model_refuses(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    odd = fake_okta.org.add_token(name=None, token_window="thirty days")  # type: ignore[arg-type]
    token = api(fake_okta, admin).get(odd.id)
    assert (token.name, token.token_window) == (None, "thirty days")


def test_list_returns_every_active_token(fake_okta: FakeOkta, admin: FakeToken) -> None:
    other = fake_okta.org.add_token(name="other")
    assert [token.id for token in api(fake_okta, admin).list()] == [admin.id, other.id]


def test_list_follows_next_links_page_by_page(fake_okta: FakeOkta, admin: FakeToken) -> None:
    for number in range(4):
        fake_okta.org.add_token(name=f"token-{number}")
    fake_okta.set_page_size(2)
    tokens = api(fake_okta, admin).list()
    assert [token.id for token in tokens] == [token.id for token in fake_okta.org.tokens()]
    assert len(tokens) == 5
    assert len(fake_okta.calls("GET", "/api/v1/api-tokens")) == 3


def test_update_puts_the_body_and_returns_the_updated_token(fake_okta: FakeOkta, admin: FakeToken) -> None:
    zone = fake_okta.org.add_zone(name="office")
    token = fake_okta.org.add_token(name="old")
    body = update_body("new", None, NetworkCondition(connection="ZONE", include=(zone,)))
    updated = api(fake_okta, admin).update(token.id, body)
    assert (updated.name, updated.network) == ("new", NetworkCondition(connection="ZONE", include=(zone,)))
    assert [entry.body for entry in fake_okta.calls("PUT", TOKEN_PATHS)] == [body]


def test_revoke_deletes_the_token_with_one_request(fake_okta: FakeOkta, admin: FakeToken) -> None:
    token = fake_okta.org.add_token(name="doomed")
    api(fake_okta, admin).revoke(token.id)
    assert fake_okta.org.token(token.id) is None
    assert statuses(fake_okta, "DELETE") == [204]


# -- authorization header -------------------------------------------------------------------


def test_api_token_is_sent_as_ssws_with_a_space(fake_okta: FakeOkta, admin: FakeToken) -> None:
    api(fake_okta, admin).get(admin.id)  # the fake refuses "SSWS<token>" with 401
    assert [(entry.auth_scheme, entry.status) for entry in fake_okta.calls()] == [("SSWS", 200)]


def test_access_token_is_sent_as_bearer_with_a_space(fake_okta: FakeOkta, admin: FakeToken) -> None:
    access_token = fake_okta.org.issue_access_token()
    OktaApiTokens(OktaSettings(org_url=fake_okta.url, auth=AccessTokenAuth(access_token))).get(admin.id)
    assert [(entry.auth_scheme, entry.status) for entry in fake_okta.calls()] == [("Bearer", 200)]


def test_next_pages_carry_the_same_authorization(fake_okta: FakeOkta, admin: FakeToken) -> None:
    fake_okta.org.add_token(name="second")
    fake_okta.set_page_size(1)
    api(fake_okta, admin).list()
    assert [entry.auth_scheme for entry in fake_okta.calls("GET")] == ["SSWS", "SSWS"]


# -- typed errors ---------------------------------------------------------------------------


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


def test_error_status_without_okta_json_keeps_status_and_body() -> None:
    error = okta_api.api_error(502, "<html>Bad gateway</html>", method="GET", url="https://x/api")
    assert isinstance(error, ServerError)
    assert error.status == 502
    assert "<html>Bad gateway</html>" in str(error)


def test_error_status_with_an_empty_body_says_so() -> None:
    error = okta_api.api_error(404, "")
    assert isinstance(error, NotFound)
    assert "empty body" in str(error)


def test_oauth_error_json_becomes_code_and_summary() -> None:
    error = okta_api.api_error(401, '{"error": "invalid_client", "error_description": "Bad assertion."}')
    assert isinstance(error, Unauthorized)
    assert (error.error_code, error.error_summary) == ("invalid_client", "Bad assertion.")


def test_unlisted_error_status_gets_the_base_error_class() -> None:
    error = okta_api.api_error(409, '{"errorCode": "E0000999", "errorSummary": "Conflict"}')
    assert type(error) is OktaApiError


# -- retries --------------------------------------------------------------------------------


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
    assert waits == [0.5]


def test_429_resetting_after_the_request_timeout_raises_rate_limited_at_once(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    server_now = 1_900_000_000
    headers = {
        "Date": email.utils.formatdate(server_now, usegmt=True),
        "X-Rate-Limit-Reset": str(server_now + 60),
    }
    fake_okta.inject_fault("GET", TOKEN_PATHS, status=429, headers=headers)
    with pytest.raises(RateLimited) as caught:
        api(fake_okta, admin, request_timeout=10).get(admin.id)
    assert caught.value.error_code == "E0000047"
    assert waits == []
    assert statuses(fake_okta, "GET") == [429]


def test_an_exhausted_rate_limit_raises_rate_limited_with_okta_fields(
    fake_okta: FakeOkta, admin: FakeToken, waits: list[float]
) -> None:
    fake_okta.set_rate_limit(1)
    client = api(fake_okta, admin)
    client.get(admin.id)
    with pytest.raises(RateLimited) as caught:
        client.get(admin.id)
    assert (caught.value.status, caught.value.error_code) == (429, "E0000047")


def test_rate_limit_reset_is_measured_from_now_without_a_date_header() -> None:
    assert okta_api.retry_delay(429, {"X-Rate-Limit-Reset": "1000"}, 0, now=997.5) == 2.5


def test_rate_limit_reset_in_the_past_means_no_wait() -> None:
    assert okta_api.retry_delay(429, {"X-Rate-Limit-Reset": "1000"}, 0, now=1005.0) == 0.0


def test_retry_after_seconds_are_honoured_for_server_errors() -> None:
    assert okta_api.retry_delay(503, {"Retry-After": "4"}, 0) == 4.0


def test_backoff_is_capped() -> None:
    assert okta_api.retry_delay(503, {}, 10) == 8.0


# -- SDK result shapes ----------------------------------------------------------------------


class _Response:
    status = 404
    headers: dict[str, str] = {}  # noqa: RUF012


def _okta_api_error() -> Any:
    from okta.errors.okta_api_error import OktaAPIError

    body = {"errorCode": "E0000007", "errorSummary": "Not found", "errorId": "oae1", "errorCauses": []}
    return OktaAPIError("https://x/api/v1/api-tokens/1", _Response(), body)


def test_sdk_three_tuple_with_an_okta_api_error_raises_the_typed_error() -> None:
    with pytest.raises(NotFound) as caught:
        okta_api._unpack((None, _Response(), _okta_api_error()))
    assert (caught.value.error_code, caught.value.error_id) == ("E0000007", "oae1")


def test_sdk_revoke_two_tuple_with_an_error_raises_the_typed_error() -> None:
    with pytest.raises(NotFound):
        okta_api._unpack((_Response(), _okta_api_error()))


def test_sdk_http_error_for_a_non_json_body_raises_the_typed_error() -> None:
    from okta.errors.http_error import HTTPError

    with pytest.raises(NotFound, match=r"HTTP 404"):
        okta_api._unpack((None, None, HTTPError("https://x", _Response(), "<html>")))


def test_sdk_success_tuple_gives_its_data() -> None:
    token = TokenMetadata(id="00T1gtr35t8ZbfBfV1d7")
    assert okta_api._unpack((token, _Response(), None)) is token


def test_sdk_error_without_a_status_is_still_an_okta_token_error() -> None:
    with pytest.raises(OktaTokenError, match=r"ValueError: boom"):
        okta_api._unpack((None, None, ValueError("boom")))


# -- answers that are not what was asked for -------------------------------------------------


class _Answer:
    method, url, status = "GET", "https://acme.okta.com/api/v1/api-tokens/00T1", 200
    links: dict[str, Any] = {}  # noqa: RUF012


def test_json_that_is_not_a_token_is_a_clear_error() -> None:
    with pytest.raises(OktaTokenError, match=r"JSON that is not an API token \(id: Field required\)"):
        okta_api._parse_body("ApiToken", '{"name": "x"}', _Answer())


def test_json_that_is_not_a_list_of_tokens_is_a_clear_error() -> None:
    with pytest.raises(OktaTokenError, match=r"not a list of API tokens \(expected an array, got dict\)"):
        okta_api._parse_body("List[ApiToken]", '{"id": "00T1"}', _Answer())


def test_an_empty_success_body_is_a_clear_error() -> None:
    with pytest.raises(OktaTokenError, match=r"empty body where TokenMetadata was expected"):
        okta_api._expect(None, TokenMetadata, "GET", "https://acme.okta.com/api/v1/api-tokens/00T1")


def test_update_body_the_sdk_cannot_take_is_refused_before_sending(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    with pytest.raises(OktaTokenError, match=r"not an ApiTokenUpdate"):
        api(fake_okta, admin).update(admin.id, {"name": 5})
    assert fake_okta.calls("PUT") == []


def test_a_next_link_to_another_host_is_not_followed() -> None:
    client = OktaApiTokens(OktaSettings(org_url="https://acme.okta.com", auth=ApiTokenAuth("s")))
    with pytest.raises(OktaTokenError, match=r"leaves the org"):
        client._check_next_url("https://evil.example/api/v1/api-tokens?after=x", set())


def test_a_next_link_seen_before_stops_the_listing() -> None:
    client = OktaApiTokens(OktaSettings(org_url="https://acme.okta.com", auth=ApiTokenAuth("s")))
    seen = {"https://acme.okta.com/api/v1/api-tokens?after=x"}
    with pytest.raises(OktaTokenError, match=r"loop back"):
        client._check_next_url("https://acme.okta.com/api/v1/api-tokens?after=x", seen)
