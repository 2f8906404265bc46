"""``OktaApiTokens.list``: every page asks ``limit=200``, and each next page is asked as soon as the page
before it arrives, one page in flight, before that page is checked."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from transport_support import api

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token._transport._answers import Answer
from pulumi_okta_token._transport.api_tokens import _Listed
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

LIST = "/api/v1/api-tokens"
WAIT = 30.0
"""The most the check of a page waits for the next page to be asked (a safeguard, never reached)."""


def test_every_page_of_a_listing_asks_200_tokens(fake_okta: FakeOkta, admin: FakeToken) -> None:
    for _ in range(3):
        fake_okta.org.add_token()
    fake_okta.set_page_cap(2)

    assert len(api(fake_okta, admin).list()) == 4
    assert [entry.query.get("limit") for entry in fake_okta.calls("GET", LIST)] == ["200", "200"]


def test_the_next_page_is_asked_while_the_page_that_named_it_is_checked(
    fake_okta: FakeOkta, admin: FakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        fake_okta.org.add_token()
    fake_okta.set_page_cap(1)
    asked_meanwhile: list[int] = []
    check = _Listed.add

    def slow_check(
        listed: _Listed, answer: Answer, on_page: Callable[[list[TokenMetadata]], None] | None
    ) -> None:
        deadline = time.monotonic() + WAIT
        while len(fake_okta.calls("GET", LIST)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        asked_meanwhile.append(len(fake_okta.calls("GET", LIST)))
        check(listed, answer, on_page)

    monkeypatch.setattr(_Listed, "add", slow_check)

    assert len(api(fake_okta, admin).list()) == 4
    assert asked_meanwhile[0] == 2  # page 2 was answered while page 1 was being checked


def test_on_page_is_given_each_checked_page_in_order(fake_okta: FakeOkta, admin: FakeToken) -> None:
    for _ in range(4):
        fake_okta.org.add_token()
    fake_okta.set_page_cap(2)
    pages: list[list[TokenMetadata]] = []

    tokens = api(fake_okta, admin).list(pages.append)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [token for page in pages for token in page] == tokens
