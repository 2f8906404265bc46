"""Check the release artifacts that ``make dist`` built: ``python release/check_dist.py [DIST_DIR]``.

``make dist`` builds the sdist, then the wheel from the unpacked sdist (``python -m build``), and runs
``twine check --strict`` on both; this script checks the rest and prints what it found:

1. the file names carry the version of ``pulumi_okta_token/_version.py``;
2. the wheel's metadata: name, version, ``Requires-Python``, license expression and license file,
   classifiers (one per Python version CI tests), project URLs, the README as a Markdown long
   description;
3. the wheel holds every module and every data file of the package that git tracks, the data files
   being exactly :data:`PACKAGE_DATA` (a new data file must be added there), the license file, and
   nothing else;
4. the sdist holds the same package files, the README, license and changelog, and no file that git
   does not track (so a stray local file cannot reach users);
5. the wheel, installed with its dependencies into a new virtualenv, runs both console scripts
   (``--version``), the demo and the examples'
   tests from a directory outside the source tree, importing the installed package, not the sources;
6. the same wheel with its ``policy`` extra: ``pulumi-okta-token policy-pack`` writes a pack naming that
   virtualenv, and the pack's program imports there.

Exits non-zero, saying what is wrong, at the first failed check. Needs only the standard library, git,
and the package index (or pip's cache) for the new virtualenv's dependencies.
"""

from __future__ import annotations

import argparse
import email.message
import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "pulumi_okta_token"
DISTRIBUTION = "pulumi-okta-token"

PACKAGE_DATA: dict[str, str] = {
    "py.typed": "PEP 561: type checkers read the package's annotations",
    "pulumi-plugin.json": "tells Pulumi's language host that the package is no resource plugin",
    "native/schema.json": "what the native plugin's GetSchema answers (issue 12)",
    "policy/pack/PulumiPolicy.yaml": "the policy pack's project file, which `policy-pack` copies (issue 21)",
    "config/__init__.pyi": "the generated Python SDK's typed view of the okta-token config (issue 20)",
}
"""Every file of the package that is not Python source, relative to the package, and why it ships.
One that the source tree does not hold yet is reported and not required."""

LICENSE_FILES = ("LICENSE",)
SDIST_EXTRAS = ("README.md", "CHANGELOG.md", "pyproject.toml", *LICENSE_FILES)
"""Files besides the package that the sdist must hold."""
GENERATED_IN_SDIST = re.compile(r"PKG-INFO|setup\.cfg|[^/]+\.egg-info/.*")
"""Files the build writes into the sdist, which git does not track."""

TESTED_PYTHONS = ("3.10", "3.11")
"""The Python versions CI runs the tests on (.ci/run): each must have its classifier."""
REQUIRED_CLASSIFIERS = (
    "Programming Language :: Python :: 3 :: Only",
    "Typing :: Typed",
    *(f"Programming Language :: Python :: {version}" for version in TESTED_PYTHONS),
)
LICENSE_EXPRESSION = "Apache-2.0"
REQUIRES_PYTHON = f">={TESTED_PYTHONS[0]}"


class CheckFailed(Exception):
    """One check failed; the message says which and why."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=Path, default=ROOT / "dist", help="where make dist built")
    args = parser.parse_args(argv)
    try:
        check(args.dist.resolve())
    except CheckFailed as failed:
        print(f"\nFAILED: {failed}", file=sys.stderr)
        return 1
    print("\nAll release checks passed.")
    return 0


def check(dist: Path) -> None:
    version = source_version()
    wheel, sdist = artifacts(dist, version)
    for path in (sdist, wheel):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
    tracked = git_tracked_files()
    package_files = expected_package_files(tracked)
    metadata = wheel_metadata(wheel)
    check_metadata(metadata, version)
    check_wheel_files(wheel, package_files)
    check_sdist_files(sdist, package_files, tracked)
    run_from_a_fresh_virtualenv(wheel, version)


# -- artifacts and version ---------------------------------------------------------------------


def source_version() -> str:
    """The version written in ``_version.py``, read without importing the package."""
    text = (ROOT / PACKAGE / "_version.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    if found is None:
        raise CheckFailed(f'{PACKAGE}/_version.py has no line __version__ = "..."')
    return found.group(1)


def artifacts(dist: Path, version: str) -> tuple[Path, Path]:
    """The one wheel and the one sdist in ``dist``, both named with ``version``."""
    wheels = sorted(dist.glob("*.whl"))
    sdists = sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise CheckFailed(
            f"{dist} should hold one wheel and one sdist, it holds {[p.name for p in (*wheels, *sdists)]} "
            "(make dist empties it first)"
        )
    expected = (f"{PACKAGE}-{version}-py3-none-any.whl", f"{PACKAGE}-{version}.tar.gz")
    if (wheels[0].name, sdists[0].name) != expected:
        raise CheckFailed(f"expected {expected}, built {(wheels[0].name, sdists[0].name)}")
    return wheels[0], sdists[0]


def git_tracked_files() -> set[str] | None:
    """The files git tracks in this checkout, and the new ones it does not ignore (not committed yet),
    or None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        print("not a git checkout: the sdist is not compared with the tracked files")
        return None
    listed = {name for name in done.stdout.decode().split("\0") if name}
    return {name for name in listed if (ROOT / name).is_file()}


