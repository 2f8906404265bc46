"""What both drivers are made of: the stack state, the plugin processes they start, and the RPCs they send.

:class:`EngineBase` keeps the stack state (``state``, ``state_json``, ``put_resource``,
``state_delete``), starts and stops :class:`~.process.PluginProcess` es (``plugin_starts``,
``exit_codes``, ``stdout``, ``stderr``) and sends each RPC through :meth:`EngineBase._send`, which
records it (``calls``, ``responses``). :class:`~.driver.PluginEngine` (the dynamic plugin, one
process for many operations) and :class:`~.native.NativeEngine` (the native plugin, one process per
operation, as the CLI) add how their plugin is started, loaded and driven.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pulumi.runtime.proto import provider_pb2_grpc

from .process import PluginProcess
from .sequences import Sequences
from .state import ResourceState, StackState, urn

__all__ = ["EngineBase"]

_Sequences = TypeVar("_Sequences", bound=Sequences)


class EngineBase:
    """The stack state, the plugin processes and the RPCs of one driver.

    :param config: the stack config, namespaced keys (``{"okta:orgUrl": ..., "okta:apiToken": ...}``).
    :param secret_keys: the config keys sent as secrets (the CLI decrypts them and sends them wrapped).
    :param type_token: the type of the resources the programs declare.
    :param env: the plugin's whole environment (see :func:`~.process.plugin_env`).
    :param project: the project name; ``stack``: the stack name used in URNs.
    :param start_timeout: seconds to wait for the plugin's port; ``call_timeout``: seconds per RPC.
    """

    _NOT_RUNNING = "the plugin is not running"

    def __init__(
        self,
        config: Mapping[str, Any] | None,
        *,
        secret_keys: Iterable[str],
        type_token: str,
        env: Mapping[str, str],
        project: str,
        stack: str,
        start_timeout: float,
        call_timeout: float,
    ) -> None:
        self.config: dict[str, Any] = dict(config or {})
        self.secret_keys = frozenset(secret_keys)
        self.type_token = type_token
        self.project = project
        self.stack = stack
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self._env = dict(env)
        self._state = StackState()
        self._process: PluginProcess | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self.plugin_starts = 0
        """How many plugin processes the driver has started."""
        self.exit_codes: list[int] = []
        """How each plugin process ended, in order."""
        self.stdout_lines: list[str] = []
        """What the plugin processes wrote to stdout, line by line (each process's port line first)."""
        self.stderr_lines: list[str] = []
        """What the plugin processes wrote to stderr, line by line."""
        self.calls: list[str] = []
        """Every RPC sent, in order, over every plugin process."""
        self.responses: list[tuple[str, Any]] = []
        """Every answer the plugin sent, as ``(rpc name, response message)``, in arrival order."""

    # ---------------------------------------------------------------------------------------- process

    @property
    def stub(self) -> provider_pb2_grpc.ResourceProviderStub:
        """The gRPC stub of the running plugin (for messages the driver does not send itself)."""
        if self._stub is None:
            raise RuntimeError(self._NOT_RUNNING)
        return self._stub

    @property
    def pid(self) -> int | None:
        """The plugin's process id while it runs."""
        return self._process.pid if self._process is not None else None

    @property
    def stdout(self) -> str:
        """Everything the plugin processes wrote to stdout so far."""
        return "".join(self.stdout_lines)

    @property
    def stderr(self) -> str:
        """Everything the plugin processes wrote to stderr so far."""
        return "".join(self.stderr_lines)

    def _launch(self, command: Sequence[str], label: str) -> PluginProcess:
        """Start a plugin process and connect to it; if it prints no port, it is stopped and
        :class:`~.process.PluginStartError` raised."""
        self.plugin_starts += 1
        process = PluginProcess(
            command, self._env, self.start_timeout, self.stdout_lines, self.stderr_lines, label
        )
        self._process = process
        try:
            self._stub = process.start()
        except BaseException:
            self._halt()
            raise
        return process

    def _halt(
        self, *, exit_wait: float = 0.0, stop_signal: int = signal.SIGTERM, signal_wait: float = 10.0
    ) -> None:
        """Close the channel, stop the plugin process (see :meth:`~.process.PluginProcess.close`) and
        record how it ended."""
        self._stub = None
        process, self._process = self._process, None
        if process is not None:
            code = process.close(exit_wait=exit_wait, stop_signal=stop_signal, signal_wait=signal_wait)
            if code is not None:
                self.exit_codes.append(code)

    def _sequences_of(self, kind: type[_Sequences], **fields: Any) -> _Sequences:
        """The sequences of one operation, over the running plugin and this stack; ``fields`` say what
        this plugin needs (see :class:`~.sequences.Sequences`)."""
        return kind(
            send=self._send,
            state=self._state,
            type_token=self.type_token,
            stack=self.stack,
            project=self.project,
            **fields,
        )

    def _send(self, method: str, request: Any) -> Any:
        """One RPC to the running plugin; it is recorded in ``calls``, its answer in ``responses``."""
        self.calls.append(method)
        response = getattr(self.stub, method)(request, timeout=self.call_timeout)
        self.responses.append((method, response))
        return response

    # ------------------------------------------------------------------------------------------ state

    @property
    def state(self) -> dict[str, ResourceState]:
        """The stack state by resource name (a copy)."""
        return self._state.snapshot()

    def urn(self, name: str, type_token: str | None = None) -> str:
        """The URN of resource ``name`` in this stack (of the driver's type unless told otherwise)."""
        return urn(self.stack, self.project, type_token or self.type_token, name)

    def state_json(self) -> dict[str, Any]:
        """The state as a stack export (checkpoint version 3); ``__provider`` and the values the plugin
        answered secret are plaintext secret objects (as ``pulumi stack export --show-secrets``)."""
        return self._state.export()

    def put_resource(self, resource: ResourceState) -> None:
        """Store ``resource`` in the stack state as it is: a state written by an older release, a
        hand-edited one, or one imported with ``pulumi stack import``. Later runs start from it."""
        self._state.put(resource)

    def state_delete(self, name: str, *, force: bool = False) -> None:
        """``pulumi state delete <urn>``: the state forgets resource ``name`` without deleting it (no
        RPC; the token stays in Okta). A protected resource is refused, as the CLI refuses it, unless
        ``force`` (``--force``). Raises ``KeyError`` for a name the state does not hold."""
        resource = self._state.get(name)
        if resource is None:
            raise KeyError(f"no resource named {name!r} in the stack state")
        if resource.protect and not force:
            raise ValueError(
                f"{resource.urn} is protected: `pulumi state unprotect` it first, or pass --force"
            )
        self._state.drop(name)
