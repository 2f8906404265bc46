"""``up`` (adopt without an import), previews, ``refresh`` (drift, a token revoked out of band) and
``destroy`` through the native plugin: the dynamic ``ApiToken``'s semantics, served natively."""

from __future__ import annotations

from native_org import NativeOrg
from pulumi.runtime.rpc import UNKNOWN

from pulumi_okta_token.testing.engine import NativeEngine


def imported(engine: NativeEngine, org: NativeOrg, *, protect: bool = False) -> NativeEngine:
    engine.import_one("ci", org.token.id, generate_code=False, preview_first=False, protect=protect)
    org.okta.clear_journal()
    return engine


def test_up_adopts_a_declared_token_without_an_import(engine: NativeEngine, org: NativeOrg) -> None:
    result = engine.up({"ci": org.declared()})

    assert result.ops() == {"ci": "create"}
    assert result["ci"].calls == ["Check", "Create"]
    assert org.calls("GET") == 1 and org.writes() == 0
    assert engine.state["ci"].outputs == org.outputs()


def test_preview_of_an_adoption_asks_create_with_preview_and_calls_no_okta(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.preview({"ci": org.declared()})

    assert result["ci"].calls == ["Check", "Create"]
    outputs = result["ci"].outputs or {}
    assert outputs["name"] == "ci" and outputs["last_updated"] == UNKNOWN
    assert org.okta.journal == [] and engine.state == {}


def test_preview_of_a_rename_asks_update_with_preview_and_calls_no_okta(
    engine: NativeEngine, org: NativeOrg
) -> None:
    imported(engine, org)

    result = engine.preview({"ci": org.declared(name="renamed")})

    assert result.ops() == {"ci": "update"}
    assert (result["ci"].outputs or {})["name"] == "renamed"
    assert org.okta.journal == [] and org.live().name == "ci"


def test_refresh_follows_a_rename_made_in_the_admin_console(engine: NativeEngine, org: NativeOrg) -> None:
    imported(engine, org)
    org.okta.org.update_token(org.token.id, name="renamed in the console")

    result = engine.refresh()

    assert result.ops() == {"ci": "read"}
    assert engine.state["ci"].outputs == org.outputs()
    assert engine.state["ci"].inputs["name"] == "renamed in the console"


def test_up_after_drift_puts_the_declared_name_back(engine: NativeEngine, org: NativeOrg) -> None:
    imported(engine, org)
    org.okta.org.update_token(org.token.id, name="renamed in the console")
    engine.refresh()

    result = engine.up({"ci": org.declared()})

    assert result.ops() == {"ci": "update"}
    assert org.live().name == "ci" and org.calls("PUT") == 1


def test_refresh_drops_a_token_revoked_out_of_band(engine: NativeEngine, org: NativeOrg) -> None:
    imported(engine, org)
    org.okta.org.revoke_token(org.token.id)

    result = engine.refresh()

    assert result.ops() == {"ci": "gone"}
    assert engine.state == {}
    answer = [message for method, message in engine.responses if method == "Read"][-1]
    assert not answer.id and not answer.HasField("properties") and not answer.HasField("inputs")


def test_destroy_revokes_the_token(engine: NativeEngine, org: NativeOrg) -> None:
    imported(engine, org)

    result = engine.destroy()

    assert result.ops() == {"ci": "delete"} and result.ok
    assert org.live() is None and engine.state == {}


def test_destroy_of_an_imported_token_is_refused_while_it_is_protected(
    engine: NativeEngine, org: NativeOrg
) -> None:
    imported(engine, org, protect=True)

    result = engine.destroy()

    assert "currently marked for protection" in result.errors["ci"]
    assert org.writes() == 0 and org.live() is not None


def test_a_retained_token_leaves_the_program_without_being_revoked(
    engine: NativeEngine, org: NativeOrg
) -> None:
    engine.up({"ci": org.declared()}, retain_on_delete=["ci"])

    result = engine.up({})

    assert result.ops() == {"ci": "delete"} and result["ci"].calls == []
    assert org.writes() == 0 and org.live() is not None and engine.state == {}


def test_changing_token_id_adopts_the_new_token_then_revokes_the_old(
    engine: NativeEngine, org: NativeOrg
) -> None:
    imported(engine, org)

    result = engine.up({"ci": {"token_id": org.backup.id}})

    assert result.ops() == {"ci": "replace"}
    assert result["ci"].calls == ["Check", "Diff", "Check", "Create", "Delete"]
    assert org.live() is None and org.live(org.backup.id) is not None
    assert engine.state["ci"].id == org.backup.id


def test_a_get_reads_the_token_by_id_and_the_declared_inputs(engine: NativeEngine, org: NativeOrg) -> None:
    from pulumi.runtime.proto import provider_pb2

    from pulumi_okta_token.testing.engine.messages import from_struct, to_struct

    declared = to_struct(
        {"token_id": org.token.id}
    )  # a ReadStep sends the inputs as both (step.go#L1338-1344)
    with engine.plugin() as stub:
        answer = stub.Read(
            provider_pb2.ReadRequest(
                id=org.token.id,
                urn=engine.urn("ci"),
                type="okta-token:index:ApiToken",
                inputs=declared,
                properties=declared,
            )
        )

    assert answer.id == org.token.id
    assert from_struct(answer.properties) == org.outputs()
    assert org.writes() == 0


def test_preview_with_a_value_not_known_yet_passes_it_through_check_and_create(
    engine: NativeEngine, org: NativeOrg
) -> None:
    result = engine.preview({"ci": org.declared(name=UNKNOWN)})

    assert result.ok and result["ci"].calls == ["Check", "Create"]
    assert (result["ci"].outputs or {})["name"] == UNKNOWN
    assert org.okta.journal == []
