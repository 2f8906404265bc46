"""Faults that answer with hostile text: what a proxy in Okta's place, or an admin account naming tokens,
could put in the fields the package writes out again (names, ids, owners, dates, ``errorSummary``).

Each is a kind of fault like those of ``faults.py`` (registered there with ``_fault_kind``, selected by
its keyword in ``FakeOkta.inject_fault``), kept in this module of its own. ``fake.py`` imports it, so
``inject_fault`` takes its keywords wherever the fake is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from aiohttp import web

from ..._models import TokenMetadata
from .faults import _ERROR_CODES, Exchange, Fault, _check_status, _fault_kind, _resetting_now
from .wire import base_url, json_response, okta_error, token_json, token_not_found

__all__ = ["HostileError", "HostileTokenFields"]

TOKENS_PATH = "/api/v1/api-tokens"


@_fault_kind
@dataclass(kw_only=True)
class HostileTokenFields(Fault):
    """``token_fields={"userId": "...", ...}``: answer as the org would, with these fields of each token
    replaced by the given values (text with newlines or escape sequences, a value of the wrong shape,
    ``None``); ``fields_of="00T..."`` replaces them in that token's entry only. Meant for the list (one
    page of every active token) and for GET and PUT of one token (the PUT is not applied).
    """

    keyword: ClassVar[str | None] = "token_fields"
    token_fields: dict[str, Any] | None = None
    fields_of: str | None = None

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        base = base_url(exchange.request)
        if exchange.request.path.rstrip("/") == TOKENS_PATH:
            tokens, _ = exchange.org.list_tokens(after=None, limit=None)
            items = [self._rendered(token, base) for token in tokens]
            return json_response(200, items, exchange.rate_headers)
        token = exchange.org.token(exchange.token_id)
        if token is None:
            return token_not_found(exchange.token_id, exchange.rate_headers)
        return json_response(200, self._rendered(token, base), exchange.rate_headers)

    def _rendered(self, token: TokenMetadata, base: str) -> dict[str, Any]:
        rendered = token_json(token, base)
        if self.fields_of is None or token.id == self.fields_of:
            rendered.update(self.token_fields or {})
        return rendered


@_fault_kind
@dataclass(kw_only=True)
class HostileError(Fault):
    """``error_summary="...", status=N``: answer ``N`` in Okta's error JSON (its code for the status)
    whose ``errorSummary``, and its one cause's, is the given text (a 429 resets now, as ``status=``'s).
    """

    keyword: ClassVar[str | None] = "error_summary"
    error_summary: str | None = None
    status: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.status is None:
            raise ValueError("error_summary=... needs status=N, the error status to answer with")
        _check_status(self.status)

    def respond(self, exchange: Exchange) -> web.StreamResponse | None:
        status = self.status or 500
        headers = dict(exchange.rate_headers)
        if status == 429:
            headers.update(_resetting_now(exchange))
        answer = okta_error(status, _ERROR_CODES.get(status, "E0000009"))
        assert isinstance(answer.body, bytes), "okta_error renders its JSON as bytes"
        body = json.loads(answer.body)
        body["errorSummary"] = self.error_summary
        body["errorCauses"] = [{"errorSummary": self.error_summary}]
        return json_response(status, body, headers)
