"""OktaApiTokens against the fake Okta: the four calls, auth headers, typed errors, retries, paging."""

from __future__ import annotations

import email.utils
import http.server
import threading
from collections.abc import Callable, Iterator
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
    WrongTokenAnswer,
)
from pulumi_okta_token.models import NetworkCondition, TokenMetadata, update_body
from pulumi_okta_token.okta_api import OktaApiTokens
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.backend import FakeToken

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


class StaticServer:
    """Answers every request with one fixed status, content type and body, as a proxy or CDN in front
    of the org might; records each request as ``(method, path)``."""

    def __init__(self, status: int, content_type: str, body: str) -> None:
        self.requests: list[tuple[str, str]] = []
        payload = body.encode()
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                requests.append((self.command, self.path))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_DELETE = answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def static_server() -> Iterator[Callable[[int, str, str], StaticServer]]:
    """Start servers that answer every request alike; stopped after the test."""
    servers: list[StaticServer] = []

    def start(status: int, content_type: str, body: str) -> StaticServer:
        servers.append(StaticServer(status, content_type, body))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


HTML_404 = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


def answer_with(okta: FakeOkta, monkeypatch: pytest.MonkeyPatch, other_id: str) -> None:
    """Make the fake answer GET and PUT of any token with ``other_id``'s JSON, changing nothing (a
    misrouting proxy or cache)."""
    real_token = okta.org.token
    monkeypatch.setattr(okta.org, "token", lambda token_id: real_token(token_id) and real_token(other_id))
    monkeypatch.setattr(okta.org, "apply_update", lambda token_id, body: real_token(other_id))


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
    error = okta_api.api_error(503, "")
    assert isinstance(error, ServerError)
    assert "empty body" in str(error)


# -- Okta's not-found, and 404s that are not it ----------------------------------------------


def test_a_404_with_oktas_error_json_and_e0000007_is_not_found() -> None:
    body = '{"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: 00T1 (Token)"}'
    assert isinstance(okta_api.api_error(404, body), NotFound)


def test_an_html_404_is_not_not_found() -> None:
    error = okta_api.api_error(
        404, HTML_404, method="GET", url="https://acme.okta.com/api/v1/api-tokens/00T1"
    )
    assert type(error) is OktaApiError
    assert error.status == 404


def test_a_json_404_without_e0000007_is_not_not_found() -> None:
    body = '{"errorCode": "E0000022", "errorSummary": "The endpoint does not support the HTTP method"}'
    error = okta_api.api_error(404, body)
    assert type(error) is OktaApiError
    assert error.error_code == "E0000022"


def test_a_404_with_an_oauth_error_is_not_not_found() -> None:
    error = okta_api.api_error(404, '{"error": "not_found", "error_description": "Not here."}')
    assert type(error) is OktaApiError


def test_an_empty_404_is_not_not_found() -> None:
    assert type(okta_api.api_error(404, "")) is OktaApiError


def test_a_404_that_is_not_oktas_says_so_and_names_the_request_and_the_body() -> None:
    url = "https://acme.okta.com/api/v1/api-tokens/00T1gtr35t8ZbfBfV1d7"
    text = str(okta_api.api_error(404, HTML_404, method="DELETE", url=url))
    assert "not Okta's not-found answer" in text
    assert "E0000007" in text
    assert f"DELETE {url}" in text
    assert "<title>404 Not Found</title>" in text


def test_the_body_of_a_404_that_is_not_oktas_is_cut_short() -> None:
    error = okta_api.api_error(404, "<html>" + "x" * 100_000 + "</html>", method="GET", url="https://x/a")
    assert len(str(error)) < 600


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


def test_rate_limit_reset_in_the_past_still_waits_one_second() -> None:
    assert okta_api.retry_delay(429, {"X-Rate-Limit-Reset": "1000"}, 0, now=1005.0) == 1.0


def test_a_429_retry_after_of_zero_still_waits_one_second() -> None:
    assert okta_api.retry_delay(429, {"Retry-After": "0"}, 0) == 1.0


def test_a_retry_after_of_zero_is_honoured_for_server_errors() -> None:
    assert okta_api.retry_delay(503, {"Retry-After": "0"}, 0) == 0.0


