"""What tests control: list paging, injected faults, the journal, reset (rate limits: own file)."""

from __future__ import annotations

import http.client
import inspect
import json
import re
import socket
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
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


def test_the_next_link_names_after_then_limit_as_okta_writes_it(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"limit": "1"})
    assert next_link(answer) == f"{org.okta.url}{TOKENS}?after={org.admin.id}&limit=1"


def test_the_next_link_carries_the_default_page_size_as_its_limit(api: Api, org: Org) -> None:
    org.okta.set_page_size(1)
    answer = api.call("GET", TOKENS, auth=org.auth)
    assert next_link(answer) == f"{org.okta.url}{TOKENS}?after={org.admin.id}&limit=1"


def test_the_last_page_has_no_next_link(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"after": org.admin.id, "limit": "1"})
    assert [t["id"] for t in answer.data] == [org.token.id] and next_link(answer) is None


def test_the_default_page_size_can_be_given_when_the_fake_is_made(checker: SpecChecker | None) -> None:
    with FakeOkta(page_size=2) as okta:
        for _ in range(3):
            okta.org.add_token()
        ids, pages = list_all(Api(okta, checker), "SSWS " + okta.org.add_token().secret)
    assert len(ids) == 4 and pages == 2


@pytest.mark.parametrize("size", [0, 201, -1])
def test_a_default_page_size_outside_one_to_two_hundred_is_refused(fake_okta: FakeOkta, size: int) -> None:
    with pytest.raises(ValueError, match="page size must be a whole number from 1 to 200"):
        fake_okta.set_page_size(size)


def test_a_limit_above_two_hundred_is_capped_not_refused(api: Api, org: Org) -> None:
    answer = api.call("GET", TOKENS, auth=org.auth, query={"limit": "1000"})
    assert answer.status == 200 and len(answer.data) == 2


def test_a_limit_above_two_hundred_pages_by_two_hundred(api: Api, org: Org) -> None:
    for _ in range(200):
        org.okta.org.add_token()
    answer = api.call("GET", TOKENS, auth=org.auth, query={"limit": "1000"})
    assert len(answer.data) == 200 and (next_link(answer) or "").endswith("&limit=200")


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
    assert answer.status == 503 and answer.header("X-Rate-Limit-Remaining") == "599"


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


def test_lists_carry_a_null_token_window_by_default_like_real_orgs(api: Api, org: Org) -> None:
    listed = api.call("GET", TOKENS, auth=org.auth)
    single = api.call("GET", f"{TOKENS}/{org.token.id}", auth=org.auth)
    assert [item["tokenWindow"] for item in listed.data] == [None, None]
    assert single.data["tokenWindow"] == "P30D"


def test_every_list_page_carries_a_null_token_window(api: Api, org: Org) -> None:
    pages = [
        api.call("GET", TOKENS, auth=org.auth, query={"limit": "1", **after}).data
        for after in ({}, {"after": org.admin.id})
    ]
    assert [item["tokenWindow"] for page in pages for item in page] == [None, None]


def test_full_list_entries_give_the_token_window_a_get_gives(api: Api, org: Org) -> None:
    org.okta.set_full_list_entries()
    listed = api.call("GET", TOKENS, auth=org.auth)
    assert [item["tokenWindow"] for item in listed.data] == ["P30D", "P30D"]
    org.okta.set_null_token_window_in_lists()
    assert [item["tokenWindow"] for item in api.call("GET", TOKENS, auth=org.auth).data] == [None, None]


# -- documentation --------------------------------------------------------------------------


def test_every_control_the_testing_page_names_is_a_real_method_or_keyword_of_fake_okta() -> None:
    readme = (Path(__file__).resolve().parents[2] / "docs" / "testing.md").read_text()
    section = readme[readme.index("## Testing your own programs offline") :]
    section = section[: section.index("\n## ")]
    methods = set(re.findall(r"`(?:fake_okta\.)?(set_[a-z_]+|start_[a-z_]+)\(", section))
    keywords = set(re.findall(r"`FakeOkta\(([a-z_]+)=", section))
    attributes = set(re.findall(r"`fake_okta\.([a-z_]+)`", section))
    assert {"set_token_share", "set_rate_limit_headers", "start_latency_relay"} <= methods
    assert {"rate_limit", "token_share", "rtt"} <= keywords and {"connections"} <= attributes
    assert all(hasattr(FakeOkta, name) for name in methods | attributes)
    assert keywords <= set(inspect.signature(FakeOkta).parameters)
