"""``PluginEngine`` itself, against a provider that only echoes: the engine's sequences and state keeping."""

from __future__ import annotations

import asyncio
import os
import textwrap
import threading
from collections.abc import Iterator

import pytest
from pulumi.runtime import rpc

from pulumi_okta_token.testing import engine as engine_module
from pulumi_okta_token.testing.engine import UNKNOWN, PluginEngine, PluginStartError, secret_value
from pulumi_okta_token.testing.engine.doubles import ECHO_TYPE, EchoProvider

SIG_KEY, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


CONFIG = {"demo:greeting": "hello", "okta:apiToken": "a-secret-value", "okta:maxRetries": 3}


def echo_engine(env: dict[str, str] | None = None) -> PluginEngine:
    return PluginEngine(
        CONFIG,
        provider=EchoProvider(),
        type_token=ECHO_TYPE,
        env=env,
    )


@pytest.fixture
def engine() -> Iterator[PluginEngine]:
    with echo_engine() as running:
        yield running


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_first_up_checks_then_creates_and_keeps_inputs_and_outputs(engine: PluginEngine) -> None:
    result = engine.up({"a": {"name": "a"}})
    assert result["a"].op == "create" and result["a"].calls == ["Check", "Create"]
    stored = engine.state["a"]
    assert stored.id == result["a"].id
    assert stored.inputs["name"] == stored.outputs["name"] == "a"
    assert stored.inputs["__provider"] == stored.outputs["__provider"] == engine.provider_string


@pytest.mark.parametrize("key", ["demo:greeting", "okta:apiToken", "okta:maxRetries"])
def test_configure_hands_the_provider_each_stack_config_value_unwrapped(
    engine: PluginEngine, key: str
) -> None:
    result = engine.up({"a": {"name": "a", "config_key": key}})
    assert result["a"].outputs is not None
    assert result["a"].outputs["config_value"] == CONFIG[key]


