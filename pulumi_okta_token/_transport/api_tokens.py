"""The API-token client: get, read, list, update and revoke the tokens of one org, synchronously.

Each call is a few lines over the request layer (``_request.OktaRequests``): check the token id, build
the URL, make the SDK call, and check the answer:

* a token id must be ``00T`` and 17 letters or digits before any URL is built from it;
* token JSON is read with ``models.TokenMetadata``, not the SDK's model (which rejects ``name: null`` or
  an odd ``tokenWindow``); a GET or PUT answered with another token's JSON raises ``WrongTokenAnswer``;
* ``list`` follows ``Link: <...>; rel="next"`` pages, only within the org and never in a loop;
* ``read`` is ``get`` answered, where ``snapshot`` says it pays off and is safe, from one list of the
  org's tokens shared by the client's reads (pages of ``limit=200``, same links rules); ``update`` and
  ``revoke`` tell it which tokens were written.

Authorization, the deadline, retries, rate-limit waits and error answers are the request layer's; every
patch of the SDK is ``_sdk``'s. Each public method runs its coroutine through ``_loop.run``.
"""

from __future__ import annotations

import builtins
from typing import Any, NoReturn
from urllib.parse import urlsplit

from okta.api.api_token_api import ApiTokenApi
from okta.models.api_token_update import ApiTokenUpdate
from pydantic import ValidationError

from .._models import TOKEN_ID_RE, TokenMetadata
from .._settings import OktaSettings
from ..errors import OktaTokenError, WrongTokenAnswer
from ._answers import Answer, validation_reason
from ._loop import run
from ._request import OktaRequests
from .snapshot import PAGE_LIMIT, TokenReads

__all__ = ["OktaApiTokens"]

_MAX_PAGES = 10_000
_TOKENS_PATH = "/api/v1/api-tokens"
_A_TOKEN = "an API token"
_TOKENS = "a list of API tokens"


class OktaApiTokens:
    """Get, read, list, update and revoke API tokens of one org. Thread-safe; every call is synchronous."""

    def __init__(self, settings: OktaSettings) -> None:
        self._settings = settings
        self._requests = OktaRequests(settings)
        self._reads = TokenReads(lambda token_id: self.get(token_id), lambda: _Pages(self))

    def __reduce__(self) -> NoReturn:
        raise TypeError("OktaApiTokens holds credentials and is never pickled")

    def __repr__(self) -> str:
        return f"OktaApiTokens({self._settings.org_url!r})"

    def get(self, token_id: str) -> TokenMetadata:
        """The token's metadata; ``NotFound`` when Okta has no active token with that id.

        Raises ``OktaTokenError`` (no request) for an id that is not a token id, and
        ``WrongTokenAnswer`` when the answer is about another token.
        """
        token_id = _checked_token_id(token_id)
        return run(lambda: self._get(token_id))

    def read(self, token_id: str) -> TokenMetadata:
        """The token's metadata as ``get`` gives it, or from the client's list snapshot when the rule of
        ``snapshot`` allows (many reads within seconds, an entry as complete as a GET, a token this
        client has not written since). ``NotFound`` only from a GET: a token the list lacks is GOT.
        """
        return self._reads.read(_checked_token_id(token_id))

    def served_from_list(self, token: TokenMetadata) -> bool:
        """Whether ``token``, returned by ``read``, is a list entry rather than a GET's answer."""
        return self._reads.served_from_list(token)

    def list(self) -> list[TokenMetadata]:
        """Every active token of the org, following ``Link rel="next"`` pages (same origin only).

        Each page's request, with its retries, is bounded by ``request_timeout``.
        """
        return run(self._list)

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

    async def _list(self) -> builtins.list[TokenMetadata]:
        url = self._requests.url(_TOKENS_PATH)
        answer = await self._requests.send(
            ApiTokenApi, "GET", url, lambda api, auth: api.list_api_tokens(_request_auth=auth)
        )
        tokens = answer.each(TokenMetadata.from_okta_json, _TOKENS)
        seen = {url}
        while answer.next_url is not None:
            answer = await self._requests.get(self._check_next_url(answer.next_url, seen))
            tokens.extend(answer.each(TokenMetadata.from_okta_json, _TOKENS))
        return tokens

    def _check_next_url(self, next_url: str, seen: set[str]) -> str:
        org = urlsplit(self._settings.org_url)
        target = urlsplit(next_url)
        if (target.scheme, target.netloc.lower()) != (org.scheme, org.netloc.lower()):
            raise OktaTokenError(
                f"Okta's next-page link {next_url} leaves the org {self._settings.org_url}; "
                "credentials are not sent there"
            )
        if next_url in seen or len(seen) >= _MAX_PAGES:
            raise OktaTokenError(f"Okta's next-page links loop back to {next_url}; the listing cannot finish")
        seen.add(next_url)
        return next_url


class _Pages:
    """One listing for ``TokenReads``: the first page asks ``limit=200``, each next page is the previous
    answer's ``Link rel="next"``, checked to stay in the org and not to loop."""

    def __init__(self, client: OktaApiTokens) -> None:
        self._client = client
        self._next: str | None = client._requests.url(f"{_TOKENS_PATH}?limit={PAGE_LIMIT}")
        self._seen = {self._next}

    @property
    def done(self) -> bool:
        return self._next is None

    def fetch(self) -> builtins.list[TokenMetadata]:
        url = self._next
        if url is None:
            raise OktaTokenError("the listing of API tokens has no further page")
        answer = run(lambda: self._client._requests.get(url))
        tokens = answer.each(TokenMetadata.from_okta_json, _TOKENS)
        following = answer.next_url
        self._next = None if following is None else self._client._check_next_url(following, self._seen)
        return tokens


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
