"""Owner questions asked ahead: while the org's tokens are still being listed, the owners of each page
already checked are looked up, so the audit's look-ups (``_owners.look_up_owners``) mostly find their
answers waiting instead of starting after the last page.

``AskAhead`` is an ``OwnerDirectory`` over another one. ``ahead(tokens)`` starts, for each owner not seen
before (a whole user id only), the questions the selected rules need; ``user`` and ``role_types`` give
an answer asked ahead, or ask now. Every question runs on its own bounded pool, ``2 x OWNERS_AT_ONCE``
at a time, so no more requests are in flight than ``look_up_owners`` alone would send. The rules of
``_owners`` hold for questions asked ahead too: after a 403 the questions of that kind not yet started
are answered with the same 403 without a request, and after any other error (``NotFound`` aside) no
question starts any more: each gets that error. ``close`` drops what was not started.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Literal

from .._models import USER_ID_RE, TokenMetadata
from ..errors import Forbidden, NotFound
from ._owners import OWNERS_AT_ONCE, OwnerDirectory, OwnerUser

__all__ = ["AskAhead"]

_Kind = Literal["user", "roles"]


class AskAhead:
    """An ``OwnerDirectory`` that starts the questions about owners as soon as their tokens are listed."""

    def __init__(
        self, directory: OwnerDirectory, *, statuses: bool, roles: bool, at_once: int = OWNERS_AT_ONCE
    ) -> None:
        self._directory = directory
        self._kinds: tuple[_Kind, ...] = (*(("user",) if statuses else ()), *(("roles",) if roles else ()))
        self._pool = ThreadPoolExecutor(max_workers=2 * max(1, at_once), thread_name_prefix="okta-ahead")
        self._lock = threading.Lock()
        self._asked: dict[tuple[_Kind, str], Future[object]] = {}
        self._refused: dict[_Kind, Forbidden] = {}
        self._failure: BaseException | None = None

    def ahead(self, tokens: Iterable[TokenMetadata]) -> None:
        """Start the questions about the owners of ``tokens`` not asked about yet (sorted, each once)."""
        owners = sorted(
            {t.user_id for t in tokens if t.user_id is not None and USER_ID_RE.fullmatch(t.user_id)}
        )
        for user_id in owners:
            for kind in self._kinds:
                self._question(kind, user_id)

    def user(self, user_id: str) -> OwnerUser:
        answer = self._question("user", user_id).result()
        assert isinstance(answer, OwnerUser)
        return answer

    def role_types(self, user_id: str) -> list[str]:
        answer = self._question("roles", user_id).result()
        assert isinstance(answer, list)
        return [str(role) for role in answer]

    def close(self) -> None:
        """Drop the questions not started; those in flight end on their own (each bounded by the
        transport's request timeout)."""
        with self._lock:
            self._failure = self._failure or _Closed()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- one question ----------------------------------------------------------------------------

    def _question(self, kind: _Kind, user_id: str) -> Future[object]:
        with self._lock:
            known = self._asked.get((kind, user_id))
            if known is None and isinstance(self._failure, _Closed):
                raise _Closed()
            if known is None:
                known = self._asked[(kind, user_id)] = self._pool.submit(self._ask, kind, user_id)
            return known

    def _ask(self, kind: _Kind, user_id: str) -> object:
        with self._lock:
            stop = self._failure or self._refused.get(kind)
        if stop is not None:
            raise stop
        ask: Callable[[], object] = (
            (lambda: self._directory.user(user_id))
            if kind == "user"
            else (lambda: self._directory.role_types(user_id))
        )
        try:
            return ask()
        except NotFound:
            raise
        except Forbidden as refused:
            with self._lock:
                self._refused.setdefault(kind, refused)
            raise
        except BaseException as error:
            with self._lock:
                self._failure = self._failure or error
            raise


class _Closed(RuntimeError):
    """The look-ups were closed before this question started."""

    def __init__(self) -> None:
        super().__init__("the owner look-ups were closed before this question started")
