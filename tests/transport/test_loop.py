"""Calls from synchronous code, from inside a running event loop and from several threads at once."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from transport_support import api_at

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken


async def test_calls_work_from_inside_a_running_event_loop(fake_okta: FakeOkta, admin: FakeToken) -> None:
    assert api_at(fake_okta.url, admin.secret).get(admin.id).id == admin.id


def test_calls_work_from_four_threads_at_once(fake_okta: FakeOkta, admin: FakeToken) -> None:
    tokens = [fake_okta.org.add_token(name=f"t{number}") for number in range(8)]
    client = api_at(fake_okta.url, admin.secret)
    with ThreadPoolExecutor(max_workers=4) as pool:
        names = list(pool.map(lambda token: client.get(token.id).name, tokens))
    assert names == [f"t{number}" for number in range(8)]


def test_a_call_leaves_the_threads_event_loop_alone(fake_okta: FakeOkta, admin: FakeToken) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        api_at(fake_okta.url, admin.secret).get(admin.id)
        assert asyncio.get_event_loop_policy().get_event_loop() is loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_calls_leave_no_threads_behind(fake_okta: FakeOkta, admin: FakeToken) -> None:
    client = api_at(fake_okta.url, admin.secret)
    client.get(admin.id)
    before = set(threading.enumerate())
    for _ in range(3):
        client.get(admin.id)
    # the threads started by the calls and still alive (threads of earlier tests may end meanwhile)
    assert set(threading.enumerate()) - before == set()
