"""The protobuf messages the drivers send, built in one place, and property maps to and from the wire.

Every resource request (``Check``, ``Diff``, ``Create``, ``Update``, ``Delete``, ``Read``, and
``CheckConfig`` about the provider itself) is :func:`resource_request`: the resource's identity fields
that the message declares (``id``, ``urn``, ``name``, ``type``), ``preview`` where the message has it,
plus property maps serialized the way the engine serializes them. :func:`configure_request` builds
``Configure``. :func:`from_struct` reads a property map back as the engine keeps it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar

from google.protobuf import struct_pb2
from google.protobuf.message import Message
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2

__all__ = [
    "UNKNOWN",
    "Identity",
    "config_text",
    "configure_request",
    "from_struct",
    "mark_secrets",
    "resource_request",
    "secret",
    "to_struct",
    "to_structs",
]

UNKNOWN: str = rpc.UNKNOWN
"""The wire value of an output that is not known yet (use it in ``preview`` inputs)."""

_IDENTITY_FIELDS = ("id", "urn", "name", "type")

_Request = TypeVar("_Request", bound=Message)


class Identity(Protocol):
    """What names a resource in a request (a :class:`~.state.ResourceState` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def urn(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...


def secret(value: Any) -> dict[str, Any]:
    """``value`` marked secret, for program inputs (as ``pulumi.Output.secret`` reaches the engine)."""
    wrapped: dict[str, Any] = rpc.wrap_rpc_secret(value)
    return wrapped


def mark_secrets(values: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """``values`` with those named in ``keys`` marked secret (once: a secret stays as it is)."""
    marked = frozenset(keys)
    return {
        key: secret(value) if key in marked and not rpc.is_rpc_secret(value) else value
        for key, value in values.items()
    }


def config_text(value: Any) -> str:
    """A config value as the engine passes it in ``variables``: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def resource_request(
    message: type[_Request],
    resource: Identity,
    *,
    secrets: bool = True,
    preview: bool = False,
    **properties: Mapping[str, Any],
) -> _Request:
    """``message`` about ``resource``: the identity fields the message declares (a ``CheckRequest`` has
    no ``id``), ``preview`` if it declares that, and each of ``properties`` (``olds=``, ``news=``,
    ``old_inputs=``, ...) as a Struct; secrets plain unless ``secrets`` (a plugin that does not accept
    them gets their values)."""
    declared = message.DESCRIPTOR.fields_by_name
    fields: dict[str, Any] = {key: getattr(resource, key) for key in _IDENTITY_FIELDS if key in declared}
    if "preview" in declared:
        fields["preview"] = preview
    fields.update(to_structs(properties, secrets=secrets))
    request: _Request = message(**fields)
    return request


def configure_request(
    args: Mapping[str, Any], *, provider: Identity | None = None, variable_prefix: str = ""
) -> provider_pb2.ConfigureRequest:
    """``Configure`` as the CLI sends it: ``args`` as they are (secrets wrapped), ``variables`` with every
    value as plain text under ``variable_prefix`` + key, the provider's identity when given, and the
    engine's capabilities."""
    identity = {key: getattr(provider, key) for key in ("urn", "name", "type")} if provider else {}
    variables = {f"{variable_prefix}{key}": config_text(rpc.unwrap_rpc_secret(v)) for key, v in args.items()}
    return provider_pb2.ConfigureRequest(
        **identity,
        variables=variables,
        args=to_struct(args),
        acceptSecrets=True,
        acceptResources=True,
        sends_old_inputs=True,
        sends_old_inputs_to_delete=True,
    )


def to_struct(props: Mapping[str, Any], *, secrets: bool = True) -> struct_pb2.Struct:
    """One property map serialized as the engine does (see :func:`to_structs`)."""
    return to_structs({"props": props}, secrets=secrets)["props"]


def to_structs(
    properties: Mapping[str, Mapping[str, Any]], *, secrets: bool = True
) -> dict[str, struct_pb2.Struct]:
    """Each property map serialized as the engine does (secrets and unknowns in their wire form; with
    ``secrets`` false, a secret's plain value)."""
    if not secrets:
        properties = {
            key: {name: rpc.unwrap_rpc_secret(value) for name, value in props.items()}
            for key, props in properties.items()
        }
    # A private loop, as the plugin does: asyncio.run() would leave the calling thread without a
    # current event loop, which breaks later pulumi.runtime.set_mocks programs in the same process.
    loop = asyncio.new_event_loop()
    try:
        return {
            key: loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
            for key, props in properties.items()
        }
    finally:
        loop.close()


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A property map the plugin sent, as the engine keeps it: secrets still marked, a value not known
    yet (a preview's) as :data:`UNKNOWN`."""
    props: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns=True)
    return {key: _known_or_unknown(value) for key, value in props.items()}


def _known_or_unknown(value: Any) -> Any:
    from pulumi.output import Unknown

    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {key: _known_or_unknown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_known_or_unknown(item) for item in value]
    return value
