"""Benchmarks of issues 4 and 10, printed in one run on one machine: ``python benchmarks/run.py``.

* **P1** plugin start-up: from starting ``python -m pulumi.dynamic`` to the first answered ``Check``
  (a preview of one new resource) and to the first answered ``Create`` (an ``up`` of it), for
  ``ApiTokenProvider`` (adopting a token of the fake org) and for a trivial echo provider; the median of
  ``--runs`` starts each, and their ratio (target <= 1.3).
* **P2** API calls per operation, counted in the fake Okta's journal.
* **P3** scale (``p3_scale.py``): adopt, refresh and destroy of 50, 200 and 500 tokens, unlimited, at 100
  requests/minute and with 100 ms of round-trip time over TLS, against each operation's floor. The
  longest part: 15 minutes on the code of issue 10's report, 8 of them waiting for fresh rate-limit
  windows, and more once every operation at 100 requests/minute succeeds (a 500-token destroy alone
  then needs 5 minutes); ``--only p3 --n 50 --scenarios a,c`` picks a part (``--help`` lists them).
* **P4** size of the serialized provider stored in every resource's state (target <= 1 KB); the engine
  stores it twice per resource, in the inputs and in the outputs.
* **P5** the real CLI (``p5_cli.py``, issue 19): ``pulumi up`` (adopt), ``refresh`` and ``destroy`` of 50
  and 500 tokens with the dynamic provider and the native plugin, P3's scenarios and floors, and the same
  operations through the engine driver; it needs ``make pulumi``. ``--only p5 --n 50 --scenarios a
  --providers native --no-engine`` picks a part.

This is a script, not a test: the figures depend on the machine and nothing here asserts them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import p3_scale  # beside this script: `python benchmarks/run.py` puts benchmarks/ first on sys.path
import p5_cli
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import PluginEngine
from pulumi_okta_token.testing.engine.doubles import ECHO_TYPE, EchoProvider

REPO_ROOT = Path(__file__).resolve().parents[1]

TOKENS = "/api/v1/api-tokens/*"


def time_to_first_answers(
    make_engine: Callable[[], PluginEngine], program: dict[str, Any]
) -> tuple[float, float]:
    """Seconds from process start to the first answered Check, and to the first answered Create."""
    began = time.perf_counter()
    with make_engine() as engine:
        preview = engine.preview(program)
        checked = time.perf_counter() - began
        up = engine.up(program)
        created = time.perf_counter() - began
    if not (preview.ok and up.ok):
        raise SystemExit(f"benchmark run failed: {preview.errors or up.errors}")
    return checked, created


def p1(okta: FakeOkta, runs: int) -> None:
    user = okta.org.add_user()
    admin = okta.org.add_token(name="bench-admin", user_id=user)
    config = {"okta:orgUrl": okta.url, "okta:apiToken": admin.secret}
    ours: list[tuple[float, float]] = []
    trivial: list[tuple[float, float]] = []
    for _ in range(runs):  # interleaved, so both see the same machine load
        token = okta.org.add_token(name="bench", user_id=user)
        ours.append(time_to_first_answers(lambda: PluginEngine(config), {"t": {"token_id": token.id}}))
        trivial.append(
            time_to_first_answers(
                lambda: PluginEngine(provider=EchoProvider(), type_token=ECHO_TYPE),
                {"t": {"name": "bench"}},
            )
        )
    print(f"P1 plugin start -> first answer (median of {runs} starts each)")
    for index, label in ((0, "Check"), (1, "Create")):
        mine = statistics.median(run[index] for run in ours)
        base = statistics.median(run[index] for run in trivial)
        print(f"   first {label:<6}  ApiTokenProvider {mine:6.3f} s   trivial {base:6.3f} s", end="")
        print(f"   ratio {mine / base:.2f}")


_IMPORT_STEPS = (
    ("pulumi.dynamic", "what every dynamic provider's plugin imports"),
    ("pulumi_okta_token.provider", "unpickling our provider"),
    ("pulumi_okta_token._settings, pulumi_okta_token._transport", "our first API call"),
)
_IMPORT_PROBE = """
import sys, time
for modules in sys.argv[1:]:
    began = time.perf_counter()
    exec("import " + modules)
    print(time.perf_counter() - began)
