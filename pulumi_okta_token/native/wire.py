"""Property maps on the wire: protobuf ``Struct`` to Python values and back, secrets kept apart.

The plugin tells the engine it accepts secrets (``acceptSecrets``), so a value the program marked secret
arrives wrapped (``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value":
...}``), and the engine then re-marks nothing itself (``provider_plugin.go#L1511-1513``, ``#L1657-1660``):
the provider must answer a property secret when it came secret. :class:`Props` holds the plain values
the provider methods take and the names of the top-level properties that were secret (Pulumi's Python
runtime lifts a nested secret to the top-level property holding it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import rpc

__all__ = ["Props", "read_props", "write_props"]


@dataclass(frozen=True)
class Props:
    """A property map: plain values, and which top-level properties were secret."""

    values: dict[str, Any]
    secrets: frozenset[str] = field(default_factory=frozenset)


def read_props(struct: struct_pb2.Struct | None, keep_unknowns: bool = False) -> Props:
    """The properties of ``struct``, secrets unwrapped (an unset ``Struct`` is an empty map).

    With ``keep_unknowns``, a value not known yet (a preview) becomes a ``pulumi.output.Unknown``.
    """
    if struct is None:
        return Props({})
    raw: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns)
    secrets = frozenset(key for key, value in raw.items() if rpc.is_rpc_secret(value))
    return Props({key: rpc.unwrap_rpc_secret(value) for key, value in raw.items()}, secrets)


def write_props(values: Mapping[str, Any], secrets: Iterable[str] = ()) -> struct_pb2.Struct:
    """``values`` as a ``Struct``, the properties named in ``secrets`` wrapped as secrets; ``None``
    values are left out, as the dynamic-provider host leaves them out."""
    marked = set(secrets)
    wrapped = {
        key: rpc.wrap_rpc_secret(value) if key in marked else value
        for key, value in values.items()
        if value is not None
    }
    # A private loop, as pulumi.dynamic's host does: the servicer's threads have no running loop.
    loop = asyncio.new_event_loop()
    try:
        struct: struct_pb2.Struct = loop.run_until_complete(rpc.serialize_properties(wrapped, {}))
    finally:
        loop.close()
    return struct
