"""TokenReads (``OktaApiTokens.read``): reads answered from one list snapshot when the list pays off and the
entry is as good as a GET; otherwise, and for any token written, missing or doubtful, a GET.

Requests are counted in the fake Okta's journal: ``GET /api/v1/api-tokens`` is a list page,
``GET /api/v1/api-tokens/{id}`` a GET of one token. The module's docstring states the rule.

The snapshot's mechanics are tested with list entries as full as a GET's (``org_of`` asks the fake for
them); a real org's shape (``tokenWindow: null``, the fake's default) with and without the state is tested
in its own section below."""

from __future__ import annotations

import pickle
import random
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from transport_support import MISSING_ID, TOKEN_PATHS, api
from transport_support import complete_token as metadata

from pulumi_okta_token._models import NetworkCondition, TokenMetadata, update_body
from pulumi_okta_token._transport import OktaApiTokens, snapshot
from pulumi_okta_token._transport.snapshot import GETS_FIRST, TokenReads
from pulumi_okta_token.errors import NotFound, OktaApiError, OktaTokenError
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken

LIST_PATH = "/api/v1/api-tokens"


def pages(okta: FakeOkta) -> int:
    """List requests (pages) the fake answered."""
    return len(okta.calls("GET", LIST_PATH))


def gets(okta: FakeOkta) -> int:
    """GETs of single tokens the fake answered."""
    return len(okta.calls("GET", TOKEN_PATHS))


def org_of(okta: FakeOkta, admin: FakeToken, size: int) -> list[str]:
    """Fill the org up to ``size`` tokens (the admin's included), listed as full as a GET gives them; their
    ids, oldest first."""
    okta.set_full_list_entries()
    for number in range(size - 1):
        okta.org.add_token(name=f"token-{number}")
    okta.clear_journal()
    return [token.id for token in okta.org.tokens()]


def read_all(client: OktaApiTokens, ids: Sequence[str], threads: int = 1) -> list[TokenMetadata]:
    """Read ``ids`` in order, or from ``threads`` threads at once as the plugin's workers do."""
    if threads == 1:
        return [client.read(token_id) for token_id in ids]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(client.read, ids))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The snapshots' clock, moved by the test (``clock[0]`` seconds)."""
    now = [1000.0]
    monkeypatch.setattr(snapshot, "_now", lambda: now[0])
    yield now


# -- when the list pays off -------------------------------------------------------------------


@pytest.mark.parametrize("stack", [1, 2, 3, 4])
def test_a_stack_of_up_to_four_tokens_makes_one_get_each_and_no_list(
    fake_okta: FakeOkta, admin: FakeToken, stack: int
) -> None:
    ids = org_of(fake_okta, admin, 20)
    read_all(api(fake_okta, admin), ids[:stack], threads=stack)
    assert (gets(fake_okta), pages(fake_okta)) == (stack, 0)


def test_four_reads_in_an_org_of_2000_tokens_page_nothing(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 2000)
    read_all(api(fake_okta, admin), ids[-4:])
    assert (gets(fake_okta), pages(fake_okta)) == (4, 0)


def test_the_fifth_read_takes_the_list_in_pages_of_200(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 50)
    read_all(api(fake_okta, admin), ids[:5])
    assert (gets(fake_okta), [call.query for call in fake_okta.calls("GET", LIST_PATH)]) == (
        GETS_FIRST,
        [{"limit": "200"}],
    )


def test_reads_served_from_the_list_equal_what_gets_give(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 30)[1:]  # not the admin's token: each request moves its expiresAt
    client = api(fake_okta, admin)
    served = read_all(client, ids)
    assert served == [client.get(token_id) for token_id in ids]
    assert (pages(fake_okta), gets(fake_okta)) == (1, GETS_FIRST + len(ids))


