"""The README and the pages of docs/ say what the code does: their snippets, commands, names, tables and
links are checked here."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import pytest
from every_setting import every_setting
from program_mocks import API_TOKEN_TYPE, REPO, doc_section, documentation

from pulumi_okta_token._models import OUTPUT_FIELDS, TokenSpec
from pulumi_okta_token.testing import FakeOkta, run_program
from pulumi_okta_token.testing.engine import NATIVE_TYPE
from pulumi_okta_token.testing.okta.backend import FakeOrg

README = (REPO / "README.md").read_text()
DOCUMENTATION = documentation()
ALL_TEXT = "\n".join(DOCUMENTATION.values())


def _section(title: str) -> str:
    return doc_section(title)


def _python_snippets() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", ALL_TEXT, re.S)
    return [textwrap.dedent(block) for block in blocks if "ApiToken(" in block]


def test_readme_has_python_snippets_declaring_tokens() -> None:
    assert len(_python_snippets()) >= 3
    assert (
        len([block for block in re.findall(r"```python\n(.*?)```", README, re.S) if "ApiToken(" in block])
        >= 2
    )


@pytest.mark.parametrize("snippet", _python_snippets())
def test_readme_snippet_declares_tokens_the_provider_accepts(snippet: str) -> None:
    registered = run_program(lambda: exec(compile(snippet, "README.md", "exec"), {}))

    assert registered.types and set(registered.types.values()) in ({API_TOKEN_TYPE}, {NATIVE_TYPE})
    for inputs in registered.inputs.values():
        TokenSpec.from_props(inputs)  # raises on anything check() would refuse


def test_every_make_target_the_readme_names_exists() -> None:
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))

    named = set(re.findall(r"(?:^|`)make ([a-z][a-z0-9-]*)", ALL_TEXT, re.M))
    in_readme = set(re.findall(r"(?:^|`)make ([a-z][a-z0-9-]*)", README, re.M))

    assert {"demo", "test", "cli"} <= in_readme <= named <= targets


def test_configuration_table_names_exactly_the_settings_the_provider_reads() -> None:
    settings = every_setting()
    table = _section("Configuration")

    documented_keys = set(re.findall(r"`okta:([A-Za-z]+)`", table))
    documented_envs = set(re.findall(r"`(OKTA_[A-Z_]+)`", table))

    assert documented_keys == {setting.key for setting in settings}
    assert documented_envs == {setting.env for setting in settings}


def test_inputs_and_outputs_table_lists_every_output() -> None:
    table = _section("Inputs and outputs")

    assert {field for field in OUTPUT_FIELDS if f"| `{field}` |" not in table} == set()


@pytest.mark.parametrize(
    "operation", ["check", "diff", "create (adopt)", "read (refresh)", "update", "delete"]
)
def test_semantics_table_has_a_row_per_operation(operation: str) -> None:
    assert f"\n| {operation} | " in _section("What each operation does")


def test_docs_keep_a_performance_page() -> None:
    assert "benchmarks/run.py" in DOCUMENTATION["docs/performance.md"]


def _test_snippets() -> list[str]:
    """The docs' tests of one's own program against the fake with the engine driver (the one with the real
    CLI, ``PulumiStack``, is run by ``tests/e2e/test_readme_commands.py``)."""
    blocks = re.findall(r"```python\n(.*?)```", ALL_TEXT, re.S)
    return [textwrap.dedent(block) for block in blocks if "def test_" in block and "PulumiStack" not in block]


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

    used = set(re.findall(r'"Authorization: SSWS ([^"\s]+)"', ALL_TEXT))

    assert used and used <= secrets


# -- the README as a front page, the reference in docs/ ---------------------------------------


def test_readme_is_a_front_page_of_at_most_300_lines() -> None:
    assert len(README.splitlines()) <= 300


def test_readme_first_screen_says_what_and_why_and_the_two_set_up_commands_follow() -> None:
    first_screen = "\n".join(README.splitlines()[:40])

    assert "Okta API tokens" in first_screen and "**Why import-only.**" in first_screen
    assert README.index("make demo") < README.index("## A Python program")


@pytest.mark.parametrize(
    "page",
    [
        "_index.md",
        "installation-configuration.md",
        "resource.md",
        "cli.md",
        "testing.md",
        "performance.md",
        "compatibility.md",
        "migrating.md",
    ],
)
def test_docs_has_the_reference_pages_the_readme_links(page: str) -> None:
    assert (REPO / "docs" / page).is_file()
    assert f"](docs/{page}" in README


def test_registry_pages_have_front_matter() -> None:
    for page in ("docs/_index.md", "docs/installation-configuration.md"):
        assert re.match(r"---\ntitle: .+\nmeta_desc: .+\nlayout: package\n---\n", DOCUMENTATION[page]), page


def _links() -> list[tuple[str, str]]:
    return [
        (path, target)
        for path, text in DOCUMENTATION.items()
        for target in re.findall(r"\]\(([^)\s]+)\)", text)
        if not target.startswith(("http://", "https://", "#"))
    ]


@pytest.mark.parametrize(("page", "target"), _links())
def test_every_relative_link_reaches_a_file_and_its_heading(page: str, target: str) -> None:
    path, _, anchor = target.partition("#")
    linked = (REPO / page).parent / path

    assert linked.exists(), f"{page} links to {target}"
    if anchor and linked.suffix == ".md":
        headings = re.findall(r"^#+ (.+)$", linked.read_text(), re.M)
        slugs = {re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-") for heading in headings}
        assert anchor in slugs, f"{page} links to {target}"


def test_no_page_uses_the_projects_own_process_vocabulary() -> None:
    for path, text in DOCUMENTATION.items():
        found = re.findall(
            r"\bissue \d+|semantics table|\bround \d\b|\bround (?:one|two|three)\b", text, re.I
        )
        assert found == [], path


def test_no_page_pins_a_version_no_index_has() -> None:
    assert re.findall(r"pulumi-okta-token==", ALL_TEXT) == []
