"""The public API is small and pinned: what users import, and the paths their stacks depend on."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

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
    with pytest.raises(AttributeError, match="NoSuchThing"):
        pulumi_okta_token.NoSuchThing  # noqa: B018


@pytest.mark.parametrize(("name", "module"), [("NotFound", "errors"), ("NetworkCondition", "_models")])
def test_a_name_0_1_0_exported_still_resolves_with_a_deprecation_warning(name: str, module: str) -> None:
    with pytest.warns(DeprecationWarning, match=f"pulumi_okta_token.{name} is deprecated"):
        value = getattr(pulumi_okta_token, name)

    assert value is getattr(importlib.import_module(f"pulumi_okta_token.{module}"), name)
    assert name not in pulumi_okta_token.__all__


def test_importing_the_package_loads_neither_pulumi_nor_the_okta_sdk() -> None:
    probe = (
        "import sys, pulumi_okta_token\n"
        "print(sorted(m for m in ('pulumi', 'okta', 'grpc') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert loaded.stdout.strip() == "[]"


def test_the_native_package_exports_the_generated_resource_its_types_and_provider() -> None:
    import pulumi_okta_token.native as native

    assert native.__all__ == [
        "ApiToken",
        "ApiTokenArgs",
        "ApiTokenNetwork",
        "ApiTokenNetworkArgs",
        "ApiTokenNetworkArgsDict",
        "Provider",
        "ProviderArgs",
    ]
    assert all(getattr(native, name) is not None for name in native.__all__)
