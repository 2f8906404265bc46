"""The plugin's gRPC handlers, registered before they exist: the port is printed before Pulumi is imported.

The CLI waits for a plugin's port line before it sends anything; the servicer needs Pulumi's runtime
(protobuf messages, property serialization), whose import takes most of a start. So the console script
starts the server with a ``DeferredHandlers`` as its one handler, prints the port, and only then imports
the servicer and hands its handlers over (``ready``). A call that arrives in between waits for them
(``service`` blocks until ``ready``), then is served as usual; none is refused for coming early.

grpc is duck-typed here (its server asks a handler for ``service`` only), so this module imports nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["DeferredHandlers"]


class DeferredHandlers:
    """A generic RPC handler that serves with the handlers given later, once ``ready`` is called.

    Passed where generated code expects a server (``add_*Servicer_to_server``), it collects the
    servicer's handlers; passed to the real server, it answers for them."""

    def __init__(self) -> None:
        self._handlers: list[Any] = []
        self._ready = threading.Event()

    def add_generic_rpc_handlers(self, handlers: Iterable[Any]) -> None:
        """Collect handlers (what ``add_*Servicer_to_server`` calls on a server); served after ``ready``."""
        self._handlers.extend(handlers)

    def ready(self) -> None:
        """Serve with the handlers collected so far (none: every call answers ``UNIMPLEMENTED``)."""
        self._ready.set()

    def service(self, handler_call_details: Any) -> Any:
        """The method handler of the call, from the collected handlers, once they are ready."""
        self._ready.wait()
        for handler in self._handlers:
            method = handler.service(handler_call_details)
            if method is not None:
                return method
        return None
