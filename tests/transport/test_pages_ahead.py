"""List pages fetched ahead: as a page arrives, the next one is asked for when the snapshot's rule would
allow it (one in flight at most, never past the last page, same link rules); a page fetched ahead that
fails ends the listing as a page that fails always did."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from transport_support import api, complete_token

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token._transport.api_tokens import _Pages
from pulumi_okta_token._transport.snapshot import GETS_FIRST, TokenReads
from pulumi_okta_token.errors import OktaTokenError
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

LIST_PATH = "/api/v1/api-tokens"


def list_requests(okta: FakeOkta) -> int:
    return len(okta.calls("GET", LIST_PATH))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


@pytest.fixture
def listing(fake_okta: FakeOkta, admin: FakeToken) -> _Pages:
    """A listing of an org of 450 tokens: three pages of 200."""
    for number in range(449):
        fake_okta.org.add_token(name=f"token-{number}")
    fake_okta.clear_journal()
    return _Pages(api(fake_okta, admin))


def test_a_page_fetched_ahead_is_asked_for_before_the_fetch_that_takes_it(
    fake_okta: FakeOkta, listing: _Pages
) -> None:
    assert len(listing.fetch()) == 200
    listing.fetch_ahead()
    assert wait_until(lambda: list_requests(fake_okta) == 2)

    assert len(listing.fetch()) == 200
    assert list_requests(fake_okta) == 2  # the page was there: no request of its own


def test_one_page_at_most_is_fetched_ahead(fake_okta: FakeOkta, listing: _Pages) -> None:
    listing.fetch()
    listing.fetch_ahead()
    listing.fetch_ahead()
    listing.fetch()
    assert list_requests(fake_okta) == 2


def test_nothing_is_fetched_ahead_past_the_last_page(fake_okta: FakeOkta, listing: _Pages) -> None:
    for _ in range(3):
        listing.fetch_ahead()
        listing.fetch()
    listing.fetch_ahead()
    assert listing.done
    time.sleep(0.2)
    assert list_requests(fake_okta) == 3


def test_a_page_fetched_ahead_that_fails_raises_from_the_fetch_that_takes_it(
    fake_okta: FakeOkta, listing: _Pages
) -> None:
    listing.fetch()
    fake_okta.inject_fault("GET", LIST_PATH, status=403)
    listing.fetch_ahead()
    with pytest.raises(OktaTokenError, match="403"):
        listing.fetch()


PAGE_ENTRY = complete_token("00T" + "a" * 17, "page-entry")
"""A list entry as complete as a GET (the list can answer reads), of a token nobody reads."""


class RecordingListing:
    """One page of tokens nobody reads; the first fetch waits until the test releases it."""

    def __init__(self, release: threading.Event, asked_ahead: list[int]) -> None:
        self._release = release
        self._asked_ahead = asked_ahead
        self.done = False

    def fetch(self) -> list[TokenMetadata]:
        self._release.wait(10)
        return [PAGE_ENTRY]

    def fetch_ahead(self) -> None:
        self._asked_ahead.append(1)


def reads_of(ids: list[str], release: threading.Event, asked_ahead: list[int]) -> Callable[[], None]:
    def get(token_id: str) -> TokenMetadata:
        return TokenMetadata(id=token_id, name="from-a-get")

    reads = TokenReads(get, lambda: RecordingListing(release, asked_ahead))

    def read_all() -> None:
        threads = [threading.Thread(target=reads.read, args=(token_id,)) for token_id in ids]
        for thread in threads:
            thread.start()
        time.sleep(0.3)  # every read has been counted, the first page still on its way
        release.set()
        for thread in threads:
            thread.join(10)

    return read_all


TOKEN_IDS = [f"00T{number:017d}" for number in range(GETS_FIRST + 6)]


def test_the_snapshot_asks_for_the_next_page_ahead_when_its_rule_allows_one_more() -> None:
    asked_ahead: list[int] = []
    reads_of(TOKEN_IDS, threading.Event(), asked_ahead)()
    assert asked_ahead  # 10 reads, 1 page: the rule allows up to 6 pages


def test_the_snapshot_asks_for_no_page_ahead_past_its_rule() -> None:
    asked_ahead: list[int] = []
    reads_of(TOKEN_IDS[: GETS_FIRST + 1], threading.Event(), asked_ahead)()
    assert asked_ahead == []  # 5 reads, 1 page: the rule allows no second one
