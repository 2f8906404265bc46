"""Bring existing Okta API tokens under Pulumi: adopt, keep as declared, follow drift, revoke.

The public API; everything else lives in private-by-convention modules::

    from pulumi_okta_token import ApiToken, ApiTokenNetworkArgs

    ApiToken("ci", token_id="00T1fxzubpqiepH11d38", network=ApiTokenNetworkArgs(connection="ANYWHERE"))

Each name is imported on first use (``from pulumi_okta_token import ApiToken`` imports the resource
module then), so importing the package alone loads neither Pulumi nor the Okta SDK: the pytest plugin
the package registers, and the test helpers in ``pulumi_okta_token.testing``, stay cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_attributes

if TYPE_CHECKING:
    from .errors import (
        AdoptionError,
        ConfigurationError,
        Forbidden,
        NotFound,
        OktaApiError,
        OktaTokenError,
        RateLimited,
        ServerError,
        TransportError,
        Unauthorized,
        ValidationFailed,
    )
    from .models import NetworkCondition, TokenMetadata, TokenSpec
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
    "AdoptionError",
    "ApiToken",
    "ApiTokenArgs",
    "ApiTokenArgsDict",
    "ApiTokenNetwork",
    "ApiTokenNetworkArgs",
    "ApiTokenNetworkArgsDict",
    "ApiTokenProvider",
    "ConfigurationError",
    "Forbidden",
    "NetworkCondition",
    "NotFound",
    "OktaApiError",
    "OktaTokenError",
    "RateLimited",
    "ServerError",
    "TokenMetadata",
    "TokenSpec",
    "TransportError",
    "Unauthorized",
    "ValidationFailed",
]

_HOMES = {
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
        ".errors",
    ),
    **dict.fromkeys(("NetworkCondition", "TokenMetadata", "TokenSpec"), ".models"),
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
}

__getattr__, __dir__ = lazy_attributes(__name__, _HOMES)
