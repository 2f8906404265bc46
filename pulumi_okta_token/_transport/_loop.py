"""Running the transport's coroutines from synchronous code (the provider's methods are synchronous).

Today each call gets a fresh event loop, in a worker thread when the calling thread already runs one, and
no loop, session or thread outlives the call. This is the one place that decides where coroutines run:
one long-lived loop thread owning a process-wide HTTP session would replace ``run`` here, and nothing
above it would change.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["run"]

T = TypeVar("T")


def run(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``factory`` makes in a fresh loop; in a worker thread when this thread already
    runs a loop (``asyncio.run`` would refuse), so calls work from async code too."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_in_new_loop(factory)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="okta-api") as pool:
        return pool.submit(_run_in_new_loop, factory).result()


def _run_in_new_loop(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Like ``asyncio.run`` but without touching the thread's current event loop or signal handlers."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(factory())
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()
