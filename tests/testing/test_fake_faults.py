"""The faults that make the fake answer the way a broken proxy, cache or org would, and how they are built.

Every JSON answer is checked against the OpenAPI schemas by the ``api`` fixture (when the spec is there).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from fake_okta_support import TOKENS, Api, SpecChecker
from seeded_org import Org

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.faults import FAULT_KINDS

NOW = datetime(2026, 3, 1, 10, 0, 20, tzinfo=timezone.utc)


@pytest.fixture
def other(org: Org) -> str:
    """A second managed token of the same user, in another zone."""
    return org.okta.org.add_token(
        name="deployer", user_id=org.user, network={"connection": "ZONE", "exclude": [org.vpn]}
    ).id


@pytest.fixture
def frozen(checker: SpecChecker | None) -> Iterator[Api]:
    """A fake whose clock stands still, so rate-limit windows and ``Date`` are known."""
    with FakeOkta(clock=lambda: NOW) as okta:
        yield Api(okta, checker)


def token_path(token_id: str) -> str:
    return f"{TOKENS}/{token_id}"


def get_json(api: Api, org: Org, token_id: str) -> Any:
    return api.call("GET", token_path(token_id), auth=org.auth).data


# -- answer_with_token ----------------------------------------------------------------------


def test_answer_with_token_answers_a_get_with_the_other_tokens_json(api: Api, org: Org, other: str) -> None:
    expected = get_json(api, org, other)
    org.okta.inject_fault(method="GET", path=token_path(org.token.id), answer_with_token=other)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    assert answer.status == 200 and answer.data == expected


def test_answer_with_token_renders_links_to_the_other_token(api: Api, org: Org, other: str) -> None:
    org.okta.inject_fault(method="GET", path=token_path(org.token.id), answer_with_token=other)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    assert answer.data["_links"]["self"]["href"] == f"{org.okta.url}{TOKENS}/{other}"


def test_answer_with_token_answers_a_put_with_the_other_tokens_json(api: Api, org: Org, other: str) -> None:
    expected = get_json(api, org, other)
    org.okta.inject_fault(method="PUT", path=token_path(org.token.id), answer_with_token=other)
    answer = api.call("PUT", token_path(org.token.id), auth=org.auth, body={"name": "renamed"})
    assert answer.status == 200 and answer.data == expected


def test_answer_with_token_changes_nothing_in_the_org(api: Api, org: Org, other: str) -> None:
    before = org.okta.org.tokens()
    org.okta.inject_fault(method="PUT", path=f"{TOKENS}/*", answer_with_token=other)
    api.call("PUT", token_path(org.token.id), auth=org.auth, body={"name": "renamed"})
    assert org.okta.org.tokens() == before


def test_answer_with_token_shows_the_other_token_as_the_org_has_it_now(
    api: Api, org: Org, other: str
) -> None:
    org.okta.inject_fault(method="GET", path=token_path(org.token.id), answer_with_token=other)
    org.okta.org.update_token(other, name="renamed in the console")
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    assert answer.data["name"] == "renamed in the console"


def test_answer_with_token_revoked_since_injection_answers_it_as_it_was(
    api: Api, org: Org, other: str
) -> None:
    org.okta.inject_fault(method="GET", path=token_path(org.token.id), answer_with_token=other)
    org.okta.org.revoke_token(other)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    assert answer.status == 200 and (answer.data["id"], answer.data["name"]) == (other, "deployer")


def test_answer_with_token_never_carries_the_other_tokens_secret(api: Api, org: Org) -> None:
    other = org.okta.org.add_token(name="secretive")
    org.okta.inject_fault(method="GET", answer_with_token=other.id)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    assert other.secret.encode() not in answer.raw


def test_answer_with_token_of_a_token_not_in_the_org_is_refused_when_injected(fake_okta: FakeOkta) -> None:
    absent = "00T" + "x" * 17
    with pytest.raises(ValueError, match=f"answer_with_token='{absent}' is not an active token"):
        fake_okta.inject_fault(answer_with_token=absent)


# -- not_applied ----------------------------------------------------------------------------


def test_not_applied_answers_a_put_with_the_tokens_current_json(api: Api, org: Org) -> None:
    expected = get_json(api, org, org.token.id)
    org.okta.inject_fault(method="PUT", not_applied=True)
    body = {"name": "renamed", "network": {"connection": "ANYWHERE"}}
    answer = api.call("PUT", token_path(org.token.id), auth=org.auth, body=body)
    assert answer.status == 200 and answer.data == expected


def test_not_applied_changes_nothing_in_the_org(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="PUT", not_applied=True)
    api.call("PUT", token_path(org.token.id), auth=org.auth, body={"name": "renamed"})
    assert org.okta.org.token(org.token.id) == org.token.metadata


def test_not_applied_hits_only_its_times_then_puts_apply_again(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="PUT", not_applied=True)
    names = [
        api.call("PUT", token_path(org.token.id), auth=org.auth, body={"name": name}).data["name"]
        for name in ("first", "second")
    ]
    assert names == ["ci", "second"]


def test_not_applied_on_a_token_that_is_not_in_the_org_is_oktas_404(api: Api, org: Org) -> None:
    absent = "00T" + "x" * 17
    org.okta.inject_fault(method="PUT", not_applied=True)
    answer = api.call("PUT", token_path(absent), auth=org.auth, body={"name": "x"})
    assert answer.status == 404 and answer.data["errorCode"] == "E0000007"


# -- html -----------------------------------------------------------------------------------


def test_html_answers_an_html_page_with_the_given_status(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="DELETE", html=True, status=404)
    answer = api.call("DELETE", token_path(org.token.id), auth=org.auth, check=False)
    assert answer.status == 404 and answer.raw.startswith(b"<!DOCTYPE html>")
    assert b"404 Not Found" in answer.raw


def test_html_answers_with_content_type_text_html(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="GET", html=True, status=404)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth, check=False)
    assert answer.header("Content-Type") == "text/html"


def test_an_html_answer_is_not_json(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="GET", html=True, status=502)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth, check=False)
    with pytest.raises(ValueError):
        json.loads(answer.raw)


def test_an_html_answer_carries_no_rate_limit_headers(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="GET", html=True, status=404)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth, check=False)
    assert answer.header("X-Rate-Limit-Remaining") is None and answer.header("X-Rate-Limit-Reset") is None


def test_an_html_404_revokes_nothing(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="DELETE", html=True, status=404)
    api.call("DELETE", token_path(org.token.id), auth=org.auth, check=False)
    assert org.okta.org.token(org.token.id) is not None


def test_html_without_a_status_is_refused(fake_okta: FakeOkta) -> None:
    with pytest.raises(ValueError, match=r"html=True needs status=N"):
        fake_okta.inject_fault(html=True)


# -- status ---------------------------------------------------------------------------------


def test_a_429_fault_resets_at_the_date_second(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="GET", status=429)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    date = parsedate_to_datetime(answer.header("Date") or "")
    assert answer.header("X-Rate-Limit-Reset") == str(int(date.timestamp()))


def test_a_429_fault_with_a_frozen_clock_resets_at_that_second(frozen: Api) -> None:
    frozen.okta.inject_fault(status=429)
    answer = frozen.call("GET", TOKENS)
    assert answer.header("X-Rate-Limit-Reset") == str(int(NOW.timestamp()))
    assert answer.header("Date") == "Sun, 01 Mar 2026 10:00:20 GMT"


def test_a_502_fault_answers_502_in_oktas_error_shape(api: Api, org: Org) -> None:
    org.okta.inject_fault(method="GET", status=502)
    answer = api.call("GET", token_path(org.token.id), auth=org.auth)
    assert answer.status == 502 and answer.data["errorCode"] == "E0000009"


@pytest.mark.parametrize("status", [99, 600, "404", True])
def test_a_status_that_is_not_an_http_status_code_is_refused(fake_okta: FakeOkta, status: Any) -> None:
    with pytest.raises(ValueError, match="status must be an HTTP status code"):
        fake_okta.inject_fault(status=status)


# -- every fault: journal, rate limit, schema -------------------------------------------------

NEW_FAULTS: list[dict[str, Any]] = [
    {"method": "GET", "answer_with_token": "<other>"},
    {"method": "PUT", "not_applied": True},
    {"method": "GET", "html": True, "status": 404},
]


def inject(org: Org, other: str, fault: dict[str, Any]) -> str:
    """Inject ``fault`` (``<other>`` stands for the other token's id); returns the method it hits."""
    fields = {key: other if value == "<other>" else value for key, value in fault.items()}
    org.okta.inject_fault(**fields)
    return str(fault["method"])


@pytest.mark.parametrize("fault", NEW_FAULTS, ids=lambda fault: next(iter(set(fault) - {"method"})))
def test_a_faulted_request_is_journaled_without_secrets(
    api: Api, org: Org, other: str, fault: dict[str, Any]
) -> None:
    method = inject(org, other, fault)
    api.call(method, token_path(org.token.id), auth=org.auth, body={"name": "x"}, check=False)
    entries = org.okta.calls(method, token_path(org.token.id))
    assert len(entries) == 1 and entries[0].status == (404 if "html" in fault else 200)
    assert org.admin.secret not in repr(entries) and entries[0].auth_scheme == "SSWS"


@pytest.mark.parametrize("fault", NEW_FAULTS, ids=lambda fault: next(iter(set(fault) - {"method"})))
def test_a_faulted_request_counts_against_the_rate_limit(
    api: Api, org: Org, other: str, fault: dict[str, Any]
) -> None:
    method = inject(org, other, fault)
    api.call(method, token_path(org.token.id), auth=org.auth, body={"name": "x"}, check=False)
    following = api.call("GET", TOKENS, auth=org.auth)
    assert following.header("X-Rate-Limit-Remaining") == "598"


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_the_answers_of_answer_with_token_and_not_applied_match_the_openapi_schema(
    api: Api, org: Org, other: str, checker: SpecChecker | None, method: str
) -> None:
    if checker is None:
        pytest.skip("shared/okta/api-tokens.openapi.yaml is not next to the repository: schema checks off")
    org.okta.inject_fault(method=method, answer_with_token=other)
    org.okta.inject_fault(method=method, not_applied=True)
    for _ in range(2):
        answer = api.call(method, token_path(org.token.id), auth=org.auth, body={"name": "x"}, check=False)
        checker.check(method, token_path(org.token.id), answer.status, json.loads(answer.raw))


# -- building faults ------------------------------------------------------------------------


def test_an_unknown_fault_keyword_is_refused_naming_it(fake_okta: FakeOkta) -> None:
    with pytest.raises(TypeError, match="not_aplied"):
        fake_okta.inject_fault(not_aplied=True)


def test_two_faults_in_one_call_are_refused(fake_okta: FakeOkta) -> None:
    with pytest.raises(ValueError, match="drop=True, status=500 are different faults"):
        fake_okta.inject_fault(status=500, drop=True)


def test_a_keyword_that_means_nothing_for_the_fault_is_refused_naming_where_it_goes(
    fake_okta: FakeOkta,
) -> None:
    with pytest.raises(
        ValueError, match="reset_headers means nothing for a drop= fault; it goes with status="
    ):
        fake_okta.inject_fault(drop=True, reset_headers=False)


def test_a_keyword_left_at_its_default_selects_no_fault(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, drop=False, malformed=False, reset_headers=True, headers=None)
    assert api.call("GET", TOKENS, auth=org.auth).status == 200


def test_the_headers_of_a_latency_only_fault_go_on_the_real_answer(api: Api, org: Org) -> None:
    org.okta.inject_fault(path=TOKENS, latency=0.01, headers={"Via": "1.1 proxy"})
    answer = api.call("GET", TOKENS, auth=org.auth)
    assert answer.status == 200 and answer.header("Via") == "1.1 proxy"


def test_every_kind_of_fault_is_documented_in_inject_faults_docstring() -> None:
    doc = FakeOkta.inject_fault.__doc__ or ""
    assert FAULT_KINDS and all(f"``{kind.keyword}=" in doc for kind in FAULT_KINDS)


def test_every_fault_keyword_the_testing_page_shows_is_one_inject_fault_takes() -> None:
    readme = (Path(__file__).resolve().parents[2] / "docs" / "testing.md").read_text()
    section = readme[readme.index("## Testing your own programs offline") :]
    rows = re.findall(r"^\| `([a-z_]+)=", section, re.M)
    keywords = {str(kind.keyword) for kind in FAULT_KINDS} | {"latency"}
    assert rows and set(rows) <= keywords
