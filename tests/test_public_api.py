"""The public API is small and pinned: what users import, and the paths their stacks depend on."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pulumi_okta_token
from pulumi_okta_token import errors


def test_the_package_exports_the_resource_its_args_the_provider_and_the_version() -> None:
    assert pulumi_okta_token.__all__ == [
        "ApiToken",
        "ApiTokenArgs",
        "ApiTokenArgsDict",
        "ApiTokenNetwork",
        "ApiTokenNetworkArgs",
        "ApiTokenNetworkArgsDict",
        "ApiTokenProvider",
        "__version__",
    ]


def test_every_exported_name_resolves() -> None:
    for name in pulumi_okta_token.__all__:
        assert getattr(pulumi_okta_token, name) is not None


def test_the_errors_module_exports_the_whole_error_tree() -> None:
    assert errors.__all__ == [
        "AdoptionError",
        "ChangeNotApplied",
        "ConfigurationError",
        "Forbidden",
        "NotFound",
        "OktaApiError",
        "OktaTokenError",
        "RateLimited",
        "ServerError",
        "TransportError",
        "Unauthorized",
        "UntrustedAnswer",
        "ValidationFailed",
        "WrongTokenAnswer",
    ]
    assert all(issubclass(getattr(errors, name), errors.OktaTokenError) for name in errors.__all__)


def test_the_provider_stays_importable_at_the_path_every_stack_state_pickles() -> None:
    module = importlib.import_module("pulumi_okta_token.provider")

    assert module.ApiTokenProvider is pulumi_okta_token.ApiTokenProvider
    assert module.ApiTokenProvider.__module__ == "pulumi_okta_token.provider"
    assert module.ApiTokenProvider.__qualname__ == "ApiTokenProvider"


def test_the_resource_keeps_its_type_token() -> None:
    from pulumi_okta_token.testing.engine import API_TOKEN_TYPE

    assert API_TOKEN_TYPE == "pulumi-python:dynamic/okta:ApiToken"


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    try:
        pulumi_okta_token.NetworkCondition  # noqa: B018 (an internal model, no longer exported)
    except AttributeError as error:
        assert "NetworkCondition" in str(error)
    else:
        raise AssertionError("NetworkCondition is not part of the public API")


def test_importing_the_package_loads_neither_pulumi_nor_the_okta_sdk() -> None:
    probe = (
        "import sys, pulumi_okta_token\n"
        "print(sorted(m for m in ('pulumi', 'okta', 'grpc') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert loaded.stdout.strip() == "[]"
