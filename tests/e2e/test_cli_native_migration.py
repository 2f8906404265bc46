"""Moving a token between the dynamic ``ApiToken`` and the native one, as ``examples/native/README.md``
says, with the real CLI: ``pulumi state delete`` in one stack, ``pulumi import`` (or a declaration) in
the other, ``pulumi up`` in both. Okta sees no write at all, and the token ends managed by the other
resource."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from e2e_support import (
    DYNAMIC_TYPE,
    NATIVE_TYPE,
    E2EOrg,
    declare_tokens,
    entry,
    native_python_project,
    python_project,
)

from pulumi_okta_token.testing.stack import PulumiStack


def test_a_token_moves_from_the_dynamic_to_the_native_resource_and_back_without_a_write(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    (token,) = e2e_org.add_tokens(1)
    dynamic = make_stack(python_project(tmp_path / "dynamic", venv))
    e2e_org.configure(dynamic)
    native_project = native_python_project(tmp_path / "native", venv)
    native = make_stack(native_project)
    e2e_org.configure(native, namespace="okta-token")
    declare_tokens(dynamic, [entry(token)])
    dynamic.up()
    (adopted,) = dynamic.resources(DYNAMIC_TYPE)

    # Dynamic -> native. 1. The dynamic stack forgets it; without the declaration, `up` deletes nothing.
    dynamic.run("state", "delete", "--stack", dynamic.name, "--yes", adopted["urn"])
    declare_tokens(dynamic, [])
    dynamic.up()
    assert dynamic.resources(DYNAMIC_TYPE) == []
    # 2. Import it natively and paste the code; 3. `up` there changes nothing.
    code = tmp_path / "imported.py"
    native.import_(NATIVE_TYPE, "ci", token.id, "--out", str(code))
    (native_project / "__main__.py").write_text(code.read_text())
    native.up("--expect-no-changes")

    assert [resource["id"] for resource in native.resources(NATIVE_TYPE)] == [token.id]
    assert e2e_org.writes() == 0
    assert e2e_org.live(token.id) == token.metadata

    # Native -> dynamic. 1. Imported resources are protected: `state delete` needs --force.
    (imported,) = native.resources(NATIVE_TYPE)
    refused = native.run("state", "delete", "--stack", native.name, "--yes", imported["urn"], check=False)
    assert refused.returncode != 0 and "protected" in refused.output
    native.run("state", "delete", "--stack", native.name, "--force", "--yes", imported["urn"])
    (native_project / "__main__.py").write_text("import pulumi\n")
    native.up()
    assert native.resources(NATIVE_TYPE) == []
    # 2. Declared as a dynamic ApiToken again, `up` adopts it.
    declare_tokens(dynamic, [entry(token)])
    dynamic.up()

    assert [resource["outputs"]["token_id"] for resource in dynamic.resources(DYNAMIC_TYPE)] == [token.id]
    assert e2e_org.writes() == 0
    assert e2e_org.live(token.id) == token.metadata
