"""``make demo``: the whole ``ApiToken`` lifecycle through the real provider plugin, against a fake Okta.

Run it with ``python -m pulumi_okta_token.demo``. It starts the embedded fake Okta org seeded with a few
users, network zones and tokens, starts the plugin process the Pulumi CLI would start, and plays the
engine's messages for each step (:mod:`pulumi_okta_token.testing.engine`):

1. adopt: the first ``up`` takes two existing tokens under management;
2. a second ``up`` with the same program changes nothing and calls nothing;
3. a new network condition is one PUT;
4. a token renamed in the Admin Console: ``refresh`` follows it and ``preview`` shows the drift;
5. ``up`` puts the declared name back;
6. ``up`` with a token id that does not exist fails with an error saying what to do, and writes nothing;
7. ``destroy`` revokes the managed tokens, and only those.

Each step prints what changed in Okta and in the stack state and which API calls were made, then checks
that this is what the README's semantics table promises. The exit status is 1 when a step misbehaves.
No secret is printed: the provider's credential is passed to the plugin as a secret config value only.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from ._models import NetworkCondition, TokenMetadata, TokenSpec, token_from_outputs
from ._rules import differences
from .testing import FakeOkta
from .testing.engine import PluginEngine, RunResult

__all__ = ["DemoFailed", "main", "run_demo"]

TOKENS_PATH = "/api/v1/api-tokens/*"

# Ids in the shapes Okta uses (the first ones are those of Okta's and Terraform's documentation).
ALICE = "00unkw1sfbTw08c0g1d7"
BOB = "00ubobDemoUser000001"
OPS = "00uopsDemoUser000001"
OFFICE = "nzonkw1sfwwi79Hat2d7"
VPN = "nzovpnDemoZone000001"
DATACENTER = "nzodcDemoZone0000001"
CI_TOKEN = "00T1fxzubpqiepH11d38"
BACKUP_TOKEN = "00TbackupDemoToken01"
LEGACY_TOKEN = "00TlegacyDemoToken01"
ADMIN_TOKEN = "00TadminDemoToken001"


class DemoFailed(Exception):
    """A step did not do what the semantics table promises."""


@dataclass
class Seeded:
    """What the demo put in the fake org."""

    admin_secret: str = field(repr=False)
    """The secret the provider authenticates with: sent to the plugin, never printed."""


def seed_org(okta: FakeOkta) -> Seeded:
    """A small org: three users, three zones, four tokens (two of them to be managed)."""
    org = okta.org
    org.add_user(id=ALICE, login="alice@example.com")
    org.add_user(id=BOB, login="bob@example.com")
    org.add_user(id=OPS, login="ops-admin@example.com")
    org.add_zone(id=OFFICE, name="office")
    org.add_zone(id=VPN, name="vpn")
    org.add_zone(id=DATACENTER, name="datacenter")
    admin = org.add_token(id=ADMIN_TOKEN, name="pulumi-automation", user_id=OPS)
    org.add_token(
        id=CI_TOKEN,
        name="ci-deployer",
        user_id=ALICE,
        network={"connection": "ZONE", "exclude": [OFFICE]},
    )
    org.add_token(id=BACKUP_TOKEN, name="backup bot", user_id=BOB, network={"connection": "ANYWHERE"})
    org.add_token(
        id=LEGACY_TOKEN,
        name="legacy-sync",
        user_id=BOB,
        network={"connection": "ZONE", "include": [DATACENTER]},
    )
    return Seeded(admin_secret=admin.secret)


# The program, as the Pulumi engine receives it: resource name -> declared inputs.
PROGRAM: dict[str, dict[str, Any]] = {
    "ci-deployer": {
        "token_id": CI_TOKEN,
        "name": "ci-deployer",
        "user_id": ALICE,
        "client_name": "Okta API",
        # Terraform's {"ip": ...} form, accepted and stored as a list of zone ids.
        "network": {"connection": "ZONE", "exclude": [{"ip": OFFICE}]},
    },
    "backup-bot": {
        "token_id": BACKUP_TOKEN,
        "name": "backup-bot",
        "network": {"connection": "ANYWHERE"},
    },
}

MISSING_TOKEN = "00TtypoDemoToken0001"
"""A well-formed id that no token of the org has (a typo, or a token revoked meanwhile)."""

PROGRAM_VPN_ONLY: dict[str, dict[str, Any]] = {
    **PROGRAM,
    "ci-deployer": {**PROGRAM["ci-deployer"], "network": {"connection": "ZONE", "include": [VPN]}},
}


# ---------------------------------------------------------------------------------------------------
# Printing


def _network_text(network: NetworkCondition | Mapping[str, Any] | None) -> str:
    if network is None:
        return "none"
    props = network.to_props() if isinstance(network, NetworkCondition) else dict(network)
    for key in ("include", "exclude"):
        if props.get(key):
            return f"{props['connection']} {key} {', '.join(props[key])}"
    return str(props.get("connection"))


def _token_fields(token: TokenMetadata | None) -> dict[str, str] | None:
    if token is None:
        return None
    return {"name": repr(token.name), "network": _network_text(token.network)}


def _output_fields(outputs: Mapping[str, Any] | None) -> dict[str, str] | None:
    if outputs is None:
        return None
    return {"name": repr(outputs.get("name")), "network": _network_text(outputs.get("network"))}


def _changes(before: Mapping[str, str], after: Mapping[str, str]) -> str:
    return "; ".join(
        f"{key} {before.get(key)} -> {value}" for key, value in after.items() if before.get(key) != value
    )


def _okta_change(before: Mapping[str, str] | None, after: Mapping[str, str] | None) -> str:
    if before == after:
        return "unchanged"
    if after is None:
        return "revoked"
    if before is None:
        return "appeared"
    return _changes(before, after)


def _state_change(before: Mapping[str, str] | None, after: Mapping[str, str] | None) -> str:
    if before == after:
        return "unchanged"
    if after is None:
        return "removed"
    if before is None:
        return "added: " + ", ".join(f"{key} {value}" for key, value in after.items())
    return _changes(before, after)


@dataclass
class Snapshot:
    """The managed tokens as Okta has them and as the stack state has them."""

    okta: dict[str, dict[str, str] | None]
    state: dict[str, dict[str, str] | None]


def _snapshot(okta: FakeOkta, engine: PluginEngine, token_ids: Mapping[str, str]) -> Snapshot:
    state = engine.state
    return Snapshot(
        okta={name: _token_fields(okta.org.token(token_id)) for name, token_id in token_ids.items()},
        state={name: _output_fields(state[name].outputs if name in state else None) for name in token_ids},
    )


def _call_text(entry: Any) -> str:
    text = f"{entry.method} {entry.path} -> {entry.status}"
    if entry.body:
        text += f"  {json.dumps(entry.body, sort_keys=True)}"
    return text


# ---------------------------------------------------------------------------------------------------
# Steps


@dataclass
class Step:
    """One demo step: what it does, how to run it, and what must be true afterwards."""

    title: str
    run: Callable[[], RunResult]
    expect_ops: dict[str, str]
    expect_calls: dict[str, int]
    """Expected API calls to ``/api/v1/api-tokens/*`` per method (methods not named: none)."""
    expect_okta: Callable[[FakeOkta], list[str]] = lambda _okta: []
    """Further checks of the org after the step; returns what is wrong."""
    before: Callable[[FakeOkta], str | None] = lambda _okta: None
    """An out-of-band change made before the step (like an admin in the console); returns its text."""
    preview_of: Mapping[str, Mapping[str, Any]] | None = None
    """For a preview: the program it previews, to print what ``up`` would change."""
    expect_errors: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Resources that must fail, and the words their error must contain (the error is printed)."""


def _check_step(step: Step, result: RunResult, okta: FakeOkta) -> list[str]:
    problems = [f"{name}: {error}" for name, error in result.errors.items() if name not in step.expect_errors]
    for name, words in step.expect_errors.items():
        error = result.errors.get(name, "")
        missing = [word for word in words if word not in error]
        if not error or missing:
            problems.append(f"{name}: expected an error naming {list(words)}, got {error!r}")
    if result.ops() != step.expect_ops:
        problems.append(f"steps: expected {step.expect_ops}, got {result.ops()}")
    calls = okta.calls(path=TOKENS_PATH)
    counted = {method: sum(1 for entry in calls if entry.method == method) for method in _METHODS}
    expected = {method: step.expect_calls.get(method, 0) for method in _METHODS}
    if counted != expected:
        problems.append(f"API calls: expected {expected}, got {counted}")
    problems.extend(step.expect_okta(okta))
    return problems


_METHODS = ("GET", "PUT", "DELETE")


_ORDER = {name: position for position, name in enumerate(PROGRAM)}
"""Resources are printed in program order (the engine runs them in parallel)."""

_OP_TEXT = {
    "create": "create = adopt",
    "same": "same: no change",
    "update": "update",
    "read": "refresh",
    "delete": "delete = revoke",
}


def _drift(engine: PluginEngine, name: str, declared: Mapping[str, Any]) -> str:
    """What ``up`` would change: the declaration against the stored outputs (the provider's own diff)."""
    resource = engine.state[name]
    found = differences(TokenSpec.from_props(declared), token_from_outputs(resource.id, resource.outputs))
    return "; ".join(f"{item.field} {item.live!r} -> {item.declared!r}" for item in found) or "nothing"


def _print_step(
    out: TextIO,
    engine: PluginEngine,
    number: int,
    step: Step,
    result: RunResult,
    before: Snapshot,
    after: Snapshot,
    calls: Sequence[Any],
    problems: Sequence[str],
    note: str | None,
) -> None:
    print(f"\n{number}. {step.title}", file=out)
    if note:
        print(f"   first, out of band: {note}", file=out)
    for name, outcome in sorted(result.steps.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER))):
        print(f"   {name:<12} {_OP_TEXT.get(outcome.op, outcome.op)}", file=out)
        print(f"   {'':<12}   Okta:  {_okta_change(before.okta.get(name), after.okta.get(name))}", file=out)
        print(
            f"   {'':<12}   state: {_state_change(before.state.get(name), after.state.get(name))}", file=out
        )
        if outcome.error is not None and name in step.expect_errors:
            # Pulumi shows the plugin's whole traceback; its last line is the message.
            print(f"   {'':<12}   error: {outcome.error.strip().splitlines()[-1]}", file=out)
        if step.preview_of is not None and outcome.op == "update":
            print(f"   {'':<12}   would change: {_drift(engine, name, step.preview_of[name])}", file=out)
    print(f"   API calls ({len(calls)}):", file=out)
    for entry in calls:
        print(f"     {_call_text(entry)}", file=out)
    if problems:
        for problem in problems:
            print(f"   FAILED: {problem}", file=out)
    else:
        print("   ok: as the semantics table says", file=out)


def _steps(okta: FakeOkta, engine: PluginEngine) -> list[Step]:
    def renamed_in_console(fake: FakeOkta) -> str:
        fake.org.update_token(CI_TOKEN, name="ci-deployer (renamed in console)")
        return f"an admin renames {CI_TOKEN} to 'ci-deployer (renamed in console)' in the Admin Console"

    def named(token_id: str, name: str) -> Callable[[FakeOkta], list[str]]:
        def check(fake: FakeOkta) -> list[str]:
            token = fake.org.token(token_id)
            live = token.name if token is not None else None
            return [] if live == name else [f"{token_id}: expected name {name!r} in Okta, got {live!r}"]

        return check

    def vpn_only(fake: FakeOkta) -> list[str]:
        token = fake.org.token(CI_TOKEN)
        wanted = NetworkCondition(connection="ZONE", include=(VPN,))
        if token is None or not wanted.same_as(token.network):
            return [f"{CI_TOKEN}: expected network ZONE include {VPN} in Okta"]
        return []

    def state_name(name: str, expected: str) -> Callable[[FakeOkta], list[str]]:
        def check(_fake: FakeOkta) -> list[str]:
            resource = engine.state.get(name)
            got = resource.outputs.get("name") if resource is not None else None
            return [] if got == expected else [f"state of {name}: expected name {expected!r}, got {got!r}"]

        return check

    def revoked_only_managed(fake: FakeOkta) -> list[str]:
        problems = [f"{tid} is still active" for tid in (CI_TOKEN, BACKUP_TOKEN) if fake.org.token(tid)]
        problems += [f"{tid} was revoked" for tid in (ADMIN_TOKEN, LEGACY_TOKEN) if not fake.org.token(tid)]
        if engine.state:
            problems.append(f"state still holds {sorted(engine.state)}")
        return problems

    both = ("ci-deployer", "backup-bot")
    return [
        Step(
            "adopt: `pulumi up` takes two existing tokens under management "
            "(ci-deployer matches its declaration; backup-bot gets its declared name)",
            lambda: engine.up(PROGRAM),
            expect_ops=dict.fromkeys(both, "create"),
            expect_calls={"GET": 2, "PUT": 1},
            expect_okta=named(BACKUP_TOKEN, "backup-bot"),
        ),
        Step(
            "no-op: a second `pulumi up` with the same program",
            lambda: engine.up(PROGRAM),
            expect_ops=dict.fromkeys(both, "same"),
            expect_calls={},
        ),
        Step(
            "network change: ci-deployer may now be used from the vpn zone only",
            lambda: engine.up(PROGRAM_VPN_ONLY),
            expect_ops={"ci-deployer": "update", "backup-bot": "same"},
            expect_calls={"PUT": 1},
            expect_okta=vpn_only,
        ),
        Step(
            "drift: `pulumi refresh` after a change made in the Admin Console",
            engine.refresh,
            expect_ops=dict.fromkeys(both, "read"),
            expect_calls={"GET": 2},
            expect_okta=state_name("ci-deployer", "ci-deployer (renamed in console)"),
            before=renamed_in_console,
        ),
        Step(
            "`pulumi preview` now shows the drift: ci-deployer would be updated, nothing is written",
            lambda: engine.preview(PROGRAM_VPN_ONLY),
            expect_ops={"ci-deployer": "update", "backup-bot": "same"},
            expect_calls={},
            preview_of=PROGRAM_VPN_ONLY,
        ),
        Step(
            "`pulumi up` puts the declared name back",
            lambda: engine.up(PROGRAM_VPN_ONLY),
            expect_ops={"ci-deployer": "update", "backup-bot": "same"},
            expect_calls={"PUT": 1},
            expect_okta=named(CI_TOKEN, "ci-deployer"),
        ),
        Step(
            "a token id that does not exist (a typo): `pulumi up` fails, says what to do, writes nothing",
            lambda: engine.up({**PROGRAM_VPN_ONLY, "typo": {"token_id": MISSING_TOKEN, "name": "typo"}}),
            expect_ops={**dict.fromkeys(both, "same"), "typo": "create"},
            expect_calls={"GET": 1},
            expect_errors={"typo": (MISSING_TOKEN, "Admin Console")},
        ),
        Step(
            "`pulumi destroy` revokes the two managed tokens, and no other",
            engine.destroy,
            expect_ops=dict.fromkeys(both, "delete"),
            expect_calls={"DELETE": 2},
            expect_okta=revoked_only_managed,
        ),
    ]


def run_demo(out: TextIO = sys.stdout) -> None:
    """Play every step, printing as it goes; raises :class:`DemoFailed` at the first step that misbehaves."""
    token_ids = {name: inputs["token_id"] for name, inputs in PROGRAM.items()}
    with FakeOkta() as okta:
        seeded = seed_org(okta)
        print(f"Fake Okta org at {okta.url}", file=out)
        print(f"  users:  {ALICE} (alice), {BOB} (bob), {OPS} (ops-admin)", file=out)
        print(f"  zones:  {OFFICE} (office), {VPN} (vpn), {DATACENTER} (datacenter)", file=out)
        print(
            f"  tokens: {CI_TOKEN} 'ci-deployer', {BACKUP_TOKEN} 'backup bot', "
            f"{LEGACY_TOKEN} 'legacy-sync' (not managed), {ADMIN_TOKEN} 'pulumi-automation' "
            "(the provider's credential)",
            file=out,
        )
        config = {"okta:orgUrl": okta.url, "okta:apiToken": seeded.admin_secret}
        with PluginEngine(config, project="okta-api-tokens", stack="demo") as engine:
            print(f"Provider plugin started (pid {engine.pid}); program: {', '.join(PROGRAM)}", file=out)
            for number, step in enumerate(_steps(okta, engine), start=1):
                _play(out, number, step, okta, engine, token_ids)
    print("\nAll steps behaved as the semantics table says.", file=out)


def _play(
    out: TextIO,
    number: int,
    step: Step,
    okta: FakeOkta,
    engine: PluginEngine,
    token_ids: Mapping[str, str],
) -> None:
    note = step.before(okta)
    okta.clear_journal()
    before = _snapshot(okta, engine, token_ids)
    result = step.run()
    after = _snapshot(okta, engine, token_ids)
    calls = list(okta.calls(path=TOKENS_PATH))
    problems = _check_step(step, result, okta)
    _print_step(out, engine, number, step, result, before, after, calls, problems, note)
    if problems:
        raise DemoFailed(f"step {number} ({step.title}): " + "; ".join(problems))


def main(argv: Iterable[str] | None = None) -> int:
    """The command: 0 when every step behaved, 1 otherwise."""
    del argv
    try:
        run_demo()
    except DemoFailed as failed:
        print(f"\nDEMO FAILED at {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
