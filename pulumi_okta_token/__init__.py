"""Bring existing Okta API tokens under Pulumi: adopt, keep as declared, follow drift, revoke.

The public API; everything else lives in private-by-convention modules::

    from pulumi_okta_token import ApiToken, ApiTokenNetworkArgs

    ApiToken("ci", token_id="00T1fxzubpqiepH11d38", network=ApiTokenNetworkArgs(connection="ANYWHERE"))

``native`` holds the same resource served by the native ``okta-token`` plugin, for ``pulumi import``
(``okta_token.native.ApiToken``, with ``import pulumi_okta_token as okta_token``).
"""

from . import native
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
    "native",
]
