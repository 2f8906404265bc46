"""Reads answered from one list of the org's tokens: ``TokenReads`` (issue 10, "one list answers a refresh").

A refresh of N tokens costs N GETs when each read asks for its own token, while one page of
``GET /api/v1/api-tokens?limit=200`` answers for up to 200 tokens. ``TokenReads.read`` answers a read from a
snapshot of that list when the list pays off and the entry is as good as a GET; otherwise it GETs the token.
It knows no HTTP: the client (``api_tokens.OktaApiTokens``) gives it a GET and a way to fetch list pages.

When the list pays off (the rule)
---------------------------------
* The first ``GETS_FIRST`` (4) reads of a snapshot GET their token. A stack of up to four tokens (as many
  as the plugin serves at once) costs one GET per token, as it did without a snapshot, whatever the size of
  the org, and never lists.
* From the 5th read on, a read looks in the pages fetched so far. When its token is not there and the list
  has more pages, the next page (``limit=200``) is fetched only while the pages fetched stay fewer than the
  reads asked beyond the first four; otherwise the token is GOT. Reads arriving while a page is in flight
  wait for it. So the list never has more pages than there were reads it could replace: a read costs at
  most two requests (a page and a GET), a stack of S tokens at most 2S - 4 requests, and a stack that is
  most of the org about 4 + the org's pages.
* A page in which no entry is as good as a GET (real orgs send ``tokenWindow: null`` in list answers) shows
  the list cannot answer reads: this client lists no more, and every read is a GET as before (that one page
  is the whole extra cost).

Measured against the fake Okta (pages of 200; requests for reads from 4 threads, as the plugin serves
them): 1-4 tokens, one GET each in any org; 5 tokens of 200, 5; 5 of 2,000, 5-6; 100 or 500 tokens of
500, 7 (4 GETs + 3 pages); 500 of 1,000, 9; 500 of 2,000, 15-17; 500 of 500 with ``tokenWindow: null``
in the list, 501. At most 5 requests for 500 tokens would need the list from the 3rd read on, and then a
stack of 3 tokens in a large org would cost more than its 3 GETs: the P2 counts were kept instead.

When an entry is served (the safety rules)
------------------------------------------
* Only within the operation that took the snapshot: the plugin is told no operation's start or end, so a
  snapshot ends at each sign that a new one began, and the next read starts a new snapshot (counting its
  reads from one again):

  - a read for another purpose: a snapshot taken by reads of a refresh (``read``) never answers the reads
    of adoptions (``create``), nor the reverse;
  - a second read of a token the snapshot already answered (an operation reads each resource once): a
    refresh after a refresh in the same process;
  - any other call of the engine (check, diff) about a token the snapshot already answered (``asked``):
    an ``up`` after the ``up`` or ``refresh`` that took it;
  - ``SNAPSHOT_SECONDS`` (30) after the snapshot's first read, whatever came.

  So a long-lived plugin process (the package's ``PluginEngine`` runs every operation in one by default)
  answers a refresh after an ``up`` from a list taken by that refresh, never from the ``up``'s.
* Never for a token this client has written (PUT or DELETE) since the snapshot began: ``written`` is
  called before and after each write, and that token is GOT for the rest of the snapshot.
* Only when the entry carries every field a GET gives (``TokenMetadata``'s fields, none null); otherwise
  the token is GOT.
* Only for an entry whose ``id`` is a whole token id and that the list gave once, or every time with the
  same content: entries with other ids are dropped; an id listed twice with different content shows the
  list cannot be trusted, and no entry of the snapshot is served from then on (every read GETs).
* A token the list does not hold is GOT: only Okta's 404 E0000007 to that GET says it is gone.
* A page that fails, whatever the failure (an error answer, JSON that is not a list of tokens or nested
  too deep to read, a ``Link`` header that cannot be read, a next-page link leaving the org, looping or
  past the bounds of ``api_tokens``, a body over ``okta:maxResponseBytes``, any exception), ends listing
  for the snapshot; the reads waiting for it GET their token, and the GET's own error, if any, is the one
  reported.
* Each answer says where it came from (``Served``: the snapshot's number, or a GET), so a caller about to
  write a field it did not declare knows to GET the token first, whatever snapshot is current by then.

Concurrent reads wait for the one page request in flight (single-flight); the state is guarded by one
lock, per client (the provider keeps one client per plugin process), and never pickled. As a page
arrives, the next one is asked for at once (``Listing.fetch_ahead``) when the rule would allow it then
(the reads beyond the first four outnumber the pages): the read that needs it does not wait a round trip
more, and the pages stay within the rule.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, NoReturn, Protocol

from .._models import TOKEN_ID_RE, TokenMetadata

__all__ = ["GETS_FIRST", "PAGE_LIMIT", "SNAPSHOT_SECONDS", "Listing", "Purpose", "Served", "TokenReads"]

GETS_FIRST = 4
"""Reads of a snapshot answered by a GET before the list is taken (a stack this small never lists)."""

PAGE_LIMIT = 200
"""Tokens asked per list page (``limit``); the largest Okta's API documented for this list."""

