"""Moving a token between the dynamic ``ApiToken`` and the native ``okta_token.native.ApiToken`` without
revoking it, step by step as the README and ``examples/native/README.md`` tell it: forget it in one
(``pulumi state delete``, no provider call), import or adopt it in the other, never destroy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from native_org import NativeOrg

from pulumi_okta_token.testing import PluginEngine, run_program
from pulumi_okta_token.testing.engine import NativeEngine


@pytest.fixture
def dynamic(org: NativeOrg) -> Iterator[PluginEngine]:
    with PluginEngine({"okta:orgUrl": org.okta.url, "okta:apiToken": org.admin.secret}) as running:
        yield running


def state_delete(engine: PluginEngine, name: str) -> None:
    """``pulumi state delete <urn>`` on the dynamic stack: the state forgets, no RPC is sent."""
    calls = len(engine.calls)
    engine.state_delete(name)
    assert len(engine.calls) == calls and name not in engine.state


def test_a_token_moves_from_the_dynamic_to_the_native_resource_without_a_write(
    dynamic: PluginEngine, engine: NativeEngine, org: NativeOrg
) -> None:
    dynamic.up({"ci": org.declared()})
    org.okta.clear_journal()

    state_delete(dynamic, "ci")  # 1. forget it in the dynamic stack ...
    assert dynamic.up({}).ops() == {}  # ... and its program no longer declares it: nothing to delete
    imported = engine.import_one("ci", org.token.id)  # 2. import it natively
    assert imported.program is not None
    declared = run_program(lambda: exec(compile(imported.program or "", "__main__.py", "exec"), {}))
    result = engine.up(declared.inputs, protect=["ci"])  # 3. the generated program: no change

    assert result.ops() == {"ci": "same"}
    assert org.writes() == 0
    assert org.live() is not None and org.live().name == "ci"


def test_a_token_moves_from_the_native_to_the_dynamic_resource_without_a_write(
    dynamic: PluginEngine, engine: NativeEngine, org: NativeOrg
) -> None:
    engine.import_one("ci", org.token.id, generate_code=False)
    org.okta.clear_journal()

    engine.state_delete("ci", force=True)  # 1. forget it natively (imports are protected: --force)
    assert engine.up({}).ops() == {}
    result = dynamic.up({"ci": org.declared()})  # 2. declare it in the dynamic program: adopted

    assert result.ops() == {"ci": "create"}
    assert org.writes() == 0
    assert org.live() is not None


def test_removing_the_resource_instead_of_forgetting_it_would_revoke_the_token(
    engine: NativeEngine, org: NativeOrg
) -> None:
    engine.import_one("ci", org.token.id, generate_code=False, protect=False)

    engine.up({})  # what the steps above avoid

    assert org.live() is None


def test_forgetting_a_protected_native_resource_needs_force(engine: NativeEngine, org: NativeOrg) -> None:
    engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    with pytest.raises(ValueError, match="is protected"):
        engine.state_delete("ci")
    assert "ci" in engine.state
