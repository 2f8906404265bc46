"""The Java SDK ``make sdks`` generates into ``sdk/java`` compiles with Maven, offline, against the
dependencies ``make sdk-java-deps`` downloaded into ``.tools/maven/repository``; and a program that
misuses its types does not compile, so a successful compile is a statement about the SDK's types.

Each test compiles a copy of ``sdk/java`` (its ``target/`` stays out of the repository). A missing ``mvn``
or Maven repository is an error, never a skip, as a missing Pulumi CLI is for the rest of this suite."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from e2e_support import REPOSITORY

import pulumi_okta_token

SDK = REPOSITORY / "sdk" / "java"
MAVEN_REPOSITORY = REPOSITORY / ".tools" / "maven" / "repository"
PACKAGE = Path("com/pulumioktatoken/oktatoken")
PROGRAM = """\
package example;

import com.pulumioktatoken.oktatoken.ApiToken;
import com.pulumioktatoken.oktatoken.ApiTokenArgs;

public final class Main {
    public static ApiToken declare() {
        return new ApiToken("ci-deployer", ApiTokenArgs.builder()
            .token_id("00Tabcdefghijklmnop1")
            .name(NAME)
            .build());
    }
}
"""
NAME_LINE = PROGRAM.splitlines().index("            .name(NAME)") + 1


def sdk_copy(tmp_path: Path) -> Path:
    project = tmp_path / "java"
    shutil.copytree(SDK, project, ignore=shutil.ignore_patterns("target"))
    return project


def compile_offline(project: Path) -> subprocess.CompletedProcess[str]:
    maven = shutil.which("mvn")
    if maven is None:
        pytest.fail("no mvn on PATH: install Maven (3.8 or newer)", pytrace=False)
    if not MAVEN_REPOSITORY.is_dir():
        pytest.fail(f"no Maven repository at {MAVEN_REPOSITORY}: run make sdk-java-deps", pytrace=False)
    return subprocess.run(
        [maven, "--offline", "--batch-mode", "--quiet", f"-Dmaven.repo.local={MAVEN_REPOSITORY}", "compile"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def add_program(project: Path, name_argument: str) -> Path:
    source = project / "src" / "main" / "java" / "example" / "Main.java"
    source.parent.mkdir(parents=True)
    source.write_text(PROGRAM.replace("NAME", name_argument), "utf-8")
    return source


def test_the_committed_java_sdk_compiles_offline_into_the_api_token_class(tmp_path: Path) -> None:
    project = sdk_copy(tmp_path)

    done = compile_offline(project)

    assert done.returncode == 0, done.stdout + done.stderr
    classes = project / "target" / "classes"
    assert (classes / PACKAGE / "ApiToken.class").is_file()
    assert (classes / PACKAGE / "ApiTokenArgs$Builder.class").is_file()
    version_file = classes / "com/pulumioktatoken/okta-token/version.txt"
    assert version_file.read_text("utf-8") == pulumi_okta_token.__version__


def test_a_program_declaring_a_token_through_the_sdk_compiles(tmp_path: Path) -> None:
    project = sdk_copy(tmp_path)
    add_program(project, '"ci-deployer"')

    done = compile_offline(project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "target" / "classes" / "example" / "Main.class").is_file()


def test_a_number_for_the_token_name_is_a_compile_error_at_its_line(tmp_path: Path) -> None:
    project = sdk_copy(tmp_path)
    source = add_program(project, "42")

    done = compile_offline(project)

    assert done.returncode != 0
    assert f"{source}:[{NAME_LINE}," in done.stdout, done.stdout
    assert "no suitable method found for name(int)" in done.stdout
    assert not (project / "target" / "classes" / "example" / "Main.class").exists()
