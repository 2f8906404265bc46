"""``FakeOkta``: the fake org served on 127.0.0.1 from a background thread, for synchronous code.

with FakeOkta() as okta:
    token = okta.org.add_token(name="ci")
    ...  # call okta.url with "Authorization: SSWS <token.secret>"
    assert okta.calls("GET", "/api/v1/api-tokens/*")

Rate limits follow Okta's for API tokens (``controls.py``): one ``/api/v1`` bucket for every API-token
endpoint (and the users and roles reads), of which one token or OAuth app may use ``token_share``
percent. ``connections`` counts the TCP connections the fake accepted; ``rtt`` (or
``start_latency_relay``) puts a network's round-trip time between client and fake (``relay.py``).
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, get_args

from aiohttp import web

from . import (
    hostile,  # noqa: F401  (registers the hostile-text faults before inject_fault's docstring)
    hostile_lists,  # noqa: F401  (registers the hostile list answers as faults)
)
from .backend import FakeOrg
from .certs import CERT_FILE, server_context, write_certificate
from .controls import (
    DEFAULT_RATE_LIMIT,
    DEFAULT_TOKEN_SHARE,
    Controls,
    JournalEntry,
    RateHeaders,
    check_page_size,
    check_rate_limit,
    path_matches,
)
from .faults import build_fault, fault_catalogue
from .relay import LatencyRelay, check_rtt
from .server import build_app

__all__ = ["FakeOkta"]

HOST = "127.0.0.1"


class FakeOkta:
    """A fake Okta org serving the API-token endpoints, a user and its admin roles by id, and the OAuth
    token endpoint.

    :param tls: serve https with a fresh self-signed certificate for 127.0.0.1 (see ``ca_file``).
    :param rate_limit: requests per minute of the org's ``/api/v1`` bucket, shared by every API-token
        endpoint (600 by default); ``None`` switches limits off.
    :param page_size: list page size when a request gives no ``limit`` (1 to 200); ``None``: one page.
    :param port: 0 picks a free port.
    :param seed: makes generated ids and secrets repeatable.
    :param clock: the org's current time (UTC), also for rate-limit windows; default: the real time.
    :param token_share: percent of the bucket one API token or OAuth app may use (5 to 100).
    :param rtt: seconds of round-trip time between client and fake: ``url`` then goes through a
        latency relay (``start_latency_relay``); ``direct_url`` does not.
    :param full_list_entries: list entries as full as a GET's answer; by default they carry
        ``tokenWindow: null``, as a real org's list answer does (``set_full_list_entries``).
    """

    def __init__(
        self,
        tls: bool = False,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
        page_size: int | None = None,
        port: int = 0,
        seed: int | None = None,
        clock: Callable[[], datetime] | None = None,
        token_share: int = DEFAULT_TOKEN_SHARE,
        rtt: float | None = None,
        full_list_entries: bool = False,
    ) -> None:
        self.org = FakeOrg(seed=seed, clock=clock)
        self._controls = Controls(rate_limit=rate_limit, page_size=page_size, token_share=token_share)
        self._controls.null_token_window_in_lists = not full_list_entries
        self._tls = tls
        self._port = port
        self._rtt = check_rtt(rtt) if rtt is not None else None
        self._certificates: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._relays: list[LatencyRelay] = []
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._direct_url: str | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeOkta:
        """Start serving; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("FakeOkta is already running")
        context = self._ssl_context() if self._tls else None
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._bind(context))
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._unbind())
            _cancel_leftovers(loop)
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=serve, name="fake-okta", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            self._remove_certificates()
            raise failure[0]
        if self._rtt is not None:
            self._url = self.start_latency_relay(self._rtt)
        return self

    async def _bind(self, context: ssl.SSLContext | None) -> None:
        runner = web.AppRunner(
            build_app(self.org, self._controls), access_log=None, handle_signals=False, shutdown_timeout=0.1
        )
        await runner.setup()
        site = _CountingSite(runner, HOST, self._port, context, self._controls)
        await site.start()
        self._runner = runner
        port = runner.addresses[0][1]
        self._url = self._direct_url = f"{'https' if context else 'http'}://{HOST}:{port}"

    async def _unbind(self) -> None:
        for relay in self._relays:
            await relay.stop()
        self._relays.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def stop(self) -> None:
        """Stop serving (latency relays included) and release the ports and thread (safe to call twice)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = None
        self._loop = None
        self._remove_certificates()

    def __enter__(self) -> FakeOkta:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- where and how to reach it -------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` (``https`` with ``tls=True``), no trailing slash.

        With ``rtt``, the latency relay's URL: every request through it pays the round trips.
        """
        if self._url is None:
            raise RuntimeError("FakeOkta is not started: use 'with FakeOkta() as okta:' or start()")
        return self._url

    @property
    def direct_url(self) -> str:
        """The fake's own URL, never through a latency relay (``url`` without ``rtt``)."""
        if self._direct_url is None:
            raise RuntimeError("FakeOkta is not started: use 'with FakeOkta() as okta:' or start()")
        return self._direct_url

    def start_latency_relay(self, rtt: float) -> str:
        """Start a loopback relay that adds ``rtt`` seconds of round trip; returns the URL to use.

        Every chunk is delayed ``rtt / 2`` each way and a new connection waits ``rtt`` for its TCP
        handshake, so connecting, TLS handshakes and each request pay round trips as on a network
        (a reused connection pays one ``rtt`` per request). TLS runs end to end: the URL is
        ``https://127.0.0.1:<relay port>`` and ``ca_file`` verifies it. ``0 < rtt <= 10``; at most
        256 connections at a time; relays stop with the fake.
        """
        loop = self._loop
        if loop is None or self._direct_url is None:
            raise RuntimeError("FakeOkta is not started: start it before its latency relay")
        port = int(self._direct_url.rsplit(":", 1)[1])
        relay = LatencyRelay((HOST, port), rtt)

        async def start() -> int:
            relay_port = await relay.start()
            self._relays.append(relay)
            return relay_port

        relay_port = asyncio.run_coroutine_threadsafe(start(), loop).result()
        return f"{'https' if self._tls else 'http'}://{HOST}:{relay_port}"

    # -- connections ---------------------------------------------------------------------------

    @property
    def connections(self) -> int:
        """TCP connections the fake accepted since it started or was ``reset`` (a relay opens one
        per connection it relays): a client that reuses connections opens few."""
        return self._controls.connections

    @property
    def tls_handshakes(self) -> int:
        """TLS handshakes clients began with the fake (``tls=True``; each ClientHello counts)."""
        return self._controls.tls_handshakes

    @property
    def ca_file(self) -> str | None:
        """The PEM file of the self-signed certificate to trust (``tls=True``), else ``None``."""
        if self._certificates is None:
            return None
        return str(self._certificates / CERT_FILE)

    def _ssl_context(self) -> ssl.SSLContext:
        self._certificates = write_certificate()
        context = server_context(self._certificates)
        context.sni_callback = self._client_hello
        return context

    def _client_hello(self, connection: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        """Called for each ClientHello (with or without a server name): counts a TLS handshake."""
        self._controls.count_tls_handshake()

    def _remove_certificates(self) -> None:
        if self._certificates is not None:
            shutil.rmtree(self._certificates, ignore_errors=True)
            self._certificates = None

    # -- journal -------------------------------------------------------------------------------

    @property
    def journal(self) -> list[JournalEntry]:
        """Every request answered so far, in order (a copy)."""
        return self._controls.journal()

    def calls(self, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Journal entries with this method and path (exact, or a prefix when it ends with ``*``)."""
        return [
            entry
            for entry in self._controls.journal()
            if (method is None or entry.method == method.upper())
            and (path is None or path_matches(path, entry.path))
        ]

    def clear_journal(self) -> None:
        self._controls.clear_journal()

    # -- behaviour -----------------------------------------------------------------------------

    def inject_fault(
        self,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        times: int | None = 1,
        **fields: Any,
    ) -> None:
        """Misbehave on the next ``times`` requests that match ``method`` and ``path`` (``None``: all).

        ``path`` is exact, or a prefix when it ends with ``*``. One fault per call; its keyword picks
        its kind (below). Every fault also takes ``latency`` (seconds to wait before answering) and
        ``headers`` (added to its answer); with only those the request gets its real answer, late.
        A fault is checked before authentication and the rate limit, but the request is journaled
        and counted against its rate-limit bucket as usual. A fault that answers changes nothing in
        the org. A keyword that no fault takes, or two faults in one call, raise an error.

        The faults (each is a class in ``faults.py``):

        """
        fault = build_fault(method=method, path=path, status=status, times=times, **fields)
        fault.bind(self.org)
        self._controls.add_fault(fault)

    inject_fault.__doc__ = (inject_fault.__doc__ or "").rstrip(" ") + fault_catalogue("        ") + "\n"

    def set_rate_limit(self, limit: int | None) -> None:
        """The org's ``/api/v1`` bucket: requests per minute shared by every API-token endpoint (and,
        separately, the size of the token endpoint's bucket); ``None`` switches rate limits off.
        """
        self._controls.rate_limit = check_rate_limit(limit)

    def set_token_share(self, percent: int, token_id: str | None = None) -> None:
        """The percent of the bucket one API token or OAuth app may use per minute (5 to 100).

        ``token_id``: only that token (or the OAuth app of that client id), as an admin sets it on one
        token; ``None``: every token and app without a share of its own (Okta's default is 50).
        The share is ``percent`` of the bucket rounded down, 1 request at least. Past it the token
        gets 429 E0000047 while others still get answers; the headers do not show the share unless
        ``set_rate_limit_headers("share")``.
        """
        self._controls.set_share(percent, token_id)

    def set_rate_limit_headers(self, show: RateHeaders) -> None:
        """What ``X-Rate-Limit-Limit/Remaining`` report: ``"bucket"`` (default, as Okta documents its
        headers: the whole ``/api/v1`` bucket, the caller's share unseen) or ``"share"`` (the caller's
        share and what is left of it, never more than the bucket's rest).
        """
        if show not in get_args(RateHeaders):
            raise ValueError(f"rate-limit headers show 'bucket' or 'share', got {show!r}")
        self._controls.rate_headers = show

    def set_page_size(self, size: int | None) -> None:
        """List page size when a request gives no ``limit`` (1 to 200); ``None`` lists everything in
        one page. Each page but the last carries ``Link: <...?after=<last id>&limit=<size>>; rel="next"``.
        """
        self._controls.page_size = check_page_size(size)

    def set_page_cap(self, size: int | None) -> None:
        """The most one list page holds (1 to 200), whatever ``limit`` a request asks: a server that
        pages smaller than asked (Okta documents ``limit`` as a maximum). ``None``: pages are as asked.
        The next link keeps the ``limit`` the request asked.
        """
        self._controls.page_cap = check_page_size(size)

    def set_null_token_window_in_lists(self, on: bool = True) -> None:
        """List entries carry ``tokenWindow: null``, as the one recorded real list answer does (FACTS.md
        §1); a GET of one token still gives its window (``P30D``). On by default: code and benchmarks
        meet the shape a real org sends. ``False`` (or ``set_full_list_entries()``) makes list entries as
        full as a GET's answer, the shape Okta's OpenAPI schema declares.
        """
        self._controls.null_token_window_in_lists = on

    def set_full_list_entries(self, on: bool = True) -> None:
        """List entries as full as a GET's answer (``tokenWindow`` given), as the OpenAPI schema declares
        them and no recorded real org sends them; ``False`` is the default real shape again."""
        self._controls.null_token_window_in_lists = not on

    def reset(self) -> None:
        """An empty org, journal and fault list, fresh rate-limit buckets with no token's own share,
        and connections counted from 0. Settings (rate limit, default share, page size, list shape) stay."""
        self.org.reset()
        self._controls.reset()


class _CountingSite(web.BaseSite):
    """aiohttp's TCP site on ``host:port`` that counts each connection it accepts."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        ssl_context: ssl.SSLContext | None,
        controls: Controls,
    ) -> None:
        super().__init__(runner, ssl_context=ssl_context)
        self._host = host
        self._port = port
        self._controls = controls

    @property
    def name(self) -> str:
        scheme = "https" if self._ssl_context else "http"
        return f"{scheme}://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        handlers = self._runner.server
        assert handlers is not None, "the runner is set up before its site starts"
        controls = self._controls

        def accept() -> asyncio.BaseProtocol:
            controls.count_connection()
            return handlers()

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(accept, self._host, self._port, ssl=self._ssl_context)


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel handlers still running at shutdown (a request sleeping through injected latency)."""
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
