"""The two commands of the README and the CI entry point: what they run, and when they reinstall."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from program_mocks import REPO

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(directory: Path, target: str, *variables: str) -> str:
    """The commands ``make <target>`` would run in ``directory`` (nothing is executed)."""
    # Run as from a shell, also when this suite itself runs under `make test` (whose command-line
    # variables, `make test PYTHON=... VENV=.venv310` in .ci/run, reach this process's environment).
    ignored = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTHON", "VENV")
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target, *variables],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


NODE_PACKAGES = {
    "sdk/nodejs": ("package.json", "package-lock.json", "tsconfig.json", "README.md", "index.ts"),
    "examples/typescript": ("package.json", "package-lock.json"),
}
"""The files the Node.js install stamps of the Makefile depend on (`make sdk-deps`, `make examples-deps`)."""


def _installed_node_packages(directory: Path) -> None:
    """The Node.js packages' sources and the Java SDK's pom, older than their install stamps and the built
    SDK (up to date)."""
    old = (REPO / "Makefile").stat().st_mtime - 120
    for package, names in NODE_PACKAGES.items():
        for name in names:
            source = directory / package / name
            source.parent.mkdir(parents=True, exist_ok=True)
            source.touch()
            os.utime(source, (old, old))
        (directory / package / "node_modules").mkdir()
        (directory / package / "node_modules" / ".installed").touch()
    (directory / "sdk" / "nodejs" / "bin").mkdir()
    (directory / "sdk" / "nodejs" / "bin" / "package.json").touch()
    pom = directory / "sdk" / "java" / "pom.xml"
    pom.parent.mkdir(parents=True)
    pom.touch()
    os.utime(pom, (old, old))
    (directory / ".tools" / "maven").mkdir(parents=True)
    (directory / ".tools" / "maven" / ".downloaded").touch()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the Makefile and pyproject.toml, with a venv and Node.js packages whose installs are up
    to date."""
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    _installed_node_packages(tmp_path)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").touch()
    for stamp in (".installed", ".installed-test"):
        (tmp_path / ".venv" / stamp).touch()
    old = (tmp_path / "pyproject.toml").stat().st_mtime - 60
    os.utime(tmp_path / "pyproject.toml", (old, old))
    return tmp_path


def test_ci_run_is_strict_bash_that_builds_pulumi_then_runs_make_test_make_dist_and_make_test_on_3_10() -> (
    None
):
    script = (REPO / ".ci" / "run").read_text()

    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    assert re.findall(r"^[ \t]*(?:time )?(make\b.*)$", script, re.M) == [
        "make pulumi",
        "make sdks",
        "make test",
        "make dist",
        'make test PYTHON="$oldest" VENV=.venv310',
    ]
    assert os.access(REPO / ".ci" / "run", os.X_OK)


@needs_make
def test_make_dist_builds_into_an_emptied_dist_then_checks_the_artifacts(project: Path) -> None:
    (project / ".venv" / ".installed-dist").touch()

    assert _dry_run(project, "dist").splitlines() == [
        "cd sdk && go mod download",
        "rm -rf dist",
        ".venv/bin/python -m build --no-isolation --outdir dist .",
        ".venv/bin/twine check --strict dist/*",
        ".venv/bin/python release/check_dist.py dist",
        ".venv/bin/python release/check_sdks.py dist",
    ]


@needs_make
def test_make_dist_installs_build_and_twine_once(project: Path) -> None:
    assert 'install "build>=1.2" "twine>=6"' in _dry_run(project, "dist")


@needs_make
def test_make_test_runs_ruff_mypy_then_builds_pulumi_and_fetches_go_modules_before_pytest(
    project: Path,
) -> None:
    commands = _dry_run(project, "test").splitlines()

    assert commands == [
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/mypy",
        "bash tools/pulumi/build.sh",
        "cd sdk && go mod download",
        "cd examples/go && go mod download",
        ".venv/bin/pytest -q tests examples",
    ]


@needs_make
def test_make_test_installs_and_builds_the_node_sdk_and_the_typescript_example_when_missing(
    project: Path,
) -> None:
    shutil.rmtree(project / "sdk" / "nodejs" / "node_modules")
    shutil.rmtree(project / "examples" / "typescript" / "node_modules")

    commands = _dry_run(project, "test")

    assert "cd sdk/nodejs && npm --no-audit --no-fund --loglevel=error ci" in commands
    assert "cd sdk/nodejs && npm --no-audit --no-fund --loglevel=error run build" in commands
    assert "cd examples/typescript && npm --no-audit --no-fund --loglevel=error ci" in commands


@needs_make
def test_make_test_downloads_the_java_sdks_maven_dependencies_when_the_pom_is_newer(project: Path) -> None:
    (project / ".tools" / "maven" / ".downloaded").unlink()

    commands = _dry_run(project, "test")

    assert "-Dmaven.repo.local=" in commands
    assert '-f "$scratch/java/pom.xml" package' in commands


@needs_make
def test_make_e2e_builds_pulumi_then_runs_only_the_end_to_end_suite(project: Path) -> None:
    assert _dry_run(project, "e2e").splitlines() == [
        "bash tools/pulumi/build.sh",
        "cd sdk && go mod download",
        "cd examples/go && go mod download",
        ".venv/bin/pytest -q tests/e2e",
    ]


@needs_make
def test_make_cli_runs_the_console_script_of_the_venv_with_args(project: Path) -> None:
    assert _dry_run(project, "cli", "ARGS=audit --format html").splitlines() == [
        ".venv/bin/pulumi-okta-token audit --format html"
    ]


@needs_make
def test_make_test_creates_the_venv_and_installs_test_extras_when_missing(tmp_path: Path) -> None:
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    _installed_node_packages(tmp_path)

    commands = _dry_run(tmp_path, "test")

    assert "python3 -m venv .venv" in commands
    assert 'install -e ".[test]"' in commands


@needs_make
def test_make_demo_reinstalls_after_pyproject_changes(project: Path) -> None:
    later = (project / ".venv" / ".installed").stat().st_mtime + 60
    os.utime(project / "pyproject.toml", (later, later))

    assert "install -e ." in _dry_run(project, "demo")


@needs_make
def test_make_demo_runs_the_demo_module_without_reinstalling(project: Path) -> None:
    assert _dry_run(project, "demo").splitlines() == [".venv/bin/python -m pulumi_okta_token.demo"]
