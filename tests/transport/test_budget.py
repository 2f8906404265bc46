"""One rate-limit budget for the process: requests paced by X-Rate-Limit-*, headroom left for other
clients, 429s waited out, a hidden per-token share learnt, waits bounded per call by okta:rateLimitWait.

The fake org's clock is virtual time here: it moves only when the transport waits, so windows of a minute
pass at once."""

from __future__ import annotations

import email.utils
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from transport_support import TOKEN_PATHS, VirtualTime, api, limit_the_token, statuses

from pulumi_okta_token._settings import ApiTokenAuth, OktaSettings
from pulumi_okta_token._transport import OktaApiTokens, _budget
from pulumi_okta_token.errors import RateLimited
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken


@pytest.fixture
def org(virtual_time: VirtualTime) -> Iterator[FakeOkta]:
    """A fake org on virtual time, its windows counted in requests answered so far at each wait."""
    with FakeOkta(clock=virtual_time.now) as okta:
        virtual_time.on_wait = lambda: len(okta.journal)
        yield okta


@pytest.fixture
def admin(org: FakeOkta) -> FakeToken:
    return org.org.add_token(name="admin")


def gets(client: OktaApiTokens, token: FakeToken, times: int, threads: int = 1) -> None:
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda _: client.get(token.id), range(times)))


