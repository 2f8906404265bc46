"""``pulumi_okta_token.testing``: the names a user's test needs, imported cheaply enough for every pytest run.

Installing the package registers ``pulumi_okta_token.testing.pytest_plugin`` with every pytest run in
that virtualenv, so importing it (and the packages above it) must not load gRPC, aiohttp or the engine
driver. Each check runs in a fresh interpreter, where nothing is imported yet.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import pulumi_okta_token.testing as testing
from pulumi_okta_token.testing import engine

HOMES = {
    "UNKNOWN": "engine",
    "FakeOkta": "okta.fake",
    "PluginEngine": "engine",
    "ProgramDeclarations": "program",
    "PulumiStack": "stack",
    "fake_okta": "pytest_plugin",
    "run_program": "program",
}
"""Where each exported name is defined."""

HEAVY = (
    "grpc",
    "aiohttp",
    "okta",
    "pulumi",
    "pydantic",
    "pulumi_okta_token.provider",
    "pulumi_okta_token.testing.engine",
    "pulumi_okta_token.testing.engine.driver",
    "pulumi_okta_token.testing.okta.fake",
)
"""Modules a pytest run that never uses the fixture should not pay for."""


def loaded_after(statement: str) -> list[str]:
    """The modules of ``HEAVY`` that a fresh interpreter holds after running ``statement``."""
    probe = f"import sys\n{statement}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.split()


def test_the_package_exports_what_a_users_test_needs_and_nothing_of_the_fake() -> None:
    assert testing.__all__ == [
        "UNKNOWN",
        "FakeOkta",
        "PluginEngine",
        "ProgramDeclarations",
        "PulumiStack",
        "fake_okta",
        "run_program",
    ]
    assert set(testing.__all__) == set(HOMES)


@pytest.mark.parametrize(("name", "module"), HOMES.items())
def test_each_exported_name_is_the_object_of_the_module_that_defines_it(name: str, module: str) -> None:
    home = importlib.import_module(f"pulumi_okta_token.testing.{module}")
    assert getattr(testing, name) is getattr(home, name)
    assert name in dir(testing)


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="'FakeOrg'"):
        testing.FakeOrg  # noqa: B018


def test_importing_the_pytest_plugin_loads_neither_grpc_nor_aiohttp_nor_the_driver() -> None:
    assert loaded_after("import pulumi_okta_token.testing.pytest_plugin") == []


def test_importing_the_testing_package_loads_neither_grpc_nor_aiohttp() -> None:
    assert loaded_after("import pulumi_okta_token.testing") == []


def test_the_echo_double_loads_only_pulumi_so_the_benchmark_baseline_stays_trivial() -> None:
    # The plugin unpickles EchoProvider by importing its module: it must cost what a trivial provider
    # costs (pulumi.dynamic, which the plugin has loaded anyway), not our provider or the driver.
    assert loaded_after("import pulumi_okta_token.testing.engine.doubles") == [
        "grpc",
        "pulumi",
        "pulumi_okta_token.testing.engine",
    ]


def test_the_engine_keeps_every_name_its_users_import() -> None:
    assert set(engine.__all__) == {
        "API_TOKEN_TYPE",
        "DEFAULT_SECRET_KEYS",
        "NATIVE_SECRET_KEYS",
        "NATIVE_TYPE",
        "PROVIDER_KEY",
        "UNKNOWN",
        "CheckFailure",
        "ConfigRejected",
        "ImportResult",
        "ImportSpec",
        "NativeEngine",
        "PluginEngine",
        "PluginStartError",
        "ResourceState",
        "RunResult",
        "StepResult",
        "secret",
        "secret_value",
    }
    assert all(hasattr(engine, name) for name in engine.__all__)
