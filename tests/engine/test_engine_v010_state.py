"""Stacks written by v0.1.0 keep working: their state, loaded as it is, refreshes, updates and destroys.

``tests/data/state-v0.1.0.json`` was written by the v0.1.0 code itself (commit 3c25f9e, through its own
``PluginEngine.up``; ``tests/data/make_state_v0_1_0.py`` is the script). Every resource in it carries the
provider pickled by reference as ``pulumi_okta_token.provider.ApiTokenProvider``: the plugin of this
release must unpickle that string and act with it. The fake org below holds the same ids.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dill
import pytest

from pulumi_okta_token.provider import ApiTokenProvider
from pulumi_okta_token.testing import FakeOkta, PluginEngine
from pulumi_okta_token.testing.engine import PROVIDER_KEY, ResourceState

STATE = json.loads((Path(__file__).parents[1] / "data" / "state-v0.1.0.json").read_text())
V010_PROVIDER = STATE["resources"]["ci"]["outputs"][PROVIDER_KEY]
ADMIN_SECRET = "00v010-admin-secret-for-tests-only-0000000"
OFFICE = STATE["org"]["office"]


@pytest.fixture
def okta(fake_okta: FakeOkta) -> FakeOkta:
    """The org the v0.1.0 state was written against, as it was then."""
    org = fake_okta.org
    org.add_user(id=STATE["org"]["user"])
    org.add_zone(name="office", id=OFFICE)
    org.add_zone(name="vpn", id="nzov010vpnzone000001")
    org.add_token(name="pulumi-automation", id=STATE["org"]["admin"], user_id=STATE["org"]["user"],
                  secret=ADMIN_SECRET)  # fmt: skip
    for name in ("ci", "audit"):
        outputs = STATE["resources"][name]["outputs"]
        network = outputs["network"]
        org.add_token(
            name=outputs["name"],
            id=outputs["token_id"],
            user_id=outputs["user_id"],
            created=outputs["created"],
            network={key: value for key, value in network.items() if value},
        )
    fake_okta.clear_journal()
    return fake_okta


@pytest.fixture
def engine(okta: FakeOkta) -> Iterator[PluginEngine]:
    """A plugin of this release whose stack state is the v0.1.0 one, unchanged."""
    with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": ADMIN_SECRET}) as running:
        running.provider_string = V010_PROVIDER  # what the v0.1.0 program's inputs carry
        for name, stored in STATE["resources"].items():
            running.put_resource(ResourceState(name=name, **stored))
        yield running


def program(**changes: Any) -> dict[str, dict[str, Any]]:
    declared = json.loads(json.dumps(STATE["program"]))
    for name, inputs in changes.items():
        declared[name].update(inputs)
    return dict(declared)


def test_the_v010_provider_string_unpickles_to_this_releases_provider() -> None:
    provider = dill.loads(base64.b64decode(V010_PROVIDER))
    assert type(provider) is ApiTokenProvider


def test_a_v010_state_refreshes_with_no_change_and_keeps_its_provider(
    okta: FakeOkta, engine: PluginEngine
) -> None:
    result = engine.refresh()

    assert result.ok, result.errors
    for name, stored in STATE["resources"].items():
        assert engine.state[name].id == stored["id"]
        assert engine.state[name].outputs[PROVIDER_KEY] == V010_PROVIDER
        assert engine.state[name].outputs["name"] == stored["outputs"]["name"]
    assert okta.calls("PUT") == [] and okta.calls("DELETE") == []


def test_a_v010_state_updates_a_declared_network_with_one_put(okta: FakeOkta, engine: PluginEngine) -> None:
    vpn = "nzov010vpnzone000001"
    result = engine.up(program(ci={"network": {"connection": "ZONE", "include": [vpn]}}))

    assert result.ok, result.errors
    assert result.ops() == {"ci": "update", "audit": "same"}
    live = okta.org.token(STATE["resources"]["ci"]["id"])
    assert live is not None and live.network is not None and live.network.include == (vpn,)
    assert len(okta.calls("PUT")) == 1 and okta.calls("DELETE") == []


def test_a_v010_state_with_an_unchanged_program_is_a_no_op(okta: FakeOkta, engine: PluginEngine) -> None:
    result = engine.up(program())

    assert result.ok, result.errors
    assert set(result.ops().values()) == {"same"}
    assert okta.journal == []


def test_a_v010_state_destroys_by_revoking_its_tokens(okta: FakeOkta, engine: PluginEngine) -> None:
    result = engine.destroy()

    assert result.ok, result.errors
    for stored in STATE["resources"].values():
        assert okta.org.token(stored["id"]) is None
    assert okta.org.token(STATE["org"]["admin"]) is not None
    assert engine.state == {}
