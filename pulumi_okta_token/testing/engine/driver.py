"""``PluginEngine``: the dynamic plugin (``process.py``) driven through the engine's sequences
(``sequences.py``) on a stack state (``base.py``, ``state.py``); the package docstring tells what it
plays and how."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from google.protobuf.empty_pb2 import Empty
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from .base import EngineBase
from .messages import configure_request, mark_secrets
from .process import DYNAMIC_PLUGIN, PACKAGE_ROOT, plugin_env
from .sequences import Program, Sequences
from .state import PROVIDER_KEY, RunResult

__all__ = ["API_TOKEN_TYPE", "DEFAULT_SECRET_KEYS", "PluginEngine"]

API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"
"""The type token of ``ApiToken`` resources."""

DEFAULT_SECRET_KEYS: frozenset[str] = frozenset({"okta:apiToken", "okta:accessToken", "okta:privateKey"})
"""Stack config keys sent as secrets unless told otherwise (pulumi-okta marks the same ones secret)."""


def _default_provider() -> ResourceProvider:
    from pulumi_okta_token import ApiTokenProvider  # imported late: the driver also serves other providers

    provider: ResourceProvider = ApiTokenProvider()
    return provider


class PluginEngine(EngineBase):
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
        ``refresh`` and ``destroy``, as the CLI does (the default). ``False`` lets one process serve
        them all: faster, but nothing the CLI does (a long-lived host), so a test written that way can
        pass while the product, run by the CLI, is wrong. The plugin is then told so
        (``PULUMI_OKTA_TOKEN_LONG_LIVED_PLUGIN=1``): a delete of a token adopted by an earlier ``up``
        revokes it, where a CLI-started plugin would take it for a hand-over within one operation.

    Use it as a context manager: the plugin starts on enter and is stopped (and reaped) on exit.
    ``stdout``/``stderr``, ``calls`` and ``responses`` accumulate over every process the driver started.
    """

    _NOT_RUNNING = "the plugin is not running: use `with PluginEngine(...)` or call start()"

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
        fresh_plugin_per_operation: bool = True,
    ) -> None:
        super().__init__(
            config,
            secret_keys=secret_keys,
            type_token=type_token,
            env=plugin_env(env, inherit_env, project, [*pythonpath, PACKAGE_ROOT]),
            project=project,
            stack=stack,
            start_timeout=start_timeout,
            call_timeout=call_timeout,
        )
        self.fresh_plugin_per_operation = fresh_plugin_per_operation
        self._served_operation = False
        self.provider_string = serialize_provider(provider if provider is not None else _default_provider())
        """The serialized provider sent in ``__provider`` (base64 of the dill pickle)."""
        self.start_seconds: float | None = None
        """Seconds from process start to the port being printed."""
        self.accepts_secrets: bool | None = None
        """What the plugin answered to ``Configure``; ``False`` means the engine sends it plain values
        (it does). ``None`` until the first ``Configure``."""
        self._supports_preview = False

    # ---------------------------------------------------------------------------------------- process

    def start(self) -> PluginEngine:
        """Start the plugin, wait for its port, connect and send ``Configure``."""
        if self._process is not None:
            return self
        self._served_operation = False
        from ...provider import LONG_LIVED_PLUGIN_ENV  # late: the driver also serves other providers

        if self.fresh_plugin_per_operation:
            self._env.pop(LONG_LIVED_PLUGIN_ENV, None)
        else:
            self._env[LONG_LIVED_PLUGIN_ENV] = "1"
        try:
            self.start_seconds = self._launch(DYNAMIC_PLUGIN, "the plugin").start_seconds
            # The engine asks every plugin for its version before configuring it.
            self._send("GetPluginInfo", Empty())
            response = self._send("Configure", configure_request(mark_secrets(self.config, self.secret_keys)))
            self.accepts_secrets = response.acceptSecrets
            self._supports_preview = response.supportsPreview
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Close the channel, stop the plugin process and reap it."""
        self._halt()

    @property
    def exit_code(self) -> int | None:
        """The plugin's exit status once ``close()`` has stopped and reaped it."""
        return self.exit_codes[-1] if self.exit_codes else None

    def __enter__(self) -> PluginEngine:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------------------------- operations

    def up(
        self, program: Program, *, protect: Iterable[str] = (), retain_on_delete: Iterable[str] = ()
    ) -> RunResult:
        """Deploy ``program`` (resource name -> inputs): create, update, replace or keep each resource,
        then delete the old side of replaces and the resources the program no longer declares.
        ``protect`` and ``retain_on_delete`` name the resources declared with those resource options:
        the state keeps them, so a later ``destroy`` refuses a protected resource and only forgets a
        retained one, as the CLI does."""
        return self._operation(protect, retain_on_delete).deploy(program, preview=False)

    def preview(
        self, program: Program, *, protect: Iterable[str] = (), retain_on_delete: Iterable[str] = ()
    ) -> RunResult:
        """What ``up`` would do: ``Check`` and ``Diff`` only; the state does not change."""
        return self._operation(protect, retain_on_delete).deploy(program, preview=True)

    def refresh(self) -> RunResult:
        """Read every resource; keep what the plugin returns, drop resources it reports gone."""
        return self._operation().refresh()

    def destroy(self) -> RunResult:
        """Delete every resource in the state."""
        return self._operation().destroy()

    def _operation(self, protect: Iterable[str] = (), retain_on_delete: Iterable[str] = ()) -> Sequences:
        """The sequences for one operation; with ``fresh_plugin_per_operation``, a plugin that already
        served one is replaced first."""
        if self.fresh_plugin_per_operation and self._served_operation:
            self.close()
            self.start()
        self._served_operation = True
        return self._sequences_of(
            Sequences,
            carried_inputs={PROVIDER_KEY: self.provider_string},
            send_secrets=bool(self.accepts_secrets),
            preview_calls=self._supports_preview,
            protect=frozenset(protect),
            retain_on_delete=frozenset(retain_on_delete),
        )
