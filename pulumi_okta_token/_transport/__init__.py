"""The transport: how the package talks to an Okta org, in layers (private; the provider uses it).

From the top down, each module using only those below it:

``api_tokens``   the API-token client ``OktaApiTokens``: get / read / list / update / revoke, token-id
                 checks, answers about another token refused, ``Link rel="next"`` paging; knows the paths
                 and models
``snapshot``     ``TokenReads``, behind ``OktaApiTokens.read``: many reads answered from one list of the
                 org's tokens when that pays off (its docstring states the rule); no HTTP of its own
``users``        ``get_user`` / ``list_user_roles`` (and ``OktaUsers`` for synchronous callers): a user's
                 status and login, its admin roles; user-id checks, answers about another user refused
``_request``     ``OktaRequests``: one request to the org whatever the endpoint: Authorization header
                 (SSWS, Bearer, or a private-key OAuth token from ``_oauth``), the ``request_timeout``
                 deadline, retries, and the process's rate-limit budget (``_budget``)
``_budget``      one pacing of every request to an org and credential, by ``X-Rate-Limit-*`` (no I/O)
``_sdk``         the official ``okta`` SDK and aiohttp, with every patch they need, in one module
``_loop``        the one event-loop thread that runs those coroutines for synchronous callers, and owns
                 the process's HTTP session (its keep-alive connection pool)
``_answers``     what answers mean: success JSON (``Answer``), error bodies as typed errors, retry timing
``_net``         proxy choice, TLS trust, the User-Agent (no I/O)
``_oauth``       the client-credentials request with a signed client assertion, and the token cache

Adding an endpoint
------------------
An endpoint is one small async function over ``OktaRequests``, in a module beside ``api_tokens``
(``users.py``, ``zones.py``); the request layer, the SDK adapter and their tests do not change. For
``GET /api/v1/zones/{zoneId}``, with a pydantic ``NetworkZone`` model::

    from okta.api.network_zone_api import NetworkZoneApi

    async def get_zone(requests: OktaRequests, zone_id: str) -> NetworkZone:
        url = requests.url(f"/api/v1/zones/{checked_id(zone_id)}")  # an id checked whole, never raw input
        answer = await requests.send(
            NetworkZoneApi, "GET", url, lambda api, auth: api.get_network_zone(zone_id, _request_auth=auth)
        )
        return answer.one(NetworkZone.model_validate, "a network zone")

``users`` is such a module: ``GET /api/v1/users/{id}`` with ``UserApi.get_user``, and
``GET /api/v1/users/{id}/roles``, a list read with ``answer.each(RoleInfo.from_okta_json, ...)``
(``RoleAssignmentAUserApi.list_assigned_roles_for_user``). A read the SDK has no generated method
for needs no API class: ``answer = await requests.get(url)``. The rules the token calls follow apply:

* pass ``_request_auth=auth`` to every generated method (the SDK's own header lacks the space Okta needs);
* build URLs from ids checked against their whole shape (``api_tokens._checked_token_id``);
* read answers with our models through ``Answer.one`` / ``Answer.each``, never the SDK's, and check
  that an answer is about what was asked where a mix-up would matter (``api_tokens._about``);
* synchronous callers get a method that wraps the coroutine in ``_loop.run``, as ``OktaApiTokens`` does;
  re-export it below, imported on first use (``_LAZY``) when the provider does not need it, so the
  provider's first call loads no SDK module it does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api_tokens import OktaApiTokens

if TYPE_CHECKING:
    from .users import OktaUsers, RoleInfo, UserInfo

__all__ = ["OktaApiTokens", "OktaUsers", "RoleInfo", "UserInfo"]

_LAZY = {"OktaUsers": "users", "RoleInfo": "users", "UserInfo": "users"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