def expected_package_files(tracked: set[str] | None) -> set[str]:
    """The package's modules and data files as the wheel must hold them (``pulumi_okta_token/...``)."""
    if tracked is None:
        tracked = {str(p.relative_to(ROOT)) for p in (ROOT / PACKAGE).rglob("*") if p.is_file()}
    files = {name for name in tracked if name.startswith(f"{PACKAGE}/") and "__pycache__" not in name}
    data = {name.removeprefix(f"{PACKAGE}/") for name in files if not name.endswith(".py")}
    unlisted = sorted(data - set(PACKAGE_DATA))
    if unlisted:
        raise CheckFailed(
            f"the package holds data files that PACKAGE_DATA in release/check_dist.py does not list: "
            f"{unlisted}; list each with why it ships, and in pyproject's [tool.setuptools.package-data]"
        )
    print("package data:")
    for name, why in PACKAGE_DATA.items():
        state = "in the source tree" if name in data else "not in this source tree yet: not required"
        print(f"  {name}: {state} ({why})")
    return files


# -- metadata ----------------------------------------------------------------------------------


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{PACKAGE}-{wheel.name.split('-')[1]}.dist-info/METADATA").decode()
    return email.parser.Parser().parsestr(text)


def check_metadata(metadata: email.message.Message, version: str) -> None:
    expected = {
        "Name": DISTRIBUTION,
        "Version": version,
        "Requires-Python": REQUIRES_PYTHON,
        "License-Expression": LICENSE_EXPRESSION,
        "Description-Content-Type": "text/markdown",
    }
    for field, value in expected.items():
        if metadata.get(field) != value:
            raise CheckFailed(f"wheel metadata {field}: expected {value!r}, found {metadata.get(field)!r}")
    license_files = metadata.get_all("License-File") or []
    if sorted(license_files) != sorted(LICENSE_FILES):
        raise CheckFailed(f"wheel metadata License-File: expected {list(LICENSE_FILES)}, got {license_files}")
    classifiers = metadata.get_all("Classifier") or []
    missing = [c for c in REQUIRED_CLASSIFIERS if c not in classifiers]
    if missing:
        raise CheckFailed(f"wheel metadata lacks the classifiers {missing}")
    urls = metadata.get_all("Project-URL") or []
    if not urls or not all(re.fullmatch(r"[^,]+, https://\S+", url) for url in urls):
        raise CheckFailed(f"wheel metadata Project-URL: expected 'label, https://...' entries, found {urls}")
    description = metadata.get_payload()
    readme = (ROOT / "README.md").read_text()
    if not isinstance(description, str) or description.strip() != readme.strip():
        raise CheckFailed("wheel metadata: the long description is not README.md")
    print(f"metadata: {DISTRIBUTION} {version}, Requires-Python {REQUIRES_PYTHON}, {LICENSE_EXPRESSION}")
    print(f"  license files: {', '.join(license_files)}")
    print(f"  long description: README.md, text/markdown, {len(readme):,} characters")
    for classifier in classifiers:
        print(f"  classifier: {classifier}")
    for url in urls:
        print(f"  project URL: {url}")
    extras = metadata.get_all("Provides-Extra") or []
    print(f"  requires: {len(metadata.get_all('Requires-Dist') or [])} entries; extras: {', '.join(extras)}")


# -- contents ----------------------------------------------------------------------------------


def check_wheel_files(wheel: Path, package_files: set[str]) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    dist_info = f"{PACKAGE}-{wheel.name.split('-')[1]}.dist-info/"
    shipped = {name for name in names if not name.startswith(dist_info)}
    _compare("wheel", shipped, package_files)
    licenses = {f"{dist_info}licenses/{name}" for name in LICENSE_FILES}
    if not licenses <= names:
        raise CheckFailed(f"the wheel lacks {sorted(licenses - names)}")
    print(f"wheel: {len(shipped)} package files, as git tracks them; {', '.join(sorted(licenses))}")


