"""The native ``okta-token`` provider: what ``pulumi import`` needs, in the same package.

``okta_token.native.ApiToken`` (``import pulumi_okta_token as okta_token``) is a resource of type
``okta-token:index:ApiToken``, served by the plugin executable ``pulumi-resource-okta-token`` (this
package's console script, ``native/__main__.py``) rather than by Pulumi's dynamic-provider host. Same
behaviour as the dynamic ``pulumi_okta_token.ApiToken``, and one more ability: ``pulumi import
okta-token:index:ApiToken <name> 00T...`` and the ``import_`` resource option work.

The resource classes are the Python SDK generated from ``schema.json`` by the pinned Pulumi CLI (``make
sdks``, ``tools/sdk/generate.sh``): ``api_token.py``, ``_inputs.py``, ``outputs.py`` and ``provider.py``
here, with ``../config/`` and ``../_utilities.py``. They are not edited by hand; CI regenerates them and
fails on any difference, like the Node.js and Go SDKs in ``sdk/``.

The plugin's parts: ``servicer.py`` (the gRPC ``ResourceProvider``, delegating to ``ApiTokenProvider``),
``settings.py`` (the ``okta-token:*`` configuration), ``wire.py`` (properties and secrets on the wire),
``schema.json`` / ``schema.py`` (what ``GetSchema`` answers), ``workers.py`` (how many calls it serves at
once), ``deferred.py`` (its port printed before Pulumi is imported). Importing this package loads neither
Pulumi, nor the servicer, nor gRPC: the resource classes are imported on first use, so the console
script (``native/__main__.py``) prints its port before it imports Pulumi.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

if TYPE_CHECKING:
    from ._inputs import ApiTokenNetworkArgs, ApiTokenNetworkArgsDict
    from .api_token import ApiToken, ApiTokenArgs
    from .outputs import ApiTokenNetwork
    from .provider import Provider, ProviderArgs

__all__ = [
    "ApiToken",
    "ApiTokenArgs",
    "ApiTokenNetwork",
    "ApiTokenNetworkArgs",
    "ApiTokenNetworkArgsDict",
    "Provider",
    "ProviderArgs",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "ApiToken": ".api_token",
        "ApiTokenArgs": ".api_token",
        "ApiTokenNetwork": ".outputs",
        "ApiTokenNetworkArgs": "._inputs",
        "ApiTokenNetworkArgsDict": "._inputs",
        "Provider": ".provider",
        "ProviderArgs": ".provider",
    },
)
