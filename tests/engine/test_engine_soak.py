"""Soak (issue 8): a seeded, bounded run against a fake Okta that misbehaves at random.

Twenty tokens are managed by a program that declares, per resource, only the name, only the network, or
both. A few hundred operations follow, drawn from a seeded ``random.Random``: ``up`` after renaming,
re-zoning or removing resources; ``refresh``; and changes an admin makes in the console. Before each
``up`` and ``refresh`` the fake is told to misbehave on requests of that run: 5xx, 429 resetting now,
dropped connections, another token's JSON, PUTs answered 200 that changed nothing, HTML 404s, latency,
broken JSON; and the hostile answers of issue 17, on the list of the org's tokens (one id on two pages, alike
or not; a user object among the tokens; next links that never repeat; a ``Link`` header that cannot be
read; JSON nested too deep; a body over the size cap; a ``Retry-After`` of a day) and on single tokens (a
``Retry-After`` of a day). Faults no request met are used up before the end, then a clean ``refresh`` and
``up`` run. Each operation runs in a plugin process of its own, as the CLI runs them (``PluginEngine``'s
default); reads within one long-lived process are tested in ``test_engine_snapshot.py``.

Afterwards: no token was revoked that the program did not remove (nor left active that it did), no field
the program does not declare differs from what the console last set, and the state agrees with Okta.
The counts are printed (``pytest -s``) and recorded as test properties; the test asserts no violation.
"""

from __future__ import annotations

import contextlib
import random
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from engine_org import live_outputs, without_provider

from pulumi_okta_token._models import NetworkCondition
from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import PluginEngine, RunResult

SEED = 8
TOKENS = 20
BYSTANDERS = 2
"""Tokens of the org the program never manages (the admin token aside)."""
ZONES = 4
OPERATIONS = 240
MAX_REMOVALS = 4
FIELDS = ("name", "network")

# Fault kinds and their weights. A 429 costs a second of waiting, a 5xx half a second: kept rare.
FAULT_WEIGHTS = {
    "5xx": 10,
    "429": 3,
    "drop": 10,
    "wrong-token": 15,
    "not-applied": 12,
    "html-404": 12,
    "latency": 10,
    "malformed": 6,
}
# Issue 17's hostile answers: on the list of the org's tokens (which refreshes of more than four tokens
# take), and a Retry-After of a day on single tokens.
LIST_FAULT_WEIGHTS = {
    "list-duplicate": 4,
    "list-duplicate-alike": 2,
    "list-user-object": 3,
    "endless-next": 3,
    "malformed-link": 3,
    "nested-json": 3,
    "oversized-body": 1,
    "list-retry-after": 2,
    "retry-after": 4,
}
LIST = "/api/v1/api-tokens"
FAULT_METHODS = {
    "5xx": ("GET", "PUT", "DELETE"),
    "429": ("GET", "PUT", "DELETE"),
    "drop": ("GET", "PUT", "DELETE"),
    "wrong-token": ("GET", "PUT"),
    "not-applied": ("PUT",),
    "html-404": ("GET", "PUT", "DELETE"),
    "latency": ("GET", "PUT", "DELETE"),
    "malformed": ("GET", "PUT"),
}


def token_path(token_id: str) -> str:
    return f"/api/v1/api-tokens/{token_id}"


@dataclass
class Resource:
    """One resource of the program and what its token must look like at the end."""

    name: str
    token_id: str
    declared: dict[str, Any]
    """The declared fields (a subset of name and network, fixed for the run) and their values."""
    expected: dict[str, Any]
    """The fields it does not declare: the value the console last set (or the token's first)."""

    def inputs(self) -> dict[str, Any]:
        return {"token_id": self.token_id, **self.declared}


@dataclass(frozen=True)
class Armed:
    kind: str
    method: str
    path: str


