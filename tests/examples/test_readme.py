"""The README says what the code does: its snippets, commands, names and tables are checked here."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import pytest
from every_setting import every_setting
from program_mocks import API_TOKEN_TYPE, REPO

from pulumi_okta_token._models import OUTPUT_FIELDS, TokenSpec
from pulumi_okta_token.testing import FakeOkta, run_program
from pulumi_okta_token.testing.engine import NATIVE_TYPE
from pulumi_okta_token.testing.okta.backend import FakeOrg

README = (REPO / "README.md").read_text()


def _section(title: str) -> str:
    start = README.index(f"\n## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _python_snippets() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    return [textwrap.dedent(block) for block in blocks if "ApiToken(" in block]


def test_readme_has_python_snippets_declaring_tokens() -> None:
    assert len(_python_snippets()) >= 3


@pytest.mark.parametrize("snippet", _python_snippets())
def test_readme_snippet_declares_tokens_the_provider_accepts(snippet: str) -> None:
    registered = run_program(lambda: exec(compile(snippet, "README.md", "exec"), {}))

    assert registered.types and set(registered.types.values()) in ({API_TOKEN_TYPE}, {NATIVE_TYPE})
    for inputs in registered.inputs.values():
        TokenSpec.from_props(inputs)  # raises on anything check() would refuse


def test_every_make_target_the_readme_names_exists() -> None:
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))

    named = set(re.findall(r"(?:^|`)make ([a-z][a-z-]*)", README, re.M))

    assert {"demo", "test"} <= named <= targets


def test_configuration_table_names_exactly_the_settings_the_provider_reads() -> None:
    settings = every_setting()
    table = _section("Configuration")

    documented_keys = set(re.findall(r"`okta:([A-Za-z]+)`", table))
    documented_envs = set(re.findall(r"`(OKTA_[A-Z_]+)`", table))

    assert documented_keys == {setting.key for setting in settings}
    assert documented_envs == {setting.env for setting in settings}


def test_inputs_and_outputs_table_lists_every_output() -> None:
    table = _section("Quick start on a real org")

    assert {field for field in OUTPUT_FIELDS if f"| `{field}` |" not in table} == set()


@pytest.mark.parametrize(
    "operation", ["check", "diff", "create (adopt)", "read (refresh)", "update", "delete"]
)
def test_semantics_table_has_a_row_per_operation(operation: str) -> None:
    assert f"\n| {operation} | " in _section("What each operation does")


def test_readme_keeps_a_performance_section() -> None:
    assert "benchmarks/run.py" in _section("Performance")


def _test_snippets() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    return [textwrap.dedent(block) for block in blocks if "def test_" in block]


def test_readme_shows_a_test_of_ones_own() -> None:
    assert len(_test_snippets()) == 1


def test_readme_test_snippet_passes_against_the_fake(fake_okta: FakeOkta) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(_test_snippets()[0], "README.md", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]

    for test in tests:
        test(fake_okta)

    assert len(tests) == 1


def _seed() -> dict[str, Any]:
    seed: dict[str, Any] = json.loads((REPO / "examples" / "org.json").read_text())
    return seed


def test_seed_file_loads_into_a_fake_org() -> None:
    tokens = FakeOrg().load_seed(_seed())

    assert [token.id for token in tokens] == ["00TadminDemoToken001", "00T1fxzubpqiepH11d38"]


def test_readme_curl_authenticates_with_a_token_secret_of_the_seed_file() -> None:
    secrets = {token["secret"] for token in _seed()["tokens"] if "secret" in token}

    used = set(re.findall(r'"Authorization: SSWS ([^"\s]+)"', README))

    assert used and used <= secrets
