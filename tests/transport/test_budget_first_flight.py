"""The first flight: while no answer has told the rate limit, up to ``FIRST_FLIGHT`` requests go out
together (not one by one); a 429 still holds every later request back until the window resets."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from transport_support import TOKEN_PATHS, VirtualTime, api, limit_the_token, statuses

from pulumi_okta_token._transport import _budget
from pulumi_okta_token.testing import FakeOkta

SLOW_ANSWER = 1.0
"""Seconds the fake takes to answer each GET, so the first reads overlap if they go together."""


def concurrent_gets(okta: FakeOkta, threads: int) -> None:
    admin = okta.org.add_token(name="admin")
    client = api(okta, admin)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda _: client.get(admin.id), range(threads)))


def test_the_first_reads_go_out_together_before_any_answer() -> None:
    with FakeOkta() as okta:
        okta.inject_fault("GET", TOKEN_PATHS, latency=SLOW_ANSWER, times=None)
        concurrent_gets(okta, _budget.FIRST_FLIGHT)
        # Requests in flight together each need a connection of their own: one by one would reuse one.
        assert okta.connections == _budget.FIRST_FLIGHT
        assert set(statuses(okta, "GET")) == {200}


async def test_no_more_than_the_first_flight_goes_before_an_answer_tells_the_limit() -> None:
    budget = _budget.Budget()
    tickets = [await budget.admit(10, _budget.Allowance(5)) for _ in range(_budget.FIRST_FLIGHT)]
    waiting = asyncio.ensure_future(budget.admit(10, _budget.Allowance(5)))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    assert budget.state().in_flight == _budget.FIRST_FLIGHT

    tickets[0].observe(200, {})  # an answer without rate-limit headers: no pacing from now on
    ticket = await asyncio.wait_for(waiting, 1)
    assert budget.state().in_flight == _budget.FIRST_FLIGHT
    for each in [*tickets[1:], ticket]:
        each.release()


def test_a_429_in_the_first_flight_holds_the_next_requests_until_the_reset(virtual_time: VirtualTime) -> None:
    with FakeOkta(clock=virtual_time.now) as okta:
        limit_the_token(okta, 2)
        okta.inject_fault("GET", TOKEN_PATHS, latency=SLOW_ANSWER, times=None)
        virtual_time.settle = 0.5  # the first flight lands before the minute is over
        concurrent_gets(okta, _budget.FIRST_FLIGHT)
        answered = statuses(okta, "GET")
    assert answered.count(429) == 2  # the first flight went together into a limit of 2
    assert virtual_time.waits and virtual_time.waits[0] >= _budget.MIN_WAIT
    assert answered[-2:] == [200, 200]  # the two refused were sent again after the reset
