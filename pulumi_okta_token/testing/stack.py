"""``PulumiStack``: the real ``pulumi`` CLI on a throw-away stack that reaches nothing but this machine.

For tests of your own Pulumi project with the CLI you have (or the one ``make pulumi`` builds here)::

    from pulumi_okta_token.testing import FakeOkta, PulumiStack

    with FakeOkta(tls=True) as okta, PulumiStack("path/to/project") as stack:
        admin = okta.org.add_token(name="pulumi-automation", user_id=okta.org.add_user())
        stack.set_config("okta:orgUrl", okta.url)
        stack.set_config("okta:caFile", okta.ca_file)
        stack.set_config("okta:apiToken", admin.secret, secret=True)
        stack.up()
        assert stack.resources("pulumi-python:dynamic/okta:ApiToken")

Each stack gets its own temporary directory holding a ``file://`` backend and a ``PULUMI_HOME``; secrets
are encrypted with a passphrase; update checks, plugin downloads and registry look-ups are switched off,
so a command that would need the network fails instead of reaching it. The project directory is used as
it is (``Pulumi.yaml``, its program, its virtualenv): only ``Pulumi.<stack>.yaml`` is written there, and
removed on exit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["OFFLINE_ENV", "CommandFailed", "CommandResult", "PulumiNotFound", "PulumiStack", "find_pulumi"]

OFFLINE_ENV: Mapping[str, str] = {
    "PULUMI_SKIP_UPDATE_CHECK": "true",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_DISABLE_REGISTRY_RESOLVE": "true",
    "PULUMI_SKIP_CONFIRMATIONS": "true",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
}
"""What keeps the CLI from reaching out: no update check, no plugin download, no registry look-up."""

_DROPPED_PREFIXES = ("PULUMI_", "OKTA_")
"""The caller's variables that would change which backend, home or Okta org a command uses."""

TOOLS_PULUMI = Path(".tools") / "pulumi" / "bin" / "pulumi"
"""Where ``make pulumi`` puts the CLI, relative to the repository root."""


class PulumiNotFound(RuntimeError):
    """No ``pulumi`` executable was found where :func:`find_pulumi` looks."""


