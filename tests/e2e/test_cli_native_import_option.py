"""The ``import_`` resource option of ``okta_token.native.ApiToken`` through the real CLI, in a Python
project (``examples/native`` with its program replaced): an equal declaration is imported without a write,
another name is imported then updated (one PUT), another ``token_id`` is imported as read then its
replace refused (no write), and
``destroy`` revokes what it imported unless ``retain_on_delete`` keeps it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from e2e_support import NATIVE_TYPE, E2EOrg, native_python_project

from pulumi_okta_token.testing.okta.backend import FakeToken
from pulumi_okta_token.testing.stack import PulumiStack


@dataclass(frozen=True)
class Declared:
    """One ``okta_token.native.ApiToken`` of the program, taken over with ``import_=import_id``."""

    resource: str
    import_id: str
    token_id: str
    name: str
    zone: str
    retain: bool = False

    def python(self) -> str:
        return (
            f"okta_token.native.ApiToken({self.resource!r}, token_id={self.token_id!r}, name={self.name!r},\n"
            f"    network={{'connection': 'ZONE', 'include': [{self.zone!r}]}},\n"
            f"    opts=pulumi.ResourceOptions(import_={self.import_id!r}, retain_on_delete={self.retain}))\n"
        )


def write_program(project: Path, declared: list[Declared]) -> None:
    program = "import pulumi\nimport pulumi_okta_token as okta_token\n\n"
    (project / "__main__.py").write_text(program + "".join(entry.python() for entry in declared))


def as_it_is(resource: str, token: FakeToken, zone: str, **options: bool) -> Declared:
    return Declared(resource, token.id, token.id, token.metadata.name, zone, **options)


def state_ids(stack: PulumiStack) -> dict[str, str]:
    return {name: resource["id"] for name, resource in recorded(stack).items()}


def recorded(stack: PulumiStack) -> dict[str, dict[str, Any]]:
    """The native resources of the state by name: id, inputs and outputs (the rest is bookkeeping)."""
    return {
        resource["urn"].rsplit("::", 1)[1]: {key: resource[key] for key in ("id", "inputs", "outputs")}
        for resource in stack.resources(NATIVE_TYPE)
    }


def test_the_import_option_imports_updates_refuses_a_replacement_and_destroy_retains_or_revokes(
    make_stack: Callable[..., PulumiStack], e2e_org: E2EOrg, tmp_path: Path, venv: Path
) -> None:
    kept, renamed, asked, other = e2e_org.add_tokens(4)
    office = e2e_org.office
    project = native_python_project(tmp_path / "project", venv)
    stack = make_stack(project)
    e2e_org.configure(stack, namespace="okta-token")
    equal = as_it_is("kept", kept, office, retain=True)
    rename = Declared("renamed", renamed.id, renamed.id, "renamed-by-pulumi", office)

    # An equal declaration is imported as it is; another name is imported, then updated.
    write_program(project, [equal, rename])
    stack.up()

    assert state_ids(stack) == {"kept": kept.id, "renamed": renamed.id}
    assert e2e_org.calls("PUT") == 1 and e2e_org.calls("DELETE") == 0
    assert [entry.path for entry in e2e_org.okta.calls("PUT")] == [f"/api/v1/api-tokens/{renamed.id}"]
    assert e2e_org.live(renamed.id).name == "renamed-by-pulumi"  # type: ignore[union-attr]
    assert e2e_org.live(kept.id) == kept.metadata
    # The import the declaration does not change records the inputs it read (user_id included).
    assert recorded(stack)["kept"]["inputs"]["user_id"] == e2e_org.user

    # Another token_id than the import id would replace what was imported: the import is applied (the
    # state records the token of the import id, as read), the replace refused; Okta sees no write.
    e2e_org.okta.clear_journal()
    before = recorded(stack)
    swapped = Declared("swapped", asked.id, other.id, other.metadata.name, office)
    write_program(project, [equal, rename, swapped])

    warned = stack.preview()  # a preview only warns, and records nothing
    assert "previously-imported resources that still specify an ID may not be replaced" in warned.output
    assert recorded(stack) == before
    refused = stack.up(check=False)

    assert refused.returncode != 0
    assert "previously-imported resources that still specify an ID may not be replaced" in refused.output
    assert f"token_id: {{{asked.id}}} => {{{other.id}}}" in refused.output
    after = recorded(stack)
    assert after.pop("swapped")["id"] == asked.id
    assert {name: r["outputs"] for name, r in after.items()} == {n: r["outputs"] for n, r in before.items()}
    assert e2e_org.writes() == 0
    assert e2e_org.live(asked.id) == asked.metadata and e2e_org.live(other.id) == other.metadata

    # The state must forget it before the declaration goes, or the next `up` revokes it.
    swapped_urn = next(r["urn"] for r in stack.resources(NATIVE_TYPE) if r["id"] == asked.id)
    stack.run("state", "delete", "--stack", stack.name, "--yes", swapped_urn)

    # destroy: the retained token stays active, the other one is revoked.
    stack.destroy()

    assert stack.resources(NATIVE_TYPE) == []
    assert [entry.path for entry in e2e_org.okta.calls("DELETE")] == [f"/api/v1/api-tokens/{renamed.id}"]
    assert e2e_org.live(kept.id) is not None and e2e_org.live(renamed.id) is None
    assert e2e_org.live(asked.id) is not None and e2e_org.live(other.id) is not None
