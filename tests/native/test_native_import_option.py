"""The ``import_`` resource option: ``up`` reads the token by id, then checks and diffs the declaration
against what it read: no change, an update, or the engine's refusal of a replace."""

from __future__ import annotations

from native_org import NativeOrg

from pulumi_okta_token.testing.engine import NativeEngine


def test_import_option_with_the_live_values_declared_imports_without_a_change(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.up({"ci": org.declared()}, imports={"ci": org.token.id})

    assert result.ops() == {"ci": "import"}
    assert result["ci"].calls == ["Read", "Check", "Diff"]
    assert org.writes() == 0
    assert engine.state["ci"].import_id == org.token.id
    assert engine.state["ci"].outputs == org.outputs()
    assert engine.state["ci"].inputs == org.import_inputs()  # what was read, as the CLI records it


def test_import_option_with_another_name_declared_imports_then_updates(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.up({"ci": org.declared(name="ci-deployer")}, imports={"ci": org.token.id})

    assert result.ops() == {"ci": "update"} and result["ci"].imported
    assert result["ci"].calls == ["Read", "Check", "Diff", "Update"]
    assert org.live().name == "ci-deployer"
    assert org.calls("PUT") == 1 and org.calls("DELETE") == 0
    assert engine.state["ci"].outputs["name"] == "ci-deployer"


def test_import_option_with_another_token_id_declared_imports_the_read_token_then_refuses_the_replace(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.up({"ci": org.declared(token_id=org.backup.id)}, imports={"ci": org.token.id})

    error = result.errors["ci"]
    assert error.startswith("previously-imported resources that still specify an ID may not be replaced")
    assert f"token_id: {{{org.token.id}}} => {{{org.backup.id}}}" in error
    # As with the CLI 3.276.0: the import itself was applied (the state keeps the token read), the
    # replace refused; Okta saw no write.
    assert org.writes() == 0 and engine.state["ci"].id == org.token.id


def test_preview_of_a_replace_with_the_import_option_only_warns_and_writes_nothing(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.preview({"ci": org.declared(token_id=org.backup.id)}, imports={"ci": org.token.id})

    assert result.ops() == {"ci": "replace"} and result.ok
    assert result["ci"].warnings[0].startswith("previously-imported resources that still specify an ID")
    assert org.writes() == 0 and engine.state == {}


def test_preview_of_an_import_then_update_reads_but_writes_nothing(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.preview({"ci": org.declared(name="ci-deployer")}, imports={"ci": org.token.id})

    assert result.ops() == {"ci": "update"}
    assert result["ci"].calls == ["Read", "Check", "Diff", "Update"]
    assert org.calls("GET") == 1 and org.writes() == 0
    assert org.live().name == "ci"


def test_a_second_up_with_the_import_option_still_declared_diffs_without_reading(
    engine: NativeEngine, org: NativeOrg
) -> None:
    engine.up({"ci": org.declared()}, imports={"ci": org.token.id})

    result = engine.up({"ci": org.declared()}, imports={"ci": org.token.id})

    assert result.ops() == {"ci": "same"}
    assert result["ci"].calls == ["Check", "Diff"]


def test_import_option_for_a_token_okta_does_not_have_fails_as_the_engine_says_it(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.up({"ci": org.declared()}, imports={"ci": "00T0000000000000000z"})

    assert result.errors == {"ci": "resource '00T0000000000000000z' does not exist"}
    assert org.writes() == 0 and engine.state == {}
