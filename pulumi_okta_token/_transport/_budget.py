"""One rate-limit budget per org and credential in the process: every request shares one pacing, driven by
the ``X-Rate-Limit-Limit``, ``-Remaining`` and ``-Reset`` headers of Okta's answers.

Before each request (``Budget.admit``), in the order the requests arrive:

* no answer has come yet: up to ``FIRST_FLIGHT`` (4) requests go together, and the others wait for the
  first answer, which tells the limit. Four is the dynamic-provider host's concurrency (its first reads
  of a refresh all go at once, not one by one on fresh connections), and stays below the smallest limit
  a credential can have (5 a minute: a 5% share of a 100-a-minute bucket, ``FACTS.md``), so the first
  flight never overruns a real limit; a plugin serving more calls at once sends the rest as soon as the
  first answer has told the limit (one round trip later);
* no answer carried the three headers (a server without limits): every request goes, no pacing at all;
* the last known window has ended: requests go within the last known limit, minus those in flight;
* what the window has left, minus the requests in flight, is above the **headroom**
  (``okta:rateLimitHeadroom`` percent of the limit, rounded down; at most the limit less one): it goes;
* otherwise it waits until the window resets, and goes then. The reset is measured by the server's clock
  (``X-Rate-Limit-Reset`` - ``Date``), and never less than one second after the answer that told it, as
  the Okta SDK waits after a 429;
* after a 429 every request to the org waits the same way (a 429 with no rate-limit headers is left to
  the request layer, which retries it like a 5xx).

**Burst, then wait; not spread evenly.** Okta's windows are fixed minutes, so how requests are spread
within a window changes neither how many it admits nor when the next one starts: a run of hundreds of
tokens takes as many windows either way, while spreading would slow down every small run (a stack of a
few tokens never waits at all). What other clients of the credential get is the headroom, which is left
unused until the window ends.

**A share that the headers do not show.** Okta's headers describe the org's bucket, but one API token or
OAuth app may use only a share of it (50% by default, as little as 5%), and the share is not shown. A 429
whose headers still show budget left, and a reset to come, reveals it: the number of this process's
requests admitted in that window is taken as the credential's limit from then on, so the next windows
stop short of it, headroom included, instead of hitting it again.

**Waiting is bounded per call, not per request**: one call to Okta (a GET, a PUT, a DELETE, or a listing
with all its pages: one ``_loop.run``) may wait ``okta:rateLimitWait`` seconds in all, queueing behind
other requests included (``Allowance``). A wait that would pass it is not started: ``WaitTooLong``.

Everything here runs on the transport's loop thread; ``budget_for`` may be called from any thread.
``_monotonic`` and ``_sleep`` are the clock and the wait, replaced in tests by a virtual clock.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .._settings import OktaSettings, PrivateKeyAuth
from ._answers import RateLimit, rate_limit

__all__ = [
    "FIRST_FLIGHT",
    "Allowance",
    "Budget",
    "BudgetState",
    "Ticket",
    "WaitListener",
    "WaitTooLong",
    "allowance",
    "announce_waits",
    "budget_for",
    "forget_all",
]

_LOG = logging.getLogger("pulumi_okta_token._transport")

FIRST_FLIGHT = 4
"""The most requests in flight while no answer has told the limit yet (see the module)."""

MIN_WAIT = 1.0
"""The least a window is waited for after the answer that said it was used up (as after a 429)."""


def _monotonic() -> float:
    return time.monotonic()


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


WaitListener = Callable[[float, str], None]
"""Told of each wait for a rate-limit window: the seconds, and why (one clause a person reads)."""

_LISTENERS: list[WaitListener] = []


def announce_waits(listener: WaitListener) -> Callable[[], None]:
    """Tell ``listener`` of every wait for rate-limit budget from now on (the CLI prints a line for each);
    returns the function that stops it. Called on the transport's event-loop thread."""
    _LISTENERS.append(listener)
    return lambda: _LISTENERS.remove(listener) if listener in _LISTENERS else None


