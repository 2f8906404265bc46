"""Where the transport's coroutines run: one event-loop thread per process, owning one HTTP session.

The provider's methods are synchronous and run on the plugin's gRPC worker threads. ``run`` hands the
coroutine to the transport's loop thread (``asyncio.run_coroutine_threadsafe``) and blocks until it is
done, so every request of the process goes through the one session that loop owns, and through its
connection pool: keep-alive connections and TLS sessions are reused across calls and threads, and the
process-wide pacing of requests (``_budget``) sees every request.

* The thread is a daemon named ``okta-transport``, started by the first ``run``. ``close`` (also run at
  interpreter exit) closes the session and stops the thread without hanging: calls still waiting get
  ``TransportError``. A ``run`` after ``close`` starts a new thread and session.
* ``session`` gives coroutines on that loop the shared session, made once by the factory the HTTP
  layer (``_sdk``) passes; on any other loop it gives ``None`` and the caller makes a session of its own
  for one request (coroutines awaited in a test's own loop, say).
* ``run`` from the loop thread itself would wait for itself forever: it raises ``RuntimeError``.
* ``submit`` hands a coroutine over without waiting for it, and ``wait`` waits for it later (a list
  page fetched ahead); ``start`` hands one over for good (a connection opened ahead): what it returns or
  raises is dropped. ``close`` cancels them like any call.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import TransportError

if TYPE_CHECKING:
    import aiohttp

__all__ = ["close", "run", "session", "start", "submit", "wait"]

_LOG = logging.getLogger("pulumi_okta_token._transport")

T = TypeVar("T")

CLOSE_TIMEOUT = 5.0
"""Seconds ``close`` gives the session to close and the thread to stop before giving up on them."""


class _Running:
    """One started loop: its thread, its session and the calls waiting for it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.session: aiohttp.ClientSession | None = None
        self.thread = threading.Thread(target=self._serve, name="okta-transport", daemon=True)
        self.waiting: set[concurrent.futures.Future[Any]] = set()
        self.lock = threading.Lock()
        self.thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            with self.lock:
                stranded = [future for future in self.waiting if not future.done()]
            for future in stranded:  # submitted too late to run: their callers must not wait forever
                future.cancel()
            _cancel_leftovers(self.loop)
            self.loop.close()


class _LoopThread:
    """The loop thread, its session and the calls waiting on it; every method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: _Running | None = None

    def run(self, factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
        return wait(self.submit(factory))

    def submit(self, factory: Callable[[], Coroutine[Any, Any, T]]) -> concurrent.futures.Future[T]:
        with self._lock:
            running = self._running = self._running or _Running()
            if threading.current_thread() is running.thread:
                raise RuntimeError("_loop.run was called on the transport's own loop thread: await instead")
            with running.lock:
                future = asyncio.run_coroutine_threadsafe(factory(), running.loop)
                running.waiting.add(future)
        future.add_done_callback(functools.partial(_forget, running))
        return future

    def session(self, factory: Callable[[], aiohttp.ClientSession]) -> aiohttp.ClientSession | None:
        """The shared session when called on the loop thread (made by ``factory`` the first time)."""
        running = self._running
        if running is None or threading.current_thread() is not running.thread:
            return None
        if running.session is None or running.session.closed:
            running.session = factory()
        return running.session

    def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        with self._lock:
            running, self._running = self._running, None
        if running is None:
            return
        if running.loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(_close_session(running), running.loop).result(timeout)
            except Exception as exc:  # closing must never raise: the process may be ending
                _LOG.debug("closing the HTTP session failed: %s: %s", type(exc).__name__, exc)
            running.loop.call_soon_threadsafe(running.loop.stop)
        if running.thread is not threading.current_thread():
            running.thread.join(timeout)


def _forget(running: _Running, future: concurrent.futures.Future[Any]) -> None:
    """A submitted coroutine is done: it no longer waits for the loop."""
    with running.lock:
        running.waiting.discard(future)


def _dropped(future: concurrent.futures.Future[Any]) -> None:
    """What a started coroutine returned or raised, dropped (an error logged at debug level)."""
    error = None if future.cancelled() else future.exception()
    if error is not None:
        _LOG.debug("a coroutine started on the loop failed: %s", type(error).__name__)


async def _close_session(running: _Running) -> None:
    """On the loop: cancel the calls still running, then close the session and its connections."""
    current = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not current]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)
    session, running.session = running.session, None
    if session is not None:
        await session.close()


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


_LOOP = _LoopThread()


def run(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``factory`` makes on the transport's loop thread and return its result; blocks
    the calling thread (any thread but the loop's own, even one that runs an event loop of its own)."""
    return _LOOP.run(factory)


def submit(factory: Callable[[], Coroutine[Any, Any, T]]) -> concurrent.futures.Future[T]:
    """Start the coroutine ``factory`` makes on the transport's loop thread and return at once: its
    future, to ``wait`` for later (or not: a future nobody waits for is dropped, errors included)."""
    return _LOOP.submit(factory)


def wait(future: concurrent.futures.Future[T]) -> T:
    """The result of a ``submit``-ted coroutine, blocking the calling thread until it is done; a
    coroutine cut short by ``close`` raises ``TransportError``."""
    try:
        return future.result()
    except concurrent.futures.CancelledError:
        raise TransportError("The call to Okta was cut short: the transport was closed") from None
    except BaseException:
        future.cancel()  # an interrupted caller (KeyboardInterrupt) leaves nothing running
        raise


def start(factory: Callable[[], Coroutine[Any, Any, object]]) -> None:
    """Start the coroutine ``factory`` makes on the transport's loop thread and return at once; its
    result and its errors are dropped (logged at debug level)."""
    _LOOP.submit(factory).add_done_callback(_dropped)


def session(factory: Callable[[], aiohttp.ClientSession]) -> aiohttp.ClientSession | None:
    """For a coroutine on the transport's loop: the process's HTTP session (``factory`` makes it the first
    time, and again after ``close``). Elsewhere ``None``: make a session for the one request."""
    return _LOOP.session(factory)


def close(timeout: float = CLOSE_TIMEOUT) -> None:
    """Close the HTTP session (its pooled connections) and stop the loop thread; calls still running are
    cancelled. Safe to call twice, and at exit; the next ``run`` starts afresh."""
    _LOOP.close(timeout)


atexit.register(close)