SNAPSHOT_SECONDS = 30.0
"""How long after its first read a snapshot's entries may answer reads."""

_LOG = logging.getLogger("pulumi_okta_token._transport")


class Listing(Protocol):
    """The pages of one listing of the org's tokens, fetched one at a time (``api_tokens`` makes them)."""

    @property
    def done(self) -> bool:
        """Whether the last page has been fetched (no next page)."""
        ...

    def fetch(self) -> list[TokenMetadata]:
        """The next page's tokens; raises ``OktaTokenError`` when the page cannot be had or trusted."""
        ...

    def fetch_ahead(self) -> None:
        """Start fetching the next page for the next ``fetch``, without waiting (no page: nothing)."""
        ...


Purpose = Literal["refresh", "adopt"]
"""What a read is for: a refresh (or import) reads a token; an adoption reads it before it may PUT."""


@dataclass(frozen=True)
class Served:
    """A token as a read answered it, and where the answer came from."""

    token: TokenMetadata
    snapshot: int | None = None
    """The number of the snapshot whose list answered; ``None``: a GET of the token answered."""

    @property
    def from_list(self) -> bool:
        """Whether a list entry answered (it may be as old as its snapshot), not a GET."""
        return self.snapshot is not None


_numbers = itertools.count(1)


@dataclass
class _Snapshot:
    """One snapshot: its reads and pages, the entries it may serve, the ids it must not serve."""

    started: float
    purpose: Purpose = "refresh"
    number: int = field(default_factory=lambda: next(_numbers))
    answered: set[str] = field(default_factory=set)
    """The ids read in it: a read of one again, or another call about one, starts a later operation."""
    distrusted: bool = False
    """A page listed one id twice with different content: no entry is served."""
    listing: Listing | None = None
    reads: int = 0
    pages: int = 0
    fetching: bool = False
    ended: bool = False
    """Listing failed or the last page is in."""
    entries: dict[str, TokenMetadata] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)
    """Ids listed but never served: incomplete entries, ids listed twice with different content."""
    written: set[str] = field(default_factory=set)

    def add(self, tokens: Iterable[TokenMetadata]) -> None:
        """Take a page's entries."""
        for token in tokens:
            if not TOKEN_ID_RE.fullmatch(token.id):
                continue  # never served: no read asks for an id that is not a token id
            known = self.entries.get(token.id)
            if known is not None and known != token:
                self.distrusted = True  # one of the two entries is a lie: neither list entry is believed
                _LOG.debug("the list gives %s twice with different content; reads GET their token", token.id)
            if (known is not None and known != token) or not _as_good_as_a_get(token):
                self.refused.add(token.id)  # GOT instead; a refusal is never lifted in this snapshot
            else:
                self.entries[token.id] = token

    def entry(self, token_id: str) -> TokenMetadata | None:
        if self.distrusted or token_id in self.written or token_id in self.refused:
            return None
        return self.entries.get(token_id)

    def listed(self, token_id: str) -> bool:
        """Whether the pages so far had this id (served or not): no further page is needed for it."""
        return token_id in self.entries or token_id in self.refused