# --------------------------------------------------------------------------------------------
# What one call may wait


class WaitTooLong(Exception):
    """A wait for rate-limit budget would pass what the call has left of ``okta:rateLimitWait``."""

    def __init__(self, wait: float, allowance: Allowance) -> None:
        super().__init__(f"a wait of {wait:.1f} s with {max(allowance.left, 0.0):.1f} s left")
        self.wait = wait
        self.allowance = allowance


class Allowance:
    """What one call may still wait for rate-limit budget (``rate_limit_wait`` seconds to start with)."""

    def __init__(self, seconds: float) -> None:
        self.total = seconds
        self.left = seconds

    def spend(self, seconds: float) -> None:
        self.left -= max(seconds, 0.0)


_ALLOWANCE: contextvars.ContextVar[Allowance | None] = contextvars.ContextVar("okta_rate_limit_allowance")


def allowance(seconds: float) -> Allowance:
    """The current call's allowance, made with ``seconds`` on its first request. Each ``_loop.run`` runs in
    a task of its own, with a context of its own, so a call's pages share one allowance and calls do not."""
    current = _ALLOWANCE.get(None)
    if current is None:
        current = Allowance(seconds)
        _ALLOWANCE.set(current)
    return current


# --------------------------------------------------------------------------------------------
# The budget


@dataclass
class _Window:
    """The current rate-limit window, as this process's answers have described it."""

    reset: float
    """When it ends, by the server's clock (epoch seconds), as ``X-Rate-Limit-Reset`` says."""
    ends_at: float
    """When it ends by our clock (``_monotonic``): not before the server's reset, one second at least."""
    remaining: int
    """The least ``X-Rate-Limit-Remaining`` its answers showed."""
    admitted: int = 0
    """This process's requests it admitted (answers other than 429)."""


@dataclass(frozen=True)
class BudgetState:
    """What a budget knows and has done, for logs, tests and benchmarks."""

    limit: int | None
    """The last ``X-Rate-Limit-Limit`` (``None``: no answer had the headers: no pacing)."""
    share: int | None
    """The credential's own limit learnt from a 429 (``None``: none seen)."""
    remaining: int | None
    """What the current window has left, as known (``None``: no window known)."""
    in_flight: int
    admitted: int
    """Requests admitted by the budget so far."""
    waits: int
    """Times a request waited for a window to reset."""
    waited: float
    """Seconds spent waiting for windows, all requests together (waits overlap when requests queue)."""
    rate_limited: int
    """429 answers seen."""


class Ticket:
    """A request admitted by the budget: it counts as in flight until its answer's headers arrive
    (``observe``) or it fails without one (``release``)."""

    def __init__(self, budget: Budget) -> None:
        self._budget = budget
        self._open = True

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """The answer's status and headers (called as soon as they arrive)."""
        self.release()
        self._budget.observe(status, headers)

    def release(self) -> None:
        """The request is no longer in flight (safe to call more than once)."""
        if self._open:
            self._open = False
            self._budget.landed()