@dataclass
class Counts:
    """What the soak did, for the lead to quote."""

    operations: int = 0
    ups: int = 0
    refreshes: int = 0
    console_changes: int = 0
    resource_steps: int = 0
    failed_steps: int = 0
    requests: int = 0
    faults_armed: int = 0
    faults_hit: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        hit = sum(self.faults_hit.values())
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.faults_hit.items()))
        return (
            f"soak seed {SEED}: {self.operations} operations ({self.ups} ups, {self.refreshes} refreshes, "
            f"{self.console_changes} console changes) over {TOKENS} tokens in {self.seconds:.1f} s; "
            f"{self.resource_steps} resource steps ({self.failed_steps} failed), {self.requests} requests; "
            f"faults armed {self.faults_armed}, hit {hit} ({kinds}); violations {len(self.violations)}"
        )


class Soak:
    """The org, the program, the random choices and the bookkeeping of one soak run."""

    def __init__(self, okta: FakeOkta, rng: random.Random) -> None:
        self.okta = okta
        self.rng = rng
        self.counts = Counts()
        org = okta.org
        self.user = org.add_user()
        self.zones = [org.add_zone(name=f"zone-{i}") for i in range(ZONES)]
        self.admin = org.add_token(name="pulumi-automation", user_id=self.user)
        self.bystanders = [org.add_token(name=f"bystander-{i}", user_id=self.user) for i in range(BYSTANDERS)]
        self.untouched = {token.id: org.token(token.id) for token in (self.admin, *self.bystanders)}
        self.renames = 0
        self.kept = [self._new_resource(i) for i in range(TOKENS)]
        self.removed: list[Resource] = []
        self.armed: list[Armed] = []
        self.journal_seen = len(okta.journal)

    @property
    def config(self) -> dict[str, str]:
        return {"okta:orgUrl": self.okta.url, "okta:apiToken": self.admin.secret}

    # -- random values ---------------------------------------------------------------------------

    def _network(self) -> dict[str, Any]:
        if self.rng.random() < 0.3:
            return {"connection": "ANYWHERE"}
        zones = self.rng.sample(self.zones, self.rng.randint(1, 2))
        return {"connection": "ZONE", self.rng.choice(("include", "exclude")): zones}

    def _name(self, stem: str) -> str:
        self.renames += 1
        return f"{stem}-{self.renames}"

    def _value(self, field_name: str, stem: str) -> Any:
        return self._name(stem) if field_name == "name" else self._network()

    def _new_resource(self, index: int) -> Resource:
        name = f"t{index:02d}"
        first = {"name": self._name(name), "network": self._network()}
        token = self.okta.org.add_token(name=first["name"], user_id=self.user, network=first["network"])
        declares = self.rng.choice((("name",), ("network",), FIELDS))
        declared = {
            key: first[key] if self.rng.random() < 0.5 else self._value(key, name) for key in declares
        }
        expected = {key: first[key] for key in FIELDS if key not in declares}
        return Resource(name, token.id, declared, expected)

    # -- operations ------------------------------------------------------------------------------

    def run(self, engine: PluginEngine) -> Counts:
        began = time.monotonic()
        for _ in range(OPERATIONS):
            self.counts.operations += 1
            roll = self.rng.random()
            if roll < 0.3:
                self.console_change()
            elif roll < 0.75:
                self.up(engine)
            else:
                self.refresh(engine)
        self.use_up_leftover_faults()
        self.finish(engine)
        self.counts.seconds = time.monotonic() - began
        self.counts.requests = len(self.okta.journal)
        return self.counts

    def program(self) -> dict[str, dict[str, Any]]:
        return {resource.name: resource.inputs() for resource in self.kept}

    def up(self, engine: PluginEngine) -> None:
        for _ in range(self.rng.randint(0, 3)):
            self.change_program()
        self.arm_faults(engine)
        self.record(engine.up(self.program()))
        self.counts.ups += 1

    def refresh(self, engine: PluginEngine) -> None:
        self.arm_faults(engine)
        self.record(engine.refresh())
        self.counts.refreshes += 1

    def change_program(self) -> None:
        resource = self.rng.choice(self.kept)
        if len(self.removed) < MAX_REMOVALS and self.rng.random() < 0.05:
            self.kept.remove(resource)
            self.removed.append(resource)
            return
        key = self.rng.choice(sorted(resource.declared))
        resource.declared[key] = self._value(key, resource.name)

    def console_change(self) -> None:
        """An admin renames or re-zones a managed token in the Admin Console."""
        resource = self.rng.choice(self.kept)
        key = self.rng.choice(FIELDS)
        value = self._value(key, f"{resource.name}-console")
        if self.okta.org.token(resource.token_id) is None:
            return  # revoked by mistake: the end reports it
        self.okta.org.update_token(resource.token_id, **{key: value})
        if key in resource.expected:
            resource.expected[key] = value
        self.counts.console_changes += 1

    def record(self, result: RunResult) -> None:
        self.counts.resource_steps += len(result.steps)
        self.counts.failed_steps += len(result.errors)
        self.match_faults_to_requests()

    # -- faults ----------------------------------------------------------------------------------

    def arm_faults(self, engine: PluginEngine) -> None:
        targets = sorted({*engine.state, *(resource.name for resource in self.kept)})
        by_name = {resource.name: resource for resource in (*self.kept, *self.removed)}
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            kind = self.rng.choices(list(LIST_FAULT_WEIGHTS), weights=list(LIST_FAULT_WEIGHTS.values()))[0]
            token_id = by_name[self.rng.choice(targets)].token_id
            method, path = (
                ("GET", LIST)
                if kind != "retry-after"
                else (self.rng.choice(("GET", "PUT")), token_path(token_id))
            )
            self.okta.inject_fault(method, path, **self.hostile_options(kind, token_id))
            self.armed.append(Armed(kind, method, path))
            self.counts.faults_armed += 1
        for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
            kind = self.rng.choices(list(FAULT_WEIGHTS), weights=list(FAULT_WEIGHTS.values()))[0]
            method = self.rng.choice(FAULT_METHODS[kind])
            token_id = by_name[self.rng.choice(targets)].token_id
            self.okta.inject_fault(method, token_path(token_id), **self.fault_options(kind, token_id))
            self.armed.append(Armed(kind, method, token_path(token_id)))
            self.counts.faults_armed += 1

    def fault_options(self, kind: str, token_id: str) -> dict[str, Any]:
        if kind == "5xx":
            return {"status": self.rng.choice((500, 502, 503, 504))}
        if kind == "429":
            return {"status": 429}
        if kind == "drop":
            return {"drop": True}
        if kind == "wrong-token":
            others = [resource.token_id for resource in self.kept if resource.token_id != token_id]
            others += [token.id for token in (self.admin, *self.bystanders)]
            active = [other for other in others if self.okta.org.token(other) is not None]
            return {"answer_with_token": self.rng.choice(active)}
        if kind == "not-applied":
            return {"not_applied": True}
        if kind == "html-404":
            return {"status": 404, "html": True}
        if kind == "latency":
            return {"latency": self.rng.uniform(0.05, 0.3)}
        return {"malformed": True}

    def hostile_options(self, kind: str, token_id: str) -> dict[str, Any]:
        """Issue 17's hostile answers (``testing/okta/hostile_lists.py``)."""
        active = [resource.token_id for resource in self.kept if self.okta.org.token(resource.token_id)]
        if kind == "list-duplicate":
            return {"list_duplicate": self.rng.choice(active), "duplicate_name": self._name("a-lie")}
        if kind == "list-duplicate-alike":
            return {"list_duplicate": self.rng.choice(active)}
        if kind == "list-user-object":
            return {
                "extra_entry": {"id": self.user, "status": "ACTIVE", "profile": {"login": "a@example.com"}}
            }
        if kind == "endless-next":
            return {"endless_next": True}
        if kind == "malformed-link":
            return {"malformed_link": True}
        if kind == "nested-json":
            return {"nested_json": 100_000}
        if kind == "oversized-body":
            return {"body_bytes": 17 * 1024 * 1024}
        return {"retry_after": 86400}

    def match_faults_to_requests(self) -> None:
        """Strike off the faults that requests met since the last look (the fake takes the first armed
        fault matching method and path; each token's requests are sequential, so the journal's order is
        the order they met them)."""
        journal = self.okta.journal
        for entry in journal[self.journal_seen :]:
            for armed in self.armed:
                if (armed.method, armed.path) == (entry.method, entry.path):
                    self.armed.remove(armed)
                    self.counts.faults_hit[armed.kind] += 1
                    break
        self.journal_seen = len(journal)

    def use_up_leftover_faults(self) -> None:
        """Meet every fault no request met, with unauthenticated requests that change nothing."""
        leftover, self.armed = self.armed, []
        for armed in leftover:
            body = b"{}" if armed.method == "PUT" else None
            request = urllib.request.Request(
                self.okta.url + armed.path,
                data=body,
                method=armed.method,
                headers={"Content-Type": "application/json"},
            )
            with contextlib.suppress(OSError):  # HTTP errors and dropped connections alike
                urllib.request.urlopen(request, timeout=10).close()
        self.journal_seen = len(self.okta.journal)

    # -- the end ---------------------------------------------------------------------------------

    def finish(self, engine: PluginEngine) -> None:
        # Each in a new plugin process, as every operation of the run (PluginEngine's default, as the CLI).
        for label, result in (("refresh", engine.refresh()), ("up", engine.up(self.program()))):
            for name, error in result.errors.items():
                self.violate(f"clean {label} failed for {name}: {error.splitlines()[-1] if error else ''}")
        for resource in self.kept:
            self.check_kept(engine, resource)
        for resource in self.removed:
            self.check_removed(engine, resource)
        for token_id, first in self.untouched.items():
            live = self.okta.org.token(token_id)
            if live is None:
                self.violate(f"token {token_id} ({first.name if first else ''}) revoked, never managed")
            elif first is not None and (live.name, live.network) != (first.name, first.network):
                self.violate(f"token {token_id} changed although never managed")
        extra = set(engine.state) - {resource.name for resource in self.kept}
        for name in sorted(extra - {resource.name for resource in self.removed}):
            self.violate(f"the state holds {name}, which the program never declared")

    def check_kept(self, engine: PluginEngine, resource: Resource) -> None:
        live = self.okta.org.token(resource.token_id)
        if live is None:
            self.violate(f"{resource.name}: token {resource.token_id} revoked, the program keeps it")
            return
        values = {"name": live.name, "network": live.network}
        for key, value in resource.declared.items():
            if not same(key, value, values[key]):
                self.violate(f"{resource.name}: declared {key} {value!r}, Okta has {values[key]!r}")
        for key, value in resource.expected.items():
            if not same(key, value, values[key]):
                self.violate(
                    f"{resource.name}: undeclared {key} is {values[key]!r}, the console set {value!r}"
                )
        stored = engine.state.get(resource.name)
        if stored is None:
            self.violate(f"{resource.name}: not in the state")
        elif stored.id != resource.token_id or without_provider(stored.outputs) != live_outputs(live):
            self.violate(f"{resource.name}: the state (id {stored.id}) disagrees with Okta")

    def check_removed(self, engine: PluginEngine, resource: Resource) -> None:
        if self.okta.org.token(resource.token_id) is not None:
            self.violate(f"{resource.name}: removed from the program, token {resource.token_id} still active")
        if resource.name in engine.state:
            self.violate(f"{resource.name}: removed from the program, still in the state")

    def violate(self, text: str) -> None:
        self.counts.violations.append(text)


def same(key: str, declared: Any, live: Any) -> bool:
    if key == "name":
        return bool(declared == live)
    return live is not None and NetworkCondition.model_validate(declared).same_as(live)


def test_a_seeded_soak_with_random_faults_revokes_nothing_kept_and_changes_nothing_undeclared(
    record_property: Any,
) -> None:
    with FakeOkta(rate_limit=None, seed=SEED) as okta:
        soak = Soak(okta, random.Random(SEED))
        with PluginEngine(soak.config) as engine:
            counts = soak.run(engine)
    print(counts.summary())
    for text in counts.violations:
        print("  violation:", text)
    record_property("soak", counts.summary())
    assert counts.ups + counts.refreshes > OPERATIONS // 2
    assert counts.violations == []


@pytest.fixture(autouse=True)
def _quiet_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unauthenticated requests that use up leftover faults go straight to 127.0.0.1."""
    for key in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(key, raising=False)
