"""``NativeEngine``: drive the native ``okta-token`` plugin the way the Pulumi CLI does, without the CLI.

:class:`NativeEngine` starts the console script ``pulumi-resource-okta-token`` exactly as the CLI starts a
resource plugin (engine flags first, the engine's address last, the port read from the first stdout
line), and replays on a small stack state the message sequences of ``../shared/pulumi/NATIVE-PROVIDER.md``
(pulumi/pulumi at 1b59498; file and line below). Every operation runs in a plugin process of its own, as
every CLI command does, and ends the way the CLI ends it: ``Cancel``, then SIGINT if it still runs.

* load (each operation): ``Handshake`` -> ``GetPluginInfo`` -> ``CheckConfig`` -> ``Configure``
  (``pkg/resource/plugin/provider_plugin.go#L366-405``, ``pkg/host/host.go#L369-394``,
  ``pkg/resource/deploy/providers/registry.go#L622-717``). The stack config's ``okta-token:*`` keys
  reach the plugin without their namespace (``pkg/resource/deploy/target.go#L46-72``); ``CheckConfig``
  gets them in plain text, ``Configure`` gets the checked ones with secrets wrapped.
* :meth:`NativeEngine.import_resources` (``pulumi import TYPE NAME ID`` and ``pulumi import --file``):
  a preview, then the update, each ``Read`` (the id alone) -> ``Check`` per resource (``imports.py``);
  then the code generation: ``GetSchema`` from a fresh plugin (``pkg/codegen/schema/loader.go#L580-633``)
  and the program the CLI would write.
* :meth:`NativeEngine.up` / :meth:`NativeEngine.preview`: per resource ``Check`` -> ``Diff`` ->
  ``Create`` / ``Update`` / nothing, with ``preview=true`` in a preview (the plugin implements
  ``Handshake``, so the engine asks it, ``provider_plugin.go#L317-325``); a replace is ``Check`` again
  with no old inputs, ``Create``, then ``Delete`` of the old. With the ``import_`` option (``imports``):
  ``Read`` (the id alone) -> ``Check`` -> ``Diff`` -> nothing, ``Update``, or the engine's error for a
  replace.
* :meth:`NativeEngine.refresh`: ``Read`` with the stored outputs and inputs, then the refresh ``Diff``
  (as the CLI sends it); an empty id drops the resource (``step.go#L1580-1620``).
  :meth:`NativeEngine.destroy`: ``Delete`` for each resource.
* :meth:`~.base.EngineBase.state_delete`: ``pulumi state delete`` (no RPC: the state forgets the resource).

What differs from the CLI: the state lives in memory; resources run one after another (the CLI runs
them in parallel); the generated program is a model of Pulumi's Python program generator
(:func:`~.imports.python_program`), limited to what ``ApiToken`` needs; messages are the engine's
wording without colours.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import grpc
from google.protobuf.empty_pb2 import Empty
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from ...native.schema import PACKAGE
from .base import EngineBase
from .imports import NATIVE_TYPE, ImportResult, ImportSequences, ImportSpec, python_program
from .messages import configure_request, from_struct, mark_secrets, resource_request
from .process import console_script, plugin_env
from .sequences import Program, failure_text
from .state import ResourceState, RunResult

__all__ = [
    "NATIVE_SECRET_KEYS",
    "NATIVE_TYPE",
    "PLUGIN_COMMAND",
    "ConfigRejected",
    "NativeEngine",
    "plugin_command",
]

PROVIDER_TYPE = f"pulumi:providers:{PACKAGE}"

PLUGIN_COMMAND = f"pulumi-resource-{PACKAGE}"
"""The executable the CLI looks for (``sdk/go/common/workspace/plugins.go#L1332-1334``)."""

NATIVE_SECRET_KEYS: frozenset[str] = frozenset(
    {f"{PACKAGE}:apiToken", f"{PACKAGE}:accessToken", f"{PACKAGE}:privateKey"}
)
"""Stack config keys set with ``pulumi config set --secret`` unless told otherwise."""

ENGINE_ADDRESS = "127.0.0.1:1"
ENGINE_ARGS = ("--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:1/trace", ENGINE_ADDRESS)
"""The CLI's arguments to a plugin (``plugin.go#L728-744``): flags first, the engine's address last."""

_CANCEL_WAIT = 10.0
"""Seconds the driver waits for the plugin to exit after ``Cancel`` before it sends SIGINT; SIGKILL
follows 5 s later, as ``plugin.go#L640-669`` does."""


def plugin_command() -> str:
    """The console script installed next to this interpreter, else the one on ``PATH``."""
    return console_script(PLUGIN_COMMAND)


class ConfigRejected(RuntimeError):
    """Loading the provider failed: ``CheckConfig`` failures or a ``Configure`` error (the text the CLI
    shows; every resource of the operation fails with it)."""


class NativeEngine(EngineBase):
    """The engine's side of the protocol, talking to ``pulumi-resource-okta-token`` processes.

    :param config: the stack config, namespaced (``{"okta-token:orgUrl": ..., "okta-token:apiToken":
        ...}``); only the ``okta-token:`` keys reach the plugin, as the CLI passes them.
    :param secret_keys: the config keys set as secrets.
    :param env: extra environment variables of the plugin (the CLI's environment reaches it).
    :param inherit_env: start from this process's environment.
    :param command: the plugin executable; the console script next to this interpreter by default.
    :param project, stack: names used in URNs.
    """

    _NOT_RUNNING = "no plugin runs outside an operation: use `with engine.plugin():`"

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        *,
        secret_keys: Iterable[str] = NATIVE_SECRET_KEYS,
        env: Mapping[str, str] | None = None,
        inherit_env: bool = True,
        command: str | os.PathLike[str] | None = None,
        project: str = "okta-tokens",
        stack: str = "test",
        start_timeout: float = 60.0,
        call_timeout: float = 60.0,
    ) -> None:
        super().__init__(
            config,
            secret_keys=secret_keys,
            type_token=NATIVE_TYPE,
            env=plugin_env(env, inherit_env, project),
            project=project,
            stack=stack,
            start_timeout=start_timeout,
            call_timeout=call_timeout,
        )
        self.command = str(command) if command is not None else plugin_command()
        self._accepts_secrets = False
        self._supports_preview = False

    # ---------------------------------------------------------------------------------------- plugin

    @contextmanager
    def plugin(self, *, load: bool = True) -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
        """One plugin process for one operation: started, loaded (unless ``load`` is false), then
        stopped as the CLI stops it (``Cancel``; SIGINT if it does not exit)."""
        self._accepts_secrets = self._supports_preview = False
        self._launch([self.command, *ENGINE_ARGS], label=self.command)
        try:
            self._handshake()
            self._send("GetPluginInfo", Empty())
            if load:
                self._check_and_configure()
            yield self.stub
        finally:
            with suppress(grpc.RpcError):
                self._send("Cancel", Empty())
            self._halt(exit_wait=_CANCEL_WAIT, stop_signal=signal.SIGINT, signal_wait=5.0)

    def _handshake(self) -> None:
        request = provider_pb2.ProviderHandshakeRequest(
            engine_address=ENGINE_ADDRESS, root_directory=os.getcwd(), program_directory=os.getcwd()
        )
        self._accepts_secrets = self._send("Handshake", request).accept_secrets
        self._supports_preview = True  # a plugin that answers Handshake is asked with preview=true

    def _check_and_configure(self) -> None:
        provider = ResourceState("default", PROVIDER_TYPE, self.urn("default", PROVIDER_TYPE), "", {}, {})
        prefix = f"{PACKAGE}:"
        news = {
            key.removeprefix(prefix): value for key, value in self.config.items() if key.startswith(prefix)
        }
        checked = self._load(
            "CheckConfig", resource_request(provider_pb2.CheckRequest, provider, olds={}, news=news)
        )
        if checked.failures:
            raise ConfigRejected(
                "\n".join(
                    failure_text(PROVIDER_TYPE, provider.name, failure, news) for failure in checked.failures
                )
            )
        # annotateSecrets: the config's secret bit survives CheckConfig (provider_plugin.go#L749).
        secret = [
            key.removeprefix(prefix)
            for key in self.config
            if key in self.secret_keys and key.startswith(prefix)
        ]
        inputs = mark_secrets(from_struct(checked.inputs), secret)
        request = configure_request(inputs, provider=provider, variable_prefix=f"{PACKAGE}:config:")
        self._supports_preview |= self._load("Configure", request).supportsPreview

    def _load(self, method: str, request: Any) -> Any:
        try:
            return self._send(method, request)
        except grpc.RpcError as error:
            raise ConfigRejected(error.details() or str(error)) from None

    def _sequences(
        self,
        imports: Mapping[str, str] | None = None,
        protect: Iterable[str] = (),
        retain_on_delete: Iterable[str] = (),
    ) -> ImportSequences:
        return self._sequences_of(
            ImportSequences,
            send_secrets=self._accepts_secrets,
            preview_calls=self._supports_preview,
            threads=1,
            protect=frozenset(protect),
            retain_on_delete=frozenset(retain_on_delete),
            imports=dict(imports or {}),
        )

    # ---------------------------------------------------------------------------------------- import

    def import_resources(
        self,
        specs: Sequence[ImportSpec],
        *,
        protect: bool = True,
        generate_code: bool = True,
        preview_first: bool = True,
    ) -> ImportResult:
        """``pulumi import`` of ``specs`` (one for ``pulumi import TYPE NAME ID``, many for ``--file``):
        a preview (unless ``preview_first`` is false, as ``--skip-preview``), then the update; the
        program is generated (unless ``generate_code`` is false) when every resource was imported."""
        preview = None
        if preview_first:
            preview = self._import(specs, protect, preview=True)
            if not preview.ok:
                return ImportResult(preview, None, preview)
        run = self._import(specs, protect, preview=False)
        program = self.generate_program([spec.name for spec in specs]) if run.ok and generate_code else None
        return ImportResult(run, program, preview)

    def import_one(self, name: str, token_id: str, **options: bool) -> ImportResult:
        """``pulumi import okta-token:index:ApiToken <name> <token_id>`` (options as for
        :meth:`import_resources`)."""
        return self.import_resources([ImportSpec(name, token_id)], **options)

    def _import(self, specs: Sequence[ImportSpec], protect: bool, preview: bool) -> RunResult:
        with self.plugin():
            sequences = self._sequences()
            return RunResult({spec.name: sequences.import_resource(spec, protect, preview) for spec in specs})

    def generate_program(self, names: Iterable[str] | None = None) -> str:
        """The program ``pulumi import`` prints for resources of the state: ``GetSchema`` from a fresh
        plugin (no ``CheckConfig``/``Configure``: the schema loader only loads it), then
        :func:`~.imports.python_program`."""
        with self.plugin(load=False):
            answer = self._send("GetSchema", provider_pb2.GetSchemaRequest(version=0))
        schema = json.loads(answer.schema)
        if schema.get("name") != PACKAGE:  # pkg/codegen/schema/loader.go#L340-347
            raise ValueError(f"the plugin's schema names package {schema.get('name')!r}, not {PACKAGE!r}")
        state = self.state
        chosen = list(state) if names is None else list(names)
        return python_program(schema, [state[name] for name in chosen])

    # ------------------------------------------------------------------------------------ operations

    def up(
        self,
        program: Program,
        *,
        imports: Mapping[str, str] | None = None,
        protect: Iterable[str] = (),
        retain_on_delete: Iterable[str] = (),
    ) -> RunResult:
        """Deploy ``program`` (resource name -> inputs). ``imports`` gives resources the ``import_``
        option (name -> id); ``protect`` and ``retain_on_delete`` name resources with those options."""
        with self.plugin():
            return self._sequences(imports, protect, retain_on_delete).deploy(program, preview=False)

    def preview(self, program: Program, *, imports: Mapping[str, str] | None = None) -> RunResult:
        """What ``up`` would do; ``Create``/``Update`` are sent with ``preview=true``; the state stays."""
        with self.plugin():
            return self._sequences(imports).deploy(program, preview=True)

    def refresh(self) -> RunResult:
        """Read every resource; keep what the plugin answers; drop what it reports gone."""
        with self.plugin():
            return self._sequences().refresh()

    def destroy(self) -> RunResult:
        """Delete every resource (a protected one fails; a retained one is only forgotten)."""
        with self.plugin():
            return self._sequences().destroy()
