"""The native plugin's gRPC servicer: ``ResourceProvider`` for package ``okta-token``.

Written the way ``pulumi/dynamic/__main__.py`` writes the dynamic-provider host: a synchronous servicer
on a thread pool, properties (de)serialized with Pulumi's Python runtime. Every resource operation is
``ApiTokenProvider``'s (check, diff, create = adopt, read, update, delete = revoke): the rules live there,
once, for both providers. What the servicer adds is the native side of the protocol:

* ``Handshake``, ``GetPluginInfo`` (the package version), ``GetSchema`` (``schema.json``),
  ``CheckConfig`` / ``DiffConfig`` / ``Configure`` for the ``okta-token:*`` settings, ``Cancel``;
  every other RPC answers ``UNIMPLEMENTED``.
* Import: ``Read`` with an id alone answers the token's outputs and the inputs a program declares for
  it; a token Okta does not have answers an empty ``ReadResponse`` (the engine then reports "does not
  exist", ``pkg/resource/deploy/step.go#L2058-2064``), never an empty resource.
* Secrets: the plugin accepts them (``Handshake`` and ``Configure`` say so); credentials come in
  wrapped and are never answered in plain text, and a property the program marked secret is answered
  secret.
* Previews: with ``Handshake`` implemented the engine asks ``Create``/``Update`` with ``preview=true``
  (``pkg/resource/plugin/provider_plugin.go#L317-325``): those answers are computed without calling Okta.
* Errors reach the engine as the error's message (no traceback), with setting names in the
  ``okta-token:`` namespace.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.runtime import rpc
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from .._models import OUTPUT_FIELDS, is_token_id, shown
from ..errors import OktaTokenError
from ..provider import ApiTokenProvider, is_unknown
from .schema import PACKAGE, SECRET_CONFIG_KEYS, TYPE_TOKEN, package_version, schema_text
from .settings import ENGINE_KEYS, config_failures, config_text, namespaced
from .wire import read_props, write_props

__all__ = ["IMPLEMENTED", "ApiTokenServicer"]

IMPLEMENTED = frozenset(
    {
        "Handshake",
        "GetPluginInfo",
        "GetSchema",
        "CheckConfig",
        "DiffConfig",
        "Configure",
        "Cancel",
        "Check",
        "Diff",
        "Create",
        "Read",
        "Update",
        "Delete",
    }
)
"""The RPCs the plugin serves; every other one answers ``UNIMPLEMENTED``."""

_Method = TypeVar("_Method", bound=Callable[..., Any])


class _Refused(Exception):
    """A request the plugin does not serve (another resource type, a subpackage): its gRPC status."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def _answers(method: _Method) -> _Method:
    """Turn an exception into the gRPC error the engine shows: the message alone, setting names in
    the ``okta-token:`` namespace (a traceback would only bury the sentence that says what to do)."""

    @functools.wraps(method)
    def serve(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return method(self, request, context)
        except _Refused as refused:
            code, message = refused.code, str(refused)
        except OktaTokenError as error:
            code, message = grpc.StatusCode.UNKNOWN, str(error)
        except Exception as error:
            code, message = grpc.StatusCode.UNKNOWN, f"{type(error).__name__}: {error}"
        context.abort(code, namespaced(message))

    return serve  # type: ignore[return-value]


class ApiTokenServicer(provider_pb2_grpc.ResourceProviderServicer):
    """``ResourceProvider`` for ``okta-token:index:ApiToken``, on one ``ApiTokenProvider``.

    :param on_cancel: called when the engine sends ``Cancel`` (it does before closing the plugin:
        ``pkg/host/host.go#L428-437``); the console script stops serving then.
    :param environ: where the ``OKTA_*`` variables are read (this process's environment by default).
    """

    def __init__(
        self, *, on_cancel: Callable[[], None] = lambda: None, environ: Mapping[str, str] | None = None
    ) -> None:
        self._provider = ApiTokenProvider()
        self._on_cancel = on_cancel
        self._environ = os.environ if environ is None else environ

    # -- the plugin -------------------------------------------------------------------------------

    def Handshake(self, request: Any, context: grpc.ServicerContext) -> Any:
        # The engine takes these flags from Handshake and ignores Configure's then
        # (provider_plugin.go#L317-325 and #L1147-1157).
        return provider_pb2.ProviderHandshakeResponse(accept_secrets=True, accept_resources=False)

    def GetPluginInfo(self, request: Any, context: grpc.ServicerContext) -> Any:
        return plugin_pb2.PluginInfo(version=package_version())

    @_answers
    def GetSchema(self, request: Any, context: grpc.ServicerContext) -> Any:
        if request.subpackage_name:
            raise _Refused(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"the {PACKAGE} plugin has no subpackage {shown(request.subpackage_name)}",
            )
        return provider_pb2.GetSchemaResponse(schema=schema_text())

    @_answers
    def CheckConfig(self, request: Any, context: grpc.ServicerContext) -> Any:
        news = read_props(request.news, keep_unknowns=True)
        reasons = config_failures(news.values, self._environ, is_unknown)
        # Credentials come in plain (CheckConfig is not sent secrets, provider_plugin.go#L697-703) and
        # go back as secrets whatever the stack config said. A failure names no property: the engine
        # would print that property's value next to it (step_generator.go#L3062-3065), and a
        # credential pasted into the wrong setting must not reach the CLI output. The reason names it.
        secrets = news.secrets | (SECRET_CONFIG_KEYS & news.values.keys())
        return provider_pb2.CheckResponse(
            inputs=write_props(news.values, secrets),
            failures=[provider_pb2.CheckFailure(property="", reason=reason) for reason in reasons],
        )

    @_answers
    def DiffConfig(self, request: Any, context: grpc.ServicerContext) -> Any:
        olds = read_props(request.old_inputs if request.HasField("old_inputs") else request.olds)
        news = read_props(request.news, keep_unknowns=True)
        changed = _settings(olds.values) != _settings(news.values)
        # A new org or credential never replaces the provider: that would replace (adopt again, then
        # revoke) every token it manages.
        return provider_pb2.DiffResponse(changes=_changes(changed))

    @_answers
    def Configure(self, request: Any, context: grpc.ServicerContext) -> Any:
        values = read_props(request.args).values or _from_variables(request.variables)
        raw = {f"okta:{key}": config_text(value) for key, value in _settings(values).items()}
        project = os.environ.get("PULUMI_PROJECT", "project")
        self._provider.configure(ConfigureRequest(Config(raw_config=raw, project_name=project)))
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=True, acceptResources=False)

    def Cancel(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._on_cancel()
        return empty_pb2.Empty()

    # -- the resource ---------------------------------------------------------------------------

    @_answers
    def Check(self, request: Any, context: grpc.ServicerContext) -> Any:
        _served(request)
        olds = read_props(request.olds, keep_unknowns=True)
        news = read_props(request.news, keep_unknowns=True)
        result = self._provider.check(olds.values, news.values)
        failures = [provider_pb2.CheckFailure(property=f.property, reason=f.reason) for f in result.failures]
        return provider_pb2.CheckResponse(inputs=write_props(result.inputs, news.secrets), failures=failures)

    @_answers
    def Diff(self, request: Any, context: grpc.ServicerContext) -> Any:
        _served(request)
        olds = read_props(request.olds, keep_unknowns=True)
        news = read_props(request.news, keep_unknowns=True)
        result = self._provider.diff(request.id, olds.values, news.values)
        return provider_pb2.DiffResponse(
            changes=_changes(bool(result.changes)),
            replaces=list(result.replaces or []),
            deleteBeforeReplace=bool(result.delete_before_replace),
        )

    @_answers
    def Create(self, request: Any, context: grpc.ServicerContext) -> Any:
        _served(request)
        props = read_props(request.properties, keep_unknowns=request.preview)
        if request.preview:
            planned = _planned_outputs({}, props.values)
            return provider_pb2.CreateResponse(properties=write_props(planned, props.secrets))
        result = self._provider.create(props.values)
        outputs = write_props(result.outs or {}, props.secrets)
        return provider_pb2.CreateResponse(id=result.id, properties=outputs)

    @_answers
    def Read(self, request: Any, context: grpc.ServicerContext) -> Any:
        _served(request)
        outputs = read_props(request.properties)
        inputs = read_props(request.inputs)
        if not outputs.values and not inputs.values and not is_token_id(request.id):
            raise OktaTokenError(_not_an_id(request.id))
        result = self._provider.read(request.id, outputs.values)
        if not result.id:
            return provider_pb2.ReadResponse()  # gone: no id, no properties, no inputs
        secrets = outputs.secrets | inputs.secrets
        return provider_pb2.ReadResponse(
            id=result.id,
            properties=write_props(result.outs or {}, secrets),
            inputs=write_props(result.inputs or {}, secrets),
        )

    @_answers
    def Update(self, request: Any, context: grpc.ServicerContext) -> Any:
        _served(request)
        olds = read_props(request.olds)
        news = read_props(request.news, keep_unknowns=request.preview)
        secrets = olds.secrets | news.secrets
        if request.preview:
            planned = _planned_outputs(olds.values, news.values)
            return provider_pb2.UpdateResponse(properties=write_props(planned, secrets))
        result = self._provider.update(request.id, olds.values, news.values)
        return provider_pb2.UpdateResponse(properties=write_props(result.outs or {}, secrets))

    @_answers
    def Delete(self, request: Any, context: grpc.ServicerContext) -> Any:
        _served(request)
        self._provider.delete(request.id, read_props(request.properties).values)
        return empty_pb2.Empty()


def _unimplemented(name: str) -> Callable[[Any, Any, grpc.ServicerContext], Any]:
    def refuse(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{name} is not implemented by the {PACKAGE} provider")

    refuse.__name__ = name
    return refuse


# Every RPC of the protocol this servicer does not serve answers UNIMPLEMENTED, which the engine
# treats as "not supported" (Handshake, CheckConfig, DiffConfig, Cancel: provider_plugin.go#L387-393,
# #L713-719, #L839-857, #L2453-2466), without the base class's logged NotImplementedError.
for _name in dir(provider_pb2_grpc.ResourceProviderServicer):
    if not _name.startswith("_") and _name not in IMPLEMENTED:
        setattr(ApiTokenServicer, _name, _unimplemented(_name))


def _served(request: Any) -> None:
    """Refuse a request for a resource type this plugin does not serve."""
    typ = request.type or _type_of(request.urn)
    if typ != TYPE_TOKEN:
        raise _Refused(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"the {PACKAGE} provider serves one resource type, {TYPE_TOKEN}, not {shown(typ)}",
        )


def _type_of(urn: str) -> str:
    """The resource type in a URN (``urn:pulumi:<stack>::<project>::<parent$...$type>::<name>``)."""
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def _not_an_id(token_id: str) -> str:
    return (
        f"cannot import API token {shown(token_id)}: that is not an Okta API token id ('00T' followed by "
        "17 letters or digits), so no request was sent. Copy the id from Security > API > Tokens in the "
        f"Okta Admin Console: `pulumi import {TYPE_TOKEN} <name> 00T...`."
    )


def _planned_outputs(olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs a preview shows: the declared values over the stored ones, the rest not known yet
    (a preview does not call Okta)."""
    planned: dict[str, Any] = {key: olds.get(key, rpc.UNKNOWN) for key in OUTPUT_FIELDS}
    planned.update({key: value for key, value in news.items() if key in OUTPUT_FIELDS and value is not None})
    planned["last_updated"] = rpc.UNKNOWN
    return planned


def _settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings among a provider's inputs (the engine's own keys left out)."""
    return {
        key: value for key, value in values.items() if key not in ENGINE_KEYS and not key.startswith("__")
    }


def _changes(changed: bool) -> Any:
    return provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE


def _from_variables(variables: Mapping[str, str]) -> dict[str, Any]:
    """Settings from ``ConfigureRequest.variables`` (``okta-token:config:<key>``), for an engine that
    sends no ``args``."""
    prefixes = (f"{PACKAGE}:config:", f"{PACKAGE}:")
    found: dict[str, Any] = {}
    for name, value in variables.items():
        for prefix in prefixes:
            if name.startswith(prefix):
                found[name[len(prefix) :]] = value
                break
    return found