def check_sdist_files(sdist: Path, package_files: set[str], tracked: set[str] | None) -> None:
    with tarfile.open(sdist) as archive:
        top = f"{sdist.name.removesuffix('.tar.gz')}/"
        names = {member.name.removeprefix(top) for member in archive.getmembers() if member.isfile()}
    missing = sorted(set(SDIST_EXTRAS) - names)
    if missing:
        raise CheckFailed(f"the sdist lacks {missing}")
    in_package = {name for name in names if name.startswith(f"{PACKAGE}/")}
    _compare("sdist", in_package, package_files)
    if tracked is not None:
        stray = sorted(n for n in names if n not in tracked and not GENERATED_IN_SDIST.fullmatch(n))
        if stray:
            raise CheckFailed(f"the sdist holds files git does not track: {stray}")
    print(f"sdist: {len(names)} files, all tracked by git or written by the build")


def _compare(what: str, shipped: Iterable[str], expected: set[str]) -> None:
    shipped = set(shipped)
    if shipped != expected:
        raise CheckFailed(
            f"the {what} differs from the package's tracked files: missing {sorted(expected - shipped)}, "
            f"extra {sorted(shipped - expected)}"
        )


# -- the installed wheel -----------------------------------------------------------------------


def run_from_a_fresh_virtualenv(wheel: Path, version: str) -> None:
    """Install the wheel (and pytest) into a new virtualenv; run the demo and the examples' tests from
    a copy of ``examples/`` outside the source tree."""
    with tempfile.TemporaryDirectory(prefix="pulumi-okta-token-dist-") as scratch:
        home = Path(scratch)
        venv.EnvBuilder(with_pip=True).create(home / "venv")
        python = str(home / "venv" / "bin" / "python")
        work = home / "work"
        shutil.copytree(
            ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("__pycache__", "node_modules")
        )
        env = _clean_environment()
        print(f"fresh virtualenv: installing {wheel.name} and pytest (dependencies from the index)")
        _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel), "pytest"],
             work, env)  # fmt: skip
        where = _run([python, "-c", _WHERE], work, env).split()
        if where != [version, version] or not Path(_run([python, "-c", _FILE], work, env)).is_relative_to(
            home / "venv"
        ):
            raise CheckFailed(f"the new virtualenv imports the wrong package or version: {where}")
        print(f"  imports {PACKAGE} {version} from the virtualenv's site-packages")
        _run([python, "-m", f"{PACKAGE}.demo"], work, env)
        print(f"  python -m {PACKAGE}.demo: passed")
        for script in ("pulumi-okta-token", "pulumi-resource-okta-token"):
            said = _run([str(home / "venv" / "bin" / script), "--version"], work, env).strip()
            if said != f"{script} {version}":
                raise CheckFailed(f"{script} --version from the wheel says {said!r}")
            print(f"  {script} --version: {said}")
        summary = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples"], work, env)
        print(f"  pytest examples (a copy, outside the source tree): {summary.strip().splitlines()[-1]}")
        check_policy_pack(home / "venv", wheel, work, env)


def check_policy_pack(virtualenv: Path, wheel: Path, work: Path, env: dict[str, str]) -> None:
    """The wheel with its ``policy`` extra: ``policy-pack`` writes a pack naming this virtualenv, from the
    installed package's files, and the pack's program imports (issue 21)."""
    python = str(virtualenv / "bin" / "python")
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{wheel}[policy]"],
         work, env)  # fmt: skip
    command = [str(virtualenv / "bin" / "pulumi-okta-token"), "policy-pack", "--dir", str(work / "pack")]
    pack = Path(_run(command, work, env).strip())
    project = (pack / "PulumiPolicy.yaml").read_text()
    if f"virtualenv: {virtualenv}" not in project or not (pack / "__main__.py").is_file():
        raise CheckFailed(
            f"policy-pack from the wheel wrote a pack that does not name {virtualenv}:\n{project}"
        )
    _run([python, "-c", "import pulumi_okta_token.policy._pack"], work, env)
    print(
        f"  pulumi-okta-token policy-pack (policy extra): {pack.name}/ names the virtualenv, "
        "its program imports"
    )


_WHERE = (
    "import importlib.metadata, pulumi_okta_token; "
    f"print(importlib.metadata.version({DISTRIBUTION!r}), pulumi_okta_token.__version__)"
)
_FILE = "import pulumi_okta_token; print(pulumi_okta_token.__file__, end='')"


def _clean_environment() -> dict[str, str]:
    """This environment without what would let the sources or the developer's settings in."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("OKTA_")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        tail = f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        raise CheckFailed(f"`{' '.join(command)}` in {cwd} exited {done.returncode}:\n{tail}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
