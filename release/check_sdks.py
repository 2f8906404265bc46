"""The release check of the SDKs other than Python's (``make dist``, after ``check_dist.py``): each
language's artifact is built from the committed SDK, offline, and checked to carry the release's version.

1. Node.js: ``npm pack`` of ``sdk/nodejs/bin`` (what ``make sdk-deps`` builds with ``tsc``) writes the
   tarball ``npm publish`` would upload into ``dist/``; it must be named after the npm package and the
   version, hold the compiled resource with its type declarations, and no TypeScript source.
2. Go: the module in ``sdk/`` builds and vets with no module download (``GOPROXY=off``); its path is the
   one the schema's ``importBasePath`` starts with, and its ``pulumi-plugin.json`` asks for the
   release's version of the plugin. Go modules are published by a tag (``sdk/v<version>``), not a file.
3. Java: Maven packages a scratch copy of ``sdk/java`` offline (``mvn -o``, against the repository
   ``make sdk-java-deps`` filled) into the jar a Maven repository would receive, copied into ``dist/``;
   it must hold the compiled ``ApiToken`` and its builder, and say the release's version (pom and
   ``version.txt``).

Exits non-zero, saying what is wrong, at the first failed check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

from check_dist import ROOT, CheckFailed, source_version

SCHEMA = ROOT / "pulumi_okta_token" / "native" / "schema.json"
NODE_PACKAGE = ROOT / "sdk" / "nodejs" / "bin"
GO_MODULE = ROOT / "sdk"
JAVA_SDK = ROOT / "sdk" / "java"
MAVEN_REPOSITORY = ROOT / ".tools" / "maven" / "repository"
OFFLINE = {
    "GOPROXY": "off",
    "GOFLAGS": "-mod=mod -buildvcs=false",
    "GOTOOLCHAIN": "local",
    "npm_config_offline": "true",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    dist = Path(args[0] if args else "dist").resolve()
    try:
        version = source_version()
        check_node_package(dist, version)
        check_go_module(version)
        check_java_jar(dist, version)
    except CheckFailed as failed:
        print(f"\nSDK release check failed: {failed}", file=sys.stderr)
        return 1
    print("\nAll SDK release checks passed.")
    return 0


def check_node_package(dist: Path, version: str) -> None:
    """The npm tarball of ``sdk/nodejs/bin``, written into ``dist``."""
    language = json.loads(SCHEMA.read_text("utf-8"))["language"]["nodejs"]
    name = language["packageName"]
    if not (NODE_PACKAGE / "package.json").is_file():
        raise CheckFailed(f"{NODE_PACKAGE} holds no built package: run make sdk-deps")
    dist.mkdir(parents=True, exist_ok=True)
    packed = _run(["npm", "pack", "--json", "--pack-destination", str(dist), str(NODE_PACKAGE)], ROOT)
    (report,) = json.loads(packed)
    tarball = dist / report["filename"]
    if tarball.name != f"{name}-{version}.tgz":
        raise CheckFailed(f"npm pack wrote {tarball.name}, expected {name}-{version}.tgz")
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        manifest = archive.extractfile("package/package.json")
        assert manifest is not None
        package = json.loads(manifest.read())
    if (package["name"], package["version"]) != (name, version):
        raise CheckFailed(f"the tarball's package.json says {package['name']} {package['version']}")
    needed = {"package/index.js", "package/index.d.ts", "package/apiToken.js", "package/apiToken.d.ts"}
    if missing := sorted(needed - names):
        raise CheckFailed(f"the npm tarball lacks {missing}")
    if sources := sorted(n for n in names if n.endswith(".ts") and not n.endswith(".d.ts")):
        raise CheckFailed(f"the npm tarball ships TypeScript sources: {sources[:5]}")
    print(f"npm: {tarball.name}, {len(names)} files, {tarball.stat().st_size:,} bytes")


def check_go_module(version: str) -> None:
    """The Go module of ``sdk/``: its path, its plugin version, and that it builds offline."""
    base = json.loads(SCHEMA.read_text("utf-8"))["language"]["go"]["importBasePath"]
    module = _run(["go", "list", "-m"], GO_MODULE).strip()
    if not base.startswith(f"{module}/"):
        raise CheckFailed(f"sdk/go.mod's module {module} is not a prefix of the schema's {base}")
    plugin = json.loads((GO_MODULE / "go" / "oktatoken" / "pulumi-plugin.json").read_text("utf-8"))
    if plugin.get("version") != version:
        raise CheckFailed(f"the Go SDK asks for plugin version {plugin.get('version')}, not {version}")
    _run(["go", "build", "./..."], GO_MODULE)
    _run(["go", "vet", "./..."], GO_MODULE)
    print(f"go: {module} builds and vets offline; tag sdk/v{version} publishes it")


def check_java_jar(dist: Path, version: str) -> None:
    """The jar of ``sdk/java``, built offline into ``dist``, named with the release's version."""
    package = json.loads(SCHEMA.read_text("utf-8"))["language"]["java"]["basePackage"]
    pom = JAVA_SDK / "pom.xml"
    project_version = ElementTree.parse(pom).getroot().findtext("{http://maven.apache.org/POM/4.0.0}version")
    if project_version != version:
        raise CheckFailed(
            f"sdk/java/pom.xml's version is {project_version}, the release is {version}: set it"
        )
    if not MAVEN_REPOSITORY.is_dir():
        raise CheckFailed(f"{MAVEN_REPOSITORY} is missing: run make sdk-java-deps")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "java"
        shutil.copytree(JAVA_SDK, copy, ignore=shutil.ignore_patterns("target"))
        maven = ["mvn", "-o", "-B", "-q", f"-Dmaven.repo.local={MAVEN_REPOSITORY}", "package"]
        _run(maven, copy)
        (jar,) = sorted((copy / "target").glob("*.jar"))
        shutil.copy2(jar, dist / jar.name)
    with zipfile.ZipFile(dist / jar.name) as archive:
        names = set(archive.namelist())
        versions = [archive.read(name).decode() for name in names if name.endswith("/version.txt")]
    folder = package.replace(".", "/") + "/oktatoken"
    needed = {f"{folder}/ApiToken.class", f"{folder}/ApiTokenArgs$Builder.class"}
    if missing := sorted(needed - names):
        raise CheckFailed(f"the Java jar lacks {missing}")
    if versions != [version]:
        raise CheckFailed(
            f"the Java jar's version.txt says {versions}, the release is {version}: run make sdks"
        )
    print(f"java: {jar.name}, {len(names)} entries, version.txt {version}")


def _run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(
        command, cwd=cwd, env={**os.environ, **OFFLINE}, capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        raise CheckFailed(f"`{' '.join(command)}` in {cwd} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
