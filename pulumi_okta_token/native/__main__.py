"""``pulumi-resource-okta-token``: the console script the Pulumi CLI starts as the ``okta-token`` plugin.

How the CLI runs a resource plugin (pulumi/pulumi at 1b59498, ``pkg/resource/plugin/plugin.go``):

* the executable is started directly with ``[--logtostderr] [-v=N] [--tracing <url>] <engine-address>``:
  flags first, the engine's address last (``plugin.go#L728-744``, ``provider_plugin.go#L288-289``);
* the first line of its stdout must be the gRPC port, and nothing may come before it
  (``plugin.go#L375-431``); later output only goes to the CLI's debug log;
* to stop it, the engine sends ``Cancel`` (``pkg/host/host.go#L428-437``), then SIGINT, and SIGKILL
  5 seconds later (``plugin.go#L640-669``).

So: stdout carries the port line alone (anything a module prints is sent to stderr), the server listens
on 127.0.0.1 only, and the process ends after ``Cancel``, SIGINT or SIGTERM, once the calls in flight
have finished (at most :data:`GRACE_SECONDS`). The engine's address is not needed: this plugin sends
nothing to the engine.

**Port first, Pulumi after.** The port is printed as soon as the server listens, with gRPC the only
heavy import; the servicer (Pulumi's runtime, the provider, the Okta SDK) is imported after, and calls
that come meanwhile wait for it (``deferred.py``). The server serves as many calls at once as the engine
sends by default (``workers.py``).
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from concurrent import futures
from typing import Any

from .deferred import DeferredHandlers
from .workers import worker_count

__all__ = ["GRACE_SECONDS", "GRPC_OPTIONS", "USAGE", "engine_address", "main"]

GRPC_OPTIONS = (
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.server_max_unrequested_time_in_server", 30 * 60),
)
"""The server options Pulumi's own Python hosts use (``pulumi/runtime/_grpc_settings.py``: messages up
to 400 MB, a call may queue half an hour), stated here so that starting needs no Pulumi import."""

GRACE_SECONDS = 4.0
"""How long calls in flight may finish after a stop was asked for (the engine kills after 5 s)."""


def engine_address(args: Sequence[str]) -> str | None:
    """The engine's address: the last argument that is neither a flag nor a flag's value."""
    positional: list[str] = []
    takes_value = False
    for arg in args:
        if takes_value:
            takes_value = False
        elif arg in _FLAGS_WITH_VALUES:
            takes_value = True
        elif not arg.startswith("-"):
            positional.append(arg)
    return positional[-1] if positional else None


_FLAGS_WITH_VALUES = frozenset({"--tracing"})
"""Engine flags whose value is the next argument (``plugin.go#L728-744``)."""


USAGE = """\
usage: pulumi-resource-okta-token [--logtostderr] [-v=N] [--tracing URL] ENGINE_ADDRESS
       pulumi-resource-okta-token --help | --version

The Pulumi resource plugin of package okta-token (resource okta-token:index:ApiToken). The Pulumi CLI
starts it; it prints the port it serves gRPC on (127.0.0.1) as the first line of stdout and serves until
the engine cancels it. There is nothing to run by hand: to use it, name it in Pulumi.yaml

  plugins:
    providers:
      - name: okta-token
        path: venv/bin

and run pulumi import, preview or up. Settings: the okta-token:* stack config, then OKTA_* variables.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the plugin until Cancel, SIGINT or SIGTERM; print the port as stdout's first line.

    ``--help`` and ``--version`` (which the engine never passes) print and exit instead."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--help" in args or "-h" in args:
        sys.stdout.write(USAGE)
        return 0
    if "--version" in args:
        from .._version import __version__

        sys.stdout.write(f"pulumi-resource-okta-token {__version__}\n")
        return 0
    engine_address(args)  # accepted, not used
    port_line = sys.stdout
    sys.stdout = sys.stderr  # nothing printed by an import or a library may precede the port
    stop = threading.Event()
    server, port, handlers = _serve(stop)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    port_line.write(f"{port}\n")
    port_line.flush()
    code = 0
    try:
        _attach_servicer(handlers, stop)
    except Exception:  # the port is out: say why nothing is served, and stop
        traceback.print_exc()
        code = 1
        stop.set()
    finally:
        handlers.ready()  # calls waiting for the servicer are served, or answered UNIMPLEMENTED
    while not stop.wait(0.5):
        pass
    server.stop(GRACE_SECONDS).wait()
    return code


def _serve(stop: threading.Event) -> tuple[Any, int, DeferredHandlers]:
    """Listen on 127.0.0.1 with handlers that the servicer fills in later (``_attach_servicer``)."""
    import grpc

    handlers = DeferredHandlers()
    workers = worker_count()
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="okta-token-rpc"),
        handlers=(handlers,),
        options=GRPC_OPTIONS,
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port, handlers


def _attach_servicer(handlers: DeferredHandlers, stop: threading.Event) -> None:
    """Import the servicer (Pulumi's runtime and the provider) and hand its handlers over."""
    from pulumi.runtime.proto import provider_pb2_grpc

    from ..provider import serving_one_operation
    from .servicer import ApiTokenServicer

    serving_one_operation()  # the CLI starts this process for one command
    # The generated function only calls add_generic_rpc_handlers on what it is given.
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        ApiTokenServicer(on_cancel=stop.set),
        handlers,
    )


if __name__ == "__main__":
    sys.exit(main())