def test_500_reads_of_an_org_of_500_cost_the_first_gets_and_the_three_pages(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    ids = org_of(fake_okta, admin, 500)
    random.Random(5).shuffle(ids)
    read_all(api(fake_okta, admin), ids, threads=4)
    assert pages(fake_okta) == 3
    assert gets(fake_okta) <= GETS_FIRST + 1


def test_pages_stay_fewer_than_the_reads_beyond_the_first_four(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 2000)
    read_all(api(fake_okta, admin), ids[-6:])  # on the last page: each page fetched for them is wasted
    assert pages(fake_okta) <= 6 - GETS_FIRST
    assert pages(fake_okta) + gets(fake_okta) <= 2 * 6 - GETS_FIRST


def test_concurrent_reads_wait_for_the_one_list_request_in_flight(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    ids = org_of(fake_okta, admin, 60)
    fake_okta.inject_fault(method="GET", path=LIST_PATH, latency=0.5)
    read_all(api(fake_okta, admin), ids, threads=16)
    assert pages(fake_okta) == 1
    assert gets(fake_okta) == GETS_FIRST


# -- when an entry is not served --------------------------------------------------------------


def test_a_token_written_since_the_snapshot_is_read_again_not_served_stale(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    ids = org_of(fake_okta, admin, 10)
    client = api(fake_okta, admin)
    read_all(client, ids)
    client.update(ids[7], update_body("renamed", None, NetworkCondition(connection="ANYWHERE")))
    fake_okta.clear_journal()
    assert client.read(ids[7]).name == "renamed"
    assert [call.path for call in fake_okta.calls("GET")] == [f"{LIST_PATH}/{ids[7]}"]


def test_a_token_revoked_since_the_snapshot_is_got_and_found_gone(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    ids = org_of(fake_okta, admin, 10)
    client = api(fake_okta, admin)
    read_all(client, ids)
    client.revoke(ids[8])
    with pytest.raises(NotFound):
        client.read(ids[8])


def test_a_list_entry_without_token_window_is_got(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 10)
    fake_okta.set_null_token_window_in_lists()
    tokens = read_all(api(fake_okta, admin), ids)
    assert {token.token_window for token in tokens} == {"P30D"}
    assert (pages(fake_okta), gets(fake_okta)) == (1, len(ids))


def test_a_list_without_token_windows_is_not_asked_again(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 450)
    fake_okta.set_null_token_window_in_lists()
    read_all(api(fake_okta, admin), ids[-20:])
    assert (pages(fake_okta), gets(fake_okta)) == (1, 20)


def test_a_token_missing_from_the_list_is_got_not_dropped(fake_okta: FakeOkta, admin: FakeToken) -> None:
    ids = org_of(fake_okta, admin, 10)
    client = api(fake_okta, admin)
    read_all(client, ids)
    late = fake_okta.org.add_token(name="created-after-the-list")
    fake_okta.clear_journal()
    assert client.read(late.id).name == "created-after-the-list"
    assert (pages(fake_okta), gets(fake_okta)) == (0, 1)


def test_a_token_missing_from_the_list_and_from_okta_is_gone_only_by_oktas_404(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    ids = org_of(fake_okta, admin, 10)
    client = api(fake_okta, admin)
    read_all(client, ids)
    with pytest.raises(NotFound):
        client.read(MISSING_ID)
    fake_okta.inject_fault(method="GET", path=f"{LIST_PATH}/{MISSING_ID}", status=404, html=True)
    with pytest.raises(OktaApiError) as raised:
        client.read(MISSING_ID)
    assert not isinstance(raised.value, NotFound)


def test_the_snapshot_expires_after_30_seconds_and_the_next_reads_start_a_new_one(
    fake_okta: FakeOkta, admin: FakeToken, clock: list[float]
) -> None:
    ids = org_of(fake_okta, admin, 10)
    client = api(fake_okta, admin)
    read_all(client, ids)
    fake_okta.org.update_token(ids[9], name="renamed-in-the-console")
    clock[0] += 30  # SNAPSHOT_SECONDS, as documented
    fake_okta.clear_journal()
    assert client.read(ids[9]).name == "renamed-in-the-console"
    assert (pages(fake_okta), gets(fake_okta)) == (0, 1)


def test_for_30_seconds_the_snapshot_answers_without_a_request(
    fake_okta: FakeOkta, admin: FakeToken, clock: list[float]
) -> None:
    ids = org_of(fake_okta, admin, 10)
    client = api(fake_okta, admin)
    read_all(client, ids[:9])
    clock[0] += 29.9
    fake_okta.clear_journal()
    client.read(ids[9])
    assert fake_okta.calls() == []


def test_a_failed_list_request_ends_listing_and_the_reads_get_their_token(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    ids = org_of(fake_okta, admin, 10)
    fake_okta.inject_fault(method="GET", path=LIST_PATH, status=403, times=None)
    tokens = read_all(api(fake_okta, admin), ids)
    assert [token.id for token in tokens] == ids
    assert (pages(fake_okta), gets(fake_okta)) == (1, len(ids))


def test_read_refuses_an_id_that_is_not_a_token_id_before_any_request(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    with pytest.raises(OktaTokenError, match=r"not an Okta API token id"):
        api(fake_okta, admin).read(admin.id + "\n")
    assert fake_okta.calls() == []


# -- a real org's list (tokenWindow: null) and the state ----------------------------------------


def real_org_of(okta: FakeOkta, admin: FakeToken, size: int) -> dict[str, TokenMetadata]:
    """Fill the org up to ``size`` tokens, listed as a real org lists them (``tokenWindow: null``); each
    token as the state of a stack that adopted it holds it (what a GET gave), oldest first."""
    ids = org_of(okta, admin, size)
    okta.set_null_token_window_in_lists()
    return {token_id: token for token_id in ids if (token := okta.org.token(token_id)) is not None}


def refresh_all(
    client: OktaApiTokens, state: dict[str, TokenMetadata], threads: int = 4
) -> list[TokenMetadata]:
    """Read every token of ``state`` with its stored token, as a refresh does, from ``threads`` threads."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda token_id: client.read(token_id, state[token_id]), state))


def test_a_refresh_against_a_real_shaped_list_is_answered_from_the_list_and_the_state(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    state = real_org_of(fake_okta, admin, 30)
    del state[admin.id]  # each request moves the admin token's expiresAt
    client = api(fake_okta, admin)
    served = refresh_all(client, state, threads=1)
    assert (pages(fake_okta), gets(fake_okta)) == (1, GETS_FIRST)
    assert served == [client.get(token_id) for token_id in state]


def test_a_refresh_of_500_against_a_real_shaped_list_costs_the_first_gets_and_the_three_pages(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    state = real_org_of(fake_okta, admin, 500)
    refresh_all(api(fake_okta, admin), state)
    assert pages(fake_okta) == 3
    assert gets(fake_okta) <= GETS_FIRST + 1


def test_tokens_the_state_knows_nothing_of_are_got_against_a_real_shaped_list(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    state = real_org_of(fake_okta, admin, 30)
    client = api(fake_okta, admin)
    ids = list(state)
    for token_id in ids[:20]:
        client.read(token_id, state[token_id])
    fake_okta.clear_journal()
    tokens = [client.read(token_id) for token_id in ids[20:]]  # an import: no state
    assert {token.token_window for token in tokens} == {"P30D"}
    assert (pages(fake_okta), gets(fake_okta)) == (0, 10)


def test_a_state_disagreeing_with_the_list_on_created_is_got_not_served(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    state = real_org_of(fake_okta, admin, 10)
    ids = list(state)
    state[ids[8]] = state[ids[8]].model_copy(update={"created": "2001-01-01T00:00:00.000Z"})
    client = api(fake_okta, admin)
    served = [client.read(token_id, state[token_id]) for token_id in ids]
    assert served[8].created != "2001-01-01T00:00:00.000Z"
    assert [call.path for call in fake_okta.calls("GET", TOKEN_PATHS)][GETS_FIRST:] == [
        f"{LIST_PATH}/{ids[8]}"
    ]


def test_a_state_without_a_token_window_is_got_against_a_real_shaped_list(
    fake_okta: FakeOkta, admin: FakeToken
) -> None:
    state = real_org_of(fake_okta, admin, 10)
    ids = list(state)
    state[ids[7]] = state[ids[7]].model_copy(update={"token_window": None})
    client = api(fake_okta, admin)
    served = [client.read(token_id, state[token_id]) for token_id in ids]
    assert served[7].token_window == "P30D"
    assert (pages(fake_okta), gets(fake_okta)) == (1, GETS_FIRST + 1)


# -- the answer checks, on list entries (a listing that answers what the test says) -----------

ONE = "00T" + "1" * 17
TWO = "00T" + "2" * 17
OTHERS = ["00T" + f"{n:017d}" for n in range(3, 30)]
"""Ids on no page: a snapshot answers each id once (a second read of one starts a new snapshot)."""


class StubListing:
    """Pages given by the test, fetched in order; counts fetches."""

    def __init__(self, pages: Sequence[Sequence[TokenMetadata]], fetched: list[int]) -> None:
        self._pages = list(pages)
        self._fetched = fetched

    @property
    def done(self) -> bool:
        return self._fetched[0] >= len(self._pages)

    def fetch(self) -> list[TokenMetadata]:
        self._fetched[0] += 1
        return list(self._pages[self._fetched[0] - 1])


class Reads:
    """A ``TokenReads`` over a stub listing and a GET that records the ids it was asked for."""

    def __init__(self, *pages: Sequence[TokenMetadata]) -> None:
        self.got: list[str] = []
        self.fetched = [0]
        self.reads = TokenReads(self._get, lambda: StubListing(pages, self.fetched))

    def _get(self, token_id: str) -> TokenMetadata:
        self.got.append(token_id)
        return metadata(token_id, name="from-a-get")

    def warm_up(self) -> None:
        """The reads that GET before the list is taken."""
        for token_id in OTHERS[:GETS_FIRST]:
            self.reads.read(token_id)
        self.got.clear()

    def read(self, token_id: str) -> TokenMetadata:
        return self.reads.read(token_id).token


def take_both_pages(reads: Reads) -> None:
    """Two reads of ids on no page: the first fetches page 1 and GETs (the pages may not outnumber the
    reads beyond the first ones), the second fetches page 2."""
    reads.read(OTHERS[-1])
    reads.read(OTHERS[-2])
    assert reads.fetched == [2]
    reads.got.clear()


def test_a_complete_list_entry_is_served(clock: list[float]) -> None:
    reads = Reads([metadata(ONE), metadata(TWO)])
    reads.warm_up()
    assert (reads.read(TWO).name, reads.got) == ("svc", [])


def test_a_list_entry_whose_id_is_not_a_token_id_is_not_served(clock: list[float]) -> None:
    odd = ONE + "\n"
    reads = Reads([metadata(odd), metadata(TWO)])
    reads.warm_up()
    assert (reads.read(odd).name, reads.got) == ("from-a-get", [odd])


def test_an_id_listed_twice_with_different_content_is_got(clock: list[float]) -> None:
    reads = Reads([metadata(TWO, name="first")], [metadata(TWO, name="second"), metadata(ONE)])
    reads.warm_up()
    take_both_pages(reads)
    assert (reads.read(TWO).name, reads.got) == ("from-a-get", [TWO])


def test_an_id_listed_twice_alike_is_served(clock: list[float]) -> None:
    reads = Reads([metadata(TWO)], [metadata(TWO), metadata(ONE)])
    reads.warm_up()
    take_both_pages(reads)
    assert (reads.read(TWO).name, reads.got) == ("svc", [])


@pytest.mark.parametrize("missing", ["tokenWindow", "expiresAt", "userId", "network"])
def test_a_list_entry_lacking_a_field_a_get_gives_is_got(clock: list[float], missing: str) -> None:
    reads = Reads([metadata(ONE), metadata(TWO, **{missing: None})])
    reads.warm_up()
    assert (reads.read(TWO).name, reads.got) == ("from-a-get", [TWO])


REAL_WINDOW = {"tokenWindow": None}
"""What a real org's list entry lacks (FACTS.md §1)."""


def test_a_list_entry_lacking_its_window_is_served_with_the_window_the_state_holds(
    clock: list[float],
) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW), metadata(TWO, **REAL_WINDOW)])
    reads.warm_up()
    served = reads.reads.read(TWO, "refresh", metadata(TWO, name="as-stored", tokenWindow="P7D"))
    assert (served.token.name, served.token.token_window, served.from_list, reads.got) == (
        "svc",
        "P7D",
        True,
        [],
    )


def test_a_list_entry_lacking_its_window_is_got_without_a_state(clock: list[float]) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW), metadata(TWO, **REAL_WINDOW)])
    reads.warm_up()
    assert (reads.read(TWO).name, reads.got) == ("from-a-get", [TWO])


@pytest.mark.parametrize("missing", ["expiresAt", "userId", "network", "name", "lastUpdated"])
def test_a_list_entry_lacking_a_field_okta_changes_is_got_even_with_a_state(
    clock: list[float], missing: str
) -> None:
    reads = Reads([metadata(ONE), metadata(TWO, **{missing: None})])
    reads.warm_up()
    assert (reads.reads.read(TWO, "refresh", metadata(TWO)).token.name, reads.got) == (
        "from-a-get",
        [TWO],
    )


@pytest.mark.parametrize("field", ["clientName", "created"])
def test_a_state_disagreeing_on_a_field_okta_never_changes_is_got(clock: list[float], field: str) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW), metadata(TWO, **REAL_WINDOW)])
    reads.warm_up()
    stored = metadata(TWO, **{field: "2000-01-01T00:00:00.000Z" if field == "created" else "Other"})
    assert (reads.reads.read(TWO, "refresh", stored).token.name, reads.got) == ("from-a-get", [TWO])


