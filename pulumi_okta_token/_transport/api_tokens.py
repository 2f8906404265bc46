"""The API-token client: get, read, list, update and revoke the tokens of one org, synchronously.

Each call is a few lines over the request layer (``_request.OktaRequests``): check the token id, build
the URL, make the SDK call, and check the answer:

* a token id must be ``00T`` and 17 letters or digits before any URL is built from it;
* token JSON is read with ``models.TokenMetadata``, not the SDK's model (which rejects ``name: null`` or
  an odd ``tokenWindow``); a GET or PUT answered with another token's JSON raises ``WrongTokenAnswer``;
* ``list`` asks ``limit=200`` (``PAGE_LIMIT``, Okta's most) and follows ``Link: <...>; rel="next"``
  pages, each asked as soon as the page before it arrives (one in flight), only within the org, never
  in a loop, and at most ``MAX_PAGES`` pages and ``LIST_TIMEOUTS`` times ``request_timeout`` in all (the
  error says which bound was hit); the list is checked whole: an entry that is no API token (its id is
  not a token id) or one id listed twice with different content refuses the whole list, naming them; an
  id listed twice alike is kept once;
* ``read`` is ``get`` answered, where ``snapshot`` says it pays off and is safe, from one list of the
  org's tokens shared by the client's reads (pages of ``limit=200``, same links rules), an entry a real
  org sends without ``tokenWindow`` completed from the state (``stable_fields``); ``update`` and
  ``revoke`` tell it which tokens were written.

Authorization, the deadline, retries, rate-limit waits and error answers are the request layer's; every
patch of the SDK is ``_sdk``'s. Each public method runs its coroutine through ``_loop.run``.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import functools
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, NoReturn
from urllib.parse import urlsplit

from okta.api.api_token_api import ApiTokenApi
from okta.models.api_token_update import ApiTokenUpdate
from pydantic import ValidationError

from .._models import TOKEN_ID_RE, TokenMetadata
from .._settings import OktaSettings
from ..errors import OktaTokenError, WrongTokenAnswer
from ._answers import Answer, validation_reason
from ._loop import run, start, submit, wait
from ._request import OktaRequests
from .snapshot import PAGE_LIMIT, Call, Served, TokenReads

__all__ = ["LIST_TIMEOUTS", "MAX_PAGES", "OktaApiTokens"]

MAX_PAGES = 1_000
"""The most list pages followed: 200,000 tokens at 200 a page (every listing asks ``limit=200``; a server
that pages smaller reaches this bound sooner)."""
LIST_TIMEOUTS = 10
"""A listing, all its pages, may take this many times ``request_timeout`` (300 s by default)."""
_TOKENS_PATH = "/api/v1/api-tokens"
_A_TOKEN = "an API token"
_TOKENS = "a list of API tokens"


class OktaApiTokens:
    """Get, read, list, update and revoke API tokens of one org. Thread-safe; every call is synchronous."""

    def __init__(self, settings: OktaSettings) -> None:
        self._settings = settings
        self._requests = OktaRequests(settings)
        self._reads = TokenReads(lambda token_id: self.get(token_id), lambda: _Pages(self))
        """Reads answered from one list snapshot where it pays off (``snapshot``)."""

    def __reduce__(self) -> NoReturn:
        raise TypeError("OktaApiTokens holds credentials and is never pickled")

    def __repr__(self) -> str:
        return f"OktaApiTokens({self._settings.org_url!r})"

    def connect_ahead(self) -> None:
        """Start opening the org's connection (TCP, TLS) so the first call does not wait for it; returns
        at once. Sends no request: no credential leaves, nothing is written (``_ahead``)."""
        start(self._requests.connect_ahead)

    def get(self, token_id: str) -> TokenMetadata:
        """The token's metadata; ``NotFound`` when Okta has no active token with that id.

        Raises ``OktaTokenError`` (no request) for an id that is not a token id, and
        ``WrongTokenAnswer`` when the answer is about another token.
        """
        token_id = _checked_token_id(token_id)
        return run(lambda: self._get(token_id))

    def read(self, token_id: str, stored: TokenMetadata | None = None) -> TokenMetadata:
        """The token's metadata as ``get`` gives it, or from the client's list snapshot when the rule of
        ``snapshot`` allows (many reads of one operation within seconds, an entry as complete as a GET, or
        completed by ``stored``'s fields Okta never changes (``stable_fields``), a token this client has
        not written since). ``stored``: the token as the state holds it, ``None`` without one (an import).
        ``NotFound`` only from a GET: a token the list lacks is GOT. For a refresh (or an import); an
        adoption reads with ``read_to_adopt``.
        """
        return self._reads.read(_checked_token_id(token_id), "refresh", stored).token

    def read_to_adopt(self, token_id: str) -> Served:
        """As ``read``, for an adoption (its reads never share a snapshot with a refresh's), saying where
        the answer came from: ``Served.from_list`` when a list entry answered, which may be seconds old."""
        return self._reads.read(_checked_token_id(token_id), "adopt")

    def asked(self, token_id: str, call: Call = "check") -> None:
        """Note a call of the engine about ``token_id`` other than a read (a check, a diff): a snapshot
        that answered it already belongs to an earlier operation and ends, but for a refresh's own diff
        (``snapshot``). No request."""
        if isinstance(token_id, str) and TOKEN_ID_RE.fullmatch(token_id):
            self._reads.asked(token_id, call)

    def list(
        self, on_page: Callable[[builtins.list[TokenMetadata]], None] | None = None
    ) -> list[TokenMetadata]:
        """Every active token of the org, following ``Link rel="next"`` pages (same origin only).

        Each page's request, with its retries, is bounded by ``request_timeout``. ``on_page`` is given
        each page's tokens once that page is checked (on another thread, while the next page is asked):
        the list as a whole may still be refused after it (an id given twice with different content).
        """
        return run(lambda: self._list(on_page))

    def update(self, token_id: str, body: dict[str, Any]) -> TokenMetadata:
        """PUT ``body`` (``models.update_body(...)``) and return the token as Okta now has it.

        Raises ``OktaTokenError`` (no request) for an id that is not a token id, and
        ``WrongTokenAnswer`` when the answer is about another token (the PUT may have been applied).
        """
        token_id = _checked_token_id(token_id)
        self._reads.written(token_id)
        try:
            return run(lambda: self._update(token_id, body))
        finally:
            self._reads.written(token_id)

    def revoke(self, token_id: str) -> None:
        """Revoke the token; ``NotFound`` when it is already gone (the caller decides what that means).

        Raises ``OktaTokenError`` (no request) for an id that is not a token id.
        """
        token_id = _checked_token_id(token_id)
        self._reads.written(token_id)
        try:
            run(lambda: self._revoke(token_id))
        finally:
            self._reads.written(token_id)

    # -- the calls -------------------------------------------------------------------------

    async def _get(self, token_id: str) -> TokenMetadata:
        url = self._requests.url(f"{_TOKENS_PATH}/{token_id}")
        answer = await self._requests.send(
            ApiTokenApi, "GET", url, lambda api, auth: api.get_api_token(token_id, _request_auth=auth)
        )
        return _about(token_id, answer, "GET", url)

    async def _update(self, token_id: str, body: dict[str, Any]) -> TokenMetadata:
        url = self._requests.url(f"{_TOKENS_PATH}/{token_id}")
        try:
            update = ApiTokenUpdate.from_dict(body) or ApiTokenUpdate()
        except ValidationError as exc:
            raise OktaTokenError(f"The PUT body is not an ApiTokenUpdate ({validation_reason(exc)})") from exc
        answer = await self._requests.send(
            ApiTokenApi,
            "PUT",
            url,
            lambda api, auth: api.upsert_api_token(token_id, update, _request_auth=auth),
        )
        return _about(token_id, answer, "PUT", url)

    async def _revoke(self, token_id: str) -> None:
        url = self._requests.url(f"{_TOKENS_PATH}/{token_id}")
        await self._requests.send(
            ApiTokenApi, "DELETE", url, lambda api, auth: api.revoke_api_token(token_id, _request_auth=auth)
        )

    async def _list(
        self, on_page: Callable[[builtins.list[TokenMetadata]], None] | None = None
    ) -> builtins.list[TokenMetadata]:
        """The first page asks ``limit=PAGE_LIMIT``; each next page is asked as soon as the page before
        it arrives (one page in flight at a time, its link checked first), and that page is checked in a
        worker thread meanwhile, so the loop stays free to send and receive the next one."""
        url = self._requests.url(f"{_TOKENS_PATH}?limit={PAGE_LIMIT}")
        links = _NextLinks(self._settings, url)
        listed = _Listed()
        answer = await self._requests.get(url)
        while True:
            following = None if answer.next_url is None else links.follow(answer.next_url)
            ahead = None if following is None else asyncio.ensure_future(self._requests.get(following))
            try:
                await asyncio.to_thread(listed.add, answer, on_page)
            except BaseException:
                await _abandon(ahead)
                raise
            if ahead is None:
                return listed.tokens()
            answer = await ahead


class _NextLinks:
    """The next-page links of one listing, each checked before it is followed: within the org, never one
    already followed, at most ``MAX_PAGES`` pages and ``LIST_TIMEOUTS`` x ``request_timeout`` seconds."""

    def __init__(self, settings: OktaSettings, first: str) -> None:
        self._settings = settings
        self._seen = {first}
        self._started = time.monotonic()

    def follow(self, next_url: str) -> str:
        settings = self._settings
        org = urlsplit(settings.org_url)
        target = urlsplit(next_url)
        shown = _shown(next_url, 120)
        if (target.scheme, target.netloc.lower()) != (org.scheme, org.netloc.lower()):
            raise OktaTokenError(
                f"Okta's next-page link {shown} leaves the org {settings.org_url}; "
                "credentials are not sent there"
            )
        if next_url in self._seen:
            raise OktaTokenError(f"Okta's next-page links loop back to {shown}; the listing cannot finish")
        if len(self._seen) >= MAX_PAGES:
            raise OktaTokenError(
                f"Okta's next-page links go on past {MAX_PAGES} pages, the most a listing follows "
                f"(200,000 tokens at 200 a page), each link new; the listing is not used. Check what answers "
                "for the org URL"
            )
        took = time.monotonic() - self._started
        most = LIST_TIMEOUTS * settings.request_timeout
        if took > most:
            raise OktaTokenError(
                f"Okta's next-page links go on after {len(self._seen)} pages and {took:.0f} s, past "
                f"{most:g} s, the most a listing may take ({LIST_TIMEOUTS} x okta:requestTimeout / "
                "OKTA_REQUEST_TIMEOUT); the listing is not used. Check what answers for the org URL, or "
                "raise the setting"
            )
        self._seen.add(next_url)
        return next_url


class _Listed:
    """The entries of one listing, checked whole (``list``): every entry an API token, no id listed twice
    with different content (an id listed twice alike is kept once)."""

    def __init__(self) -> None:
        self._tokens: dict[str, TokenMetadata] = {}
        self._conflicts: builtins.list[str] = []

    def add(
        self, answer: Answer, on_page: Callable[[builtins.list[TokenMetadata]], None] | None = None
    ) -> None:
        """Check one page and keep its tokens; then ``on_page`` is given them."""
        for item in answer.each(_as_is, _TOKENS):
            _refuse_a_non_token(item, answer.url)
        page = answer.each(TokenMetadata.from_okta_json, _TOKENS)
        for token in page:
            known = self._tokens.get(token.id)
            if known is None:
                self._tokens[token.id] = token
            elif known != token and token.id not in self._conflicts:
                self._conflicts.append(token.id)
        if on_page is not None:
            on_page(page)

    def tokens(self) -> builtins.list[TokenMetadata]:
        if self._conflicts:
            more = len(self._conflicts) - _LISTED_IDS
            ids = ", ".join(self._conflicts[:_LISTED_IDS]) + (f" and {more} more" if more > 0 else "")
            raise OktaTokenError(
                f"Okta's list of API tokens gives {len(self._conflicts)} id(s) twice with different content: "
                f"{ids}; the list is not used (one of the answers would be a lie). Run again; if it repeats, "
                "check what answers for the org URL"
            )
        return list(self._tokens.values())


_LISTED_IDS = 5


def _as_is(item: Any) -> Any:
    return item


def _refuse_a_non_token(item: Any, url: str) -> None:
    """``OktaTokenError`` for a list entry that is no API token (its id is not a token id: a user object,
    say): it refuses the whole list."""
    token_id = item.get("id") if isinstance(item, Mapping) else None
    if not (isinstance(token_id, str) and TOKEN_ID_RE.fullmatch(token_id)):
        raise OktaTokenError(
            f"Okta's list of API tokens ({url}) holds an entry that is not an API token (its id is "
            f"{_shown(token_id)}, not '00T' followed by 17 letters or digits); the list is not used. Check "
            "what answers for the org URL"
        )


class _Pages:
    """One listing for ``TokenReads``: the first page asks ``limit=200``, each next page is the previous
    answer's ``Link rel="next"``, checked as ``list`` checks them (``_NextLinks``).

    **The next page may be fetched ahead** (``fetch_ahead``, which ``TokenReads`` calls as a page arrives
    when its rule would allow one more): the read that needs it then finds it on its way, or there. At
    most one page is in flight, never past the last page, its link checked when the page that gave it
    arrived; a page fetched ahead that fails raises from the ``fetch`` that takes it, as if that ``fetch``
    had asked for it (the listing ends there)."""

    def __init__(self, client: OktaApiTokens) -> None:
        self._client = client
        first = client._requests.url(f"{_TOKENS_PATH}?limit={PAGE_LIMIT}")
        self._next: str | None = first
        self._ahead: Future[Answer] | None = None
        """The next page, asked for ahead (``fetch_ahead``)."""
        self._links = _NextLinks(client._settings, first)

    @property
    def done(self) -> bool:
        return self._next is None

    def fetch(self) -> builtins.list[TokenMetadata]:
        url = self._next
        if url is None:
            raise OktaTokenError("the listing of API tokens has no further page")
        ahead, self._ahead = self._ahead, None
        answer = wait(ahead) if ahead is not None else run(lambda: self._client._requests.get(url))
        tokens = answer.each(TokenMetadata.from_okta_json, _TOKENS)
        following = answer.next_url
        self._next = None if following is None else self._links.follow(following)
        return tokens

    def fetch_ahead(self) -> None:
        """Start fetching the next page, for the next ``fetch``; returns at once. Nothing when there is
        no next page, or it is on its way already."""
        if self._next is not None and self._ahead is None:
            self._ahead = submit(functools.partial(self._client._requests.get, self._next))


async def _abandon(page: asyncio.Future[Answer] | None) -> None:
    """Cancel a next page asked ahead of a listing that failed, and wait for it to end (its answer or
    error no longer matters: the listing already failed)."""
    if page is None:
        return
    page.cancel()
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await page


def _checked_token_id(token_id: object) -> str:
    """``token_id`` when it is a whole Okta API token id; no URL is ever built from anything else."""
    if isinstance(token_id, str) and TOKEN_ID_RE.fullmatch(token_id):
        return token_id
    raise OktaTokenError(
        f"{_shown(token_id)} is not an Okta API token id ('00T' followed by 17 letters or digits, "
        "as in 00T1gtr35t8ZbfBfV1d7); nothing was sent to Okta"
    )


def _shown(value: object, limit: int = 40) -> str:
    """A value for an error message: quoted, control characters escaped, cut to ``limit`` characters."""
    if not isinstance(value, str):
        return f"A value of type {type(value).__name__}"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value)} characters)"


def _about(token_id: str, answer: Answer, method: str, url: str) -> TokenMetadata:
    """The answer's token when it is the one asked for; ``WrongTokenAnswer`` when it carries another id."""
    token = answer.one(TokenMetadata.from_okta_json, _A_TOKEN)
    if token.id == token_id:
        return token
    applied = f"; whether the PUT changed {token_id} is unknown" if method == "PUT" else ""
    raise WrongTokenAnswer(
        f"Okta's answer to {method} {url} is about token {_shown(token.id)}, not {token_id}: a proxy or "
        f"cache may have mixed up answers, or Okta erred. The answer is not used and nothing more is "
        f"sent{applied}. Run the operation again; if it repeats, check what answers for the org URL",
        asked_id=token_id,
        answered_id=token.id,
        method=method,
        url=url,
    )
