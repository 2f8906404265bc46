"""The wheel, as users install it: what Pulumi's tooling reads from the installed package (issue 8).

Pulumi's Python language host takes any installed distribution named ``pulumi-*`` for a provider SDK
unless its package holds a ``pulumi-plugin.json`` that says ``"resource": false``; without it, the CLI
looks for a resource plugin ``okta-token`` on every ``pulumi install`` and ``up``. The wheel is built
once per module, offline, from a clean copy of the sources (no stale ``build/`` directory), in ~1 s.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pulumi_okta_token import __version__

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_JSON = "pulumi_okta_token/pulumi-plugin.json"


def pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built with the build backend installed in this environment (no index needed)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "pulumi_okta_token",
        source / "pulumi_okta_token",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    out = tmp_path_factory.mktemp("wheel")
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet", "-w", str(out), str(source))
    (built,) = out.glob("pulumi_okta_token-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a directory of its own (no dependencies)."""
    target = tmp_path_factory.mktemp("site")
    pip("install", "--no-deps", "--no-index", "--quiet", "--target", str(target), str(wheel))
    return target


def test_the_package_source_says_it_is_not_a_resource_plugin() -> None:
    assert json.loads((ROOT / PLUGIN_JSON).read_text()) == {"resource": False}


def test_the_wheel_ships_pulumi_plugin_json_saying_it_is_not_a_resource_plugin(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert json.loads(archive.read(PLUGIN_JSON)) == {"resource": False}


def test_the_installed_package_holds_pulumi_plugin_json(installed: Path) -> None:
    assert json.loads((installed / PLUGIN_JSON).read_text()) == {"resource": False}


def test_the_installed_distribution_lists_pulumi_plugin_json_among_its_files(installed: Path) -> None:
    (dist,) = importlib.metadata.distributions(name="pulumi-okta-token", path=[str(installed)])
    assert PLUGIN_JSON in {str(path) for path in dist.files or []}


def test_the_wheel_still_ships_py_typed(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert "pulumi_okta_token/py.typed" in archive.namelist()


# -- the native provider plugin (issue 12) ------------------------------------------------------

SCHEMA_JSON = "pulumi_okta_token/native/schema.json"
PLUGIN_SCRIPT = "pulumi-resource-okta-token"


def test_the_wheel_ships_the_native_schema(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert json.loads(archive.read(SCHEMA_JSON)) == json.loads((ROOT / SCHEMA_JSON).read_text())


def test_the_wheel_declares_the_plugin_and_the_command_line_console_scripts(wheel: Path) -> None:
    (dist,) = importlib.metadata.distributions(name="pulumi-okta-token", path=[str(wheel)])
    scripts = {entry.name: entry.value for entry in dist.entry_points if entry.group == "console_scripts"}
    assert scripts == {
        PLUGIN_SCRIPT: "pulumi_okta_token.native.__main__:main",
        "pulumi-okta-token": "pulumi_okta_token.cli.main:main",
    }


def test_the_installed_plugin_serves_the_installed_schema(installed: Path) -> None:
    import grpc
    from google.protobuf.empty_pb2 import Empty
    from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

    env = {**os.environ, "PYTHONPATH": str(installed)}
    where = subprocess.run(
        [sys.executable, "-c", "import pulumi_okta_token.native.schema as s; print(s.__file__)"],
        capture_output=True,
        text=True,
        cwd=installed,
        env=env,
        timeout=120,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stderr
    plugin = subprocess.Popen(
        [str(installed / "bin" / PLUGIN_SCRIPT), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        cwd=installed,
        env=env,
    )
    try:
        assert plugin.stdout is not None
        with grpc.insecure_channel(f"127.0.0.1:{plugin.stdout.readline().decode().strip()}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            answer = stub.GetSchema(provider_pb2.GetSchemaRequest(), timeout=60)
            stub.Cancel(Empty(), timeout=60)
        assert json.loads(answer.schema)["name"] == "okta-token"
        assert plugin.wait(timeout=30) == 0
    finally:
        if plugin.poll() is None:
            plugin.kill()


def test_the_wheel_is_named_and_described_with_the_package_version(wheel: Path) -> None:
    (dist,) = importlib.metadata.distributions(name="pulumi-okta-token", path=[str(wheel)])

    assert wheel.name == f"pulumi_okta_token-{__version__}-py3-none-any.whl"
    assert dist.version == __version__


# -- the policy pack (issue 21) -----------------------------------------------------------------

PACK_FILES = ("pulumi_okta_token/policy/pack/PulumiPolicy.yaml", "pulumi_okta_token/policy/pack/__main__.py")


def test_the_wheel_ships_the_policy_packs_project_file_and_program(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in PACK_FILES:
            assert archive.read(name) == (ROOT / name).read_bytes()


def test_the_installed_package_writes_the_pack_from_its_own_files(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    done = subprocess.run(
        [sys.executable, "-m", "pulumi_okta_token.cli", "policy-pack", "--dir", str(tmp_path / "pack")],
        capture_output=True,
        text=True,
        cwd=installed,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == tmp_path / "pack"
    written = (tmp_path / "pack" / "__main__.py").read_text()
    assert written == (installed / PACK_FILES[1]).read_text()
    assert "runtime:\n  name: python" in (tmp_path / "pack" / "PulumiPolicy.yaml").read_text()