"""


def p1_imports(runs: int) -> None:
    """Where the plugin's start-up goes: each import step's cost in a fresh interpreter, in order."""
    samples: list[list[float]] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE, *(modules for modules, _ in _IMPORT_STEPS)],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
        ).stdout
        samples.append([float(line) for line in out.split()])
    print(f"   import cost in a fresh interpreter (median of {runs}), each step after the one above:")
    for index, (modules, why) in enumerate(_IMPORT_STEPS):
        cost = statistics.median(sample[index] for sample in samples)
        print(f"      {modules:<55} {cost:6.3f} s  ({why})")


def p2(okta: FakeOkta) -> None:
    org = okta.org
    user = org.add_user()
    office, vpn = org.add_zone(name="office"), org.add_zone(name="vpn")
    admin = org.add_token(name="bench-admin", user_id=user)
    first = org.add_token(name="ci", user_id=user, network={"connection": "ZONE", "include": [office]})
    second = org.add_token(name="ci-2", user_id=user)
    declared = {"token_id": first.id, "name": "ci", "network": {"connection": "ZONE", "include": [office]}}
    moved = {**declared, "network": {"connection": "ZONE", "include": [vpn]}}
    print("P2 API calls per operation (fake Okta journal)")
    print(f"   {'operation':<52} GET PUT DELETE")

    def count(label: str, operation: Callable[[], Any]) -> None:
        okta.clear_journal()
        result = operation()
        if not result.ok:
            raise SystemExit(f"{label} failed: {result.errors}")
        calls = [len(okta.calls(method, TOKENS)) for method in ("GET", "PUT", "DELETE")]
        print(f"   {label:<52} {calls[0]:>3} {calls[1]:>3} {calls[2]:>6}")

    with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": admin.secret}) as engine:
        count("up: adopt a token that already matches", lambda: engine.up({"ci": declared}))
        count("up: same program again", lambda: engine.up({"ci": declared}))
        count("preview: new network condition", lambda: engine.preview({"ci": moved}))
        count("up: new network condition", lambda: engine.up({"ci": moved}))
        count("refresh: no drift", engine.refresh)
        org.update_token(first.id, name="renamed-in-console")
        count("refresh: renamed out of band", engine.refresh)
        count("up: put the declared name back", lambda: engine.up({"ci": moved}))
        count(
            "up: new network, name not declared (reads it first)",
            lambda: engine.up({"ci": {"token_id": first.id, "network": declared["network"]}}),
        )
        count(
            "up: token_id changed (adopt new, revoke old)", lambda: engine.up({"ci": {"token_id": second.id}})
        )
        count("destroy", engine.destroy)
        third = org.add_token(name="ci-3", user_id=user)
        count(
            "up: adopt with a different name (rename)",
            lambda: engine.up({"ci": {"token_id": third.id, "name": "x"}}),
        )
        org.revoke_token(third.id)
        count("refresh: revoked out of band", engine.refresh)
        fourth = org.add_token(name="ci-4", user_id=user)
        engine.up({"ci": {"token_id": fourth.id}})
        org.revoke_token(fourth.id)
        count("destroy: token already revoked", engine.destroy)


def p4() -> None:
    def size(provider: ResourceProvider) -> int:
        return len(serialize_provider(provider).encode())

    ours, trivial = size(ApiTokenProvider()), size(EchoProvider())
    print("P4 serialized provider (__provider) stored per resource, once in inputs and once in outputs")
    print(f"   ApiTokenProvider {ours} bytes (target <= 1024)   trivial {trivial} bytes")


PARTS = ("p1", "p2", "p3", "p4", "p5")


def _parts(text: str) -> list[str]:
    picked = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not picked or any(part not in PARTS for part in picked):
        raise argparse.ArgumentTypeError(f"--only: a comma-separated subset of {','.join(PARTS)}")
    return picked


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="plugin starts per provider for P1 (default 5)")
    parser.add_argument("--only", type=_parts, default=list(PARTS), help="benchmarks to run (default all)")
    p3_scale.add_arguments(parser)
    p5_cli.add_arguments(parser)
    args = parser.parse_args(argv)
    if "p1" in args.only or "p2" in args.only:
        with FakeOkta() as okta:
            if "p1" in args.only:
                p1(okta, args.runs)
                p1_imports(args.runs)
            if "p2" in args.only:
                p2(okta)
    if "p3" in args.only:
        p3_scale.run(p3_scale.P3Options.from_args(args))
    if "p4" in args.only:
        p4()
    if "p5" in args.only:
        p5_cli.run(p5_cli.P5Options.from_args(args))


if __name__ == "__main__":
    main()
