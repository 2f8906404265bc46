"""The fake's hostile list answers (``testing/okta/hostile_lists.py``, issue 17): each serves what its
docstring says, on demand, on ``GET /api/v1/api-tokens`` unless told another path."""

from __future__ import annotations

import json

import pytest
from fake_okta_support import TOKENS, Api
from seeded_org import Org


def listed(api: Api, org: Org, **query: str) -> list[str]:
    answer = api.call("GET", TOKENS, auth=org.auth, query=query or None, check=False)

    return [item["id"] for item in json.loads(answer.raw)]


def test_list_duplicate_adds_the_tokens_entry_again_under_another_name(api: Api, org: Org) -> None:
    org.okta.inject_fault(list_duplicate=org.token.id, duplicate_name="a-lie")
    answer = api.call("GET", TOKENS, auth=org.auth, check=False)

    entries = [item for item in json.loads(answer.raw) if item["id"] == org.token.id]
    assert [entry["name"] for entry in entries] == [org.live().name, "a-lie"]


def test_list_duplicate_refuses_a_token_the_org_lacks(org: Org) -> None:
    with pytest.raises(ValueError, match=r"not an active token"):
        org.okta.inject_fault(list_duplicate="00T" + "0" * 17)


def test_extra_entry_adds_the_object_to_the_page(api: Api, org: Org) -> None:
    org.okta.inject_fault(extra_entry={"id": org.user, "status": "ACTIVE"})
    assert listed(api, org)[-1] == org.user


def test_endless_next_links_a_new_empty_page_every_time(api: Api, org: Org) -> None:
    org.okta.inject_fault(endless_next=True, times=None)
    first = api.call("GET", TOKENS, auth=org.auth, check=False)
    links = [",".join(first.headers_named("Link"))]
    for _ in range(3):
        target = next(part for part in links[-1].split(",") if 'rel="next"' in part)
        query = target[target.index("?") + 1 : target.index(">")]
        page = api.call("GET", f"{TOKENS}?{query}", auth=org.auth, check=False)
        assert page.raw == b"[]"
        links.append(",".join(page.headers_named("Link")))
    assert len(set(links)) == 4


def test_malformed_link_sends_a_next_target_that_is_no_url(api: Api, org: Org) -> None:
    org.okta.inject_fault(malformed_link=True)
    answer = api.call("GET", TOKENS, auth=org.auth, check=False)
    assert '<http://[::1/>; rel="next"' in answer.headers_named("Link")


def test_nested_json_answers_an_array_that_deep(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, nested_json=5)
    assert api.call("GET", TOKENS, auth=org.auth, check=False).raw == b"[[[[[]]]]]"


def test_body_bytes_answers_a_json_array_of_that_size_with_its_length(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, body_bytes=100_000)
    answer = api.call("GET", TOKENS, auth=org.auth, check=False)
    assert (len(answer.raw), answer.header("Content-Length")) == (100_000, "100000")


def test_retry_after_answers_429_with_only_retry_after_to_go_by(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, retry_after=86400)
    answer = api.call("GET", TOKENS, auth=org.auth, check=False)
    assert (answer.status, answer.header("Retry-After")) == (429, "86400")
    assert answer.header("X-Rate-Limit-Reset") is None and answer.header("Date") is None
