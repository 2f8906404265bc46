"""``examples/native``: its Pulumi.yaml lets the CLI find the plugin, its program declares native tokens,
its import file imports, and its README shows what ``pulumi import`` prints."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_okta_token._models import TokenSpec
from pulumi_okta_token.testing import FakeOkta, run_program
from pulumi_okta_token.testing.engine import NATIVE_TYPE, ImportSpec, NativeEngine

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "native"
PROJECT = "okta-native-tokens"
README = (EXAMPLE / "README.md").read_text()
SEED = json.loads((EXAMPLE / "org.json").read_text())
ADMIN = SEED["tokens"][0]


@pytest.fixture
def seeded() -> Iterator[FakeOkta]:
    with FakeOkta() as okta:
        okta.org.load_seed(SEED)
        yield okta


def native_engine(okta: FakeOkta) -> NativeEngine:
    return NativeEngine({"okta-token:orgUrl": okta.url, "okta-token:apiToken": ADMIN["secret"]})


def python_blocks(text: str) -> list[str]:
    return [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", text, re.S)]


def test_pulumi_yaml_points_the_cli_at_the_plugin_in_the_virtualenv_without_a_version() -> None:
    project = yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text())

    (plugin,) = project["plugins"]["providers"]
    assert plugin["name"] == "okta-token" and "version" not in plugin
    assert plugin["path"] == f"{project['runtime']['options']['virtualenv']}/bin"
    if (EXAMPLE / plugin["path"]).resolve() == Path(sys.executable).parent.resolve():
        assert (EXAMPLE / plugin["path"] / "pulumi-resource-okta-token").is_file()  # in that virtualenv


def test_the_program_declares_native_tokens_the_provider_accepts() -> None:
    config = {
        f"{PROJECT}:ciTokenId": "00T1fxzubpqiepH11d38",
        f"{PROJECT}:officeZoneId": "nzonkw1sfwwi79Hat2d7",
        f"{PROJECT}:backupTokenId": "00T2backupbotToken01",
    }

    declared = run_program(EXAMPLE, config=config, project=PROJECT)

    assert declared.types == {"ci": NATIVE_TYPE, "backup": NATIVE_TYPE}
    for inputs in declared.inputs.values():
        TokenSpec.from_props(inputs)


def test_the_import_file_imports_each_token_as_its_entry_says(seeded: FakeOkta) -> None:
    engine = native_engine(seeded)
    document: dict[str, Any] = json.loads((EXAMPLE / "import.json").read_text())

    result = engine.import_resources(ImportSpec.file(document), preview_first=False)

    assert result.run.ok, result.run.errors
    assert engine.state["backup"].inputs["client_name"] == "Okta API"
    # `properties` narrows nothing with the CLI 3.276.0: every input read is recorded (tests/e2e agree).
    assert set(engine.state["reports"].inputs) == {"token_id", "name", "user_id", "network"}


def test_the_readme_shows_the_code_pulumi_import_prints(seeded: FakeOkta) -> None:
    engine = native_engine(seeded)
    (shown,) = [block for block in python_blocks(README) if "okta_token.native.ApiToken" in block]

    printed = engine.import_one("ci", "00T1fxzubpqiepH11d38", preview_first=False).program or ""

    from_readme = run_program(lambda: exec(compile(shown, "README.md", "exec"), {}))
    from_import = run_program(lambda: exec(compile(printed, "__main__.py", "exec"), {}))
    assert from_readme.inputs == from_import.inputs
    assert from_readme.types == from_import.types == {"ci": NATIVE_TYPE}


def test_every_import_command_of_the_readme_names_the_native_type() -> None:
    commands = re.findall(r"pulumi import (\S+) \S+ 00T", README)

    assert commands and set(commands) == {NATIVE_TYPE}
