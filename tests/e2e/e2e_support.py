"""What the end-to-end tests share: the repository's paths, the org they run against, and the projects
they copy into a temporary directory (the same programs a user runs)."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import yaml

from pulumi_okta_token._models import TokenMetadata
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.okta.backend import FakeToken
from pulumi_okta_token.testing.stack import PulumiStack

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"

TOKENS = "/api/v1/api-tokens/*"
DYNAMIC_TYPE = "pulumi-python:dynamic/okta:ApiToken"
NATIVE_TYPE = "okta-token:index:ApiToken"


class E2EOrg:
    """The fake org of an end-to-end test: one user, zones ``office`` and ``vpn``, and the admin token
    every stack signs in with. The journal starts empty."""

    def __init__(self, okta: FakeOkta) -> None:
        self.okta = okta
        self.user = okta.org.add_user()
        self.office = okta.org.add_zone(name="office")
        self.vpn = okta.org.add_zone(name="vpn")
        self.admin: FakeToken = okta.org.add_token(name="pulumi-automation", user_id=self.user)
        okta.clear_journal()

    def add_tokens(self, count: int, prefix: str = "svc") -> list[FakeToken]:
        """``count`` tokens named ``<prefix>-<i>``, each restricted to the office zone."""
        tokens = [
            self.okta.org.add_token(
                name=f"{prefix}-{index}",
                user_id=self.user,
                network={"connection": "ZONE", "include": [self.office]},
            )
            for index in range(count)
        ]
        self.okta.clear_journal()
        return tokens

    def configure(self, stack: PulumiStack, namespace: str = "okta") -> None:
        """The stack's Okta settings: the fake's URL, its certificate (over TLS), the admin token as a
        secret."""
        stack.set_config(f"{namespace}:orgUrl", self.okta.url)
        if self.okta.ca_file is not None:
            stack.set_config(f"{namespace}:caFile", self.okta.ca_file)
        stack.set_config(f"{namespace}:apiToken", self.admin.secret, secret=True)

    def calls(self, method: str) -> int:
        """How many ``method`` requests to a token path the fake served."""
        return len(self.okta.calls(method, TOKENS))

    def writes(self) -> int:
        return self.calls("PUT") + self.calls("DELETE")

    def live(self, token_id: str) -> TokenMetadata | None:
        """The token as the org has it now; ``None`` once revoked."""
        found: TokenMetadata | None = self.okta.org.token(token_id)
        return found


def declare_tokens(
    stack: PulumiStack, entries: list[dict[str, Any]], project: str = "okta-api-tokens"
) -> None:
    """Writes the ``tokens`` list ``examples/tokens_from_config`` reads into ``Pulumi.<stack>.yaml``, as a
    user editing the file would (``pulumi config set --path`` a key at a time is slower and the same)."""
    document = yaml.safe_load(stack.stack_file.read_text()) or {}
    document.setdefault("config", {})[f"{project}:tokens"] = entries
    stack.stack_file.write_text(yaml.safe_dump(document, sort_keys=False))


def adopted(stack: PulumiStack, org: E2EOrg, count: int = 1) -> list[FakeToken]:
    """``count`` new tokens, declared as they are and adopted by ``pulumi up``; the journal then starts
    empty."""
    tokens = org.add_tokens(count)
    declare_tokens(stack, [entry(token) for token in tokens])
    stack.up()
    org.okta.clear_journal()
    return tokens


def entry(token: FakeToken, **overrides: Any) -> dict[str, Any]:
    """A ``tokens`` entry declaring a token :meth:`E2EOrg.add_tokens` made (office zone), as it is."""
    declared: dict[str, Any] = {
        "name": token.metadata.name,
        "id": token.id,
        "network": {"connection": "ZONE", "include": [office_zone(token)]},
    }
    return {**declared, **overrides}


def office_zone(token: FakeToken) -> str:
    network = token.metadata.network
    assert network is not None and network.include, "the token has no included zone"
    return network.include[0]


def python_project(directory: Path, venv: Path, program: Path = EXAMPLES / "tokens_from_config") -> Path:
    """A Python project in ``directory``: ``program``'s files and a ``Pulumi.yaml`` running them in
    ``venv`` (the virtualenv with pulumi-okta-token installed)."""
    shutil.copytree(program, directory, ignore=shutil.ignore_patterns("__pycache__"))
    (directory / "Pulumi.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "okta-api-tokens",
                "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": str(venv)}},
            },
            sort_keys=False,
        )
    )
    return directory


def release_tree(revision: str, directory: Path) -> Path:
    """The package ``pulumi_okta_token`` and ``examples/`` as they were at ``revision`` (from this
    repository's history), extracted under ``directory``: put it first on ``PYTHONPATH`` and a program
    imports that release instead of the installed one."""
    target = directory / revision
    if not (target / "pulumi_okta_token").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPOSITORY), "archive", revision, "pulumi_okta_token", "examples"],
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


# --------------------------------------------------------------------------------- the native plugin

NATIVE_EXAMPLE = EXAMPLES / "native"
NATIVE_SEED = NATIVE_EXAMPLE / "org.json"
"""The fake org of ``examples/native``: the ids the docs' generated code shows."""


def plugins(venv: Path) -> dict[str, Any]:
    """``plugins:`` of a ``Pulumi.yaml`` that finds ``pulumi-resource-okta-token`` in ``venv``'s bin, as the
    README says (no ``version``)."""
    return {"providers": [{"name": "okta-token", "path": str(venv / "bin")}]}


def native_yaml_project(directory: Path, venv: Path, name: str = "okta-native-yaml") -> Path:
    """A YAML project (``runtime: yaml``, no resources yet) finding the plugin through ``plugins``."""
    directory.mkdir(parents=True, exist_ok=True)
    document = {"name": name, "runtime": "yaml", "plugins": plugins(venv)}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return directory


def add_yaml_resources(project: Path, resources: dict[str, Any]) -> None:
    """Puts ``resources`` (as ``pulumi import --out`` writes them for a YAML project) into ``Pulumi.yaml``."""
    path = project / "Pulumi.yaml"
    document = yaml.safe_load(path.read_text())
    document.setdefault("resources", {}).update(resources)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def native_python_project(directory: Path, venv: Path) -> Path:
    """``examples/native`` copied to ``directory``, its ``Pulumi.yaml`` pointing at ``venv`` (the runtime's
    virtualenv and the plugin's directory) by absolute paths; nothing else changed."""
    shutil.copytree(NATIVE_EXAMPLE, directory, ignore=shutil.ignore_patterns("__pycache__"))
    path = directory / "Pulumi.yaml"
    document = yaml.safe_load(path.read_text())
    document["runtime"]["options"]["virtualenv"] = str(venv)
    document["plugins"] = plugins(venv)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return directory


def seed_native_example(okta: FakeOkta) -> dict[str, FakeToken]:
    """Adds ``examples/native/org.json`` to the org (its ids are the ones the docs show): the tokens by
    name. The journal is cleared."""
    added = okta.org.load_seed(json.loads(NATIVE_SEED.read_text()))
    okta.clear_journal()
    return {token.metadata.name: token for token in added}


def console_script(venv: Path, *args: str, org: E2EOrg) -> subprocess.CompletedProcess[str]:
    """``<venv>/bin/pulumi-okta-token ARGS`` as a shell runs it, signed in to the fake with the admin token
    and trusting its certificate (``OKTA_CA_FILE``); no other ``OKTA_*`` variable of this process."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OKTA_")}
    env.update(OKTA_ORG_URL=org.okta.url, OKTA_API_TOKEN=org.admin.secret)
    if org.okta.ca_file is not None:
        env["OKTA_CA_FILE"] = str(org.okta.ca_file)
    return subprocess.run(
        [str(venv / "bin" / "pulumi-okta-token"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def documented_python(markdown: Path, marker: str = "okta_token.native.ApiToken(") -> str:
    """The first ``python`` code block of ``markdown`` that contains ``marker``."""
    for block in re.findall(r"```python\n(.*?)```", markdown.read_text(), flags=re.DOTALL):
        if marker in block:
            return str(block)
    raise AssertionError(f"{markdown} shows no python block with {marker!r}")


def python_structure(source: str) -> str:
    """The program's syntax tree without positions: equal for programs that differ only in layout."""
    return ast.dump(ast.parse(source))


def assert_no_credential(stack: PulumiStack, secret: str) -> None:
    """``secret`` is in nothing the CLI printed, no backend file, not the stack's config file (encrypted
    there) and not ``pulumi stack export``."""
    for result in stack.history:
        assert secret not in result.output, f"`{' '.join(result.args)}` printed the credential"
    for path in stack.backend_files():
        assert secret.encode() not in path.read_bytes(), f"{path} holds the credential"
    assert secret not in stack.stack_file.read_text()
    assert secret not in stack.run("stack", "export", "--stack", stack.name).stdout
