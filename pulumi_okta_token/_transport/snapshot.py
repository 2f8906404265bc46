"""Reads answered from one list of the org's tokens: ``TokenReads`` (issue 10, "one list answers a refresh").

A refresh of N tokens costs N GETs when each read asks for its own token, while one page of
``GET /api/v1/api-tokens?limit=200`` answers for up to 200 tokens. ``TokenReads.read`` answers a read from a
snapshot of that list when the list pays off and the entry is as good as a GET (itself, or completed from
the state: ``stable_fields``); otherwise it GETs the token.
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
  the list answers only reads that bring the state's stable fields (``stable_fields``: a refresh's reads of
  tokens the state holds); reads without them (an import, an adoption) GET their token and never ask for a
  page. A page in which no entry lacks only stable fields shows the list cannot answer any read: this
  client lists no more, and every read is a GET as before (that one page is the whole extra cost).

Measured against the fake Okta (pages of 200; requests for reads from 4 threads, as the plugin serves
them): 1-4 tokens, one GET each in any org; 5 tokens of 200, 5; 5 of 2,000, 5-6; 100 or 500 tokens of
500, 7 (4 GETs + 3 pages); 500 of 1,000, 9; 500 of 2,000, 15-17; 500 of 500 with ``tokenWindow: null``
in the list and no state (an import, an adoption), 501 (1 page + 500 GETs); the same with the state (a
refresh), 7 (4 GETs + 3 pages). At most 5 requests for 500 tokens would need the list from the 3rd read
on, and then a stack of 3 tokens in a large org would cost more than its 3 GETs: the P2 counts were kept
instead.

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
    an ``up`` after the ``up`` or ``refresh`` that took it. One exception: the ``Diff`` the CLI sends
    after each ``Read`` of a refresh (v3.276.0, ``pkg/resource/deploy/step.go#L1835-1861``: the diff a
    no-change ``up`` would show, unless ``PULUMI_ENABLE_LEGACY_REFRESH_DIFF``) is part of that refresh: a
    snapshot taken for reads of a refresh lets one diff per token it answered pass; a check, or a second
    diff of that token, ends it. Without the exception a refresh through the real CLI ended its snapshot
    at each Diff, and 500 tokens cost about 80 pages and 400 GETs instead of 3 pages and 4 GETs;
  - ``SNAPSHOT_SECONDS`` (30) after the snapshot's first read, whatever came.

  So a plugin process serving several operations (the package's ``PluginEngine`` in its one-process
  mode) answers a refresh after an ``up`` from a list taken by that refresh, never from the ``up``'s.
* Never for a token this client has written (PUT or DELETE) since the snapshot began: ``written`` is
  called before and after each write, and that token is GOT for the rest of the snapshot.
* Only when the entry carries every field a GET gives (``TokenMetadata``'s fields, none null), or lacks
  only fields Okta never changes for a token id and the read brings them from the state for that same id
  (``stable_fields`` says which fields, and why: ``tokenWindow``, ``clientName``, ``created``); when the
  state and the entry disagree on one of those fields, or the state lacks one the entry lacks, the token
  is GOT. Otherwise the token is GOT.
* Only for an entry whose ``id`` is a whole token id and that the list gave once, or every time with the
  same content: entries with other ids are dropped; an id listed twice with different content shows the
  list cannot be trusted, and no entry of the snapshot is served from then on (every read GETs).
* A token the list does not hold is GOT: only Okta's 404 E0000007 to that GET says it is gone.
* A page that fails, whatever the failure (an error answer, JSON that is not a list of tokens or nested
  too deep to read, a ``Link`` header that cannot be read, a next-page link leaving the org, looping or
  past the bounds of ``api_tokens``, a body over ``okta:maxResponseBytes``, any exception), ends listing
  for the snapshot; the reads waiting for it GET their token, and the GET's own error, if any, is the one
  reported.
* Each answer says where it came from (``Served``: the snapshot's number, or a GET) and whether the page
  that answered was requested after the read was asked (``Served.may_predate_the_read``): a caller about
  to write a field it did not declare GETs the token first when the answer may be older than its read,
  whatever snapshot is current by then. The page a read itself fetched is as new as a GET sent then.

An adoption that will PUT an undeclared field, and a fresh list (why it GETs)
-----------------------------------------------------------------------------
Its read must not be older than the read itself (``may_predate_the_read``). A fresh list answers that only
for reads asked before its first page was requested, so it replaces GETs only for drifting adoptions that
wait at the same moment, and only when they outnumber its pages (3 for 500 tokens). The dynamic-provider
host serves 4 calls at once, and 1 in 10 drifting is about 0.4 of them waiting at once: a fresh list would
cost more than the GETs it replaced. (A plugin serving every call the engine sends at once could gather a
wave's drifting adoptions behind one fresh list; that needs a rule for how long one waits for the others,
and is not built.) Measured against the fake (500 tokens, 50 drifting by name, network undeclared, 4
threads, no rate limit): whole list entries, 3 pages + 52 GETs (the first 4, and 48 drifting tokens GOT
again; the 2 whose own read requested their page were not) + 50 PUTs = 105; real-shaped entries (no state
to complete them), 1 page + 500 GETs + 50 PUTs = 551, none GOT twice. Within issue 19's target (1 list +
50 PUTs + the pages) only if a list entry taken earlier in the operation could be written back, which this
rule forbids.

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
from .stable_fields import STABLE_FIELDS, completed, lacks_only_stable_fields, missing_fields

__all__ = [
    "GETS_FIRST",
    "PAGE_LIMIT",
    "SNAPSHOT_SECONDS",
    "Call",
    "Listing",
    "Purpose",
    "Served",
    "TokenReads",
]

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
Call = Literal["check", "diff"]
"""An engine call about a token other than a read, as ``TokenReads.asked`` is told of it."""
"""What a read is for: a refresh (or import) reads a token; an adoption reads it before it may PUT."""


@dataclass(frozen=True)
class Served:
    """A token as a read answered it, and where the answer came from."""

    token: TokenMetadata
    snapshot: int | None = None
    """The number of the snapshot whose list answered; ``None``: a GET of the token answered."""
    listed_after_read: bool = False
    """A list entry answered from a page requested after this read was asked: as new as a GET sent then."""

    @property
    def from_list(self) -> bool:
        """Whether a list entry answered (it may be as old as its snapshot), not a GET."""
        return self.snapshot is not None

    @property
    def may_predate_the_read(self) -> bool:
        """Whether the answer may be older than the read: a list entry from a page requested before the
        read was asked (a GET, or the page this read itself waited for, is not)."""
        return self.from_list and not self.listed_after_read


_numbers = itertools.count(1)
_moments = itertools.count(1)
"""The order of reads asked and pages requested (taken with the lock held): no clock can tie them."""


@dataclass
class _Snapshot:
    """One snapshot: its reads and pages, the entries it may serve, the ids it must not serve."""

    started: float
    purpose: Purpose = "refresh"
    number: int = field(default_factory=lambda: next(_numbers))
    answered: set[str] = field(default_factory=set)
    diffed: set[str] = field(default_factory=set)
    """The ids answered by this refresh snapshot whose refresh ``Diff`` came (the one diff it lets pass)."""
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
    listed_at: dict[str, int] = field(default_factory=dict)
    """The moment (``_moments``) the first page giving each id was requested."""
    ahead_requested: int | None = None
    """The moment the next page was asked for ahead of the read that will take it (``fetch_ahead``): that
    page is as old as this moment, not as the read that takes it."""

    def add(self, tokens: Iterable[TokenMetadata], requested: int) -> None:
        """Take the entries of a page requested at moment ``requested``."""
        for token in tokens:
            if not TOKEN_ID_RE.fullmatch(token.id):
                continue  # never served: no read asks for an id that is not a token id
            self.listed_at.setdefault(token.id, requested)
            known = self.entries.get(token.id)
            if known is not None and known != token:
                self.distrusted = True  # one of the two entries is a lie: neither list entry is believed
                _LOG.debug("the list gives %s twice with different content; reads GET their token", token.id)
            if (known is not None and known != token) or not lacks_only_stable_fields(token):
                self.refused.add(token.id)  # GOT instead; a refusal is never lifted in this snapshot
            else:
                self.entries[token.id] = token

    def entry(self, token_id: str, stored: TokenMetadata | None) -> TokenMetadata | None:
        """The entry for ``token_id`` as good as a GET (completed from ``stored``, the state's token, where
        ``stable_fields`` allows), or None: GET it."""
        if self.distrusted or token_id in self.written or token_id in self.refused:
            return None
        entry = self.entries.get(token_id)
        return None if entry is None else completed(entry, stored)

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
        self._list_needs_state = False
        """A page had no entry as good as a GET: this org's list answers only reads that bring the state's
        stable fields (a real org's, ``tokenWindow: null``)."""
        self._list_cannot_answer = False
        """A page had no entry the state could complete: this org's list cannot answer reads at all."""

    def __reduce__(self) -> NoReturn:
        raise TypeError("TokenReads belongs to one process and is never pickled")

    def read(
        self, token_id: str, purpose: Purpose = "refresh", stored: TokenMetadata | None = None
    ) -> Served:
        """The token as the snapshot or a GET has it, and which of them answered; ``token_id`` must
        already be checked whole. ``stored``: the token as the state holds it (a refresh's), whose stable
        fields may complete a list entry (``stable_fields``); ``None`` when there is no state."""
        with self._changed:
            asked = next(_moments)
            snapshot = self._current(token_id, purpose)
            snapshot.reads += 1
            from_list = snapshot.reads > GETS_FIRST and self._list_may_answer(stored)
        if from_list:
            entry = self._from_list(snapshot, token_id, stored)
            if entry is not None:
                with self._changed:
                    listed_after_read = snapshot.listed_at.get(token_id, 0) > asked
                return Served(entry, snapshot.number, listed_after_read)
        return Served(self._get(token_id))

    def asked(self, token_id: str, call: Call = "check") -> None:
        """Note another call of the engine about ``token_id`` (a check, a diff): when the snapshot has
        answered that token already, the call belongs to a later operation, and the snapshot ends; except
        the first diff of a token a refresh snapshot answered, which is that refresh's own (see the rule)."""
        with self._changed:
            snapshot = self._snapshot
            if snapshot is None or token_id not in snapshot.answered:
                return
            if call == "diff" and snapshot.purpose == "refresh" and token_id not in snapshot.diffed:
                snapshot.diffed.add(token_id)
                return
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

    def _list_may_answer(self, stored: TokenMetadata | None) -> bool:
        """Whether this org's list, as its pages showed it so far, may answer a read bringing ``stored``
        (lock held): entries as good as a GET answer any read; entries lacking only stable fields answer
        reads whose state holds every stable field."""
        if self._list_cannot_answer:
            return False
        return not self._list_needs_state or (
            stored is not None and not missing_fields(stored) & STABLE_FIELDS
        )

    def _from_list(
        self, snapshot: _Snapshot, token_id: str, stored: TokenMetadata | None
    ) -> TokenMetadata | None:
        """The snapshot's entry for ``token_id``, fetching pages as the rule allows; None: GET it."""
        while True:
            with self._changed:
                listing = self._next_page_or_none(snapshot, token_id, stored)
                if listing is None:
                    return snapshot.entry(token_id, stored) if self._fresh(snapshot) else None
                snapshot.fetching = True
                snapshot.pages += 1
                requested = next(_moments)
                if snapshot.ahead_requested is not None:  # the page was asked for before this read took it
                    requested, snapshot.ahead_requested = snapshot.ahead_requested, None
            self._fetch(snapshot, listing, requested, stored)

    def _next_page_or_none(
        self, snapshot: _Snapshot, token_id: str, stored: TokenMetadata | None
    ) -> Listing | None:
        """The listing to fetch the next page from, or None when the pages so far must do (lock held).

        Waits while another read fetches a page of this snapshot."""
        while snapshot.fetching and self._fresh(snapshot):
            self._changed.wait(timeout=max(0.0, snapshot.started + SNAPSHOT_SECONDS - _now()))
        if not self._fresh(snapshot) or snapshot.listed(token_id) or token_id in snapshot.written:
            return None
        if snapshot.ended or snapshot.distrusted or not self._list_may_answer(stored):
            return None
        if snapshot.pages >= snapshot.reads - GETS_FIRST:
            return None
        if snapshot.listing is None:
            snapshot.listing = self._start_listing()
        return snapshot.listing

    def _fetch(
        self, snapshot: _Snapshot, listing: Listing, requested: int, stored: TokenMetadata | None
    ) -> None:
        """Fetch one page, requested at moment ``requested``, into ``snapshot``, for a read bringing
        ``stored`` (asking the next page ahead when the rule allows it for such a read); any failure ends its
        listing (the reads then GET)."""
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
                    snapshot.add(tokens, requested)
                    snapshot.ended = listing.done
                    if tokens and all(missing_fields(token) for token in tokens):
                        self._list_needs_state = True
                        _LOG.debug("list entries lack fields a GET gives; reads without the state GET")
                    if tokens and not any(lacks_only_stable_fields(token) for token in tokens):
                        self._list_cannot_answer = True
                        _LOG.debug("list entries lack fields the state cannot give; reads GET their token")
                    if self._may_fetch_more(snapshot, stored):
                        snapshot.ahead_requested = next(_moments)
                        listing.fetch_ahead()  # the page the rule allows next is on its way already
                self._changed.notify_all()

    def _may_fetch_more(self, snapshot: _Snapshot, stored: TokenMetadata | None) -> bool:
        """Whether the rule allows one more page now (lock held): reads beyond the first four outnumber
        the pages, and the list can still answer reads like the one that fetched this page (one without
        state never reads a real-shaped list, so it never asks a page ahead for one)."""
        if (
            snapshot.ended
            or snapshot.distrusted
            or not self._list_may_answer(stored)
            or not self._fresh(snapshot)
        ):
            return False
        return snapshot.pages < snapshot.reads - GETS_FIRST

    def _fresh(self, snapshot: _Snapshot) -> bool:
        return snapshot is self._snapshot and _now() - snapshot.started < SNAPSHOT_SECONDS


def _now() -> float:
    """The clock snapshots are aged by (tests replace it)."""
    return time.monotonic()
