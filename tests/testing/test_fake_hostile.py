"""The faults that answer with hostile text (``hostile.py``): token fields and ``errorSummary`` on demand."""

from __future__ import annotations

import json

import pytest
from fake_okta_support import TOKENS, Api
from seeded_org import Org

from pulumi_okta_token.testing import FakeOkta

HOSTILE = 'x\n\r\x1b[2J\x1b]52;c;cHduZWQ=\x07\u2028\u202e"""\'#: =1+1'


def test_token_fields_replace_the_fields_of_every_listed_token(api: Api, org: Org) -> None:
    org.okta.inject_fault("GET", TOKENS, token_fields={"userId": HOSTILE, "created": "yesterday"})

    listed = json.loads(api.call("GET", TOKENS, auth=org.auth, check=False).raw)

    assert listed and all(item["userId"] == HOSTILE and item["created"] == "yesterday" for item in listed)
    assert {item["id"] for item in listed} == {token.id for token in org.okta.org.tokens()}


def test_fields_of_replaces_them_in_one_tokens_entry_only(api: Api, org: Org) -> None:
    other = org.okta.org.add_token("other", user_id=org.user).id
    org.okta.inject_fault("GET", TOKENS, token_fields={"name": HOSTILE}, fields_of=other)

    listed = json.loads(api.call("GET", TOKENS, auth=org.auth, check=False).raw)

    names = {item["id"]: item["name"] for item in listed}
    assert names.pop(other) == HOSTILE
    assert names == {token.id: token.name for token in org.okta.org.tokens() if token.id != other}


def test_token_fields_answer_a_get_of_one_token_and_a_put_changes_nothing(api: Api, org: Org) -> None:
    path = f"{TOKENS}/{org.token.id}"
    org.okta.inject_fault(path=path, token_fields={"id": HOSTILE}, times=2)

    got = json.loads(api.call("GET", path, auth=org.auth, check=False).raw)
    put = api.call("PUT", path, auth=org.auth, body={"name": "renamed"}, check=False)

    assert got["id"] == HOSTILE and json.loads(put.raw)["id"] == HOSTILE
    assert org.okta.org.token(org.token.id).name != "renamed"  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500])
def test_error_summary_answers_the_status_with_that_summary(api: Api, org: Org, status: int) -> None:
    org.okta.inject_fault("GET", TOKENS, status=status, error_summary=HOSTILE)

    answer = api.call("GET", TOKENS, auth=org.auth, check=False)

    body = json.loads(answer.raw)
    assert answer.status == status and body["errorSummary"] == HOSTILE
    assert body["errorCauses"] == [{"errorSummary": HOSTILE}] and body["errorCode"].startswith("E0000")


def test_error_summary_without_a_status_is_refused(fake_okta: FakeOkta) -> None:
    with pytest.raises(ValueError, match=r"error_summary=\.\.\. needs status=N"):
        fake_okta.inject_fault(error_summary="x")
