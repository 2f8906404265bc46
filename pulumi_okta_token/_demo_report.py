"""How ``make demo`` (:mod:`pulumi_okta_token.demo`) checks and prints each step.

A ``Step`` says what to run and what must be true afterwards; ``check_step`` lists what is not;
``print_step`` shows what changed in Okta and in the stack state, the API calls made and the verdict.
The scenario itself (the org, the program, the steps in order) is in ``demo``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from ._models import NetworkCondition, TokenMetadata, TokenSpec, token_from_outputs
from ._rules import differences
from .testing import FakeOkta
from .testing.engine import PluginEngine, RunResult

__all__ = ["TOKENS_PATH", "Snapshot", "Step", "check_step", "print_step", "snapshot"]

TOKENS_PATH = "/api/v1/api-tokens/*"

_METHODS = ("GET", "PUT", "DELETE")

_OP_TEXT = {
    "create": "create = adopt",
    "same": "same: no change",
    "update": "update",
    "read": "refresh",
    "delete": "delete = revoke",
}


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


def check_step(step: Step, result: RunResult, okta: FakeOkta) -> list[str]:
    """What the step did that it should not have (none: ``[]``)."""
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


# ---------------------------------------------------------------------------------------------------
# What the managed tokens look like, before and after a step


@dataclass
class Snapshot:
    """The managed tokens as Okta has them and as the stack state has them."""

    okta: dict[str, dict[str, str] | None]
    state: dict[str, dict[str, str] | None]


def snapshot(okta: FakeOkta, engine: PluginEngine, token_ids: Mapping[str, str]) -> Snapshot:
    """The tokens of ``token_ids`` (resource name to token id) in Okta and in the stack state now."""
    state = engine.state
    return Snapshot(
        okta={name: _token_fields(okta.org.token(token_id)) for name, token_id in token_ids.items()},
        state={name: _output_fields(state[name].outputs if name in state else None) for name in token_ids},
    )


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


# ---------------------------------------------------------------------------------------------------
# Printing


def print_step(
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
    order: Sequence[str],
) -> None:
    """The step's title, each resource's outcome (in ``order``, the program's), the calls, the verdict."""
    position = {name: index for index, name in enumerate(order)}
    print(f"\n{number}. {step.title}", file=out)
    if note:
        print(f"   first, out of band: {note}", file=out)
    for name, outcome in sorted(result.steps.items(), key=lambda item: position.get(item[0], len(position))):
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


def _drift(engine: PluginEngine, name: str, declared: Mapping[str, Any]) -> str:
    """What ``up`` would change: the declaration against the stored outputs (the provider's own diff)."""
    resource = engine.state[name]
    found = differences(TokenSpec.from_props(declared), token_from_outputs(resource.id, resource.outputs))
    return "; ".join(f"{item.field} {item.live!r} -> {item.declared!r}" for item in found) or "nothing"


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


def _call_text(entry: Any) -> str:
    text = f"{entry.method} {entry.path} -> {entry.status}"
    if entry.body:
        text += f"  {json.dumps(entry.body, sort_keys=True)}"
    return text