def test_the_retried_statuses_are_429_500_502_503_and_504() -> None:
    assert {429, 500, 502, 503, 504} == okta_api.RETRYABLE_STATUSES


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

    with pytest.raises(OktaApiError, match=r"HTTP 404"):
        okta_api._unpack((None, None, HTTPError("https://x", _Response(), "<html>")))


def test_sdk_http_error_for_a_non_json_404_is_not_not_found() -> None:
    from okta.errors.http_error import HTTPError

    with pytest.raises(OktaApiError) as caught:
        okta_api._unpack((None, None, HTTPError("https://x", _Response(), "<html>")))
    assert not isinstance(caught.value, NotFound)
    assert "not Okta's not-found answer" in str(caught.value)


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


# -- answers about another token -------------------------------------------------------------


def test_get_answered_with_another_tokens_json_raises_wrong_token_answer(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        api(fake_okta, admin).get(asked.id)
    error = caught.value
    url = f"{fake_okta.url}/api/v1/api-tokens/{asked.id}"
    assert (error.asked_id, error.answered_id, error.method, error.url) == (asked.id, other.id, "GET", url)


def test_a_wrong_token_answer_names_both_ids_the_method_and_the_url(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        api(fake_okta, admin).get(asked.id)
    text = str(caught.value)
    assert asked.id in text
    assert other.id in text
    assert f"GET {fake_okta.url}/api/v1/api-tokens/{asked.id}" in text


def test_update_answered_with_another_tokens_json_raises_wrong_token_answer(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer) as caught:
        api(fake_okta, admin).update(asked.id, {"name": "renamed"})
    error = caught.value
    assert (error.asked_id, error.answered_id, error.method) == (asked.id, other.id, "PUT")


def test_a_wrong_token_answer_is_not_retried(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, other = fake_okta.org.add_token(name="asked"), fake_okta.org.add_token(name="other")
    answer_with(fake_okta, monkeypatch, other.id)
    with pytest.raises(WrongTokenAnswer):
        api(fake_okta, admin).update(asked.id, {"name": "renamed"})
    assert [(entry.method, entry.path) for entry in fake_okta.calls()] == [
        ("PUT", f"/api/v1/api-tokens/{asked.id}")
    ]


# -- ids that are not token ids --------------------------------------------------------------

NOT_TOKEN_IDS = [
    "",
    "..",
    "00T1gtr35t8ZbfBfV1d7\n",
    "00T1gtr35t8ZbfBfV1d",
    "00T1gtr35t8ZbfBfV1d7x",
    "00u1gtr35t8ZbfBfV1d7",
    "00T1gtr35t8ZbfBfV1d/",
    "00T1gtr35t8ZbfBfV1d7/../../users",
    "00T1gtr35t8ZbfBfV1d7?limit=1",
    "00T1gtr35t8ZbfBfV1\u00e97",
]
ID_SHAPE = r"'00T' followed by 17 letters or digits"


@pytest.mark.parametrize("token_id", NOT_TOKEN_IDS)
def test_get_refuses_an_id_that_is_not_a_token_id(
    fake_okta: FakeOkta, admin: FakeToken, token_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        api(fake_okta, admin).get(token_id)
    assert fake_okta.calls() == []


@pytest.mark.parametrize("token_id", NOT_TOKEN_IDS)
def test_update_refuses_an_id_that_is_not_a_token_id(
    fake_okta: FakeOkta, admin: FakeToken, token_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        api(fake_okta, admin).update(token_id, {"name": "renamed"})
    assert fake_okta.calls() == []


@pytest.mark.parametrize("token_id", NOT_TOKEN_IDS)
def test_revoke_refuses_an_id_that_is_not_a_token_id(
    fake_okta: FakeOkta, admin: FakeToken, token_id: str
) -> None:
    with pytest.raises(OktaTokenError, match=ID_SHAPE):
        api(fake_okta, admin).revoke(token_id)
    assert fake_okta.calls() == []


def test_a_refused_id_is_cut_to_a_readable_length(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(OktaTokenError) as caught:
        api(fake_okta, admin).revoke("00T" + "x" * 1_000_000)
    assert len(str(caught.value)) < 300


def test_a_refused_id_shows_characters_that_do_not_print(fake_okta: FakeOkta, admin: FakeToken) -> None:
    with pytest.raises(OktaTokenError) as caught:
        api(fake_okta, admin).get("00T1gtr35t8ZbfBfV1d7\n")
    assert "'00T1gtr35t8ZbfBfV1d7\\n'" in str(caught.value)
