"""``run_program``: a Pulumi program run under mocks, whatever the test before it did to asyncio."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from pulumi_okta_token import ApiToken
from pulumi_okta_token.testing import run_program


@pytest.fixture(params=["no loop", "a closed loop"])
def loop_left_by_an_async_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """The main thread as an async test may leave it: no current event loop (and none to be created
    implicitly: pytest-asyncio unsets its own), or a closed one."""
    closed = asyncio.new_event_loop()
    closed.close()
    asyncio.set_event_loop(None if request.param == "no loop" else closed)
    yield
    asyncio.set_event_loop(None)


def test_run_program_works_after_an_async_test_left_the_thread_without_a_usable_loop(
    loop_left_by_an_async_test: None,
) -> None:
    declared = run_program(lambda: ApiToken("ci", token_id="00T1fxzubpqiepH11d38"))
    assert declared.inputs == {"ci": {"token_id": "00T1fxzubpqiepH11d38"}}
