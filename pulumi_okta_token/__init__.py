"""Bring existing Okta API tokens under Pulumi: adopt, keep as declared, follow drift, revoke.

The public API is what this module exports::

    from pulumi_okta_token import ApiToken, ApiTokenNetworkArgs

    ApiToken("ci", token_id="00T1fxzubpqiepH11d38", network=ApiTokenNetworkArgs(connection="ANYWHERE"))

Besides it, three public modules: :mod:`pulumi_okta_token.errors` (the error tree, for code that calls
the provider directly), :mod:`pulumi_okta_token.provider` (``ApiTokenProvider`` stays importable at that
path forever: every stack's state holds it, pickled by reference) and :mod:`pulumi_okta_token.testing`
(a fake Okta and the engine driver for your own tests). Modules whose names start with ``_`` are private
and may change in any release. :mod:`pulumi_okta_token.native` holds the same resource served by the
native ``okta-token`` plugin, for ``pulumi import`` (``okta_token.native.ApiToken`` in the code the CLI
generates, with ``import pulumi_okta_token as okta_token``: the attribute imports it on first use).

Each name is imported on first use (``from pulumi_okta_token import ApiToken`` imports the resource
module then), so importing the package alone loads neither Pulumi nor the Okta SDK: the pytest plugin
the package registers, and the test helpers in ``pulumi_okta_token.testing``, stay cheap to import.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

from ._lazy import lazy_attributes
from ._version import __version__

if TYPE_CHECKING:
    from .provider import ApiTokenProvider
    from .resource import (
        ApiToken,
        ApiTokenArgs,
        ApiTokenArgsDict,
        ApiTokenNetwork,
        ApiTokenNetworkArgs,
        ApiTokenNetworkArgsDict,
    )

__all__ = [
    "ApiToken",
    "ApiTokenArgs",
    "ApiTokenArgsDict",
    "ApiTokenNetwork",
    "ApiTokenNetworkArgs",
    "ApiTokenNetworkArgsDict",
    "ApiTokenProvider",
    "__version__",
]

_public_attribute, __dir__ = lazy_attributes(
    __name__,
    {
        "ApiTokenProvider": ".provider",
        "config": ".config",
        "native": ".native",
        **dict.fromkeys(
            (
                "ApiToken",
                "ApiTokenArgs",
                "ApiTokenArgsDict",
                "ApiTokenNetwork",
                "ApiTokenNetworkArgs",
                "ApiTokenNetworkArgsDict",
            ),
            ".resource",
        ),
    },
)


_MOVED = {
    **dict.fromkeys(
        (
            "AdoptionError",
            "ConfigurationError",
            "Forbidden",
            "NotFound",
            "OktaApiError",
            "OktaTokenError",
            "RateLimited",
            "ServerError",
            "TransportError",
            "Unauthorized",
            "ValidationFailed",
        ),
        "errors",
    ),
    **dict.fromkeys(("NetworkCondition", "TokenMetadata", "TokenSpec"), "_models"),
}
"""Names 0.1.0 exported here: still importable, with a ``DeprecationWarning``, until 1.0 (CHANGELOG)."""


def __getattr__(name: str) -> Any:
    home = _MOVED.get(name)
    if home is None:
        return _public_attribute(name)
    where = f"pulumi_okta_token.{home}" if home == "errors" else "no public module (an internal model)"
    warnings.warn(
        f"pulumi_okta_token.{name} is deprecated since 0.2.0 and goes in 1.0: import it from {where}",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(f".{home}", __name__), name)
