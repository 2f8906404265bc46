"""``ApiToken``: an existing Okta API token under Pulumi, with its argument and output types."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any, Optional, overload

import pulumi
from pulumi.dynamic import Resource

from ._models import OUTPUT_FIELDS, TokenSpec, canonical_network, spelling_conflicts
from .provider import ApiTokenProvider

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover - Python 3.10
    from typing_extensions import NotRequired, TypedDict

__all__ = [
    "ApiToken",
    "ApiTokenArgs",
    "ApiTokenArgsDict",
    "ApiTokenNetwork",
    "ApiTokenNetworkArgs",
    "ApiTokenNetworkArgsDict",
]


class ApiTokenNetworkArgsDict(TypedDict):
    """Network condition as a plain dict: ``{"connection": "ZONE", "include": ["nzo..."]}``."""

    connection: pulumi.Input[str]
    include: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    exclude: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]


@pulumi.input_type
class ApiTokenNetworkArgs:
    """Where the token may be used from.

    :param connection: ``"ANYWHERE"`` or ``"ZONE"``.
    :param include: with ``"ZONE"``: the network zone ids (``nzo...``) the token may be used from, or
        ``["ALL_IP_ZONES"]`` for "in any network zone defined in Okta".
    :param exclude: with ``"ZONE"``: the network zone ids the token may not be used from, or
        ``["ALL_IP_ZONES"]`` for "not in any network zone defined in Okta".

    ``"ZONE"`` takes exactly one of ``include`` or ``exclude``. Terraform's older ``{"ip": "nzo..."}``
    blocks and pulumi-okta's ``includes``/``excludes`` spelling are accepted and stored as zone ids.
    """

    def __init__(
        self,
        *,
        connection: pulumi.Input[str],
        include: pulumi.Input[Sequence[Any]] | None = None,
        exclude: pulumi.Input[Sequence[Any]] | None = None,
        includes: pulumi.Input[Sequence[Any]] | None = None,
        excludes: pulumi.Input[Sequence[Any]] | None = None,
    ) -> None:
        given = {"include": include, "exclude": exclude, "includes": includes, "excludes": excludes}
        network = {
            "connection": connection,
            **{key: value for key, value in given.items() if value is not None},
        }
        conflicts = spelling_conflicts(network)
        if conflicts:
            raise TypeError("ApiTokenNetworkArgs: " + "; ".join(conflicts))
        for key, value in canonical_network(network).items():
            pulumi.set(self, key, value)

    @property
    @pulumi.getter
    def connection(self) -> pulumi.Input[str]:
        return pulumi.get(self, "connection")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def include(self) -> pulumi.Input[Sequence[Any]] | None:
        return pulumi.get(self, "include")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def exclude(self) -> pulumi.Input[Sequence[Any]] | None:
        return pulumi.get(self, "exclude")  # type: ignore[no-any-return]


@pulumi.output_type
class ApiTokenNetwork(dict):  # type: ignore[type-arg]
    """The token's network condition as Okta has it: zone ids in ``include`` or ``exclude``."""

    def __init__(
        self, *, connection: str, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None
    ) -> None:
        pulumi.set(self, "connection", connection)
        pulumi.set(self, "include", list(include or []))
        pulumi.set(self, "exclude", list(exclude or []))

    @property
    @pulumi.getter
    def connection(self) -> str:
        """``"ANYWHERE"`` or ``"ZONE"``."""
        return pulumi.get(self, "connection")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def include(self) -> Sequence[str]:
        """Network zone ids the token may be used from (``ZONE`` only)."""
        return pulumi.get(self, "include")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def exclude(self) -> Sequence[str]:
        """Network zone ids the token may not be used from (``ZONE`` only)."""
        return pulumi.get(self, "exclude")  # type: ignore[no-any-return]


class ApiTokenArgsDict(TypedDict):
    """The arguments of ``ApiToken`` as a plain dict."""

    token_id: pulumi.Input[str]
    name: NotRequired[pulumi.Input[str]]
    user_id: NotRequired[pulumi.Input[str]]
    client_name: NotRequired[pulumi.Input[str]]
    created: NotRequired[pulumi.Input[str]]
    network: NotRequired[pulumi.Input[ApiTokenNetworkArgs | ApiTokenNetworkArgsDict]]


