"""Four resources in one ``up``: the plugin's four worker threads serve them at once (issue 4, test 11)."""

from __future__ import annotations

from typing import Any

import pytest
from seeded_org import Org

from pulumi_okta_token.testing.engine import PluginEngine

LOOP_TROUBLE = ("event loop", "Event loop", "RuntimeError", "Traceback")


@pytest.fixture
def four(org: Org) -> dict[str, Any]:
    """Four tokens of the org, declared by name."""
    tokens = [org.okta.org.add_token(name=f"svc-{i}", user_id=org.user) for i in range(4)]
    org.okta.clear_journal()
    return {f"svc-{i}": {"token_id": token.id, "name": f"svc-{i}"} for i, token in enumerate(tokens)}


def test_four_resources_in_one_up_are_all_adopted(
    org: Org, engine: PluginEngine, four: dict[str, Any]
) -> None:
    result = engine.up(four)
    assert (result.ops(), result.errors) == (dict.fromkeys(four, "create"), {})
    assert org.calls("GET") == 4


def test_four_parallel_updates_each_make_one_put(
    org: Org, engine: PluginEngine, four: dict[str, Any]
) -> None:
    engine.up(four)
    org.okta.clear_journal()
    zoned = {"connection": "ZONE", "exclude": [org.office]}
    result = engine.up({name: {**inputs, "network": zoned} for name, inputs in four.items()})
    assert (result.ops(), result.errors) == (dict.fromkeys(four, "update"), {})
    assert org.calls("PUT") == 4


def test_parallel_steps_leave_no_event_loop_errors_in_the_plugin_output(
    engine: PluginEngine, four: dict[str, Any]
) -> None:
    engine.up(four)
    engine.refresh()
    engine.destroy()
    output = engine.stdout + engine.stderr
    assert not [marker for marker in LOOP_TROUBLE if marker in output], output
