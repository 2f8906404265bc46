"""The protobuf messages the driver sends, built in one place.

Every resource request (``Check``, ``Diff``, ``Create``, ``Update``, ``Delete``, ``Read``) is
:func:`resource_request`: the resource's identity fields that the message declares (``id``, ``urn``,
``name``, ``type``) plus property maps serialized the way the engine serializes them.
:func:`configure_request` builds ``Configure`` from a stack config.
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

__all__ = ["UNKNOWN", "Identity", "configure_request", "from_struct", "resource_request", "to_structs"]

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


def resource_request(
    message: type[_Request], resource: Identity, **properties: Mapping[str, Any]
) -> _Request:
    """``message`` about ``resource``: the identity fields the message declares (a ``CheckRequest`` has
    no ``id``), and each of ``properties`` (``olds=``, ``news=``, ``old_inputs=``, ...) as a Struct."""
    declared = message.DESCRIPTOR.fields_by_name
    fields: dict[str, Any] = {key: getattr(resource, key) for key in _IDENTITY_FIELDS if key in declared}
    fields.update(to_structs(properties))
    request: _Request = message(**fields)
    return request


def configure_request(config: Mapping[str, Any], secret_keys: Iterable[str]) -> provider_pb2.ConfigureRequest:
    """``Configure`` as the CLI sends it: ``args`` with the secret keys wrapped as secrets, ``variables``
    with every value as a string (JSON for non-strings), and the engine's capabilities."""
    secrets = frozenset(secret_keys)
    args = {key: rpc.wrap_rpc_secret(value) if key in secrets else value for key, value in config.items()}
    variables = {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}
    return provider_pb2.ConfigureRequest(
        variables=variables,
        args=to_structs({"args": args})["args"],
        acceptSecrets=True,
        acceptResources=True,
        sends_old_inputs=True,
        sends_old_inputs_to_delete=True,
    )


def to_structs(properties: Mapping[str, Mapping[str, Any]]) -> dict[str, struct_pb2.Struct]:
    """Each property map serialized as the engine does (secrets and unknowns in their wire form)."""
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


def from_struct(struct: struct_pb2.Struct, keep_unknowns: bool = False) -> dict[str, Any]:
    """A property map the plugin sent, deserialized (unknowns kept as :data:`UNKNOWN` when asked)."""
    props: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns)
    return props