class TokenReads:
    """Reads of tokens by id, answered from one list snapshot when the module's rule allows, else by GET.

    ``get`` is the client's GET of one token (raising ``NotFound`` when it is gone); ``start_listing``
    begins a new listing of the org's tokens. Thread-safe.
    """

    def __init__(self, get: Callable[[str], TokenMetadata], start_listing: Callable[[], Listing]) -> None:
        self._get = get
        self._start_listing = start_listing
        self._changed = threading.Condition()
        self._snapshot: _Snapshot | None = None
        self._list_lacks_fields = False
        """A page had no entry as good as a GET: this org's list cannot answer reads."""

    def __reduce__(self) -> NoReturn:
        raise TypeError("TokenReads belongs to one process and is never pickled")

    def read(self, token_id: str, purpose: Purpose = "refresh") -> Served:
        """The token as the snapshot or a GET has it, and which of them answered; ``token_id`` must
        already be checked whole."""
        with self._changed:
            snapshot = self._current(token_id, purpose)
            snapshot.reads += 1
            from_list = snapshot.reads > GETS_FIRST and not self._list_lacks_fields
        if from_list:
            entry = self._from_list(snapshot, token_id)
            if entry is not None:
                return Served(entry, snapshot.number)
        return Served(self._get(token_id))

    def asked(self, token_id: str) -> None:
        """Note another call of the engine about ``token_id`` (a check, a diff): when the snapshot has
        answered that token already, the call belongs to a later operation, and the snapshot ends."""
        with self._changed:
            if self._snapshot is not None and token_id in self._snapshot.answered:
                self._snapshot = None
                self._changed.notify_all()

    def written(self, token_id: str) -> None:
        """Note a PUT or DELETE of ``token_id`` (call it before and after): the snapshot stops serving it."""
        with self._changed:
            if self._snapshot is not None:
                self._snapshot.written.add(token_id)

    # -- the snapshot -----------------------------------------------------------------------

    def _current(self, token_id: str, purpose: Purpose) -> _Snapshot:
        """The live snapshot for a read of ``token_id``, a new one when there is none, it is too old, it
        was taken for another purpose, or it answered this token already (call with the lock held)."""
        now = _now()
        snapshot = self._snapshot
        if (
            snapshot is None
            or now - snapshot.started >= SNAPSHOT_SECONDS
            or snapshot.purpose != purpose
            or token_id in snapshot.answered
        ):
            snapshot = self._snapshot = _Snapshot(started=now, purpose=purpose)
            self._changed.notify_all()  # reads waiting for a page of the old one stop waiting
        snapshot.answered.add(token_id)
        return snapshot

    def _from_list(self, snapshot: _Snapshot, token_id: str) -> TokenMetadata | None:
        """The snapshot's entry for ``token_id``, fetching pages as the rule allows; None: GET it."""
        while True:
            with self._changed:
                listing = self._next_page_or_none(snapshot, token_id)
                if listing is None:
                    return snapshot.entry(token_id) if self._fresh(snapshot) else None
                snapshot.fetching = True
                snapshot.pages += 1
            self._fetch(snapshot, listing)

    def _next_page_or_none(self, snapshot: _Snapshot, token_id: str) -> Listing | None:
        """The listing to fetch the next page from, or None when the pages so far must do (lock held).

        Waits while another read fetches a page of this snapshot."""
        while snapshot.fetching and self._fresh(snapshot):
            self._changed.wait(timeout=max(0.0, snapshot.started + SNAPSHOT_SECONDS - _now()))
        if not self._fresh(snapshot) or snapshot.listed(token_id) or token_id in snapshot.written:
            return None
        if snapshot.ended or snapshot.distrusted or self._list_lacks_fields:
            return None
        if snapshot.pages >= snapshot.reads - GETS_FIRST:
            return None
        if snapshot.listing is None:
            snapshot.listing = self._start_listing()
        return snapshot.listing

    def _fetch(self, snapshot: _Snapshot, listing: Listing) -> None:
        """Fetch one page into ``snapshot``; any failure ends its listing (the reads then GET)."""
        tokens: list[TokenMetadata] | None = None
        try:
            tokens = listing.fetch()
        except Exception as error:  # whatever the page did (ValueError, RecursionError, ...): GET instead
            _LOG.debug("listing tokens stopped, reads GET their token instead: %s", type(error).__name__)
        finally:
            with self._changed:
                snapshot.fetching = False
                if tokens is None:
                    snapshot.ended = True
                else:
                    snapshot.add(tokens)
                    snapshot.ended = listing.done
                    if tokens and not any(_as_good_as_a_get(token) for token in tokens):
                        self._list_lacks_fields = True
                        _LOG.debug("list entries lack fields a GET gives; reads GET their token instead")
                    if self._may_fetch_more(snapshot):
                        listing.fetch_ahead()  # the page the rule allows next is on its way already
                self._changed.notify_all()

    def _may_fetch_more(self, snapshot: _Snapshot) -> bool:
        """Whether the rule allows one more page now (lock held): reads beyond the first four outnumber
        the pages, and the list can still answer."""
        if snapshot.ended or snapshot.distrusted or self._list_lacks_fields or not self._fresh(snapshot):
            return False
        return snapshot.pages < snapshot.reads - GETS_FIRST

    def _fresh(self, snapshot: _Snapshot) -> bool:
        return snapshot is self._snapshot and _now() - snapshot.started < SNAPSHOT_SECONDS


def _as_good_as_a_get(token: TokenMetadata) -> bool:
    """Whether a list entry carries every field a GET of the token gives (none of them null)."""
    return all(getattr(token, name) is not None for name in TokenMetadata.model_fields)


def _now() -> float:
    """The clock snapshots are aged by (tests replace it)."""
    return time.monotonic()
