"""The faults a test injects: each kind of bad answer is one dataclass that produces its answer.

``Fault`` matches requests (``method``, ``path``, ``times``) and adds ``latency`` and ``headers``; each
subclass registered with ``@_fault_kind`` is one kind of bad answer, selected by its ``keyword`` in
``FakeOkta.inject_fault(**fields)``, which calls ``build_fault``. Adding a kind of fault is adding one
class here: its fields are its keywords, its docstring is its entry in ``inject_fault``'s docstring.
"""

from __future__ import annotations

import asyncio
import dataclasses
import http
import inspect
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import format_datetime
from typing import Any, ClassVar, TypeVar

from aiohttp import web

from ..._models import TokenMetadata
from .backend import FakeOrg
from .controls import DEFAULT_RATE_LIMIT, path_matches
from .wire import NO_DATE, okta_error, token_answer, token_not_found

__all__ = [
    "FAULT_KINDS",
    "ConnectionDropped",
    "DroppedConnection",
    "ErrorStatus",
    "Exchange",
    "Fault",
    "HtmlPage",
    "MalformedAnswer",
    "NotAppliedAnswer",
    "OtherTokenAnswer",
    "build_fault",
    "fault_catalogue",
]


class ConnectionDropped(Exception):
    """A fault closed the connection on purpose, with no answer."""


@dataclass(frozen=True)
class Exchange:
    """What a fault sees when it answers: the request, the org, the request's rate-limit headers."""

    request: web.Request
    org: FakeOrg
    rate_headers: Mapping[str, str]
    rate_limit: int | None
    """The fake's current limit per minute (``None``: limits are off)."""
    null_token_window_in_lists: bool = True
    """Whether list entries carry ``tokenWindow: null`` (the fake's list shape): an entry a fault adds to a
    list has the shape of the list's own."""

    @property
    def token_id(self) -> str:
        """The last segment of the path: the token id of ``/api/v1/api-tokens/{id}``."""
        return self.request.path.rsplit("/", 1)[-1]


@dataclass(kw_only=True)
class Fault:
    """A misbehaviour for the next ``times`` requests that match ``method`` and ``path``.

    This base class gives the real answer, only ``latency`` seconds late and with ``headers`` added;
    each subclass is one kind of bad answer. Faulted requests are journaled and count against the
    rate limit like any other; a fault that answers itself changes nothing in the org.
    """

    keyword: ClassVar[str | None] = None
    """The ``inject_fault`` keyword that selects this kind (given a value other than its default)."""

    method: str | None = None
    path: str | None = None
    """Exact, or a prefix when it ends with ``*``; ``None``: every path."""
    times: int | None = 1
    """How many matching requests it hits; ``None``: all of them."""
    headers: dict[str, str] = field(default_factory=dict)
    """Added to the answer (over any header the fault or the fake would send)."""
    latency: float = 0.0
    """Seconds to wait before answering."""

    def __post_init__(self) -> None:
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for every matching request")
        if self.latency < 0:
            raise ValueError(f"latency must be 0 or more seconds, got {self.latency!r}")

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and (
            self.path is None or path_matches(self.path, path)
        )

    def bind(self, org: FakeOrg) -> None:
        """Check the fault against the org when it is injected; raise ``ValueError`` if it cannot apply."""

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        """The faulty answer, or ``None`` for the real one."""
        return None

    def alter(self, response: web.Response, exchange: Exchange) -> web.Response:
        """The real answer (when ``respond`` gave none), changed as the fault says; unchanged here."""
        return response

    async def answer(self, exchange: Exchange) -> web.StreamResponse | None:
        """After ``latency`` seconds: the faulty answer with ``headers`` added, or ``None`` (the real one)."""
        if self.latency:
            await asyncio.sleep(self.latency)
        response = self.respond(exchange)
        if response is not None:
            response.headers.update(self.headers)
        return response


FAULT_KINDS: list[type[Fault]] = []
"""Every kind of fault, in the order ``inject_fault``'s docstring lists them."""

_F = TypeVar("_F", bound=type[Fault])


def _fault_kind(kind: _F) -> _F:
    FAULT_KINDS.append(kind)
    return kind


