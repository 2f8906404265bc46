"""Reading answers without sending anything: error bodies as typed errors, 404s that are not Okta's
not-found, retry timing."""

from __future__ import annotations

from transport_support import HTML_404

from pulumi_okta_token._transport import _answers
from pulumi_okta_token.errors import NotFound, OktaApiError, ServerError, Unauthorized

# -- error bodies -----------------------------------------------------------------------------


def test_error_status_without_okta_json_keeps_status_and_body() -> None:
    error = _answers.api_error(502, "<html>Bad gateway</html>", method="GET", url="https://x/api")
    assert isinstance(error, ServerError)
    assert error.status == 502
    assert "<html>Bad gateway</html>" in str(error)


def test_error_status_with_an_empty_body_says_so() -> None:
    error = _answers.api_error(503, "")
    assert isinstance(error, ServerError)
    assert "empty body" in str(error)


def test_oauth_error_json_becomes_code_and_summary() -> None:
    error = _answers.api_error(401, '{"error": "invalid_client", "error_description": "Bad assertion."}')
    assert isinstance(error, Unauthorized)
    assert (error.error_code, error.error_summary) == ("invalid_client", "Bad assertion.")


def test_unlisted_error_status_gets_the_base_error_class() -> None:
    error = _answers.api_error(409, '{"errorCode": "E0000999", "errorSummary": "Conflict"}')
    assert type(error) is OktaApiError


# -- Okta's not-found, and 404s that are not it -----------------------------------------------


def test_a_404_with_oktas_error_json_and_e0000007_is_not_found() -> None:
    body = '{"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: 00T1 (Token)"}'
    assert isinstance(_answers.api_error(404, body), NotFound)


def test_an_html_404_is_not_not_found() -> None:
    error = _answers.api_error(
        404, HTML_404, method="GET", url="https://acme.okta.com/api/v1/api-tokens/00T1"
    )
    assert type(error) is OktaApiError
    assert error.status == 404


def test_a_json_404_without_e0000007_is_not_not_found() -> None:
    body = '{"errorCode": "E0000022", "errorSummary": "The endpoint does not support the HTTP method"}'
    error = _answers.api_error(404, body)
    assert type(error) is OktaApiError
    assert error.error_code == "E0000022"


def test_a_404_with_an_oauth_error_is_not_not_found() -> None:
    error = _answers.api_error(404, '{"error": "not_found", "error_description": "Not here."}')
    assert type(error) is OktaApiError


def test_an_empty_404_is_not_not_found() -> None:
    assert type(_answers.api_error(404, "")) is OktaApiError


def test_a_404_that_is_not_oktas_says_so_and_names_the_request_and_the_body() -> None:
    url = "https://acme.okta.com/api/v1/api-tokens/00T1gtr35t8ZbfBfV1d7"
    text = str(_answers.api_error(404, HTML_404, method="DELETE", url=url))
    assert "not Okta's not-found answer" in text
    assert "E0000007" in text
    assert f"DELETE {url}" in text
    assert "<title>404 Not Found</title>" in text


def test_the_body_of_a_404_that_is_not_oktas_is_cut_short() -> None:
    error = _answers.api_error(404, "<html>" + "x" * 100_000 + "</html>", method="GET", url="https://x/a")
    assert len(str(error)) < 600


# -- retry timing -----------------------------------------------------------------------------


def test_rate_limit_reset_is_measured_from_now_without_a_date_header() -> None:
    assert _answers.retry_delay(429, {"X-Rate-Limit-Reset": "1000"}, 0, now=997.5) == 2.5


def test_rate_limit_reset_in_the_past_still_waits_one_second() -> None:
    assert _answers.retry_delay(429, {"X-Rate-Limit-Reset": "1000"}, 0, now=1005.0) == 1.0


def test_a_429_retry_after_of_zero_still_waits_one_second() -> None:
    assert _answers.retry_delay(429, {"Retry-After": "0"}, 0) == 1.0


def test_a_retry_after_of_zero_is_honoured_for_server_errors() -> None:
    assert _answers.retry_delay(503, {"Retry-After": "0"}, 0) == 0.0


def test_the_retried_statuses_are_429_500_502_503_and_504() -> None:
    assert {429, 500, 502, 503, 504} == _answers.RETRYABLE_STATUSES


def test_retry_after_seconds_are_honoured_for_server_errors() -> None:
    assert _answers.retry_delay(503, {"Retry-After": "4"}, 0) == 4.0


def test_backoff_is_capped() -> None:
    assert _answers.retry_delay(503, {}, 10) == 8.0