def test_a_state_of_another_token_completes_nothing(clock: list[float]) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW), metadata(TWO, **REAL_WINDOW)])
    reads.warm_up()
    assert (reads.reads.read(TWO, "refresh", metadata(ONE)).token.name, reads.got) == (
        "from-a-get",
        [TWO],
    )


def test_an_adoption_never_takes_a_field_from_a_state(clock: list[float]) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW), metadata(TWO, **REAL_WINDOW)])
    for token_id in OTHERS[:GETS_FIRST]:
        reads.reads.read(token_id, "adopt")
    assert (reads.reads.read(TWO, "adopt").from_list, reads.got[GETS_FIRST:]) == (False, [TWO])


def test_a_written_token_is_got_even_with_a_state(clock: list[float]) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW), metadata(TWO, **REAL_WINDOW)])
    reads.warm_up()
    reads.reads.written(TWO)
    assert (reads.reads.read(TWO, "refresh", metadata(TWO)).from_list, reads.got) == (False, [TWO])


def test_a_real_shaped_list_is_not_asked_again_for_reads_without_a_state(clock: list[float]) -> None:
    reads = Reads([metadata(ONE, **REAL_WINDOW)], [metadata(TWO, **REAL_WINDOW)])
    reads.warm_up()
    for token_id in OTHERS[GETS_FIRST : GETS_FIRST + 6]:
        reads.read(token_id)
    assert reads.fetched == [1]


