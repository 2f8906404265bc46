"""What tests control: rate limits, list paging, injected faults, the journal, reset."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
from fake_okta_support import TOKENS, Api, SpecChecker, next_link
from seeded_org import Org

from pulumi_okta_token.testing import FakeOkta

NOW = datetime(2026, 3, 1, 10, 0, 20, tzinfo=timezone.utc)


@pytest.fixture
def frozen(checker: SpecChecker | None) -> Iterator[Api]:
    """A fake whose clock stands still, so a rate-limit window never rolls over mid-test."""
    with FakeOkta(clock=lambda: NOW) as okta:
        yield Api(okta, checker)


def admin(api: Api) -> str:
    return "SSWS " + api.okta.org.add_token(name="admin").secret


# -- rate limits ----------------------------------------------------------------------------


def test_every_answer_carries_the_rate_limit_headers(frozen: Api) -> None:
    answer = frozen.call("GET", TOKENS, auth=admin(frozen))
    assert answer.header("X-Rate-Limit-Limit") == "300"
    assert answer.header("X-Rate-Limit-Remaining") == "299"
    assert answer.header("X-Rate-Limit-Reset") == str(int(NOW.timestamp()) - 20 + 60)


def test_error_answers_count_and_carry_the_rate_limit_headers_too(frozen: Api) -> None:
    answer = frozen.call("GET", TOKENS, auth="SSWS wrong")
    assert answer.status == 401 and answer.header("X-Rate-Limit-Remaining") == "299"


def test_past_the_limit_the_answer_is_429_with_oktas_error(frozen: Api) -> None:
    auth = admin(frozen)
    frozen.okta.set_rate_limit(2)
    remaining = [frozen.call("GET", TOKENS, auth=auth).header("X-Rate-Limit-Remaining") for _ in range(2)]
    answer = frozen.call("GET", TOKENS, auth=auth)
    assert remaining == ["1", "0"]
    assert answer.status == 429 and answer.data["errorCode"] == "E0000047"
    assert answer.data["errorSummary"] == "API call exceeded rate limit due to too many requests."
    assert answer.header("X-Rate-Limit-Remaining") == "0" and answer.header("X-Rate-Limit-Reset")


def test_a_rate_limited_request_changes_nothing(frozen: Api) -> None:
    auth = admin(frozen)
    token = frozen.okta.org.add_token()
    frozen.okta.set_rate_limit(1)
    frozen.call("GET", TOKENS, auth=auth)
    assert frozen.call("DELETE", f"{TOKENS}/{token.id}", auth=auth).status == 429
    assert frozen.okta.org.token(token.id) is not None


def test_the_bucket_refills_in_the_next_minute(checker: SpecChecker | None) -> None:
    now = [NOW]
    with FakeOkta(rate_limit=1, clock=lambda: now[0]) as okta:
        api = Api(okta, checker)
        statuses = [api.call("GET", TOKENS).status for _ in range(2)]
        now[0] = NOW.replace(minute=1)
        statuses.append(api.call("GET", TOKENS).status)
    assert statuses == [401, 429, 401]


def test_the_token_endpoint_has_its_own_bucket(frozen: Api) -> None:
    auth = admin(frozen)
    frozen.okta.set_rate_limit(1)
    frozen.call("GET", TOKENS, auth=auth)
    answer = frozen.call(
        "POST", "/oauth2/v1/token", raw=b"grant_type=x", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status == 400 and answer.header("X-Rate-Limit-Remaining") == "0"


def test_rate_limits_can_be_switched_off(frozen: Api) -> None:
    auth = admin(frozen)
    frozen.okta.set_rate_limit(None)
    answers = [frozen.call("GET", TOKENS, auth=auth) for _ in range(3)]
    assert [a.status for a in answers] == [200] * 3 and answers[-1].header("X-Rate-Limit-Limit") is None


# -- paging ---------------------------------------------------------------------------------


def list_all(api: Api, auth: str, **query: str) -> tuple[list[str], int]:
    """Every token id, following ``Link rel="next"``; and how many pages it took."""
    ids: list[str] = []
    answer = api.call("GET", TOKENS, auth=auth, query=query or None)
    pages = 1
    while True:
        ids += [token["id"] for token in answer.data]
        link = next_link(answer)
        if link is None:
            return ids, pages
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}" == api.okta.url
        answer = api.call("GET", parts.path, auth=auth, query=dict(parse_qsl(parts.query)))
        pages += 1


def test_without_a_page_size_the_list_is_one_page_with_no_next_link(api: Api, org: Org) -> None:
    for _ in range(3):
        org.okta.org.add_token()
    ids, pages = list_all(api, org.auth)
    assert len(ids) == 5 and pages == 1


def test_with_a_page_size_the_list_pages_through_next_links(api: Api, org: Org) -> None:
    extra = [org.okta.org.add_token().id for _ in range(3)]
    org.okta.set_page_size(2)
    ids, pages = list_all(api, org.auth)
    assert ids == [org.admin.id, org.token.id, *extra] and pages == 3


def test_limit_sets_the_page_size_of_a_request(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"limit": "1"})
    assert [t["id"] for t in answer.data] == [org.admin.id]
    assert next_link(answer) == f"{org.okta.url}{TOKENS}?limit=1&after={org.admin.id}"


def test_a_limit_above_two_hundred_is_capped_not_refused(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"limit": "1000"})
    assert answer.status == 200 and len(answer.data) == 2


@pytest.mark.parametrize("limit", ["0", "-3", "ten"])
def test_a_limit_that_is_not_a_positive_number_is_400(api: Api, org: Org, limit: str) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"limit": limit})
    assert answer.status == 400 and answer.data["errorCauses"][0]["errorSummary"].startswith("limit:")


def test_an_unknown_after_cursor_is_400(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"after": "nope"})
    assert answer.status == 400 and answer.data["errorCode"] == "E0000001"


# -- faults ---------------------------------------------------------------------------------


def test_a_status_fault_answers_once_then_the_real_answer_comes(api: Api, org: Org) -> None:
    path = f"{TOKENS}/{org.token.id}"
    org.okta.inject_fault(method="GET", path=path, status=503)
    first, second = api.call("GET", path, auth=org.auth), api.call("GET", path, auth=org.auth)
    assert (first.status, second.status) == (503, 200)
    assert first.data["errorCode"] == "E0000009"


def test_a_faulted_answer_carries_the_rate_limit_headers_too(frozen: Api) -> None:
    frozen.okta.inject_fault(path=TOKENS, status=503)
    answer = frozen.call("GET", TOKENS, auth=admin(frozen))
    assert answer.status == 503 and answer.header("X-Rate-Limit-Remaining") == "299"


def test_a_fault_counts_down_its_times(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, status=500, times=2)
    statuses = [api.call("GET", TOKENS, auth=org.auth).status for _ in range(3)]
    assert statuses == [500, 500, 200]


def test_a_fault_with_times_none_never_runs_out(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, status=504, times=None)
    assert {api.call("GET", TOKENS, auth=org.auth).status for _ in range(4)} == {504}


def test_a_faulted_delete_revokes_nothing(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="DELETE", path=f"{TOKENS}/*", status=500)
    assert api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=org.auth).status == 500
    assert org.okta.org.token(org.token.id) is not None


def test_a_fault_glob_matches_by_prefix_and_method(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="PUT", path=f"{TOKENS}/*", status=500)
    assert api.call("GET", TOKENS, auth=org.auth).status == 200
    assert api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth).status == 200
    assert api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body={"name": "x"}).status == 500


def test_a_429_fault_carries_reset_and_date_headers(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, status=429)
    answer = api.call("GET", TOKENS, auth=org.auth)
    assert answer.status == 429 and answer.data["errorCode"] == "E0000047"
    assert answer.header("X-Rate-Limit-Reset") and answer.header("Date")


def test_a_429_fault_without_reset_headers_has_neither_reset_nor_date(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, status=429, reset_headers=False)
    answer = api.call("GET", TOKENS, auth=org.auth)
    assert answer.status == 429
    assert answer.header("X-Rate-Limit-Reset") is None and answer.header("Date") is None


def test_a_fault_sends_the_headers_it_was_given(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, status=429, headers={"X-Rate-Limit-Reset": "1999999999"})
    assert api.call("GET", TOKENS, auth=org.auth).header("X-Rate-Limit-Reset") == "1999999999"


def test_a_dropped_connection_gets_no_answer_and_is_journaled_with_status_zero(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, drop=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        api.call("GET", TOKENS, auth=org.auth)
    assert [entry.status for entry in org.okta.calls("GET", TOKENS)] == [0]
    assert api.call("GET", TOKENS, auth=org.auth).status == 200


def test_a_malformed_answer_is_200_with_a_body_that_is_not_json(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=f"{TOKENS}/*", malformed=True)
    answer = api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth, check=False)
    assert answer.status == 200 and answer.header("Content-Type") == "application/json"
    with pytest.raises(ValueError):
        json.loads(answer.raw)


def test_latency_delays_the_answer_past_a_short_client_timeout(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, latency=2.0)
    with pytest.raises((TimeoutError, socket.timeout)):
        api.call("GET", TOKENS, auth=org.auth, timeout=0.2)


def test_latency_alone_still_gives_the_real_answer(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, latency=0.01)
    assert api.call("GET", TOKENS, auth=org.auth).status == 200


def test_times_below_one_is_refused(fake_okta: FakeOkta) -> None:
    with pytest.raises(ValueError, match="times"):
        fake_okta.inject_fault(status=500, times=0)


# -- journal --------------------------------------------------------------------------------


def test_the_journal_records_each_request_in_order(api: Api, org: Org) -> None:
    api.call("GET", TOKENS, auth=org.auth, query={"limit": "5"})
    api.call("PUT", f"{TOKENS}/{org.token.id}", auth=org.auth, body={"name": "x"})
    entries = org.okta.journal
    assert [(e.method, e.path, e.query, e.body, e.auth_scheme, e.status) for e in entries] == [
        ("GET", TOKENS, {"limit": "5"}, None, "SSWS", 200),
        ("PUT", f"{TOKENS}/{org.token.id}", {}, {"name": "x"}, "SSWS", 200),
    ]


@pytest.mark.parametrize(
    ("header", "scheme"),
    [
        (None, None),
        ("SSWS 00abc", "SSWS"),
        ("Bearer xyz", "Bearer"),
        ("SSWS00abc", "invalid"),
        ("Basic a", "invalid"),
    ],
)
def test_the_journal_names_the_auth_scheme(
    api: Api, org: Org, header: str | None, scheme: str | None
) -> None:
    api.call("GET", TOKENS, auth=header)
    assert org.okta.journal[-1].auth_scheme == scheme


def test_the_journal_never_holds_a_secret(api: Api, org: Org) -> None:
    api.call("GET", TOKENS, auth=org.auth)
    api.call("GET", TOKENS, auth=f"SSWS{org.token.secret}")
    text = repr(org.okta.journal)
    assert org.admin.secret not in text and org.token.secret not in text


def test_calls_filters_by_method_and_path_prefix(api: Api, org: Org) -> None:
    api.call("GET", TOKENS, auth=org.auth)
    api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth)
    api.call("DELETE", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert len(org.okta.calls("GET", f"{TOKENS}/*")) == 1
    assert len(org.okta.calls(path=f"{TOKENS}/*")) == 2
    assert len(org.okta.calls("GET")) == 2 and len(org.okta.calls(path=TOKENS)) == 1
    assert len(org.okta.calls("get", TOKENS)) == 1


def test_clear_journal_empties_it(api: Api, org: Org) -> None:
    api.call("GET", TOKENS, auth=org.auth)
    org.okta.clear_journal()
    assert org.okta.journal == []


def test_reset_empties_the_org_journal_and_faults(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, status=500)
    api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth)
    org.okta.reset()
    fresh = org.okta.org.add_token()
    assert org.okta.journal == [] and org.okta.org.tokens() == [fresh.metadata]
    assert api.call("GET", TOKENS, auth=f"SSWS {fresh.secret}").status == 200


# -- real-org quirks ------------------------------------------------------------------------


def test_lists_can_carry_a_null_token_window_like_real_orgs(api: Api, org: Org) -> None:
    org.okta.set_null_token_window_in_lists()
    listed = json.loads(api.call("GET", TOKENS, auth=org.auth, check=False).raw)
    single = api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert [item["tokenWindow"] for item in listed] == [None, None]
    assert single.data["tokenWindow"] == "P30D"