class Budget:
    """The pacing of one org and credential (see the module). Used on the transport's loop only."""

    def __init__(self) -> None:
        self._limit: int | None = None
        self._share: int | None = None
        self._window: _Window | None = None
        self._turned = -math.inf
        """The reset of the last window known to have ended: answers about it or older are stale."""
        self._blocked_until = -math.inf
        """After a 429: no request before then (our clock)."""
        self._in_flight = 0
        """Requests admitted and not answered yet. One still in flight when a window ends (by our clock)
        counts against the next one too: it may reach Okta after the reset."""
        self._answered = False
        """Whether any answer came back: until then at most ``FIRST_FLIGHT`` requests are in flight."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue = asyncio.Lock()
        self._landed = asyncio.Event()
        self._admitted = self._waits = self._rate_limited = 0
        self._waited = 0.0

    def state(self) -> BudgetState:
        window = self._window
        return BudgetState(
            limit=self._limit,
            share=self._share,
            remaining=None if window is None else self._left(window),
            in_flight=self._in_flight,
            admitted=self._admitted,
            waits=self._waits,
            waited=self._waited,
            rate_limited=self._rate_limited,
        )

    # -- admitting a request ---------------------------------------------------------------

    async def admit(self, headroom_percent: float, allowance: Allowance) -> Ticket:
        """Wait, in turn, until a request may go without eating into the headroom; its ``Ticket``.

        Raises ``WaitTooLong`` (having waited for nothing more) when the wait would pass ``allowance``.
        """
        self._bind_to_running_loop()
        await self._take_turn(allowance)
        try:
            while True:
                wait = self._wait_needed(headroom_percent, _monotonic())
                if wait == 0:
                    break
                await self._wait(wait, allowance)
        finally:
            self._queue.release()
        self._in_flight += 1
        self._admitted += 1
        return Ticket(self)

    async def _take_turn(self, allowance: Allowance) -> None:
        """Queue behind the requests already waiting (first come, first served)."""
        if not self._queue.locked():
            await self._queue.acquire()
            return
        started = _monotonic()
        if allowance.left <= 0:
            raise WaitTooLong(math.inf, allowance)
        try:
            await asyncio.wait_for(self._queue.acquire(), allowance.left)
        except asyncio.TimeoutError:
            allowance.spend(_monotonic() - started)
            raise WaitTooLong(math.inf, allowance) from None
        allowance.spend(_monotonic() - started)

    def _wait_needed(self, headroom_percent: float, now: float) -> float | None:
        """0: go now; seconds to wait for a window to end; ``None``: wait for a request in flight to land."""
        if now < self._blocked_until:
            return self._blocked_until - now
        window = self._window
        if window is not None and now >= window.ends_at:
            self._turn(window)
            window = None
        limit = self._effective_limit()
        if limit is None:
            return 0.0 if self._answered or self._in_flight < FIRST_FLIGHT else None
        headroom = _headroom(limit, headroom_percent)
        if window is None:  # a fresh window: all of the limit, less what is in flight
            return 0.0 if limit - self._in_flight > headroom else None
        if self._left(window) - self._in_flight > headroom:
            return 0.0
        return window.ends_at - now

    async def _wait(self, wait: float | None, allowance: Allowance) -> None:
        if wait is None:
            await self._wait_for_a_landing(allowance)
            return
        if wait > allowance.left:
            raise WaitTooLong(wait, allowance)
        window, blocked_until = self._window, self._blocked_until
        _LOG.debug(
            "rate limit: waiting %.1f s for the window to reset (%s left of %s, %d in flight)",
            wait,
            "?" if window is None else self._left(window),
            self._effective_limit(),
            self._in_flight,
        )
        for listener in list(_LISTENERS):
            listener(wait, self._why_waiting(window, blocked_until))
        self._waits += 1
        self._waited += wait
        allowance.spend(wait)
        await _sleep(wait)
        # What was waited for is over, whatever the clock says (a sleep may end a hair early).
        if self._blocked_until == blocked_until:
            self._blocked_until = -math.inf
        if window is not None and window is self._window:
            self._turn(window)

    def _why_waiting(self, window: _Window | None, blocked_until: float) -> str:
        if blocked_until > -math.inf and blocked_until >= _monotonic():
            return "Okta answered 429 (rate limit exceeded) until its window resets"
        left = "?" if window is None else self._left(window)
        return (
            f"{left} of {self._effective_limit()} requests left in this minute's window, kept for other "
            "clients of the credential (okta:rateLimitHeadroom)"
        )

    async def _wait_for_a_landing(self, allowance: Allowance) -> None:
        """Only requests in flight hold this one back: wait until one of them lands."""
        if allowance.left <= 0:
            raise WaitTooLong(math.inf, allowance)
        started = _monotonic()
        self._landed.clear()
        try:
            await asyncio.wait_for(self._landed.wait(), allowance.left)
        except asyncio.TimeoutError:
            raise WaitTooLong(math.inf, allowance) from None
        finally:
            allowance.spend(_monotonic() - started)

    # -- learning from answers -------------------------------------------------------------

    def landed(self) -> None:
        self._in_flight = max(self._in_flight - 1, 0)
        self._landed.set()

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from an answer's status and rate-limit headers."""
        now = _monotonic()
        self._answered = True
        if status == 429:
            self._rate_limited += 1
        limits = rate_limit(headers)
        if limits is None:
            return
        ends_at = now + max(MIN_WAIT, limits.reset_in)
        if status == 429:
            self._blocked_until = max(self._blocked_until, ends_at)
        self._limit = limits.limit
        window = self._window_of(limits, ends_at)
        if window is None:
            return
        if status != 429:
            window.admitted += 1
            return
        window.remaining = 0
        if limits.remaining > 0 and limits.reset_in > 0 and window.admitted > 0:
            self._learn_share(window.admitted, limits.remaining)

    def _window_of(self, limits: RateLimit, ends_at: float) -> _Window | None:
        """The window the answer is about (made current when it is newer); ``None`` for a stale one."""
        window = self._window
        if limits.reset <= self._turned or (window is not None and limits.reset < window.reset):
            return None
        if window is None or limits.reset > window.reset:
            window = self._window = _Window(limits.reset, ends_at, limits.remaining)
            return window
        window.remaining = min(window.remaining, limits.remaining)
        window.ends_at = min(window.ends_at, ends_at)
        return window

    def _learn_share(self, admitted: int, bucket_left: int) -> None:
        share = admitted if self._share is None else min(self._share, admitted)
        if share != self._share:
            _LOG.debug(
                "rate limit: a 429 with %d left in the bucket: this credential's share is taken as %d",
                bucket_left,
                share,
            )
        self._share = share

    # -- helpers ---------------------------------------------------------------------------

    def _effective_limit(self) -> int | None:
        if self._limit is None:
            return None
        return self._limit if self._share is None else min(self._limit, self._share)

    def _left(self, window: _Window) -> int:
        if self._share is None:
            return window.remaining
        return min(window.remaining, self._share - window.admitted)

    def _turn(self, window: _Window) -> None:
        self._turned = max(self._turned, window.reset)
        if self._window is window:
            self._window = None

    def _bind_to_running_loop(self) -> None:
        """asyncio primitives belong to one loop; after ``_loop.close`` a new loop gets new ones."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._queue = asyncio.Lock()
            self._landed = asyncio.Event()
            self._in_flight = 0


def _headroom(limit: int, percent: float) -> int:
    """Requests left unused in each window: ``percent`` of ``limit`` rounded down, at most ``limit - 1``."""
    return max(min(int(limit * percent / 100), limit - 1), 0)


# --------------------------------------------------------------------------------------------
# One budget per org and credential


_KEY = os.urandom(32)
_budgets: dict[tuple[str, str], Budget] = {}
_budgets_lock = threading.Lock()


def budget_for(settings: OktaSettings) -> Budget:
    """The process's budget for the settings' org and credential (made on first use)."""
    key = (settings.org_url.lower(), _credential_fingerprint(settings))
    with _budgets_lock:
        budget = _budgets.get(key)
        if budget is None:
            budget = _budgets[key] = Budget()
        return budget


def forget_all() -> None:
    """Drop every budget (tests start from nothing)."""
    with _budgets_lock:
        _budgets.clear()


def _credential_fingerprint(settings: OktaSettings) -> str:
    """Whose share of the org's limits the requests use, as a keyed hash: never the credential itself."""
    auth = settings.auth
    identity = f"client:{auth.client_id}" if isinstance(auth, PrivateKeyAuth) else auth.authorization
    return hmac.new(_KEY, identity.encode(), hashlib.sha256).hexdigest()
