"""``pulumi import`` and ``pulumi import --file``, replayed through the plugin: Read by id, Check, the schema
and the generated program, then an ``up`` of that program."""

from __future__ import annotations

from typing import Any

from native_org import ABSENT_TOKEN, NativeOrg

from pulumi_okta_token._models import TokenSpec
from pulumi_okta_token.testing import run_program
from pulumi_okta_token.testing.engine import NATIVE_TYPE, ImportSpec, NativeEngine


def read_answers(engine: NativeEngine) -> list[Any]:
    return [message for method, message in engine.responses if method == "Read"]


def test_import_reads_the_token_by_id_alone_then_checks_what_it_read(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    assert result.run.ops() == {"ci": "import"}
    assert result.run["ci"].calls == ["Read", "Check"]
    assert engine.calls == [
        "Handshake",
        "GetPluginInfo",
        "CheckConfig",
        "Configure",
        "Read",
        "Check",
        "Cancel",
    ]


def test_import_records_the_tokens_outputs_and_the_inputs_a_program_declares(
    engine: NativeEngine, org: NativeOrg
) -> None:
    engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    imported = engine.state["ci"]
    assert imported.id == org.token.id
    assert imported.outputs == org.outputs()
    assert imported.inputs == org.import_inputs()
    assert {"token_id", "name", "network"} <= imported.inputs.keys()
    assert imported.protect


def test_import_answers_read_with_an_id_outputs_and_inputs(engine: NativeEngine, org: NativeOrg) -> None:
    engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    (answer,) = read_answers(engine)
    assert answer.id == org.token.id
    assert answer.HasField("properties") and answer.HasField("inputs")


def test_import_check_of_the_read_inputs_passes_without_warnings(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.import_one("ci", org.token.id, generate_code=False)

    assert result.run.ok and result.preview is not None and result.preview.ok
    assert result.run["ci"].warnings == [] and result.run["ci"].failures == []


def test_import_changes_nothing_in_okta(engine: NativeEngine, org: NativeOrg) -> None:
    engine.import_one("ci", org.token.id)

    assert org.calls("GET") == 2  # the preview's Read and the update's
    assert org.writes() == 0


def test_import_of_a_token_okta_does_not_have_fails_as_the_engine_says_it(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.import_one("gone", ABSENT_TOKEN)

    assert result.run.errors == {"gone": f"resource '{ABSENT_TOKEN}' does not exist"}
    assert result.program is None and engine.state == {}
    (answer,) = read_answers(engine)
    assert not answer.id and not answer.HasField("properties") and not answer.HasField("inputs")


def test_import_of_a_malformed_id_fails_naming_the_id_shape_without_a_request(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.import_one("typo", "00Tnot-an-id")

    error = result.run.errors["typo"]
    assert "cannot import API token '00Tnot-an-id'" in error and "'00T' followed by 17" in error
    assert org.calls("GET") == 0


def test_import_of_a_name_already_in_the_state_fails(engine: NativeEngine, org: NativeOrg) -> None:
    engine.import_one("ci", org.token.id, generate_code=False, preview_first=False)

    result = engine.import_one("ci", org.backup.id, generate_code=False, preview_first=False)

    assert result.run.errors == {"ci": f"resource '{engine.urn('ci')}' already exists"}
    assert engine.state["ci"].id == org.token.id


def test_code_generation_asks_a_fresh_plugin_for_the_schema_only(
    engine: NativeEngine, org: NativeOrg
) -> None:
    engine.import_one("ci", org.token.id)

    assert engine.calls[-4:] == ["Handshake", "GetPluginInfo", "GetSchema", "Cancel"]
    assert engine.plugin_starts == 3  # preview, update, code generation


def test_the_generated_program_refers_to_the_native_class_of_this_package(
    engine: NativeEngine, org: NativeOrg
) -> None:
    program = engine.import_one("ci", org.token.id).program
    assert program is not None

    assert "import pulumi_okta_token as okta_token" in program
    assert 'okta_token.native.ApiToken("ci",' in program
    declared = run_program(lambda: exec(compile(program, "__main__.py", "exec"), {}))
    assert declared.types == {"ci": NATIVE_TYPE}
    assert TokenSpec.from_props(declared.inputs["ci"]).to_props() == org.import_inputs()


def test_an_up_of_the_generated_program_changes_nothing(engine: NativeEngine, org: NativeOrg) -> None:
    program = engine.import_one("ci", org.token.id).program
    assert program is not None
    declared = run_program(lambda: exec(compile(program, "__main__.py", "exec"), {}))
    org.okta.clear_journal()

    result = engine.up(declared.inputs, protect=["ci"])

    assert result.ops() == {"ci": "same"}
    assert result["ci"].calls == ["Check", "Diff"]
    assert org.writes() == 0
    assert engine.state["ci"].outputs == org.outputs()


def test_import_file_imports_every_token_listed(engine: NativeEngine, org: NativeOrg) -> None:
    document = {
        "resources": [
            {"type": NATIVE_TYPE, "name": "ci", "id": org.token.id},
            {"type": NATIVE_TYPE, "name": "backup", "id": org.backup.id},
        ]
    }

    result = engine.import_resources(ImportSpec.file(document))

    assert result.run.ops() == {"ci": "import", "backup": "import"}
    assert {name: r.id for name, r in engine.state.items()} == {"ci": org.token.id, "backup": org.backup.id}
    assert result.program is not None
    assert result.program.count("okta_token.native.ApiToken(") == 2


def test_import_file_inputs_fill_only_what_read_leaves_out(engine: NativeEngine, org: NativeOrg) -> None:
    supplied = {"client_name": "Okta API", "name": "a name Okta does not have"}

    result = engine.import_resources(
        [ImportSpec("ci", org.token.id, inputs=supplied)], generate_code=False, preview_first=False
    )

    assert result.run.ok and result.run["ci"].warnings == []
    assert engine.state["ci"].inputs == {**org.import_inputs(), "client_name": "Okta API"}


def test_import_file_properties_narrow_nothing_as_with_the_cli(engine: NativeEngine, org: NativeOrg) -> None:
    result = engine.import_resources([ImportSpec("ci", org.token.id, properties=("token_id", "name"))])

    assert result.run.ok
    assert engine.state["ci"].inputs == org.import_inputs()
    assert result.program is not None and "network=" in result.program


def test_import_file_outputs_import_the_given_state_without_reading(
    engine: NativeEngine, org: NativeOrg
) -> None:
    spec = ImportSpec("ci", org.token.id, inputs=org.import_inputs(), outputs=org.outputs())

    result = engine.import_resources([spec], generate_code=False, preview_first=False)

    assert result.run["ci"].calls == ["Check"]
    assert org.calls("GET") == 0
    assert engine.state["ci"].outputs == org.outputs()


def test_an_invalid_supplied_input_only_warns_as_the_engine_does(
    engine: NativeEngine, org: NativeOrg
) -> None:
    spec = ImportSpec("ci", org.token.id, inputs={"created": "last tuesday"})

    result = engine.import_resources([spec], generate_code=False, preview_first=False)

    step = result.run["ci"]
    assert step.ok and step.op == "import"
    assert step.warnings[0].startswith("One or more imported inputs failed to validate.")
    assert [failure.property for failure in step.failures] == ["created"]
    assert "ISO-8601" in step.warnings[1]