def window_end_headers(okta: FakeOkta, remaining: int) -> dict[str, str]:
    """Rate-limit headers of the org's current window with ``remaining`` left in the bucket."""
    now = okta.org.now().timestamp()
    return {
        "X-Rate-Limit-Limit": "10",
        "X-Rate-Limit-Remaining": str(remaining),
        "X-Rate-Limit-Reset": str(int(now // 60) * 60 + 60),
        "Date": email.utils.formatdate(now, usegmt=True),
    }


# -- pacing ---------------------------------------------------------------------------------


def test_a_run_of_500_requests_at_100_a_minute_never_gets_a_429(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 100)
    gets(api(org, admin), admin, 500, threads=4)
    assert set(statuses(org, "GET")) == {200}
    assert len(virtual_time.waits) == 5  # 90 a window: six windows


def test_each_window_is_used_up_to_the_headroom_then_waited_out(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 10)
    gets(api(org, admin), admin, 30)
    assert virtual_time.waits == [60.0, 60.0, 60.0]
    assert virtual_time.marks == [9, 18, 27]  # 10 a minute less a headroom of 10% (1)


def test_each_wait_for_a_window_is_announced_with_how_long_and_why(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    told: list[tuple[float, str]] = []
    limit_the_token(org, 10)
    stop = _budget.announce_waits(lambda seconds, why: told.append((seconds, why)))
    try:
        gets(api(org, admin), admin, 12)
    finally:
        stop()

    assert [seconds for seconds, _ in told] == virtual_time.waits == [60.0]
    assert told[0][1] == (
        "1 of 10 requests left in this minute's window, kept for other clients of the credential "
        "(okta:rateLimitHeadroom)"
    )


def test_a_larger_headroom_leaves_more_of_each_window_unused(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 10)
    gets(api(org, admin, rate_limit_headroom=30), admin, 14)
    assert virtual_time.marks == [7]


def test_no_headroom_uses_every_request_of_the_window(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 10)
    gets(api(org, admin, rate_limit_headroom=0), admin, 20)
    assert (virtual_time.marks, set(statuses(org, "GET"))) == ([10], {200})


def test_a_small_run_does_not_wait(org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime) -> None:
    limit_the_token(org, 100)
    gets(api(org, admin), admin, 20, threads=4)
    assert virtual_time.waits == []


def test_a_window_partly_used_by_others_is_paced_from_what_it_has_left(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 10)
    other = org.org.add_token(name="other")
    gets(api(org, other), other, 5)
    _budget.forget_all()  # another process, say
    gets(api(org, admin), admin, 6)
    assert virtual_time.marks == [9]  # 5 + 4: the window's 10, less the headroom


def test_no_pacing_without_rate_limit_headers(virtual_time: VirtualTime) -> None:
    with FakeOkta(rate_limit=None, clock=virtual_time.now) as okta:
        admin = okta.org.add_token(name="admin")
        gets(api(okta, admin), admin, 40, threads=4)
    assert virtual_time.waits == []


def test_concurrent_callers_from_several_threads_share_one_budget(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 5)  # the smallest limit a credential can have: the first flight stays below it
    org.inject_fault("GET", TOKEN_PATHS, latency=0.05, times=None)
    virtual_time.settle = 0.3  # what is in flight when a wait begins lands before the minute is over
    gets(api(org, admin, rate_limit_headroom=0), admin, 20, threads=6)
    assert set(statuses(org, "GET")) == {200}
    assert virtual_time.waits == [60.0, 60.0, 60.0]


def test_clients_of_the_same_org_and_credential_share_one_budget(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 10)
    gets(api(org, admin), admin, 9)
    gets(api(org, admin), admin, 1)
    assert virtual_time.marks == [9]


# -- 429s -----------------------------------------------------------------------------------


def test_a_429_makes_every_request_wait_for_the_reset(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 100)
    client = api(org, admin)
    client.get(admin.id)
    org.inject_fault("GET", TOKEN_PATHS, status=429, headers=window_end_headers(org, 0))
    gets(client, admin, 5, threads=4)
    assert virtual_time.waits == [60.0]
    assert statuses(org, "GET") == [200, 429] + [200] * 5


def test_a_429_with_budget_left_in_the_bucket_teaches_the_tokens_share(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 10)
    client = api(org, admin, rate_limit_headroom=0)
    gets(client, admin, 4)
    org.inject_fault("GET", TOKEN_PATHS, status=429, headers=window_end_headers(org, 6))
    gets(client, admin, 12)
    assert statuses(org, "GET").count(429) == 1
    assert virtual_time.marks == [5, 9, 13]  # after the 429, 4 a window


def test_a_share_of_the_bucket_that_the_headers_hide_costs_one_429_in_a_run(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    org.set_rate_limit(20)  # headers show the bucket: 20 a minute
    org.set_token_share(50)  # the token may make 10 of them
    gets(api(org, admin), admin, 40)
    assert statuses(org, "GET").count(429) == 1
    assert virtual_time.marks[:3] == [11, 20, 29]  # 10 then the 429; then 9 a window (10 less 10%)


def test_a_429_that_resets_now_still_waits_a_second(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    org.inject_fault("GET", TOKEN_PATHS, status=429)  # X-Rate-Limit-Reset == Date
    api(org, admin).get(admin.id)
    assert virtual_time.waits == [1.0]


# -- the wait bound -------------------------------------------------------------------------


def test_one_call_waits_no_longer_than_the_rate_limit_wait_in_all(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 1)
    for name in ("b", "c"):
        org.org.add_token(name=name)
    org.set_page_cap(1)  # three pages, one a minute
    with pytest.raises(RateLimited, match=r"okta:rateLimitWait \(90 s of waiting per call, 30 s of it left"):
        api(org, admin, rate_limit_wait=90, rate_limit_headroom=0).list()
    assert virtual_time.waits == [60.0]
    assert len(org.calls("GET")) == 2


def test_each_call_has_a_rate_limit_wait_of_its_own(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 1)
    client = api(org, admin, rate_limit_wait=90, rate_limit_headroom=0)
    gets(client, admin, 3)
    assert virtual_time.waits == [60.0, 60.0]


def test_a_wait_past_the_bound_is_not_started(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime
) -> None:
    limit_the_token(org, 1)
    client = api(org, admin, rate_limit_wait=59)
    client.get(admin.id)
    with pytest.raises(RateLimited, match=r"waiting 60 s for Okta's rate limit to reset would pass"):
        client.get(admin.id)
    assert virtual_time.waits == []


def test_waiting_for_the_budget_does_not_count_against_the_request_timeout(
    org: FakeOkta, admin: FakeToken, virtual_time: VirtualTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit_the_token(org, 1)
    client = api(org, admin, request_timeout=1)

    async def slow_virtual_sleep(seconds: float) -> None:  # really takes 1.5 s, past the request timeout
        import asyncio

        await virtual_time.sleep(seconds)
        await asyncio.sleep(1.5)

    monkeypatch.setattr(_budget, "_sleep", slow_virtual_sleep)
    gets(client, admin, 2)
    assert statuses(org, "GET") == [200, 200]


# -- the budget's state ---------------------------------------------------------------------


def test_the_budget_state_tells_the_limit_waits_and_429s(org: FakeOkta, admin: FakeToken) -> None:
    limit_the_token(org, 10)
    gets(api(org, admin), admin, 12)
    settings = OktaSettings(org_url=org.url, auth=ApiTokenAuth(admin.secret))
    state = _budget.budget_for(settings).state()
    assert (state.limit, state.share, state.admitted, state.waits, state.rate_limited) == (10, None, 12, 1, 0)
    assert math.isclose(state.waited, 60.0)
