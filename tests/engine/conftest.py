"""Engine tests: the real plugin process, driven by ``PluginEngine`` as the Pulumi engine drives it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_org import Org

from pulumi_okta_token.testing.engine import PluginEngine

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # the baseline provider lives in benchmarks/


@pytest.fixture(autouse=True)
def _no_okta_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Plugins inherit this process's environment: Okta variables of the developer's shell stay out."""
    for key in list(os.environ):
        if key.startswith("OKTA_"):
            monkeypatch.delenv(key)
    yield


@pytest.fixture
def org(fake_okta: Any) -> Org:
    return Org(fake_okta)


@pytest.fixture
def engine(org: Org) -> Iterator[PluginEngine]:
    """The plugin, configured from the stack config with the admin token."""
    with PluginEngine(org.config) as running:
        yield running
