"""The wheel, as users install it: what Pulumi's tooling reads from the installed package (issue 8).

Pulumi's Python language host takes any installed distribution named ``pulumi-*`` for a provider SDK
unless its package holds a ``pulumi-plugin.json`` that says ``"resource": false``; without it, the CLI
looks for a resource plugin ``okta-token`` on every ``pulumi install`` and ``up``. The wheel is built
once per module, offline, from a clean copy of the sources (no stale ``build/`` directory), in ~1 s.
"""

from __future__ import annotations

import importlib.metadata
import json
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


def test_the_wheel_is_named_and_described_with_the_package_version(wheel: Path) -> None:
    (dist,) = importlib.metadata.distributions(name="pulumi-okta-token", path=[str(wheel)])

    assert wheel.name == f"pulumi_okta_token-{__version__}-py3-none-any.whl"
    assert dist.version == __version__
