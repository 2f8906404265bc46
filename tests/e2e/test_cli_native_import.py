"""``pulumi import`` with the native plugin, through the real CLI: one token in a YAML project and in a
Python project (``examples/native``), a token Okta does not have, and ``pulumi import --file`` of what
``pulumi-okta-token generate --format import-file`` writes. Each test checks the state, the fake Okta's
journal, and the code the CLI writes (``--out``), then runs that code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml
from e2e_support import (
    NATIVE_TYPE,
    REPOSITORY,
    E2EOrg,
    add_yaml_resources,
    console_script,
    documented_python,
    native_python_project,
    native_yaml_project,
    python_structure,
    seed_native_example,
)

from pulumi_okta_token.native.schema import schema
from pulumi_okta_token.testing.engine.imports import python_program
from pulumi_okta_token.testing.engine.state import ResourceState
from pulumi_okta_token.testing.stack import PulumiStack

ABSENT = "00TnoSuchTokenAtAll1"


def imported_ids(stack: PulumiStack) -> dict[str, str]:
    """Resource name -> token id, of the native resources in the state."""
    return {resource["urn"].rsplit("::", 1)[1]: resource["id"] for resource in stack.resources(NATIVE_TYPE)}


def test_import_in_a_yaml_project_records_the_token_protected_and_its_code_is_a_no_op_up(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    project = native_yaml_project(tmp_path / "project", venv)
    stack = make_stack(project)
    e2e_org.configure(stack, namespace="okta-token")
    (token,) = e2e_org.add_tokens(1)
    out = tmp_path / "imported.yaml"

    stack.import_(NATIVE_TYPE, "ci", token.id, "--out", str(out))

    (resource,) = stack.resources(NATIVE_TYPE)
    assert resource["id"] == token.id and resource["protect"] is True
    assert resource["outputs"]["name"] == token.metadata.name
    assert e2e_org.writes() == 0
    generated = yaml.safe_load(out.read_text())
    assert generated == {
        "resources": {
            "ci": {
                "type": "okta-token:ApiToken",
                "properties": {
                    "name": token.metadata.name,
                    "network": {"connection": "ZONE", "exclude": [], "include": [e2e_org.office]},
                    "token_id": token.id,
                    "user_id": e2e_org.user,
                },
                "options": {"protect": True},
            }
        }
    }

    add_yaml_resources(project, generated["resources"])
    stack.up("--expect-no-changes")

    assert e2e_org.writes() == 0
    assert imported_ids(stack) == {"ci": token.id}


def test_import_in_a_python_project_writes_the_documented_code_and_up_of_it_changes_nothing(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    seeded = seed_native_example(e2e_org.okta)
    project = native_python_project(tmp_path / "project", venv)
    stack = make_stack(project)
    e2e_org.configure(stack, namespace="okta-token")
    ci = seeded["ci-deployer"]
    out = tmp_path / "imported.py"

    stack.import_(NATIVE_TYPE, "ci", ci.id, "--out", str(out))

    (resource,) = stack.resources(NATIVE_TYPE)
    assert resource["id"] == ci.id and resource["protect"] is True
    assert e2e_org.writes() == 0
    generated = out.read_text()
    # The docs show what the CLI writes for this token of examples/native/org.json, layout aside.
    for markdown in (REPOSITORY / "docs" / "migrating.md", REPOSITORY / "examples" / "native" / "README.md"):
        assert python_structure(documented_python(markdown)) == python_structure(generated), markdown

    (project / "__main__.py").write_text(generated)
    stack.up("--expect-no-changes")

    assert e2e_org.writes() == 0
    assert imported_ids(stack) == {"ci": ci.id}


def test_import_of_a_token_okta_does_not_have_fails_and_records_nothing(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    stack = make_stack(native_yaml_project(tmp_path / "project", venv))
    e2e_org.configure(stack, namespace="okta-token")
    out = tmp_path / "imported.yaml"

    result = stack.import_(NATIVE_TYPE, "gone", ABSENT, "--out", str(out), check=False)

    assert result.returncode != 0
    assert f"resource '{ABSENT}' does not exist" in result.output
    assert stack.resources(NATIVE_TYPE) == []
    assert not out.exists() or out.read_text().strip() == ""
    assert e2e_org.writes() == 0


def test_import_file_of_what_generate_writes_imports_fifty_tokens_without_a_write_then_destroy_revokes_them(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    tokens = e2e_org.add_tokens(50)
    project = native_yaml_project(tmp_path / "project", venv)
    stack = make_stack(project)
    e2e_org.configure(stack, namespace="okta-token")
    import_file = project / "import.json"
    import_file.write_text(console_script(venv, "generate", "--format", "import-file", org=e2e_org).stdout)
    listed = {entry["id"] for entry in json.loads(import_file.read_text())["resources"]}
    assert listed == {token.id for token in tokens} | {e2e_org.admin.id}

    stack.import_("--file", str(import_file), "--out", str(tmp_path / "imported.yaml"))

    resources = stack.resources(NATIVE_TYPE)
    assert {resource["id"] for resource in resources} == listed
    assert all(resource["protect"] for resource in resources)
    assert e2e_org.writes() == 0

    # Imported resources are protected: unprotect, and destroy revokes every one but the admin's
    # (whose resource this test forgets first, as a user keeps the token the stack signs in with).
    admin_urn = next(r["urn"] for r in resources if r["id"] == e2e_org.admin.id)
    stack.run("state", "delete", "--stack", stack.name, "--force", "--yes", admin_urn)
    stack.run("state", "unprotect", "--stack", stack.name, "--all", "--yes")
    stack.destroy()

    assert stack.resources(NATIVE_TYPE) == []
    assert e2e_org.calls("DELETE") == 50
    assert all(e2e_org.live(token.id) is None for token in tokens)
    assert e2e_org.live(e2e_org.admin.id) is not None


def test_the_example_import_file_imports_each_entry_and_the_engine_driver_writes_the_same_code(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    seeded = seed_native_example(e2e_org.okta)
    project = native_python_project(tmp_path / "project", venv)
    stack = make_stack(project)
    e2e_org.configure(stack, namespace="okta-token")
    out = tmp_path / "imported.py"

    stack.import_("--file", "import.json", "--out", str(out))

    states = {resource["urn"].rsplit("::", 1)[1]: resource for resource in stack.resources(NATIVE_TYPE)}
    assert {name: state["id"] for name, state in states.items()} == {
        "ci": seeded["ci-deployer"].id,
        "backup": seeded["backup-bot"].id,
        "reports": seeded["reports-job"].id,
    }
    assert states["backup"]["inputs"]["client_name"] == "Okta API"  # the entry's `inputs` fill a gap
    # The entry's `properties` (token_id, name) narrow nothing: every input read is recorded.
    assert set(states["reports"]["inputs"]) == {"name", "network", "token_id", "user_id"}
    assert e2e_org.writes() == 0
    # The engine driver's model of the code generation writes what the CLI wrote, byte for byte.
    modelled = [
        ResourceState(name, NATIVE_TYPE, state["urn"], state["id"], state["inputs"], {}, protect=True)
        for name, state in (
            ("ci", states["ci"]),
            ("backup", states["backup"]),
            ("reports", states["reports"]),
        )
    ]
    assert python_program(schema(), modelled) == out.read_text()
