"""Engine tests: the real plugin process, driven by ``PluginEngine`` as the Pulumi engine drives it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from seeded_org import Org

from pulumi_okta_token.testing.engine import PluginEngine


@pytest.fixture(autouse=True)
def _no_okta_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Plugins inherit this process's environment: Okta variables of the developer's shell stay out."""
    for key in list(os.environ):
        if key.startswith("OKTA_"):
            monkeypatch.delenv(key)
    yield


@pytest.fixture
def engine(org: Org) -> Iterator[PluginEngine]:
    """The plugin, configured from the stack config with the admin token."""
    with PluginEngine(org.config) as running:
        yield running
