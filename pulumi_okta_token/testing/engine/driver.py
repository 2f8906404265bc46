"""``PluginEngine``: a plugin process (``process.py``), the engine's sequences (``sequences.py``) and the
stack state (``state.py``) behind one object; the package docstring tells what it plays and how."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from google.protobuf.empty_pb2 import Empty
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2_grpc

from .messages import configure_request
from .process import PluginProcess, plugin_env
from .sequences import Program, Sequences
from .state import ResourceState, RunResult, StackState

__all__ = ["API_TOKEN_TYPE", "DEFAULT_SECRET_KEYS", "PluginEngine"]

API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"
"""The type token of ``ApiToken`` resources."""

DEFAULT_SECRET_KEYS: frozenset[str] = frozenset({"okta:apiToken", "okta:accessToken", "okta:privateKey"})
"""Stack config keys sent as secrets unless told otherwise (pulumi-okta marks the same ones secret)."""


def _default_provider() -> ResourceProvider:
    from pulumi_okta_token import ApiTokenProvider  # imported late: the driver also serves other providers

    provider: ResourceProvider = ApiTokenProvider()
    return provider


class PluginEngine:
    """The engine's side of the provider protocol, talking to a real plugin process.

    :param config: the stack config, namespaced keys (``{"okta:orgUrl": ..., "okta:apiToken": ...}``).
    :param secret_keys: the config keys sent as secrets (the CLI decrypts them and sends them wrapped).
    :param provider: the dynamic provider every resource uses; ``ApiTokenProvider()`` by default.
    :param type_token: the resource type; ``pulumi-python:dynamic/okta:ApiToken`` by default.
    :param env: extra environment variables of the plugin process (the CLI's environment reaches it).
    :param inherit_env: start from this process's environment (as the CLI passes its own on).
    :param pythonpath: extra import paths (a provider defined outside an installed package).
    :param project: the project name (``PULUMI_PROJECT``); ``stack``: the stack name used in URNs.
    :param start_timeout: seconds to wait for the plugin's port; ``call_timeout``: seconds per RPC.
    :param fresh_plugin_per_operation: start a new plugin process for every ``up``, ``preview``,
        ``refresh`` and ``destroy``, as the CLI does (slower; one process serves them all by default).

    Use it as a context manager: the plugin starts on enter and is stopped (and reaped) on exit.
    ``stdout``/``stderr`` and ``responses`` accumulate over every process the driver started.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        secret_keys: Iterable[str] = DEFAULT_SECRET_KEYS,
        provider: ResourceProvider | None = None,
        type_token: str = API_TOKEN_TYPE,
        env: Mapping[str, str] | None = None,
        inherit_env: bool = True,
        pythonpath: Iterable[str | os.PathLike[str]] = (),
        project: str = "okta-tokens",
        stack: str = "test",
        start_timeout: float = 60.0,
        call_timeout: float = 60.0,
        fresh_plugin_per_operation: bool = False,
    ) -> None:
        self.config: dict[str, Any] = dict(config or {})
        self.secret_keys = frozenset(secret_keys)
        self.type_token = type_token
        self.project = project
        self.stack = stack
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.fresh_plugin_per_operation = fresh_plugin_per_operation
        self._served_operation = False
        self.plugin_starts = 0
        """How many plugin processes the driver has started."""
        self.provider_string = serialize_provider(provider if provider is not None else _default_provider())
        """The serialized provider sent in ``__provider`` (base64 of the dill pickle)."""
        self._env = plugin_env(env, inherit_env, pythonpath, project)
        self._state = StackState()
        self._process: PluginProcess | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self.exit_code: int | None = None
        """The plugin's exit status once ``close()`` has stopped and reaped it."""
        self.responses: list[tuple[str, Any]] = []
        """Every answer the plugin sent, as ``(rpc name, response message)``, in arrival order."""
        self.start_seconds: float | None = None
        """Seconds from process start to the port being printed."""
        self.accepts_secrets: bool | None = None
        """What the plugin answered to ``Configure``; ``False`` means the engine sends it plain values
        (it does). ``None`` until the first ``Configure``."""

    # ---------------------------------------------------------------------------------------- process

    def start(self) -> PluginEngine:
        """Start the plugin, wait for its port, connect and send ``Configure``."""
        if self._process is not None:
            return self
        self._served_operation = False
        self.plugin_starts += 1
        self._process = PluginProcess(self._env, self.start_timeout, self._stdout, self._stderr)
        try:
            self._stub = self._process.start()
            self.start_seconds = self._process.start_seconds
            # The engine asks every plugin for its version before configuring it.
            self._send("GetPluginInfo", Empty())
            response = self._send("Configure", configure_request(self.config, self.secret_keys))
            self.accepts_secrets = response.acceptSecrets
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Close the channel, stop the plugin process and reap it."""
        self._stub = None
        process, self._process = self._process, None
        if process is not None:
            self.exit_code = process.close()

    def __enter__(self) -> PluginEngine:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def stub(self) -> provider_pb2_grpc.ResourceProviderStub:
        """The gRPC stub (for messages the driver does not send itself)."""
        if self._stub is None:
            raise RuntimeError("the plugin is not running: use `with PluginEngine(...)` or call start()")
        return self._stub

    @property
    def pid(self) -> int | None:
        """The plugin's process id while it runs."""
        return self._process.pid if self._process is not None else None

    @property
    def stdout(self) -> str:
        """Everything the plugin wrote to stdout so far."""
        return "".join(self._stdout)

    @property
    def stderr(self) -> str:
        """Everything the plugin wrote to stderr so far."""
        return "".join(self._stderr)

    def _send(self, method: str, request: Any) -> Any:
        """One RPC to the running plugin; its answer is recorded in ``responses``."""
        response = getattr(self.stub, method)(request, timeout=self.call_timeout)
        self.responses.append((method, response))
        return response

    # ------------------------------------------------------------------------------------------ state

    @property
    def state(self) -> dict[str, ResourceState]:
        """The stack state by resource name (a copy)."""
        return self._state.snapshot()

    def urn(self, name: str) -> str:
        """The URN of resource ``name`` in this stack."""
        return self._sequences().urn(name)

    def state_json(self) -> dict[str, Any]:
        """The state as a stack export (checkpoint version 3); ``__provider`` is a secret, as in Pulumi."""
        return self._state.export()

    def put_resource(self, resource: ResourceState) -> None:
        """Store ``resource`` in the stack state as it is: a state written by an older release, a
        hand-edited one, or one imported with ``pulumi stack import``. Later runs start from it."""
        self._state.put(resource)

    def _drop(self, name: str) -> None:
        self._state.drop(name)

    # ------------------------------------------------------------------------------------- operations

    def up(self, program: Program) -> RunResult:
        """Deploy ``program`` (resource name -> inputs): create, update, replace or keep each resource,
        then delete the old side of replaces and the resources the program no longer declares."""
        return self._operation().deploy(program, preview=False)

    def preview(self, program: Program) -> RunResult:
        """What ``up`` would do: ``Check`` and ``Diff`` only; the state does not change."""
        return self._operation().deploy(program, preview=True)

    def refresh(self) -> RunResult:
        """Read every resource; keep what the plugin returns, drop resources it reports gone."""
        return self._operation().refresh()

    def destroy(self) -> RunResult:
        """Delete every resource in the state."""
        return self._operation().destroy()

    def _operation(self) -> Sequences:
        """The sequences for one operation; with ``fresh_plugin_per_operation``, a plugin that already
        served one is replaced first."""
        if self.fresh_plugin_per_operation and self._served_operation:
            self.close()
            self.start()
        self._served_operation = True
        return self._sequences()

    def _sequences(self) -> Sequences:
        return Sequences(
            send=self._send,
            state=self._state,
            provider_string=self.provider_string,
            type_token=self.type_token,
            stack=self.stack,
            project=self.project,
        )
