"""The native plugin hands a renamed resource's token over as the dynamic one does: the old resource's
delete, in the same operation that adopted the token under the new name, revokes nothing."""

from __future__ import annotations

from native_org import NativeOrg

from pulumi_okta_token.testing.engine import NativeEngine


def test_renaming_the_resource_of_a_token_revokes_nothing(org: NativeOrg, engine: NativeEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()

    result = engine.up({"ci-renamed": org.declared(name="ci-renamed")})

    assert result.ok, result.errors
    assert org.calls("DELETE") == 0
    assert org.live().name == "ci-renamed"
    assert engine.destroy().ok
    assert org.live() is None