def test_up_of_an_unchanged_program_checks_and_diffs_only(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a"}})
    result = engine.up({"a": {"name": "a"}})
    assert result.ops() == {"a": "same"}
    assert result["a"].calls == ["Check", "Diff"]


def test_up_with_a_changed_input_updates_in_place(engine: PluginEngine) -> None:
    first = engine.up({"a": {"name": "a"}})
    result = engine.up({"a": {"name": "b"}})
    assert result["a"].calls == ["Check", "Diff", "Update"]
    assert engine.state["a"].outputs["name"] == "b"
    assert engine.state["a"].id == first["a"].id


def test_replace_creates_the_new_resource_before_deleting_the_old(engine: PluginEngine) -> None:
    first = engine.up({"a": {"name": "a", "replace_on": "name"}})
    result = engine.up({"a": {"name": "b", "replace_on": "name"}})
    step = result["a"]
    assert step.op == "replace" and step.calls == ["Check", "Diff", "Check", "Create", "Delete"]
    assert step.old_id == first["a"].id != step.id == engine.state["a"].id


def test_delete_before_replace_deletes_the_old_resource_first(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a", "replace_on": "name", "delete_first": True}})
    result = engine.up({"a": {"name": "b", "replace_on": "name", "delete_first": True}})
    assert (result["a"].op, result["a"].calls) == ("replace", ["Check", "Diff", "Check", "Delete", "Create"])
    assert engine.state["a"].id == result["a"].id


def test_an_undecided_diff_leaves_the_comparison_of_inputs_to_the_engine(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a", "diff_unknown": True}})
    same = engine.up({"a": {"name": "a", "diff_unknown": True}})
    changed = engine.up({"a": {"name": "b", "diff_unknown": True}})
    assert (same["a"].op, changed["a"].op) == ("same", "update")


def test_a_failed_update_keeps_the_previous_state(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a"}})
    before = engine.state["a"]
    result = engine.up({"a": {"name": "b", "fail": "no", "fail_in": "update"}})
    assert (result["a"].op, result["a"].calls) == ("update", ["Check", "Diff", "Update"])
    assert "RuntimeError: no" in result.errors["a"]
    assert engine.state["a"] == before


def test_preview_of_a_replace_checks_twice_and_creates_nothing(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a", "replace_on": "name"}})
    before = engine.state["a"]
    result = engine.preview({"a": {"name": "b", "replace_on": "name"}})
    assert (result["a"].op, result["a"].calls) == ("replace", ["Check", "Diff", "Check"])
    assert engine.state == {"a": before}


def test_preview_sends_check_and_diff_and_leaves_the_state_alone(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a"}})
    before = engine.state["a"]
    result = engine.preview({"a": {"name": UNKNOWN}, "b": {"name": "b"}})
    assert result.ops() == {"a": "update", "b": "create"}
    assert (result["a"].calls, result["b"].calls) == (["Check", "Diff"], ["Check"])
    assert engine.state == {"a": before}


def test_up_sends_the_steps_of_four_resources_at_once(engine: PluginEngine) -> None:
    # Each create waits in the plugin until all four are running: served one by one, they would fail.
    result = engine.up({name: {"name": name, "rendezvous": True} for name in "abcd"})
    assert (result.ops(), result.errors) == (dict.fromkeys("abcd", "create"), {})


def test_up_deletes_resources_the_program_no_longer_declares(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a"}, "b": {"name": "b"}})
    result = engine.up({"a": {"name": "a"}})
    assert result.ops() == {"a": "same", "b": "delete"}
    assert set(engine.state) == {"a"}


def test_check_failures_name_the_property_and_nothing_is_created(engine: PluginEngine) -> None:
    result = engine.up({"a": {"name": ""}})
    step = result["a"]
    assert [(f.property, f.reason) for f in step.failures] == [("name", "name must not be empty")]
    assert step.error is not None and "'a': property name value {} has a problem" in step.error
    assert step.calls == ["Check"] and engine.state == {}


def test_a_provider_exception_reaches_the_result_as_the_grpc_error_text(engine: PluginEngine) -> None:
    result = engine.up({"a": {"name": "a", "fail": "the provider refused"}})
    assert not result.ok
    assert "RuntimeError: the provider refused" in result.errors["a"]
    assert engine.state == {}


def test_refresh_keeps_what_read_returns_and_then_asks_the_refresh_diff_as_the_cli_does(
    engine: PluginEngine,
) -> None:
    engine.up({"a": {"name": "a"}})
    result = engine.refresh()
    assert result["a"].op == "read" and result["a"].calls == ["Read", "Diff"]
    assert engine.state["a"].outputs["name"] == "a"


def test_refresh_drops_a_resource_read_reports_gone(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a", "gone": True}})
    result = engine.refresh()
    assert result["a"].op == "gone"
    assert engine.state == {}


def test_destroy_deletes_every_resource_and_empties_the_state(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a"}, "b": {"name": "b"}})
    result = engine.destroy()
    assert result.ops() == {"a": "delete", "b": "delete"}
    assert engine.state == {}


def test_state_export_keeps_the_provider_as_a_secret(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a"}})
    (resource,) = engine.state_json()["deployment"]["resources"]
    for props in (resource["inputs"], resource["outputs"]):
        secret = props["__provider"]
        assert secret[SIG_KEY] == SECRET_SIG
        assert engine.provider_string in secret["plaintext"]


def test_the_export_marks_secrets_with_pulumis_own_signature() -> None:
    assert (rpc._special_sig_key, rpc._special_secret_sig) == (SIG_KEY, SECRET_SIG)
    assert secret_value("x") == {SIG_KEY: SECRET_SIG, "plaintext": '"x"'}


def test_the_plugin_process_is_stopped_and_reaped_on_exit() -> None:
    with echo_engine() as running:
        pid = running.pid
        assert pid is not None and process_exists(pid)
    assert running.exit_code is not None
    assert not process_exists(pid)


def test_a_plugin_that_dies_at_start_raises_with_its_stderr() -> None:
    broken = echo_engine(env={"PYTHONPATH": "", "PYTHONHOME": "/nonexistent"})
    with pytest.raises(PluginStartError, match=r"exited with code .*stderr"):
        broken.start()
    assert broken.pid is None


def test_the_driver_leaves_the_calling_threads_event_loop_in_place() -> None:
    # set_mocks programs later in the same test process need the thread's event loop.
    seen: list[bool] = []

    def run_a_stack_with_a_current_loop() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            with echo_engine() as running:
                running.up({"a": {"name": "a"}})
                running.destroy()
            seen.append(asyncio.get_event_loop() is loop)
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    worker = threading.Thread(target=run_a_stack_with_a_current_loop)
    worker.start()
    worker.join()
    assert seen == [True]


def test_a_fresh_plugin_per_operation_keeps_the_state_across_processes() -> None:
    with PluginEngine(
        CONFIG,
        provider=EchoProvider(),
        type_token=ECHO_TYPE,
        fresh_plugin_per_operation=True,
    ) as running:
        running.up({"a": {"name": "a"}})
        result = running.up({"a": {"name": "b"}})
        assert result["a"].op == "update"
        assert running.plugin_starts == 2


def test_each_operation_gets_its_own_plugin_process_by_default_as_the_cli_runs_it() -> None:
    with PluginEngine(CONFIG, provider=EchoProvider(), type_token=ECHO_TYPE) as running:
        running.up({"a": {"name": "a"}})
        running.refresh()
        running.destroy()
        assert running.plugin_starts == 3


def test_a_retained_resource_is_forgotten_by_destroy_without_a_delete() -> None:
    with PluginEngine(CONFIG, provider=EchoProvider(), type_token=ECHO_TYPE) as running:
        running.up({"a": {"name": "a"}, "b": {"name": "b"}}, retain_on_delete=["a"])
        calls_before = len(running.calls)
        running.destroy()
        deletes = running.calls[calls_before:].count("Delete")
        assert deletes == 1
        assert running.state == {}


def test_a_protected_resource_fails_destroy_and_stays_in_the_state() -> None:
    with PluginEngine(CONFIG, provider=EchoProvider(), type_token=ECHO_TYPE) as running:
        running.up({"a": {"name": "a"}}, protect=["a"])
        result = running.destroy()
        assert "protection" in result.errors["a"]
        assert set(running.state) == {"a"}


def test_the_module_docstring_example_runs() -> None:
    doc = engine_module.__doc__ or ""
    block = doc.split("Example::\n", 1)[1].split("\nWhat differs", 1)[0]
    assert "PluginEngine(" in block
    exec(compile(textwrap.dedent(block), "engine docstring", "exec"), {})


def test_a_failed_delete_keeps_the_resource_in_the_state(engine: PluginEngine) -> None:
    engine.up({"a": {"name": "a", "fail": "still here", "fail_in": "delete"}})
    result = engine.destroy()
    assert "RuntimeError: still here" in result.errors["a"]
    assert set(engine.state) == {"a"}
