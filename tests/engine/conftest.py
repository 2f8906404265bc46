"""Engine tests: the real plugin process, driven by ``PluginEngine`` as the Pulumi engine drives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from seeded_org import Org

from pulumi_okta_token.testing.engine import PluginEngine


@pytest.fixture
def engine(org: Org) -> Iterator[PluginEngine]:
    """The plugin, configured from the stack config with the admin token."""
    with PluginEngine(org.config) as running:
        yield running
