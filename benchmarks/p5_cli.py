"""Benchmark P5 of issue 19: P3's operations through the real ``pulumi`` CLI, with each provider.

``python benchmarks/run.py --only p5 [--n 50,500] [--scenarios a,b,c] [--ops adopt,refresh,destroy]
[--providers dynamic,native] [--no-engine] [--cli-env NAME=VALUE]`` (or ``python benchmarks/p5_cli.py``
with the same options).

For N tokens seeded in a fake org exactly as P3 seeds them (``p3_scale.seed_org``: 10% drifting), the CLI
that ``make pulumi`` builds (``.tools/pulumi/bin/pulumi``) runs, on a ``PulumiStack`` (a ``file://``
backend, a passphrase, a temporary ``PULUMI_HOME``, nothing reaching the network):

* **adopt**: ``pulumi up --skip-preview`` of a program declaring the N tokens with their name and network;
* **refresh**: ``pulumi refresh --skip-preview``;
* **destroy**: ``pulumi destroy --skip-preview`` (each token revoked);

with each provider:

* **dynamic**: a Python project, ``examples/tokens_from_config`` (``ApiToken`` per entry of the stack
  config's ``tokens``), the project the end-to-end suite runs (``tests/e2e/e2e_support.py``);
* **native**: a YAML project declaring N ``okta-token:index:ApiToken`` resources, the plugin found in the
  virtualenv's bin directory through ``plugins:``, as the end-to-end suite does.

The scenarios are P3's (``p3_scale.SCENARIOS``): (a) no limit, (b) 100 requests/minute for the provider's
token, (c) 100 ms of round-trip time over TLS (the stack trusts the fake's certificate via ``caFile``).
Each row's requests come from the fake's journal; the floor is P3's (``p3_scale.floor_seconds``), with
the resources the engine runs at a time: the CLI's default ``--parallel`` (4 per CPU, read from
``pulumi up --help``) for the CLI rows, 16 for the engine driver's. The CLI's wall time holds everything a
user waits for: the CLI's start, the language host and the program, the plugin's start, the engine's
steps and writing the checkpoint.

For comparison (``--no-engine`` leaves it out) the same operations on the same seeded org (a new fake of
the same seed) through our engine driver: ``PluginEngine`` for the dynamic provider (16 resources at a
time, a new plugin process per operation, its start not timed, as P3) and ``NativeEngine`` for the native
plugin (one resource after another, its plugin start timed: it starts one per operation).

Under (b) each operation starts in a fresh one-minute window (not timed). Nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import p3_scale  # beside this module: benchmarks/ is first on sys.path when run.py runs
from p3_scale import OPERATIONS, SCENARIOS, Row, Scenario, Seeded

from pulumi_okta_token.testing import FakeOkta, PluginEngine
from pulumi_okta_token.testing.engine import NativeEngine, RunResult
from pulumi_okta_token.testing.stack import CommandResult, PulumiStack, find_pulumi

REPO_ROOT = Path(__file__).resolve().parents[1]
_E2E = REPO_ROOT / "tests" / "e2e"
if str(_E2E) not in sys.path:  # the end-to-end suite's projects: the same programs, not a second copy
    sys.path.append(str(_E2E))
import e2e_support  # noqa: E402

__all__ = [
    "DEFAULT_NS",
    "PROVIDERS",
    "P5Options",
    "add_arguments",
    "cli_parallelism",
    "main",
    "native_resources",
    "run",
    "token_entries",
]

DEFAULT_NS = (50, 500)
PROVIDERS = ("dynamic", "native")
TYPES = {"dynamic": e2e_support.DYNAMIC_TYPE, "native": e2e_support.NATIVE_TYPE}
NAMESPACES = {"dynamic": "okta", "native": "okta-token"}


# ---------------------------------------------------------------------------------------------
# Options


@dataclass(frozen=True)
class P5Options:
    ns: tuple[int, ...] = DEFAULT_NS
    scenarios: tuple[str, ...] = tuple(SCENARIOS)
    operations: tuple[str, ...] = OPERATIONS
    providers: tuple[str, ...] = PROVIDERS
    engine: bool = True
    """Also run the operations through the engine driver, for comparison."""
    timeout: float = 180.0
    """Seconds a CLI command may take beyond 3 x its floor."""
    page_size: int = p3_scale.DEFAULT_PAGE_SIZE
    cli_env: tuple[tuple[str, str], ...] = ()
    """Extra environment of every CLI command (``--cli-env PULUMI_SKIP_CHECKPOINTS=true``)."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> P5Options:
        return cls(
            ns=tuple(args.n or DEFAULT_NS),
            scenarios=tuple(key for key in args.scenarios if key in SCENARIOS),
            operations=tuple(args.ops),
            providers=tuple(args.providers),
            engine=args.engine,
            timeout=args.timeout,
            page_size=args.page_size,
            cli_env=tuple(args.cli_env),
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """P5's own options; ``--n``, ``--scenarios`` (a, b, c), ``--ops``, ``--timeout`` and ``--page-size``
    are P3's (``p3_scale.add_arguments``), shared."""
    group = parser.add_argument_group("P5 (the real CLI)")
    group.add_argument(
        "--providers",
        type=_providers,
        default=list(PROVIDERS),
        help="providers for P5: dynamic (a Python program), native (a YAML program); default both",
    )
    group.add_argument(
        "--no-engine",
        dest="engine",
        action="store_false",
        help="P5 without the engine driver's rows (the CLI's only)",
    )
    group.add_argument(
        "--cli-env",
        type=_variable,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="P5: a variable for every CLI command, e.g. PULUMI_SKIP_CHECKPOINTS=true (repeatable)",
    )


def _variable(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError("--cli-env: NAME=VALUE")
    return name, value


def _providers(text: str) -> list[str]:
    picked = [part.strip() for part in text.split(",") if part.strip()]
    if not picked or any(part not in PROVIDERS for part in picked):
        raise argparse.ArgumentTypeError(f"--providers: a comma-separated subset of {','.join(PROVIDERS)}")
    return picked


# ---------------------------------------------------------------------------------------------
# The programs


def token_entries(seeded: Seeded) -> list[dict[str, Any]]:
    """``examples/tokens_from_config``'s ``tokens`` config: P3's program, one entry per token."""
    return [
        {"name": inputs["name"], "id": inputs["token_id"], "network": inputs["network"]}
        for inputs in seeded.program.values()
    ]


def native_resources(seeded: Seeded) -> dict[str, Any]:
    """A YAML program's ``resources``: P3's program as ``okta-token:index:ApiToken`` resources."""
    return {
        resource: {"type": e2e_support.NATIVE_TYPE, "properties": dict(inputs)}
        for resource, inputs in seeded.program.items()
    }


def _project(provider: str, seeded: Seeded, directory: Path) -> Path:
    venv = Path(sys.prefix)
    if provider == "dynamic":
        return e2e_support.python_project(directory, venv)
    project = e2e_support.native_yaml_project(directory, venv)
    e2e_support.add_yaml_resources(project, native_resources(seeded))
    return project


def _configure(stack: PulumiStack, provider: str, okta: FakeOkta, seeded: Seeded) -> None:
    namespace = NAMESPACES[provider]
    stack.set_config(f"{namespace}:orgUrl", okta.url)
    if okta.ca_file is not None:
        stack.set_config(f"{namespace}:caFile", okta.ca_file)
    stack.set_config(f"{namespace}:apiToken", seeded.admin_secret, secret=True)
    if provider == "dynamic":
        e2e_support.declare_tokens(stack, token_entries(seeded))


def cli_parallelism(pulumi: Path) -> int:
    """The CLI's default ``--parallel`` as ``pulumi up --help`` states it (4 per CPU since v3.1xx)."""
    help_text = subprocess.run(
        [str(pulumi), "up", "--help"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    found = re.search(r"--parallel\b.*\(default (\d+)\)", help_text)
    return int(found.group(1)) if found else 4 * (os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------------
# Rows


@dataclass
class P5Row(Row):
    provider: str = ""
    via: str = ""
    exit: str = ""
    """The CLI's exit code, or the engine driver's failed resources of those tried."""

    @property
    def label(self) -> str:
        return f"{self.scenario.key} {self.provider} {self.via}"


def header() -> str:
    return p3_scale.header("scenario provider via") + f" {'exit':>5}"


def format_row(row: P5Row) -> str:
    return p3_scale.format_row(row) + f" {row.exit or '-':>5}"


def _planned(
    scenario: Scenario, seeded: Seeded, operation: str, provider: str, via: str, parallelism: int
) -> P5Row:
    planned = p3_scale.planned_row(
        scenario,
        len(seeded.program),
        operation,
        seeded.drifting if operation == "adopt" else 0,
        seeded.org_tokens,
        parallelism,
    )
    return P5Row(
        scenario,
        planned.declared,
        operation,
        floor=planned.floor,
        need=planned.need,
        provider=provider,
        via=via,
    )


@contextmanager
def _measured(okta: FakeOkta, row: Row) -> Iterator[None]:
    """Times the block and fills ``row`` from the fake's journal and connection counters."""
    okta.clear_journal()
    connections, handshakes = okta.connections, okta.tls_handshakes
    began = time.perf_counter()
    try:
        yield
    finally:
        row.seconds = time.perf_counter() - began
        row.journal = okta.journal
        row.connections = okta.connections - connections
        row.tls_handshakes = okta.tls_handshakes - handshakes


# ---------------------------------------------------------------------------------------------
# Through the CLI


def _cli_command(stack: PulumiStack, operation: str) -> Callable[[], CommandResult]:
    if operation == "adopt":
        return lambda: stack.up(check=False)
    if operation == "refresh":
        return lambda: stack.refresh(check=False)
    return lambda: stack.destroy(check=False)


def _last_error(result: CommandResult) -> str:
    lines = [line.strip() for line in result.output.splitlines() if "error" in line.lower()]
    return p3_scale.error_kind(lines[-1] if lines else result.output[-300:])


def run_cli(
    scenario: Scenario,
    declared: int,
    provider: str,
    pulumi: Path,
    parallelism: int,
    options: P5Options,
    emit: Callable[[str], None],
) -> None:
    """Adopt, refresh and destroy ``declared`` tokens with ``provider`` through the CLI; a row each."""
    with (
        scenario.fake_okta(declared, options.page_size) as okta,
        tempfile.TemporaryDirectory(prefix="p5-") as scratch,
    ):
        seeded = p3_scale.seed_org(okta.org, declared)
        project = _project(provider, seeded, Path(scratch) / "project")
        with PulumiStack(
            project, "bench", pulumi=pulumi, env=dict(options.cli_env), timeout=options.timeout * 10
        ) as stack:
            _configure(stack, provider, okta, seeded)
            adopted = False
            for operation in OPERATIONS:
                if operation not in options.operations:
                    continue
                if operation != "adopt" and not adopted:
                    with _limits_lifted(okta, scenario):  # unmeasured: the state a later operation needs
                        adopted = stack.up(check=False).returncode == 0
                    if not adopted:
                        emit(f"   {scenario.key} {provider} N={declared}: the unmeasured up failed; skipped")
                        return
                row = _planned(scenario, seeded, operation, provider, "cli", parallelism)
                if scenario.rate is not None:
                    p3_scale._wait_for_fresh_window()
                stack.timeout = 3 * row.floor + options.timeout
                try:
                    with _measured(okta, row):
                        result = _cli_command(stack, operation)()
                except subprocess.TimeoutExpired:
                    row.timed_out = True
                    emit(format_row(row))
                    emit(f"      stopped after {row.seconds:.0f} s; the rest of this N skipped")
                    return
                _fill_from_state(row, stack, provider, operation, result)
                emit(format_row(row))
                if result.returncode != 0:
                    emit(f"      {_last_error(result)}")
                adopted = operation == "adopt" and result.returncode == 0


def _fill_from_state(
    row: P5Row, stack: PulumiStack, provider: str, operation: str, result: CommandResult
) -> None:
    """``failed``: the tokens the state does not show done (not adopted, or not destroyed)."""
    in_state = len(stack.resources(TYPES[provider]))
    row.attempted = row.declared
    row.failed = in_state if operation == "destroy" else row.declared - in_state
    row.exit = str(result.returncode)


@contextmanager
def _limits_lifted(okta: FakeOkta, scenario: Scenario) -> Iterator[None]:
    okta.set_rate_limit(None)
    try:
        yield
    finally:
        okta.set_rate_limit(scenario.bucket)


# ---------------------------------------------------------------------------------------------
# Through the engine driver


def run_engine(
    scenario: Scenario, declared: int, provider: str, options: P5Options, emit: Callable[[str], None]
) -> None:
    """The same operations through ``PluginEngine`` (dynamic) or ``NativeEngine`` (native)."""
    with scenario.fake_okta(declared, options.page_size) as okta:
        seeded = p3_scale.seed_org(okta.org, declared)
        env = {"SSL_CERT_FILE": okta.ca_file} if okta.ca_file else {}
        call_timeout = options.timeout * 4
        if provider == "dynamic":
            dynamic = PluginEngine(
                {"okta:orgUrl": okta.url, "okta:apiToken": seeded.admin_secret},
                env=env,
                call_timeout=call_timeout,
            )
            try:
                _engine_operations(okta, scenario, seeded, provider, options, emit, dynamic=dynamic)
            finally:
                dynamic.close()
        else:
            native = NativeEngine(
                {"okta-token:orgUrl": okta.url, "okta-token:apiToken": seeded.admin_secret},
                env=env,
                call_timeout=call_timeout,
            )
            _engine_operations(okta, scenario, seeded, provider, options, emit, native=native)


def _engine_operations(
    okta: FakeOkta,
    scenario: Scenario,
    seeded: Seeded,
    provider: str,
    options: P5Options,
    emit: Callable[[str], None],
    dynamic: PluginEngine | None = None,
    native: NativeEngine | None = None,
) -> None:
    adopted = False
    for operation in OPERATIONS:
        if operation not in options.operations:
            continue
        if operation != "adopt" and not adopted:
            with _limits_lifted(okta, scenario):
                if dynamic is not None:
                    dynamic.close()
                    dynamic.start()
                    adopted = dynamic.up(seeded.program).ok
                elif native is not None:
                    adopted = native.up(seeded.program).ok
            if not adopted:
                emit(f"   {scenario.key} {provider} N={len(seeded.program)}: the unmeasured up failed")
                return
        row = _planned(
            scenario, seeded, operation, provider, "engine", p3_scale.ENGINE_PARALLELISM if dynamic else 1
        )
        if scenario.rate is not None:
            p3_scale._wait_for_fresh_window()
        result: RunResult | None
        if dynamic is not None:  # P3's measure: a new plugin process, its start not timed, bounded
            result = p3_scale.measure(
                okta, dynamic, row, _dynamic_operation(dynamic, operation, seeded), options.timeout
            )
        else:
            assert native is not None
            with _measured(okta, row):
                result = _native_operation(native, operation, seeded)()
            row.attempted, row.failed = len(result.steps), len(result.errors)
        emit(format_row(row))
        if result is None:
            emit(f"      stopped after {row.seconds:.0f} s; the rest of this N skipped")
            return
        for text in list(result.errors.values())[:1]:
            emit(f"      {p3_scale.error_kind(text)}")
        adopted = operation == "adopt" and result.ok


def _dynamic_operation(engine: PluginEngine, operation: str, seeded: Seeded) -> Callable[[], RunResult]:
    if operation == "adopt":
        return lambda: engine.up(seeded.program)
    return engine.refresh if operation == "refresh" else engine.destroy


def _native_operation(engine: NativeEngine, operation: str, seeded: Seeded) -> Callable[[], RunResult]:
    if operation == "adopt":
        return lambda: engine.up(seeded.program)
    return engine.refresh if operation == "refresh" else engine.destroy


# ---------------------------------------------------------------------------------------------
# Entry points


def run(options: P5Options, emit: Callable[[str], None] = print) -> None:
    """Print P5's table for the chosen N, scenarios, operations and providers."""
    began = time.perf_counter()
    pulumi = find_pulumi(start=REPO_ROOT)
    parallelism = cli_parallelism(pulumi)
    shown = pulumi.relative_to(REPO_ROOT) if pulumi.is_relative_to(REPO_ROOT) else pulumi
    emit(
        f"P5 through the real CLI ({shown}, "
        f"--parallel {parallelism} by default) and through the engine driver: adopt "
        f"({p3_scale.DRIFT_PERCENT}% drifting), refresh, destroy; requests from the fake's journal"
    )
    if options.cli_env:
        emit("   CLI environment: " + " ".join(f"{name}={value}" for name, value in options.cli_env))
    emit(header())
    for key in options.scenarios:
        for declared in options.ns:
            for provider in options.providers:
                run_cli(SCENARIOS[key], declared, provider, pulumi, parallelism, options, emit)
                if options.engine:
                    run_engine(SCENARIOS[key], declared, provider, options, emit)
    emit(f"   P5 took {time.perf_counter() - began:.0f} s")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p3_scale.add_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(list(argv) if argv is not None else None)
    run(P5Options.from_args(args))


if __name__ == "__main__":
    main()