@pulumi.input_type
class ApiTokenArgs:
    """The arguments of ``ApiToken``.

    :param token_id: id of the existing token to adopt (``00T...``). Changing it replaces the resource:
        the new token is adopted, then the old one is revoked.
    :param name: the token's name; omit it to leave the name as it is.
    :param user_id: asserts the owner (``00u...``); Okta cannot change it.
    :param client_name: asserts the client name (``"Okta API"`` for console-made tokens); read-only in Okta.
    :param created: asserts the creation time (ISO-8601); read-only in Okta.
    :param network: the network condition to keep; omit it to leave it as it is.
    """

    def __init__(
        self,
        *,
        token_id: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        user_id: pulumi.Input[str] | None = None,
        client_name: pulumi.Input[str] | None = None,
        created: pulumi.Input[str] | None = None,
        network: pulumi.Input[ApiTokenNetworkArgs | ApiTokenNetworkArgsDict] | None = None,
    ) -> None:
        pulumi.set(self, "token_id", token_id)
        for key, value in (
            ("name", name),
            ("user_id", user_id),
            ("client_name", client_name),
            ("created", created),
            ("network", network),
        ):
            if value is not None:
                pulumi.set(self, key, value)

    @property
    @pulumi.getter
    def token_id(self) -> pulumi.Input[str]:
        return pulumi.get(self, "token_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def name(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def user_id(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "user_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def client_name(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "client_name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def created(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "created")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def network(self) -> pulumi.Input[ApiTokenNetworkArgs | ApiTokenNetworkArgsDict] | None:
        return pulumi.get(self, "network")  # type: ignore[no-any-return]


class ApiToken(Resource, module="okta", name="ApiToken"):
    """An existing Okta API token, adopted by id.

    NOTE: import-only. Okta's API cannot create API tokens (the secret is shown once, in the Admin
    Console); declaring an ``ApiToken`` adopts the live token with that id, and ``pulumi up`` then keeps
    its name and network condition as declared.

    WARNING: ``pulumi destroy`` (or removing the resource) **revokes** the token. Use
    ``opts=pulumi.ResourceOptions(retain_on_delete=True)`` to keep it.

    Example::

        import pulumi
        from pulumi_okta_token import ApiToken, ApiTokenNetworkArgs

        token = ApiToken(
            "ci-deployer",
            token_id="00T1fxzubpqiepH11d38",
            name="ci-deployer",
            network=ApiTokenNetworkArgs(connection="ZONE", exclude=["nzonkw1sfwwi79Hat2d7"]),
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
        declared = {key: getattr(args_obj, key) for key in TokenSpec.model_fields}
        props = (
            {key: None for key in OUTPUT_FIELDS} | declared | {"network": _network_props(args_obj.network)}
        )
        super().__init__(ApiTokenProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> ApiToken:
        """Look up an existing token by id without managing it (read-only, like a data source)."""
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ApiToken(resource_name, merged, token_id=id)


def _split_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[ApiTokenArgs, Any]:
    """Accept both overloads: ``(name, ApiTokenArgs, opts)`` and ``(name, opts, **kwargs)``."""
    opts = kwargs.pop("opts", None)
    positional = list(args)
    if positional and isinstance(positional[0], ApiTokenArgs):
        args_obj = positional.pop(0)
        if kwargs:
            raise TypeError(
                f"ApiToken: pass either an ApiTokenArgs or keyword arguments, not both: {sorted(kwargs)}"
            )
    elif positional and isinstance(positional[0], Mapping):
        args_obj = ApiTokenArgs(**positional.pop(0))
    else:
        if "token_id" not in kwargs:
            raise TypeError(
                "ApiToken needs token_id: the id (00T...) of an existing API token, shown in "
                "Security > API > Tokens in the Okta Admin Console"
            )
        args_obj = ApiTokenArgs(**kwargs)
    if positional:
        opts = positional.pop(0)
    if positional:
        raise TypeError("ApiToken takes (resource_name, args, opts) or (resource_name, opts, **kwargs)")
    return args_obj, opts


def _network_props(network: Any) -> Any:
    """Network arguments as the canonical dict the provider receives (zone ids in include/exclude)."""
    if network is None:
        return None
    if isinstance(network, ApiTokenNetworkArgs):
        network = {
            key: value
            for key, value in (
                ("connection", network.connection),
                ("include", network.include),
                ("exclude", network.exclude),
            )
            if value is not None
        }
    return pulumi.Output.from_input(network).apply(canonical_network)
