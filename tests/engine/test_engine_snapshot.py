"""A refresh of 100 tokens through the real plugin: the reads are answered from one list of the org's tokens
(``_transport/snapshot.py``), and what the state shows is what Okta has."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from engine_org import Org, live_outputs, without_provider

from pulumi_okta_token._transport.snapshot import GETS_FIRST
from pulumi_okta_token.testing.engine import PluginEngine

LIST = "/api/v1/api-tokens"
HUNDRED = 100


@pytest.fixture
def hundred(org: Org) -> dict[str, Any]:
    """A hundred tokens of the org, declared by name."""
    tokens = [org.okta.org.add_token(name=f"svc-{n}", user_id=org.user) for n in range(HUNDRED)]
    return {f"svc-{n}": {"token_id": token.id, "name": f"svc-{n}"} for n, token in enumerate(tokens)}


@pytest.fixture
def adopted(org: Org, hundred: dict[str, Any]) -> Iterator[PluginEngine]:
    """The hundred adopted, by a plugin process of their own; the next operation starts a new one."""
    engine = PluginEngine(org.config, fresh_plugin_per_operation=True).start()
    result = engine.up(hundred)
    assert result.errors == {}
    org.okta.clear_journal()
    yield engine
    engine.close()


def test_a_refresh_of_100_tokens_makes_one_list_request_and_the_first_gets(
    org: Org, adopted: PluginEngine
) -> None:
    result = adopted.refresh()
    assert (set(result.ops().values()), result.errors) == ({"read"}, {})
    assert (len(org.okta.calls("GET", LIST)), org.calls("GET")) == (1, GETS_FIRST)


def test_a_refresh_of_100_tokens_from_the_list_shows_console_changes_and_revocations(
    org: Org, adopted: PluginEngine, hundred: dict[str, Any]
) -> None:
    renamed, revoked = hundred["svc-40"]["token_id"], hundred["svc-70"]["token_id"]
    org.okta.org.update_token(renamed, name="renamed-in-the-console")
    org.okta.org.revoke_token(revoked)
    result = adopted.refresh()
    assert result.errors == {}
    assert result.ops()["svc-70"] == "gone"
    assert without_provider(adopted.state["svc-40"].outputs) == live_outputs(org.live(renamed))
    stored = [without_provider(resource.outputs) for resource in adopted.state.values()]
    assert stored == [live_outputs(org.live(outputs["token_id"])) for outputs in stored]
    assert len(org.okta.calls("GET", LIST)) == 1
