"""Bring existing Okta API tokens under Pulumi: adopt, keep as declared, follow drift, revoke.

The public API is what this module exports::

    from pulumi_okta_token import ApiToken, ApiTokenNetworkArgs

    ApiToken("ci", token_id="00T1fxzubpqiepH11d38", network=ApiTokenNetworkArgs(connection="ANYWHERE"))

Besides it, three public modules: :mod:`pulumi_okta_token.errors` (the error tree, for code that calls
the provider directly), :mod:`pulumi_okta_token.provider` (``ApiTokenProvider`` stays importable at that
path forever: every stack's state holds it, pickled by reference) and :mod:`pulumi_okta_token.testing`
(a fake Okta and the engine driver for your own tests). Modules whose names start with ``_`` are private
and may change in any release.

Each name is imported on first use (``from pulumi_okta_token import ApiToken`` imports the resource
module then), so importing the package alone loads neither Pulumi nor the Okta SDK: the pytest plugin
the package registers, and the test helpers in ``pulumi_okta_token.testing``, stay cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "ApiTokenProvider": ".provider",
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