@_fault_kind
@dataclass(kw_only=True)
class DroppedConnection(Fault):
    """``drop=True``: close the connection with no answer (journaled with status 0)."""

    keyword: ClassVar[str | None] = "drop"
    drop: bool = False

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        transport = exchange.request.transport
        if transport is not None:
            transport.abort()
        raise ConnectionDropped


@_fault_kind
@dataclass(kw_only=True)
class MalformedAnswer(Fault):
    """``malformed=True``: answer 200 with ``Content-Type: application/json`` and a body cut mid-JSON."""

    keyword: ClassVar[str | None] = "malformed"
    malformed: bool = False

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        headers = {**exchange.rate_headers, "Content-Type": "application/json"}
        return web.Response(status=200, body=b'{"id": "00T', headers=headers)


@_fault_kind
@dataclass(kw_only=True)
class OtherTokenAnswer(Fault):
    """``answer_with_token="00T..."``: answer 200 with that other token's JSON, as a GET of it renders
    it now (as it was at injection if it has been revoked since), instead of the asked-for token's.
    Meant for GET and PUT on ``/api/v1/api-tokens/{id}`` (a misrouting proxy or cache); the PUT is
    not applied. The token must be in the org when the fault is injected.
    """

    keyword: ClassVar[str | None] = "answer_with_token"
    answer_with_token: str | None = None
    _last_seen: TokenMetadata | None = field(default=None, init=False, repr=False)

    def bind(self, org: FakeOrg) -> None:
        token = org.token(self.answer_with_token or "")
        if token is None:
            raise ValueError(
                f"answer_with_token={self.answer_with_token!r} is not an active token of the fake org: "
                "add it first (okta.org.add_token) and pass its id"
            )
        self._last_seen = token

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        token = exchange.org.token(self.answer_with_token or "") or self._last_seen
        assert token is not None, "bind() runs when the fault is injected"
        return token_answer(token, exchange.request, exchange.rate_headers)


@_fault_kind
@dataclass(kw_only=True)
class NotAppliedAnswer(Fault):
    """``not_applied=True``: for a PUT, answer 200 with the token's current JSON (as a GET would)
    and change nothing: Okta accepted the request but did not apply it. The body is not judged;
    an id that is no active token still gets Okta's 404.
    """

    keyword: ClassVar[str | None] = "not_applied"
    not_applied: bool = False

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        token = exchange.org.token(exchange.token_id)
        if token is None:
            return token_not_found(exchange.token_id, exchange.rate_headers)
        return token_answer(token, exchange.request, exchange.rate_headers)


@_fault_kind
@dataclass(kw_only=True)
class HtmlPage(Fault):
    """``html=True, status=N``: answer ``N`` with an HTML page (``Content-Type: text/html``) and no
    rate-limit headers, as a proxy, a CDN or a web server in front of the org would.
    """

    keyword: ClassVar[str | None] = "html"
    html: bool = False
    status: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.status is None:
            raise ValueError("html=True needs status=N, the status of the HTML page (404, 502, ...)")
        _check_status(self.status)

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        status = self.status or 500
        title = f"{status} {_reason(status)}".strip()
        page = (
            f"<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n"
            f"<body>\n<center><h1>{title}</h1></center>\n<hr><center>proxy</center>\n</body>\n</html>\n"
        )
        return web.Response(status=status, body=page.encode(), headers={"Content-Type": "text/html"})


_ERROR_CODES = {400: "E0000001", 401: "E0000011", 403: "E0000006", 404: "E0000007", 429: "E0000047"}


@_fault_kind
@dataclass(kw_only=True)
class ErrorStatus(Fault):
    """``status=N``: answer ``N`` in Okta's error JSON (``E0000009`` for codes Okta gives no other).
    A 429 carries ``X-Rate-Limit-Reset`` equal to the ``Date`` second ("resets now") unless
    ``reset_headers=False``, which sends neither ``X-Rate-Limit-Reset`` nor ``Date``.
    """

    keyword: ClassVar[str | None] = "status"
    status: int | None = None
    reset_headers: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_status(self.status)

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        status = self.status or 500
        headers = dict(exchange.rate_headers)
        if status == 429 and self.reset_headers:
            headers.update(_resetting_now(exchange))
        elif status == 429:
            headers.pop("X-Rate-Limit-Reset", None)
            headers[NO_DATE] = "1"
        code = _ERROR_CODES.get(status, "E0000009")
        detail = exchange.request.path if code == "E0000007" else ""
        return okta_error(status, code, detail, headers=headers)


