"""A connection opened ahead: the org's pooled connection is opened (TCP, and TLS for https) when the
provider is configured, so that the first request to Okta does not wait for it.

* **No request is sent**: no credential leaves the process before a call needs it, and nothing is
  written. The connection is opened by the pool's connector, with the key a request to the org has (host,
  port, TLS context, no proxy), and put back in the pool unused, as aiohttp does after an answer; the
  first request takes it from there.
* **Not through a proxy**: a proxy's tunnel is opened by the first request (asking for the tunnel is a
  request, to the proxy).
* **One connection, not two**: a request to the org that starts while its connection is being opened
  waits for it (``opened``) instead of opening another one beside it.
* **Failures are dropped** (logged at debug level): the first request opens its own connection and
  reports what goes wrong then. An unused connection is closed after the pool's keep-alive time.

Runs on the transport's loop thread (``_loop``), like every request.
"""

from __future__ import annotations

import asyncio
import logging
import ssl

import aiohttp
import yarl

__all__ = ["open_connection", "opened"]

_LOG = logging.getLogger("pulumi_okta_token._transport")

_opening: dict[tuple[str, str, int | None], asyncio.Future[None]] = {}
"""The connections being opened, by origin (scheme, host, port); on the loop thread only."""


async def open_connection(
    session: aiohttp.ClientSession, url: str, tls: ssl.SSLContext | bool, timeout: float | None
) -> None:
    """Open a connection to ``url``'s origin into ``session``'s pool (TLS with ``tls`` for https: the
    context requests use, so that they find it); nothing is sent on it. Never raises."""
    target = yarl.URL(url)
    origin = _origin(target)
    if origin in _opening:
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    _opening[origin] = done
    try:
        request = aiohttp.ClientRequest(
            "GET", target, loop=asyncio.get_running_loop(), ssl=tls if target.scheme == "https" else True
        )
        connection = await session.connector.connect(  # type: ignore[union-attr]
            request, [], aiohttp.ClientTimeout(total=timeout)
        )
        connection.release()  # into the pool, unused
    except Exception as error:  # the first request connects and reports for itself
        _LOG.debug("opening a connection ahead to %s failed: %s", origin, type(error).__name__)
    finally:
        del _opening[origin]
        done.set_result(None)


async def opened(url: str) -> None:
    """Wait until a connection being opened ahead to ``url``'s origin is open (or failed); at once when
    none is being opened."""
    pending = _opening.get(_origin(yarl.URL(url)))
    if pending is not None:
        await asyncio.shield(pending)


def _origin(url: yarl.URL) -> tuple[str, str, int | None]:
    return (url.scheme, (url.host or "").lower(), url.port)
