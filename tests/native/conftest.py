"""Native-plugin tests: the console script ``pulumi-resource-okta-token``, driven by ``NativeEngine`` as the
Pulumi CLI drives a resource plugin, against the fake Okta."""

from __future__ import annotations

from typing import Any

import pytest
from native_org import NativeOrg

from pulumi_okta_token.testing.engine import NativeEngine


@pytest.fixture
def org(fake_okta: Any) -> NativeOrg:
    return NativeOrg(fake_okta)


@pytest.fixture
def engine(org: NativeOrg) -> NativeEngine:
    """The native plugin, configured from the okta-token:* stack config with the admin token."""
    return NativeEngine(org.config)
