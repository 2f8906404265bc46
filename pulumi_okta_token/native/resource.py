"""``okta_token.native.ApiToken``: an Okta API token served by the native ``okta-token`` plugin.

The class ``pulumi import okta-token:index:ApiToken ...`` generates code for: the schema's
``language.python`` settings (``packageName: pulumi_okta_token``, ``moduleNameOverrides: {"index":
"native"}``) make Pulumi's Python code generator write ``import pulumi_okta_token as okta_token`` and
``okta_token.native.ApiToken("ci", token_id=..., network={"connection": ...})``
(``pkg/codegen/python/gen_program.go#L681-698`` and ``#L827-861``). Its arguments, argument types and
outputs are the dynamic ``ApiToken``'s, taken from ``resource.py``; only the resource type differs.
"""

from __future__ import annotations

from typing import Any, Optional, overload

import pulumi

from ..resource import (
    ApiTokenArgs,
    ApiTokenArgsDict,
    ApiTokenNetwork,
    ApiTokenNetworkArgs,
    ApiTokenNetworkArgsDict,
    _network_props,
    _split_arguments,
)
from .schema import TYPE_TOKEN

__all__ = [
    "ApiToken",
    "ApiTokenArgs",
    "ApiTokenArgsDict",
    "ApiTokenNetwork",
    "ApiTokenNetworkArgs",
    "ApiTokenNetworkArgsDict",
]

_INPUTS = ("token_id", "name", "user_id", "client_name", "created", "network")
_OUTPUT_ONLY = ("last_updated", "expires_at", "token_window")


class ApiToken(pulumi.CustomResource):
    """An existing Okta API token, managed by id through the native ``okta-token`` provider.

    Bring one under Pulumi with ``pulumi import okta-token:index:ApiToken <name> 00T...`` (or the
    ``import_`` resource option), or declare it and ``pulumi up``: Okta's API cannot create API tokens,
    so creating adopts the live token with that id.

    WARNING: ``pulumi destroy`` (or removing the resource) **revokes** the token. Use
    ``opts=pulumi.ResourceOptions(retain_on_delete=True)`` to keep it.

    The plugin must be found by the CLI: ``plugins: providers: [{name: okta-token, path: venv/bin}]``
    in ``Pulumi.yaml`` (see ``examples/native``). Example::

        import pulumi
        import pulumi_okta_token as okta_token

        token = okta_token.native.ApiToken(
            "ci-deployer",
            token_id="00T1fxzubpqiepH11d38",
            name="ci-deployer",
            network={"connection": "ZONE", "exclude": ["nzonkw1sfwwi79Hat2d7"]},
            opts=pulumi.ResourceOptions(protect=True),
        )
        pulumi.export("expires_at", token.expires_at)
    """

    token_id: pulumi.Output[str]
    """Id of the token (``00T...``); also the resource id."""
    name: pulumi.Output[str]
    """The token's name."""
    user_id: pulumi.Output[str]
    """Id of the user who owns the token (``00u...``)."""
    client_name: pulumi.Output[str]
    """The client the token was made with (``"Okta API"`` for console-made tokens)."""
    created: pulumi.Output[str]
    """When the token was created (ISO-8601)."""
    network: pulumi.Output[ApiTokenNetwork]
    """Where the token may be used from."""
    last_updated: pulumi.Output[str]
    """When the token's metadata last changed."""
    expires_at: pulumi.Output[str]
    """When the token expires if unused (last use plus its token window)."""
    token_window: pulumi.Output[Optional[str]]  # noqa: UP045 - pulumi resolves this annotation at runtime
    """How long the token lives unused, as an ISO-8601 duration (``P30D``)."""

    @overload
    def __init__(
        self, resource_name: str, args: ApiTokenArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        token_id: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        user_id: pulumi.Input[str] | None = None,
        client_name: pulumi.Input[str] | None = None,
        created: pulumi.Input[str] | None = None,
        network: pulumi.Input[ApiTokenNetworkArgs | ApiTokenNetworkArgsDict] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        args_obj, opts = _split_arguments(args, kwargs)
        props: dict[str, Any] = {key: getattr(args_obj, key) for key in _INPUTS}
        props["network"] = _network_props(args_obj.network)
        props.update(dict.fromkeys(_OUTPUT_ONLY))
        super().__init__(TYPE_TOKEN, resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> ApiToken:
        """Look up an existing token by id without managing it (read-only, like a data source)."""
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ApiToken(resource_name, merged, token_id=id)
