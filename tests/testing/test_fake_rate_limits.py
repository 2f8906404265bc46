"""Rate limits as Okta has them for API tokens: one ``/api/v1`` bucket, each caller's share of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from fake_okta_support import TOKENS, Api, SpecChecker

from pulumi_okta_token.testing import FakeOkta

NOW = datetime(2026, 3, 1, 10, 0, 20, tzinfo=timezone.utc)
WINDOW_END = str(int(NOW.timestamp()) - 20 + 60)


@pytest.fixture
def frozen(checker: SpecChecker | None) -> Iterator[Api]:
    """A fake whose clock stands still, so a rate-limit window never rolls over mid-test."""
    with FakeOkta(clock=lambda: NOW) as okta:
        yield Api(okta, checker)


def ssws(api: Api, name: str = "admin") -> str:
    """The ``Authorization`` of a new super-admin token."""
    return "SSWS " + api.okta.org.add_token(name=name).secret


def statuses(api: Api, auth: str, times: int) -> list[int]:
    return [api.call("GET", TOKENS, auth=auth).status for _ in range(times)]


# -- the bucket -----------------------------------------------------------------------------


def test_every_answer_carries_the_rate_limit_headers_of_the_api_v1_bucket(frozen: Api) -> None:
    answer = frozen.call("GET", TOKENS, auth=ssws(frozen))
    assert answer.header("X-Rate-Limit-Limit") == "600"
    assert answer.header("X-Rate-Limit-Remaining") == "599"
    assert answer.header("X-Rate-Limit-Reset") == WINDOW_END


def test_error_answers_count_and_carry_the_rate_limit_headers_too(frozen: Api) -> None:
    answer = frozen.call("GET", TOKENS, auth="SSWS wrong")
    assert answer.status == 401 and answer.header("X-Rate-Limit-Remaining") == "599"


def test_list_get_put_delete_and_delete_current_share_one_bucket(frozen: Api) -> None:
    org = frozen.okta.org
    admin, doomed, leaving = ssws(frozen), org.add_token(), org.add_token(name="leaving")
    frozen.okta.set_rate_limit(10)
    frozen.okta.set_token_share(100)
    answers = [
        frozen.call("GET", TOKENS, auth=admin),
        frozen.call("GET", f"{TOKENS}/{doomed.id}", auth=admin),
        frozen.call("PUT", f"{TOKENS}/{doomed.id}", auth=admin, body={"name": "renamed"}),
        frozen.call("DELETE", f"{TOKENS}/{doomed.id}", auth=admin),
        frozen.call("DELETE", f"{TOKENS}/current", auth=f"SSWS {leaving.secret}"),
    ]
    assert [answer.status for answer in answers] == [200, 200, 200, 204, 204]
    assert [answer.header("X-Rate-Limit-Remaining") for answer in answers] == ["9", "8", "7", "6", "5"]


def test_past_the_bucket_every_caller_gets_429_with_oktas_error(frozen: Api) -> None:
    first, second, third = ssws(frozen, "first"), ssws(frozen, "second"), ssws(frozen, "third")
    frozen.okta.set_rate_limit(2)
    assert [frozen.call("GET", TOKENS, auth=auth).status for auth in (first, second)] == [200, 200]
    answer = frozen.call("GET", TOKENS, auth=third)
    assert answer.status == 429 and answer.data["errorCode"] == "E0000047"
    assert answer.data["errorSummary"] == "API call exceeded rate limit due to too many requests."
    assert (
        answer.header("X-Rate-Limit-Remaining") == "0" and answer.header("X-Rate-Limit-Reset") == WINDOW_END
    )


def test_a_rate_limited_request_changes_nothing(frozen: Api) -> None:
    auth = ssws(frozen)
    token = frozen.okta.org.add_token()
    frozen.okta.set_rate_limit(1)
    frozen.call("GET", TOKENS, auth=auth)
    assert frozen.call("DELETE", f"{TOKENS}/{token.id}", auth=auth).status == 429
    assert frozen.okta.org.token(token.id) is not None


def test_the_bucket_refills_in_the_next_minute(checker: SpecChecker | None) -> None:
    now = [NOW]
    with FakeOkta(rate_limit=1, clock=lambda: now[0]) as okta:
        api = Api(okta, checker)
        answers = [api.call("GET", TOKENS).status for _ in range(2)]
        now[0] = NOW.replace(minute=1)
        answers.append(api.call("GET", TOKENS).status)
    assert answers == [401, 429, 401]


def test_the_token_endpoint_has_its_own_bucket(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(1)
    frozen.call("GET", TOKENS, auth=auth)
    answer = frozen.call(
        "POST", "/oauth2/v1/token", raw=b"grant_type=x", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status == 400 and answer.header("X-Rate-Limit-Remaining") == "0"


def test_rate_limits_can_be_switched_off(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(None)
    answers = [frozen.call("GET", TOKENS, auth=auth) for _ in range(3)]
    assert [a.status for a in answers] == [200] * 3 and answers[-1].header("X-Rate-Limit-Limit") is None


@pytest.mark.parametrize("limit", [0, -5])
def test_a_rate_limit_below_one_is_refused(fake_okta: FakeOkta, limit: int) -> None:
    with pytest.raises(ValueError, match="rate limit must be a whole number of requests per minute"):
        fake_okta.set_rate_limit(limit)


# -- each token's share ---------------------------------------------------------------------


def test_a_token_past_its_half_of_the_bucket_gets_429(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(4)
    answers = [frozen.call("GET", TOKENS, auth=auth) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 429] and answers[-1].data["errorCode"] == "E0000047"


def test_another_token_still_gets_answers_when_one_has_used_its_share(frozen: Api) -> None:
    greedy, other = ssws(frozen, "greedy"), ssws(frozen, "other")
    frozen.okta.set_rate_limit(4)
    statuses(frozen, greedy, 3)
    assert statuses(frozen, other, 2) == [200, 200]


def test_the_headers_show_the_bucket_not_the_callers_share(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(4)
    answers = [frozen.call("GET", TOKENS, auth=auth) for _ in range(3)]
    assert [(a.header("X-Rate-Limit-Limit"), a.header("X-Rate-Limit-Remaining")) for a in answers] == [
        ("4", "3"),
        ("4", "2"),
        ("4", "2"),
    ]
    assert answers[-1].status == 429 and answers[-1].header("X-Rate-Limit-Reset") == WINDOW_END


def test_a_request_turned_away_uses_up_nothing(frozen: Api) -> None:
    greedy, other = ssws(frozen, "greedy"), frozen.okta.org.add_token(name="other")
    frozen.okta.set_rate_limit(4)
    frozen.okta.set_token_share(100, other.id)
    assert statuses(frozen, greedy, 5) == [200, 200, 429, 429, 429]
    assert statuses(frozen, f"SSWS {other.secret}", 3) == [200, 200, 429]


def test_the_default_share_is_settable(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(8)
    frozen.okta.set_token_share(25)
    assert statuses(frozen, auth, 3) == [200, 200, 429]


def test_the_default_share_can_be_given_when_the_fake_is_made(checker: SpecChecker | None) -> None:
    with FakeOkta(rate_limit=10, token_share=10, clock=lambda: NOW) as okta:
        api = Api(okta, checker)
        assert statuses(api, ssws(api), 2) == [200, 429]


def test_one_tokens_share_is_settable_apart_from_the_others(frozen: Api) -> None:
    own, other = frozen.okta.org.add_token(name="own"), ssws(frozen, "other")
    frozen.okta.set_rate_limit(4)
    frozen.okta.set_token_share(75, own.id)
    assert statuses(frozen, f"SSWS {own.secret}", 4) == [200, 200, 200, 429]
    assert statuses(frozen, other, 2) == [200, 429]


def test_a_share_rounds_down_but_allows_one_request_at_least(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(3)
    frozen.okta.set_token_share(5)
    assert statuses(frozen, auth, 2) == [200, 429]


@pytest.mark.parametrize("percent", [0, 4, 101])
def test_a_share_outside_five_to_a_hundred_percent_is_refused(fake_okta: FakeOkta, percent: int) -> None:
    with pytest.raises(ValueError, match="token share must be a whole percent from 5 to 100"):
        fake_okta.set_token_share(percent)


def test_a_tokens_share_refills_in_the_next_minute(checker: SpecChecker | None) -> None:
    now = [NOW]
    with FakeOkta(rate_limit=2, clock=lambda: now[0]) as okta:
        api = Api(okta, checker)
        auth = ssws(api)
        answers = statuses(api, auth, 2)
        now[0] = NOW + timedelta(minutes=1)
        answers += statuses(api, auth, 1)
    assert answers == [200, 429, 200]


def test_a_request_turned_away_is_not_a_use_of_the_token(checker: SpecChecker | None) -> None:
    now = [NOW]
    with FakeOkta(rate_limit=2, clock=lambda: now[0]) as okta:
        api = Api(okta, checker)
        token = okta.org.add_token()
        statuses(api, f"SSWS {token.secret}", 1)
        expires = okta.org.token(token.id).expires_at  # type: ignore[union-attr]
        now[0] = NOW + timedelta(seconds=30)
        assert statuses(api, f"SSWS {token.secret}", 1) == [429]
        assert okta.org.token(token.id).expires_at == expires  # type: ignore[union-attr]


def test_an_oauth_app_has_a_share_of_its_own(frozen: Api) -> None:
    org = frozen.okta.org
    access = [org.issue_access_token(client_id="0oaapp") for _ in range(2)]
    frozen.okta.set_rate_limit(4)
    answers = [frozen.call("GET", TOKENS, auth=f"Bearer {token}").status for token in access * 2]
    assert answers == [200, 200, 429, 429]
    assert statuses(frozen, ssws(frozen), 1) == [200]


def test_an_oauth_apps_share_is_settable_by_its_client_id(frozen: Api) -> None:
    access = frozen.okta.org.issue_access_token(client_id="0oaapp")
    frozen.okta.set_rate_limit(4)
    frozen.okta.set_token_share(100, "0oaapp")
    assert statuses(frozen, f"Bearer {access}", 5) == [200, 200, 200, 200, 429]


def test_the_headers_can_show_the_callers_share_instead(frozen: Api) -> None:
    auth = ssws(frozen)
    frozen.okta.set_rate_limit(10)
    frozen.okta.set_rate_limit_headers("share")
    answers = [frozen.call("GET", TOKENS, auth=auth) for _ in range(6)]
    assert [(a.header("X-Rate-Limit-Limit"), a.header("X-Rate-Limit-Remaining")) for a in answers] == [
        ("5", "4"),
        ("5", "3"),
        ("5", "2"),
        ("5", "1"),
        ("5", "0"),
        ("5", "0"),
    ]


def test_shown_as_a_share_the_remaining_never_exceeds_the_buckets_rest(frozen: Api) -> None:
    first, second = ssws(frozen, "first"), ssws(frozen, "second")
    frozen.okta.set_rate_limit(4)
    frozen.okta.set_token_share(100)
    frozen.okta.set_rate_limit_headers("share")
    statuses(frozen, first, 3)
    assert frozen.call("GET", TOKENS, auth=second).header("X-Rate-Limit-Remaining") == "0"


def test_shown_as_a_share_an_unknown_caller_sees_the_bucket(frozen: Api) -> None:
    frozen.okta.set_rate_limit(10)
    frozen.okta.set_rate_limit_headers("share")
    assert frozen.call("GET", TOKENS, auth="SSWS wrong").header("X-Rate-Limit-Limit") == "10"


def test_rate_limit_headers_show_only_the_bucket_or_the_share(fake_okta: FakeOkta) -> None:
    with pytest.raises(ValueError, match="'bucket' or 'share'"):
        fake_okta.set_rate_limit_headers("token")  # type: ignore[arg-type]


def test_reset_forgets_each_tokens_own_share(frozen: Api) -> None:
    frozen.okta.set_rate_limit(4)
    token = frozen.okta.org.add_token(id="00T" + "a" * 17)
    frozen.okta.set_token_share(100, token.id)
    frozen.okta.reset()
    again = frozen.okta.org.add_token(id=token.id)
    assert statuses(frozen, f"SSWS {again.secret}", 3) == [200, 200, 429]