@dataclass(frozen=True)
class CommandResult:
    """One finished CLI command."""

    args: tuple[str, ...]
    """The command line, ``pulumi`` first."""
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Everything the command printed, stdout then stderr."""
        return self.stdout + self.stderr


class CommandFailed(RuntimeError):
    """A command exited non-zero where success was expected; ``result`` holds what it printed."""

    def __init__(self, result: CommandResult) -> None:
        self.result = result
        super().__init__(
            f"`{' '.join(result.args)}` exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )


def find_pulumi(explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Path:
    """The ``pulumi`` executable: ``explicit`` if given, else ``$PULUMI_OKTA_TOKEN_CLI``, else
    ``.tools/pulumi/bin/pulumi`` in ``start`` (the working directory) or a parent, else ``pulumi`` on
    ``PATH``. Raises :class:`PulumiNotFound` saying where it looked."""
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit))
    elif os.environ.get("PULUMI_OKTA_TOKEN_CLI"):
        candidates.append(Path(os.environ["PULUMI_OKTA_TOKEN_CLI"]))
    else:
        here = (start or Path.cwd()).resolve()
        candidates.extend(directory / TOOLS_PULUMI for directory in (here, *here.parents))
        on_path = shutil.which("pulumi")
        if on_path:
            candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.resolve()
    looked = ", ".join(str(candidate) for candidate in candidates[:3]) or "nowhere"
    raise PulumiNotFound(
        f"no pulumi CLI found (looked at {looked}, and PATH): run `make pulumi` in the repository, "
        "or pass the executable's path, or set PULUMI_OKTA_TOKEN_CLI"
    )


class PulumiStack:
    """A stack of the project in ``project_dir`` on a temporary ``file://`` backend, driven by the real CLI.

    :param project_dir: the directory holding ``Pulumi.yaml``; commands run there.
    :param stack: the stack's name.
    :param pulumi: the CLI executable (see :func:`find_pulumi`).
    :param env: extra environment variables for every command (the caller's ``PULUMI_*`` and ``OKTA_*``
        variables are never passed on).
    :param passphrase: encrypts the stack's secrets.
    :param timeout: seconds one command may take.
    :param keep: leave the backend and ``PULUMI_HOME`` on disk after exit (``workdir`` says where).

    Use it as a context manager: the stack is created on enter; on exit the temporary directory and
    ``Pulumi.<stack>.yaml`` are removed (the stack is not destroyed: what it adopted stays as it is).
    """

    def __init__(
        self,
        project_dir: str | os.PathLike[str],
        stack: str = "test",
        *,
        pulumi: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        passphrase: str = "pulumi-okta-token-tests",
        timeout: float = 300.0,
        keep: bool = False,
    ) -> None:
        self.project_dir = Path(project_dir).resolve()
        self.name = stack
        self.pulumi = (
            find_pulumi(pulumi, start=self.project_dir) if pulumi is None else Path(pulumi).absolute()
        )
        self.passphrase = passphrase
        self.timeout = timeout
        self.keep = keep
        self.extra_env: dict[str, str] = dict(env or {})
        """Variables added to every command's environment; change it between commands as you need."""
        self._workdir: Path | None = None
        self.history: list[CommandResult] = []
        """Every command this stack ran, in order."""

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> PulumiStack:
        self._workdir = Path(tempfile.mkdtemp(prefix="pulumi-stack-"))
        (self._workdir / "backend").mkdir()
        (self._workdir / "home").mkdir()
        self.run("stack", "init", self.name)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stack_file.unlink(missing_ok=True)
        if self._workdir is not None and not self.keep:
            shutil.rmtree(self._workdir, ignore_errors=True)

    @property
    def workdir(self) -> Path:
        """The temporary directory: ``backend/`` (the state) and ``home/`` (``PULUMI_HOME``)."""
        if self._workdir is None:
            raise RuntimeError("the stack is not created: use `with PulumiStack(...) as stack`")
        return self._workdir

    @property
    def backend_dir(self) -> Path:
        return self.workdir / "backend"

    @property
    def stack_file(self) -> Path:
        """``Pulumi.<stack>.yaml`` in the project directory."""
        return self.project_dir / f"Pulumi.{self.name}.yaml"

    @property
    def env(self) -> dict[str, str]:
        """The environment every command runs with."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(_DROPPED_PREFIXES)}
        env.update(OFFLINE_ENV)
        env.update(
            PULUMI_HOME=str(self.workdir / "home"),
            PULUMI_BACKEND_URL=(self.workdir / "backend").as_uri(),
            PULUMI_CONFIG_PASSPHRASE=self.passphrase,
            PATH=os.pathsep.join([str(self.pulumi.parent), env.get("PATH", os.defpath)]),
        )
        env.update(self.extra_env)
        return env

    # -- commands ------------------------------------------------------------------------------

    def run(self, *args: str, check: bool = True, cwd: str | os.PathLike[str] | None = None) -> CommandResult:
        """``pulumi <args>`` in the project directory; raises :class:`CommandFailed` on a non-zero exit
        unless ``check`` is false."""
        argv = (str(self.pulumi), *args)
        completed = subprocess.run(
            argv,
            cwd=cwd or self.project_dir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        result = CommandResult(("pulumi", *args), completed.returncode, completed.stdout, completed.stderr)
        self.history.append(result)
        if check and result.returncode != 0:
            raise CommandFailed(result)
        return result

    def _operation(self, verb: str, extra: Iterable[str], check: bool, yes: bool = True) -> CommandResult:
        flags = ["--stack", self.name, "--non-interactive"]
        if yes:
            flags.append("--yes")
        return self.run(verb, *flags, *extra, check=check)

    def up(self, *extra: str, check: bool = True) -> CommandResult:
        """``pulumi up --yes``."""
        return self._operation("up", ("--skip-preview", *extra), check)

    def preview(self, *extra: str, check: bool = True) -> CommandResult:
        """``pulumi preview`` (``--diff`` and ``--expect-no-changes`` are yours to add)."""
        return self._operation("preview", extra, check, yes=False)

    def refresh(self, *extra: str, check: bool = True) -> CommandResult:
        """``pulumi refresh --yes``."""
        return self._operation("refresh", ("--skip-preview", *extra), check)

    def destroy(self, *extra: str, check: bool = True) -> CommandResult:
        """``pulumi destroy --yes``."""
        return self._operation("destroy", ("--skip-preview", *extra), check)

    def import_(self, *extra: str, check: bool = True) -> CommandResult:
        """``pulumi import --yes`` with ``extra`` (type, name and id, or ``--file``)."""
        return self._operation("import", extra, check)

    def set_config(self, key: str, value: str, *, secret: bool = False, path: bool = False) -> None:
        """``pulumi config set`` (``secret``: encrypted; ``path``: ``key`` is a path: ``tokens[0].id``)."""
        flags = ["--secret" if secret else "--plaintext"]
        if path:
            flags.append("--path")
        self.run("config", "set", "--stack", self.name, *flags, key, value)

    def set_all_config(self, values: Mapping[str, str], secret_keys: Sequence[str] = ()) -> None:
        """Several :meth:`set_config` calls; keys in ``secret_keys`` are stored encrypted."""
        for key, value in values.items():
            self.set_config(key, value, secret=key in secret_keys)

    # -- state ---------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        """``pulumi stack export``: the checkpoint as the CLI writes it (secrets stay encrypted)."""
        exported: dict[str, Any] = json.loads(self.run("stack", "export", "--stack", self.name).stdout)
        return exported

    def resources(self, type_token: str | None = None) -> list[dict[str, Any]]:
        """The state's resources (of one type when given), in state order."""
        resources: list[dict[str, Any]] = self.export().get("deployment", {}).get("resources") or []
        return [
            resource for resource in resources if type_token is None or resource.get("type") == type_token
        ]

    def outputs(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """``pulumi stack output --json``."""
        flags = ["--show-secrets"] if show_secrets else []
        outputs: dict[str, Any] = json.loads(
            self.run("stack", "output", "--stack", self.name, "--json", *flags).stdout
        )
        return outputs

    def backend_files(self) -> list[Path]:
        """Every file of the backend (checkpoints, backups, history), for secret scans."""
        return sorted(path for path in self.backend_dir.rglob("*") if path.is_file())
