"""Fixtures every test directory shares: the seeded org (``seeded_org.Org``) on the fake Okta."""

from __future__ import annotations

import pytest
from seeded_org import Org

from pulumi_okta_token.testing import FakeOkta


@pytest.fixture
def org(fake_okta: FakeOkta) -> Org:
    """The seeded org: one user, zones ``office`` and ``vpn``, the admin token, the ``ci`` token."""
    return Org(fake_okta)
