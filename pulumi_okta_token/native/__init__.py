"""The native ``okta-token`` provider: what ``pulumi import`` needs, in the same package.

``okta_token.native.ApiToken`` (``import pulumi_okta_token as okta_token``) is a resource of type
``okta-token:index:ApiToken``, served by the plugin executable ``pulumi-resource-okta-token`` (this
package's console script, ``native/__main__.py``) rather than by Pulumi's dynamic-provider host. Same
arguments, outputs and behaviour as the dynamic ``pulumi_okta_token.ApiToken``, and one more ability:
``pulumi import okta-token:index:ApiToken <name> 00T...`` and the ``import_`` resource option work.

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
]

__getattr__, __dir__ = lazy_attributes(__name__, dict.fromkeys(__all__, ".resource"))
