"""The SDKs generated from the schema (``make sdks``) build, offline, from what ``make sdk-deps``
installed: the Node.js one with ``tsc`` (typescript and @pulumi/pulumi pinned, package-lock.json), the Go
one with ``go build``; and each asks the engine for the plugin at the package's own version."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from language_examples import SDK, go_env

from pulumi_okta_token._version import __version__

SDK_NODEJS = SDK / "nodejs"


def run_offline(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``argv`` in ``cwd`` with GOPROXY=off and npm offline (:data:`language_examples.OFFLINE_TOOLCHAINS`)."""
    return subprocess.run(
        argv, cwd=cwd, env=go_env(), capture_output=True, text=True, timeout=600, check=False
    )


def test_the_nodejs_sdk_compiles_with_the_pinned_typescript(tmp_path: Path) -> None:
    tsc = SDK_NODEJS / "node_modules" / ".bin" / "tsc"
    assert tsc.is_file(), "run `make sdk-deps` (npm ci in sdk/nodejs) first"

    compiled = run_offline([str(tsc), "--project", str(SDK_NODEJS), "--outDir", str(tmp_path)], SDK_NODEJS)

    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert subprocess.run([str(tsc), "--version"], capture_output=True, text=True).stdout.strip() == (
        "Version " + json.loads((SDK_NODEJS / "package.json").read_text())["devDependencies"]["typescript"]
    )
    declared = (tmp_path / "apiToken.d.ts").read_text()
    assert "token_id: pulumi.Input<string>;" in declared
    assert (tmp_path / "config" / "vars.js").is_file() and (tmp_path / "types" / "input.js").is_file()


def test_the_go_sdk_builds_offline() -> None:
    built = run_offline(["go", "build", "./..."], SDK)

    assert built.returncode == 0, built.stdout + built.stderr


def test_both_sdks_ask_for_the_plugin_at_the_package_version() -> None:
    package = json.loads((SDK_NODEJS / "package.json").read_text())
    go_plugin = json.loads((SDK / "go" / "oktatoken" / "pulumi-plugin.json").read_text())
    go_version = (SDK / "go" / "oktatoken" / "internal" / "pulumiVersion.go").read_text()

    assert package["version"] == __version__
    assert package["pulumi"] == {"resource": True, "name": "okta-token"}
    assert go_plugin == {"resource": True, "name": "okta-token", "version": __version__}
    assert f'semver.MustParse("{__version__}")' in go_version
