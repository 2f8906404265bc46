"""Faults that answer a list (or any request) in ways no honest Okta would: one token id on two pages, an
entry that is no token, ``next`` links that never end or cannot be parsed, JSON nested too deep to read, a
body too large to read, a ``Retry-After`` far beyond any wait (issue 17's hostile answers).

Each is a kind of fault like those of ``faults.py`` (registered there with ``_fault_kind``, selected by its
keyword in ``FakeOkta.inject_fault``), kept in this module of its own; ``fake.py`` imports it. The list
faults default to ``GET /api/v1/api-tokens`` and change the org's own page (``Fault.alter``), so what they
add sits among the real entries and the real ``Link`` headers.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from aiohttp import web

from .faults import _ERROR_CODES, Exchange, Fault, _check_status, _fault_kind
from .wire import NO_DATE, base_url, json_response, okta_error, token_json

__all__ = [
    "DuplicateListEntry",
    "EndlessNextLinks",
    "ExtraListEntry",
    "HugeRetryAfter",
    "MalformedLink",
    "NestedJson",
    "OversizedBody",
]

TOKENS_PATH = "/api/v1/api-tokens"
_NEXT = 'rel="next"'
_pages = itertools.count(1)


@dataclass(kw_only=True)
class _ListFault(Fault):
    """A fault on ``GET /api/v1/api-tokens`` unless told another method or path."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.path is None:
            self.path = TOKENS_PATH
        if self.method is None:
            self.method = "GET"


def _items(response: web.Response) -> list[Any] | None:
    """The JSON array of a real list answer, or None when it is not one (an error answer)."""
    if response.status != 200 or not isinstance(response.body, bytes):
        return None
    items = json.loads(response.body)
    return items if isinstance(items, list) else None


def _with_items(response: web.Response, items: list[Any]) -> web.Response:
    response.body = json.dumps(items).encode()
    return response


def _with_next(response: web.Response, target: str) -> web.Response:
    """``response`` with its ``rel="next"`` link replaced by ``target``."""
    kept = [link for link in response.headers.getall("Link", []) if _NEXT not in link]
    response.headers.popall("Link", None)
    for link in kept:
        response.headers.add("Link", link)
    response.headers.add("Link", f"<{target}>; {_NEXT}")
    return response


@_fault_kind
@dataclass(kw_only=True)
class DuplicateListEntry(_ListFault):
    """``list_duplicate="00T..."``: the list page as the org gives it, plus that token's entry once more
    (shaped as the list's entries: ``tokenWindow: null`` unless the fake gives whole entries), named
    ``duplicate_name`` (its own name when None: an identical copy). Inject it after the page that
    holds the token was served to list one id on two pages.
    """

    keyword: ClassVar[str | None] = "list_duplicate"
    list_duplicate: str | None = None
    duplicate_name: str | None = None

    def bind(self, org: Any) -> None:
        if org.token(self.list_duplicate or "") is None:
            raise ValueError(f"list_duplicate={self.list_duplicate!r} is not an active token of the fake org")

    def alter(self, response: web.Response, exchange: Exchange) -> web.Response:
        items = _items(response)
        token = exchange.org.token(self.list_duplicate or "")
        if items is None or token is None:
            return response
        entry = token_json(token, base_url(exchange.request))
        if exchange.null_token_window_in_lists:
            entry["tokenWindow"] = None  # shaped as the list's own entries
        if self.duplicate_name is not None:
            entry["name"] = self.duplicate_name
        return _with_items(response, [*items, entry])


@_fault_kind
@dataclass(kw_only=True)
class ExtraListEntry(_ListFault):
    """``extra_entry={...}``: the list page as the org gives it, plus this JSON object (a user object with
    an ``id``, say: something that is no API token).
    """

    keyword: ClassVar[str | None] = "extra_entry"
    extra_entry: dict[str, Any] | None = None

    def alter(self, response: web.Response, exchange: Exchange) -> web.Response:
        items = _items(response)
        if items is None:
            return response
        return _with_items(response, [*items, dict(self.extra_entry or {})])


@_fault_kind
@dataclass(kw_only=True)
class EndlessNextLinks(_ListFault):
    """``endless_next=True``: every list page links a ``next`` page never seen before (``after`` a new
    cursor each time); the first page holds the org's tokens, every later one none. Give ``times=None``
    for a listing that never ends.
    """

    keyword: ClassVar[str | None] = "endless_next"
    endless_next: bool = False

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        if "after" not in exchange.request.query:
            return None  # the first page: the org's own, its next link replaced in alter
        return _with_next(json_response(200, [], exchange.rate_headers), self._target(exchange))

    def alter(self, response: web.Response, exchange: Exchange) -> web.Response:
        return _with_next(response, self._target(exchange)) if response.status == 200 else response

    @staticmethod
    def _target(exchange: Exchange) -> str:
        return f"{base_url(exchange.request)}{TOKENS_PATH}?after=endless{next(_pages)}&limit=200"


@_fault_kind
@dataclass(kw_only=True)
class MalformedLink(_ListFault):
    """``malformed_link=True``: the list page as the org gives it, with a ``Link`` header whose next
    target is no URL at all (``<http://[::1/>``: HTTP clients raise ``ValueError`` reading it).
    """

    keyword: ClassVar[str | None] = "malformed_link"
    malformed_link: bool = False

    def alter(self, response: web.Response, exchange: Exchange) -> web.Response:
        return _with_next(response, "http://[::1/") if response.status == 200 else response


@_fault_kind
@dataclass(kw_only=True)
class NestedJson(Fault):
    """``nested_json=N``: answer 200 with a JSON array nested ``N`` levels deep (``[[[...]]]``: a parser
    that recurses gives up around 1,000 to 100,000 levels).
    """

    keyword: ClassVar[str | None] = "nested_json"
    nested_json: int = 0

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        depth = max(self.nested_json, 1)
        body = b"[" * depth + b"]" * depth
        headers = {**exchange.rate_headers, "Content-Type": "application/json"}
        return web.Response(status=200, body=body, headers=headers)


@_fault_kind
@dataclass(kw_only=True)
class OversizedBody(Fault):
    """``body_bytes=N``: answer 200 with a JSON array of ``N`` bytes (an empty array padded with spaces,
    with its ``Content-Length``).
    """

    keyword: ClassVar[str | None] = "body_bytes"
    body_bytes: int = 0

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        size = max(self.body_bytes, 2)
        body = b"[" + b" " * (size - 2) + b"]"
        headers = {**exchange.rate_headers, "Content-Type": "application/json"}
        return web.Response(status=200, body=body, headers=headers)


@_fault_kind
@dataclass(kw_only=True)
class HugeRetryAfter(Fault):
    """``retry_after=S``: answer ``status`` (429 by default) in Okta's error JSON with ``Retry-After: S``
    and neither ``X-Rate-Limit-Reset`` nor ``Date`` (nothing else says when to come back).
    """

    keyword: ClassVar[str | None] = "retry_after"
    retry_after: float | None = None
    status: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.status is not None:
            _check_status(self.status)

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        status = self.status or 429
        headers = {key: value for key, value in exchange.rate_headers.items() if key != "X-Rate-Limit-Reset"}
        headers[NO_DATE] = "1"
        headers["Retry-After"] = f"{self.retry_after:g}"
        return okta_error(status, _ERROR_CODES.get(status, "E0000009"), headers=headers)