def _resetting_now(exchange: Exchange) -> dict[str, str]:
    """Rate-limit headers whose reset is the ``Date`` second: "wait reset - date + 1" waits 1 s."""
    now = exchange.org.now()
    return {
        "X-Rate-Limit-Limit": str(exchange.rate_limit or DEFAULT_RATE_LIMIT),
        "X-Rate-Limit-Remaining": "0",
        "X-Rate-Limit-Reset": str(math.floor(now.timestamp())),
        "Date": format_datetime(now.astimezone(timezone.utc), usegmt=True),
    }


def _check_status(status: Any) -> None:
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ValueError(f"status must be an HTTP status code from 100 to 599, got {status!r}")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


# -- building a fault from inject_fault's keywords --------------------------------------------


def build_fault(**fields: Any) -> Fault:
    """The one fault that ``fields`` (``inject_fault``'s keywords) describe.

    A keyword left at its default counts as not given. The kind is the one whose ``keyword`` is given
    and which takes every given keyword; none: the base ``Fault`` (latency and headers only).
    """
    defaults = _defaults()
    unknown = sorted(set(fields) - set(defaults))
    if unknown:
        raise TypeError(f"inject_fault() got unknown keyword(s) {unknown}; it takes {sorted(defaults)}")
    if "headers" in fields:
        fields["headers"] = dict(fields["headers"] or {})
    given = {key: value for key, value in fields.items() if value != defaults[key]}
    selected = [kind for kind in FAULT_KINDS if kind.keyword in given]
    fitting = [kind for kind in selected or [Fault] if set(given) <= _field_names(kind)]
    if len(fitting) != 1:
        raise ValueError(_no_single_kind(given, selected))
    return fitting[0](**given)


def fault_catalogue(indent: str = "") -> str:
    """One entry per kind of fault (its docstring), for ``inject_fault``'s docstring."""
    entries = []
    for kind in FAULT_KINDS:
        text = " ".join(inspect.cleandoc(kind.__doc__ or "").split())
        entries.append(
            textwrap.fill(
                text,
                100,
                initial_indent=f"{indent}* ",
                subsequent_indent=f"{indent}  ",
                break_on_hyphens=False,
            )
        )
    return "\n".join(entries)


def _defaults() -> dict[str, Any]:
    """Every keyword a fault takes, with its default (the same in every kind that takes it)."""
    kinds: list[type[Fault]] = [Fault, *FAULT_KINDS]
    return {item.name: _default(item) for kind in kinds for item in dataclasses.fields(kind) if item.init}


def _default(item: dataclasses.Field[Any]) -> Any:
    if callable(item.default_factory):
        return item.default_factory()
    return item.default


def _field_names(kind: type[Fault]) -> set[str]:
    return {item.name for item in dataclasses.fields(kind) if item.init}


def _no_single_kind(given: Mapping[str, Any], selected: list[type[Fault]]) -> str:
    """Why no kind of fault takes ``given``: two kinds asked for, or keywords the kind ignores."""
    keywords = {str(kind.keyword) for kind in selected}
    covering = [kind for kind in selected if keywords <= _field_names(kind)] if selected else [Fault]
    if not covering:
        chosen = ", ".join(f"{keyword}={given[keyword]!r}" for keyword in sorted(keywords))
        return f"inject_fault: {chosen} are different faults; inject one fault per call"
    kind = covering[0]
    extra = sorted(set(given) - _field_names(kind))
    owners = sorted({str(k.keyword) for k in FAULT_KINDS for name in extra if name in _field_names(k)})
    what = f"a {kind.keyword}= fault" if kind.keyword else "a latency-only fault"
    return (
        f"inject_fault: {', '.join(extra)} means nothing for {what}; it goes with "
        f"{' or '.join(f'{owner}=' for owner in owners)} "
        f"(every fault takes {', '.join(sorted(_field_names(Fault)))})"
    )