def test_the_read_that_fetched_the_page_is_answered_as_new_as_a_get_the_next_is_not(
    clock: list[float],
) -> None:
    reads = Reads([metadata(ONE), metadata(TWO)])
    reads.warm_up()
    first, second = reads.reads.read(ONE), reads.reads.read(TWO)
    assert (first.from_list, first.may_predate_the_read) == (True, False)
    assert (second.from_list, second.may_predate_the_read) == (True, True)


def test_an_answer_by_a_get_never_predates_the_read(clock: list[float]) -> None:
    assert not Reads().reads.read(ONE).may_predate_the_read


def test_a_listing_that_fails_is_not_asked_again_in_the_snapshot(clock: list[float]) -> None:
    fetched = [0]

    class Failing:
        done = False

        def fetch(self) -> list[TokenMetadata]:
            fetched[0] += 1
            raise OktaTokenError("the next-page link leaves the org")

    got: list[str] = []

    def get(token_id: str) -> TokenMetadata:
        got.append(token_id)
        return metadata(token_id)

    reads = TokenReads(get, Failing)
    for token_id in OTHERS[: GETS_FIRST + 5]:
        reads.read(token_id)
    assert (fetched[0], len(got)) == (1, GETS_FIRST + 5)


def test_token_reads_refuse_to_be_pickled(clock: list[float]) -> None:
    with pytest.raises(TypeError, match=r"never pickled"):
        pickle.dumps(Reads().reads)


def test_reads_waiting_for_a_page_that_fails_get_their_token(clock: list[float]) -> None:
    started, release = threading.Event(), threading.Event()

    class Slow:
        done = False

        def fetch(self) -> list[TokenMetadata]:
            started.set()
            release.wait(5)
            raise OktaTokenError("HTTP 502")

    got: list[str] = []
    lock = threading.Lock()

    def get(token_id: str) -> TokenMetadata:
        with lock:
            got.append(token_id)
        return metadata(token_id)

    reads = TokenReads(get, Slow)
    for token_id in OTHERS[:GETS_FIRST]:
        reads.read(token_id)
    results: list[TokenMetadata] = []
    threads = [
        threading.Thread(target=lambda token_id=token_id: results.append(reads.read(token_id).token))
        for token_id in (ONE, TWO, OTHERS[-1])
    ]
    threads[0].start()
    started.wait(5)
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.2)  # the two later reads wait for the page in flight
    release.set()
    for thread in threads:
        thread.join(5)
    assert (len(results), sorted(got[GETS_FIRST:])) == (3, sorted([ONE, TWO, OTHERS[-1]]))
