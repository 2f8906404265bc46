"""The ``ApiToken`` resources of a stack, read from the JSON of ``pulumi stack export``.

The export (version 3) holds ``deployment.resources``, a list of objects with ``urn``, ``type``, ``id``
and ``outputs``. An ``ApiToken`` has the type ``pulumi-python:dynamic/okta:ApiToken`` (the dynamic
provider's prefix, then ``module="okta", name="ApiToken"`` of ``resource.ApiToken``) and its token's id
as resource id. A resource marked ``delete`` (the old side of a replace, not yet deleted) still counts as
managing its token, but is never reported as missing.

Every problem with the file is a ``UsageError`` naming the file and what it should be; the file's
content is never quoted (an export holds the stack's secrets, encrypted or not).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._models import is_token_id
from ._tokens import UsageError

__all__ = ["API_TOKEN_TYPE", "ManagedToken", "read_stack_state"]

API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"

_EXPORT = "give the output of `pulumi stack export --file FILE` for the stack that manages the tokens"


@dataclass(frozen=True)
class ManagedToken:
    """One ``ApiToken`` of the stack."""

    name: str
    """The resource's name (the last part of its URN)."""
    token_id: str
    token_name: str | None
    """The token's name as the stack last saw it, when its outputs show it in the clear."""
    pending_delete: bool = False


def read_stack_state(path: Path) -> list[ManagedToken]:
    """The ``ApiToken`` resources of the export at ``path``; ``UsageError`` when it is not one."""
    where = f"--stack-state {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not UTF-8 text"
        raise UsageError(f"{where}: cannot read the file ({reason})") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        position = (
            f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        )
        raise UsageError(f"{where} is not JSON{position}: {_EXPORT}") from None
    resources = _resources(data)
    if resources is None:
        raise UsageError(f"{where} is JSON but not a stack export (no deployment.resources list): {_EXPORT}")
    managed = [_managed(resource, where) for resource in resources if _is_api_token(resource)]
    found = [token for token in managed if token is not None]
    if not found:
        raise UsageError(
            f"{where} holds no ApiToken resource (type {API_TOKEN_TYPE}) with a token id: {_EXPORT}"
        )
    return found


def _resources(data: Any) -> list[Any] | None:
    if not isinstance(data, Mapping):
        return None
    deployment = data.get("deployment")
    resources = deployment.get("resources") if isinstance(deployment, Mapping) else None
    return resources if isinstance(resources, list) else None


def _is_api_token(resource: Any) -> bool:
    return isinstance(resource, Mapping) and resource.get("type") == API_TOKEN_TYPE


def _managed(resource: Mapping[str, Any], where: str) -> ManagedToken | None:
    """The resource as a ``ManagedToken``; ``None`` for one with no id yet (a create that never ended)."""
    urn = resource.get("urn")
    name = urn.rsplit("::", 1)[-1] if isinstance(urn, str) and "::" in urn else "(no urn)"
    outputs = resource.get("outputs")
    outputs = outputs if isinstance(outputs, Mapping) else {}
    token_id = resource.get("id") or outputs.get("token_id")
    if not token_id:
        return None
    if not is_token_id(token_id):
        raise UsageError(
            f"{where}: the ApiToken {name!r} has an id that is not an API token id ('00T' and 17 letters "
            f"or digits): {_EXPORT}"
        )
    token_name = outputs.get("name")
    return ManagedToken(
        name=name,
        token_id=token_id,
        token_name=token_name if isinstance(token_name, str) else None,
        pending_delete=resource.get("delete") is True,
    )
