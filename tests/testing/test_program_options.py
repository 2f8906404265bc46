"""``run_program`` reports the resource options the engine keeps (``protect``, ``retain_on_delete``), and
``PluginEngine`` honours them as the CLI does: a retained token outlives ``destroy``."""

from __future__ import annotations

from pathlib import Path

from seeded_org import Org

from pulumi_okta_token.testing import PluginEngine, run_program

PROGRAM = """
import pulumi
from pulumi_okta_token import ApiToken

ApiToken("kept", token_id="{kept}", opts=pulumi.ResourceOptions(retain_on_delete=True))
ApiToken("guarded", token_id="{guarded}", opts=pulumi.ResourceOptions(protect=True))
ApiToken("plain", token_id="{plain}")
"""


def write_program(tmp_path: Path, **ids: str) -> Path:
    (tmp_path / "__main__.py").write_text(PROGRAM.format(**ids))
    return tmp_path


def test_run_program_reports_protect_and_retain_on_delete_by_resource_name(tmp_path: Path) -> None:
    declared = run_program(write_program(tmp_path, kept="00Tkept", guarded="00Tguarded", plain="00Tplain"))

    assert declared.retain_on_delete == {"kept"}
    assert declared.protect == {"guarded"}
    assert declared.options == {"protect": {"guarded"}, "retain_on_delete": {"kept"}}


def test_destroy_keeps_the_token_the_program_retains_and_revokes_the_plain_one(
    org: Org, tmp_path: Path
) -> None:
    kept = org.okta.org.add_token(name="kept", user_id=org.user)
    plain = org.okta.org.add_token(name="plain", user_id=org.user)
    declared = run_program(write_program(tmp_path, kept=kept.id, guarded=org.token.id, plain=plain.id))
    declared.protect.clear()  # the protected one is the next test's

    with PluginEngine(org.config) as engine:
        assert engine.up(declared.inputs, **declared.options).ok
        result = engine.destroy()

    assert result.ok, result.errors
    assert org.live(kept.id) is not None
    assert org.live(plain.id) is None
    assert org.live(org.token.id) is None


def test_destroy_refuses_the_token_the_program_protects(org: Org, tmp_path: Path) -> None:
    declared = run_program(write_program(tmp_path, kept="00Tkept", guarded=org.token.id, plain="00Tplain"))
    program = {"guarded": declared.inputs["guarded"]}

    with PluginEngine(org.config) as engine:
        assert engine.up(program, protect=declared.protect).ok
        result = engine.destroy()

    assert "protection" in result.errors["guarded"]
    assert org.live(org.token.id) is not None
