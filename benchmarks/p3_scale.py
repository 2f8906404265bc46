"""Benchmark P3 of issue 10: a whole org's tokens in one ``up``, one ``refresh``, one ``destroy``.

``python benchmarks/run.py --only p3 [--n 50,200] [--scenarios a,b,c,latency] [--ops adopt,refresh]``
(or ``python benchmarks/p3_scale.py`` with the same P3 options).

For N tokens seeded in a fake org (N = 50, 200, 500), the real plugin, started and driven by
``PluginEngine`` as the Pulumi engine drives it (16 resources at a time), runs:

* **adopt**: an ``up`` declaring all N with their name and network; 10% of them drift (half have
  another name in Okta, half another network), so they need a PUT;
* **refresh** of the N adopted tokens (none drifts by then);
* **destroy** of the N (each token revoked).

Each operation runs in a new plugin process, as the CLI starts one per command; the process start is
not in the wall time (P1 measures it). The scenarios (the fake Okta's settings):

* **a** unlimited: no rate limits, no added latency (plain http on loopback);
* **b** 100 requests/minute for the provider's own token: an ``/api/v1`` bucket of 200 a minute with
  Okta's default 50% share per token; the ``X-Rate-Limit-*`` headers show the bucket, as Okta's do.
  Each operation starts in a fresh one-minute window (the benchmark waits for the minute to turn;
  the wait is not in the wall time);
* **c** 100 ms of round-trip time over TLS: ``FakeOkta(tls=True, rtt=0.1)``, the fake's latency relay
  (a new connection pays a TCP and a TLS handshake, each request a round trip); no rate limits.
* **latency**: the ratio the issue's latency target uses, measured in the same run: adopt and refresh
  of 500 matching tokens over TLS through the 100 ms relay, against the same over TLS with no relay.

Each row shows the requests by method in the fake's journal (list pages apart from GETs by id; the
429 answers are counted in their method too), the fewest requests that give the result (``need``,
below), the TCP connections the fake accepted and the TLS handshakes begun (``conns``, ``TLS``), the
wall time, the floor, the wall time's ratio to the floor, and the failed operations of those tried.

**The floor** is the least time the same result needs, from what an operation cannot avoid:

* requests: reading the N tokens costs the list's pages (Okta serves at most 200 tokens a page; the
  org holds the N tokens and the provider's own) or N GETs, whichever is fewer; an adopt adds one
  PUT per drifting token (name and network are declared, so no read is needed before it); a destroy
  is N DELETEs;
* dependent round trips: a new connection's handshakes (1 for TCP, 1 more for TLS 1.3), then for the
  list its pages one after another, then the PUTs; independent requests (PUTs, DELETEs, GETs by id)
  go in waves of at most 16, the resources the engine runs at a time;
* floor = max(requests ÷ the token's rate, RTT x dependent round trips), the smaller of the two ways
  of reading (list or GETs). With neither a rate limit nor added latency (scenario a) the floor is 0
  and the ratio is not shown. Requests ÷ rate is the sustained rate: a fresh window lets a first
  burst go faster, so a ratio below 1 is possible under (b).

Every operation is bounded: it is stopped (its plugin killed) after ``3 x floor + --timeout`` seconds
and its row says so; the next operations of that N and scenario are then skipped. Nothing here asserts
a figure: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pulumi_okta_token.testing import FakeOkta, PluginEngine
from pulumi_okta_token.testing.engine import RunResult
from pulumi_okta_token.testing.okta.backend import FakeOrg
from pulumi_okta_token.testing.okta.controls import MAX_PAGE_SIZE, JournalEntry

__all__ = [
    "CONNECT_ROUND_TRIPS",
    "DEFAULT_NS",
    "DRIFT_PERCENT",
    "ENGINE_PARALLELISM",
    "OPERATIONS",
    "SCENARIOS",
    "Need",
    "P3Options",
    "Scenario",
    "add_arguments",
    "drifting",
    "error_kind",
    "floor_seconds",
    "list_pages",
    "main",
    "needs",
    "run",
    "seed_org",
    "unavoidable_requests",
]

# ---------------------------------------------------------------------------------------------
# What is measured

DEFAULT_NS = (50, 200, 500)
OPERATIONS = ("adopt", "refresh", "destroy")
DRIFT_PERCENT = 10
"""Percent of the declared tokens whose name or network differs in Okta before the adopt."""
ENGINE_PARALLELISM = 16
"""Resources ``PluginEngine`` runs at a time (its thread pool), as the engine runs independent ones."""
CONNECT_ROUND_TRIPS = {False: 1, True: 2}
"""Round trips before a new connection carries a request: TCP's handshake, and TLS 1.3's on top."""
LIST_PATH = "/api/v1/api-tokens"
TOKENS_PATH = "/api/v1/api-tokens/*"
DEFAULT_PAGE_SIZE = 20
"""The fake's list page when a request asks no ``limit``: Okta's documented default (``limit`` 1..200)."""


@dataclass(frozen=True)
class Scenario:
    """The fake Okta's settings for one column of the issue's table."""

    key: str
    label: str
    bucket: int | None
    """The org's ``/api/v1`` bucket (requests a minute); ``None``: no rate limits."""
    share: int
    """Percent of the bucket one token may use."""
    tls: bool
    rtt: float | None
    """Seconds of round-trip time added by the fake's latency relay; ``None``: none."""

    @property
    def rate(self) -> int | None:
        """Requests a minute the provider's token may make (its share of the bucket), or ``None``."""
        if self.bucket is None:
            return None
        return max(self.bucket * self.share // 100, 1)

    def fake_okta(self, declared: int, page_size: int) -> FakeOkta:
        """The fake Okta of this scenario, seeded for ``declared`` tokens (not started)."""
        return FakeOkta(
            tls=self.tls,
            rtt=self.rtt,
            rate_limit=self.bucket,
            token_share=self.share,
            page_size=page_size,
            seed=declared,
        )


SCENARIOS: dict[str, Scenario] = {
    "a": Scenario("a", "unlimited", bucket=None, share=50, tls=False, rtt=None),
    "b": Scenario("b", "100 req/min", bucket=200, share=50, tls=False, rtt=None),
    "c": Scenario("c", "100 ms RTT, TLS", bucket=None, share=50, tls=True, rtt=0.1),
}
LATENCY = "latency"
"""The extra part: adopt and refresh of matching tokens with 100 ms RTT over TLS against none."""
LATENCY_RTT = 0.1
LATENCY_N = 500

# ---------------------------------------------------------------------------------------------
# The floor


@dataclass(frozen=True)
class Need:
    """What one way of doing an operation cannot avoid."""

    requests: int
    round_trips: int
    """Round trips one after another once a connection is open (its handshakes not included)."""

    def seconds(self, rate: int | None, rtt: float | None, tls: bool) -> float:
        """The least time: the requests at ``rate`` a minute, or the round trips at ``rtt`` plus a
        connection's handshakes, whichever takes longer (they overlap)."""
        by_rate = self.requests * 60 / rate if rate else 0.0
        by_latency = rtt * (CONNECT_ROUND_TRIPS[tls] + self.round_trips) if rtt and self.requests else 0.0
        return max(by_rate, by_latency)


def drifting(declared: int) -> int:
    """How many of ``declared`` tokens drift before the adopt (``DRIFT_PERCENT``, rounded down)."""
    return declared * DRIFT_PERCENT // 100


def list_pages(org_tokens: int, page_size: int = MAX_PAGE_SIZE) -> int:
    """Requests to list ``org_tokens`` tokens, ``page_size`` a page (one at least)."""
    return max(1, math.ceil(org_tokens / page_size))


def _waves(requests: int, parallelism: int = ENGINE_PARALLELISM) -> int:
    """Round trips for independent requests, ``parallelism`` in flight at a time."""
    return math.ceil(requests / parallelism)


def needs(
    operation: str, declared: int, writes: int, org_tokens: int, parallelism: int = ENGINE_PARALLELISM
) -> list[Need]:
    """The ways of doing ``operation`` on ``declared`` tokens (``writes`` of them need a PUT) in an org
    of ``org_tokens``: reading them by listing the org, or by one GET each. A destroy only deletes.
    ``parallelism``: the resources the engine runs at a time (the real CLI's ``--parallel`` for P5)."""
    if operation == "destroy":
        return [Need(declared, _waves(declared, parallelism))]
    if operation == "refresh":
        writes = 0
    elif operation != "adopt":
        raise ValueError(f"operation must be one of {OPERATIONS}, got {operation!r}")
    pages = list_pages(org_tokens)
    by_list = Need(pages + writes, pages + _waves(writes, parallelism))
    # By GET, a drifting token's PUT follows its GET: two round trips at least.
    by_get = Need(declared + writes, max(_waves(declared + writes, parallelism), 2 if writes else 1))
    return [by_list, by_get]


def unavoidable_requests(operation: str, declared: int, writes: int, org_tokens: int) -> int:
    """The fewest requests that give the operation's result."""
    return min(need.requests for need in needs(operation, declared, writes, org_tokens))


def floor_seconds(
    operation: str,
    declared: int,
    writes: int,
    org_tokens: int,
    scenario: Scenario,
    parallelism: int = ENGINE_PARALLELISM,
) -> float:
    """The least time the operation's result needs under ``scenario`` (module docstring), with
    ``parallelism`` resources at a time."""
    return min(
        need.seconds(scenario.rate, scenario.rtt, scenario.tls)
        for need in needs(operation, declared, writes, org_tokens, parallelism)
    )


# ---------------------------------------------------------------------------------------------
# The org and the program


@dataclass
class Seeded:
    """A seeded org: the provider's credential and the program declaring the N tokens."""

    admin_secret: str
    admin_id: str
    program: dict[str, dict[str, Any]]
    drifting: int
    org_tokens: int


def seed_org(org: FakeOrg, declared: int, drift: bool = True) -> Seeded:
    """The provider's own token and ``declared`` tokens, with the program that adopts them.

    Every tenth token (``drifting``) differs from the program in Okta: alternately its name, or its
    network (a zone instead of ``ANYWHERE``). With ``drift=False`` every token matches.
    """
    user = org.add_user()
    zone = org.add_zone(name="office")
    admin = org.add_token(name="pulumi-automation", user_id=user)
    program: dict[str, dict[str, Any]] = {}
    count = 0
    for index in range(declared):
        name = f"p3-{index:04d}"
        drifts = drift and index % (100 // DRIFT_PERCENT) == 0 and count < drifting(declared)
        network: dict[str, Any] = {"connection": "ANYWHERE"}
        if drifts and count % 2 == 1:
            network = {"connection": "ZONE", "include": [zone]}
        token = org.add_token(
            name=f"{name}-renamed" if drifts and count % 2 == 0 else name, user_id=user, network=network
        )
        count += drifts
        program[f"token-{index:04d}"] = {
            "token_id": token.id,
            "name": name,
            "network": {"connection": "ANYWHERE"},
        }
    return Seeded(admin.secret, admin.id, program, count, org_tokens=declared + 1)


# ---------------------------------------------------------------------------------------------
# Options


@dataclass(frozen=True)
class P3Options:
    ns: tuple[int, ...] = DEFAULT_NS
    scenarios: tuple[str, ...] = (*SCENARIOS, LATENCY)
    operations: tuple[str, ...] = OPERATIONS
    timeout: float = 180.0
    """Seconds an operation may take beyond 3 x its floor before it is stopped."""
    page_size: int = DEFAULT_PAGE_SIZE
    latency_runs: int = 1
    latency_n: int = LATENCY_N

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> P3Options:
        return cls(
            ns=tuple(args.n or DEFAULT_NS),
            scenarios=tuple(args.scenarios),
            operations=tuple(args.ops),
            timeout=args.timeout,
            page_size=args.page_size,
            latency_runs=args.latency_runs,
            latency_n=args.latency_n,
        )


def _choices(allowed: Sequence[str], what: str) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        picked = [part.strip() for part in text.split(",") if part.strip()]
        wrong = [part for part in picked if part not in allowed]
        if wrong or not picked:
            raise argparse.ArgumentTypeError(f"{what}: a comma-separated subset of {','.join(allowed)}")
        return picked

    return parse


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("--n: comma-separated token counts, e.g. 50,200,500")
    return sizes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """P3's options (shared by ``run.py`` and this module's ``main``)."""
    group = parser.add_argument_group("P3 (scale)")
    group.add_argument(
        "--n", type=_sizes, default=None, help="token counts (default 50,200,500 for P3, 50,500 for P5)"
    )
    group.add_argument(
        "--scenarios",
        type=_choices([*SCENARIOS, LATENCY], "--scenarios"),
        default=[*SCENARIOS, LATENCY],
        help="a (unlimited), b (100 requests/min), c (100 ms RTT over TLS), latency (the target's ratio, "
        "--latency-n tokens); default all",
    )
    group.add_argument(
        "--ops",
        type=_choices(OPERATIONS, "--ops"),
        default=list(OPERATIONS),
        help="operations to measure (default adopt,refresh,destroy); state for a later one is made "
        "unmeasured, with rate limits off",
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        help="seconds an operation may take beyond 3 x its floor before it is stopped (default 180)",
    )
    group.add_argument(
        "--page-size",
        type=int,
        default=DEFAULT_PAGE_SIZE,
        help=f"the fake's list page when a request asks no limit (default {DEFAULT_PAGE_SIZE}, as Okta)",
    )
    group.add_argument(
        "--latency-n", type=int, default=LATENCY_N, help=f"tokens of the latency part (default {LATENCY_N})"
    )
    group.add_argument(
        "--latency-runs", type=int, default=1, help="runs of the latency part, median shown (default 1)"
    )


# ---------------------------------------------------------------------------------------------
# Running operations


@dataclass
class Row:
    scenario: Scenario
    declared: int
    operation: str
    journal: list[JournalEntry] = field(default_factory=list)
    connections: int = 0
    tls_handshakes: int = 0
    seconds: float = 0.0
    floor: float = 0.0
    need: int = 0
    """The fewest requests that give the operation's result."""
    attempted: int = 0
    failed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    timed_out: bool = False

    def count(self, method: str, *, listing: bool = False) -> int:
        return sum(
            1 for entry in self.journal if entry.method == method and (entry.path == LIST_PATH) == listing
        )

    @property
    def label(self) -> str:
        return f"{self.scenario.key} {self.scenario.label}".strip()

    @property
    def throttled(self) -> int:
        return sum(1 for entry in self.journal if entry.status == 429)


def planned_row(
    scenario: Scenario,
    declared: int,
    operation: str,
    writes: int,
    org_tokens: int,
    parallelism: int = ENGINE_PARALLELISM,
) -> Row:
    """A row not measured yet: its floor and the requests its result needs."""
    row = Row(scenario, declared, operation)
    row.floor = floor_seconds(operation, declared, writes, org_tokens, scenario, parallelism)
    row.need = unavoidable_requests(operation, declared, writes, org_tokens)
    return row


def header(first: str = "scenario") -> str:
    return (
        f"   {first:<18} {'N':>4} {'operation':<8} {'list':>4} {'GET':>4} {'PUT':>4} {'DELETE':>6} "
        f"{'429':>4} {'need':>4} {'conns':>5} {'TLS':>4} "
        f"{'wall s':>7} {'floor s':>7} {'ratio':>6} {'failed':>8}"
    )


def format_row(row: Row) -> str:
    ratio = f"{row.seconds / row.floor:6.2f}" if row.floor > 0 else f"{'-':>6}"
    failed = "timeout" if row.timed_out else f"{row.failed}/{row.attempted}"
    return (
        f"   {row.label:<18} {row.declared:>4} {row.operation:<8} "
        f"{row.count('GET', listing=True):>4} {row.count('GET'):>4} {row.count('PUT'):>4} "
        f"{row.count('DELETE'):>6} {row.throttled:>4} {row.need:>4} "
        f"{row.connections:>5} {row.tls_handshakes:>4} "
        f"{row.seconds:7.2f} {row.floor:7.2f} {ratio} {failed:>8}"
    )


_VARYING = (
    (re.compile(r"\b00T[0-9A-Za-z]{17}\b"), "00T…"),
    (re.compile(r", errorId [^)\s]+"), ""),
    (re.compile(r"https?://127\.0\.0\.1:\d+"), "<org>"),
    (re.compile(r"^[\w.]+\.(?=\w+: )"), ""),
)


def error_kind(text: str, width: int = 170) -> str:
    """The last line of an error (the exception the user sees), without what differs per token, cut."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    kind = lines[-1] if lines else ""
    for pattern, replacement in _VARYING:
        kind = pattern.sub(replacement, kind)
    return kind if len(kind) <= width else kind[: width - 1] + "…"


def _bounded(engine: PluginEngine, operation: Callable[[], RunResult], limit: float) -> RunResult | None:
    """Run ``operation``; after ``limit`` seconds stop the plugin (its RPCs then fail) and return None."""
    outcome: list[RunResult] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(operation())
        except BaseException as error:  # the plugin was stopped under it, or the driver broke
            failure.append(error)

    worker = threading.Thread(target=work, name="p3-operation", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        engine.close()
        worker.join(60)
        return None
    if not outcome:
        raise failure[0] if failure else RuntimeError("the operation ended without a result")
    return outcome[0]


def measure(
    okta: FakeOkta, engine: PluginEngine, row: Row, operation: Callable[[], RunResult], timeout: float
) -> RunResult | None:
    """Run one operation in a new plugin process and fill ``row`` from the fake's journal and counters."""
    engine.close()
    engine.start()
    okta.clear_journal()
    connections, handshakes = okta.connections, okta.tls_handshakes
    limit = 3 * row.floor + timeout
    began = time.perf_counter()
    result = _bounded(engine, operation, limit)
    row.seconds = time.perf_counter() - began
    row.journal = okta.journal
    row.connections = okta.connections - connections
    row.tls_handshakes = okta.tls_handshakes - handshakes
    if result is None:
        row.timed_out = True
        return None
    row.attempted = len(result.steps)
    row.failed = len(result.errors)
    row.errors = Counter(error_kind(text) for text in result.errors.values())
    return result


def _wait_for_fresh_window() -> float:
    """Sleep until the fake's one-minute rate-limit window turns (its clock is the real UTC time)."""
    now = time.time()
    wait = (math.floor(now / 60) + 1) * 60 - now + 0.2
    time.sleep(wait)
    return wait


@contextmanager
def _limits_lifted(okta: FakeOkta, scenario: Scenario) -> Iterator[None]:
    """No rate limits inside (unmeasured set-up); the scenario's bucket again after."""
    okta.set_rate_limit(None)
    try:
        yield
    finally:
        okta.set_rate_limit(scenario.bucket)


def _converge(okta: FakeOkta, engine: PluginEngine, scenario: Scenario, program: dict[str, Any]) -> bool:
    """Adopt what the measured adopt left out (or everything), unmeasured, limits off; True when done."""
    with _limits_lifted(okta, scenario):
        for _ in range(3):
            engine.close()
            engine.start()
            if engine.up(program).ok:
                return True
    return False


def _plugin_env(okta: FakeOkta) -> dict[str, str]:
    return {"SSL_CERT_FILE": okta.ca_file} if okta.ca_file else {}


def _engine(okta: FakeOkta, url: str, secret: str, call_timeout: float) -> PluginEngine:
    return PluginEngine(
        {"okta:orgUrl": url, "okta:apiToken": secret}, env=_plugin_env(okta), call_timeout=call_timeout
    )


class _Clock:
    """Totals for the closing line: waits for fresh rate-limit windows."""

    def __init__(self) -> None:
        self.waited = 0.0


def run_scenario(
    scenario: Scenario, declared: int, options: P3Options, clock: _Clock, emit: Callable[[str], None]
) -> None:
    """Adopt, refresh and destroy ``declared`` tokens under ``scenario``; one printed row each."""
    with scenario.fake_okta(declared, options.page_size) as okta:
        seeded = seed_org(okta.org, declared)
        engine = _engine(okta, okta.url, seeded.admin_secret, call_timeout=options.timeout * 4)
        try:
            _run_operations(okta, engine, scenario, seeded, options, clock, emit)
        finally:
            engine.close()


def _run_operations(
    okta: FakeOkta,
    engine: PluginEngine,
    scenario: Scenario,
    seeded: Seeded,
    options: P3Options,
    clock: _Clock,
    emit: Callable[[str], None],
) -> None:
    declared = len(seeded.program)
    adopted = False
    for operation in OPERATIONS:
        if operation not in options.operations:
            continue
        if operation != "adopt" and not adopted:
            if not _converge(okta, engine, scenario, seeded.program):
                emit(f"   {scenario.key} N={declared}: the unmeasured adopt did not converge; skipped")
                return
            adopted = True
        writes = seeded.drifting if operation == "adopt" else 0
        row = planned_row(scenario, declared, operation, writes, seeded.org_tokens)
        if scenario.rate is not None:
            clock.waited += _wait_for_fresh_window()
        result = measure(okta, engine, row, _operation(engine, operation, seeded.program), options.timeout)
        emit(format_row(row))
        for text, times in row.errors.most_common(2):
            emit(f"      {times} x {text}")
        if result is None:
            emit(f"      stopped after {row.seconds:.0f} s; the rest of {scenario.key} N={declared} skipped")
            return
        adopted = operation == "adopt" and result.ok


def _operation(engine: PluginEngine, operation: str, program: dict[str, Any]) -> Callable[[], RunResult]:
    if operation == "adopt":
        return lambda: engine.up(program)
    if operation == "refresh":
        return engine.refresh
    return engine.destroy


# ---------------------------------------------------------------------------------------------
# The latency target's ratio


NO_LATENCY = Scenario("", "TLS, no latency", bucket=None, share=50, tls=True, rtt=None)
WITH_LATENCY = Scenario("", "TLS, 100 ms RTT", bucket=None, share=50, tls=True, rtt=LATENCY_RTT)


def run_latency(options: P3Options, emit: Callable[[str], None]) -> None:
    """Adopt and refresh of LATENCY_N matching tokens over TLS, with 100 ms RTT and with none."""
    rows: dict[tuple[Scenario, str], list[Row]] = {}
    with FakeOkta(tls=True, rtt=LATENCY_RTT, rate_limit=None, page_size=options.page_size, seed=7) as okta:
        seeded = seed_org(okta.org, options.latency_n, drift=False)
        for _ in range(options.latency_runs):
            for scenario, url in ((NO_LATENCY, okta.direct_url), (WITH_LATENCY, okta.url)):
                for row in _adopt_and_refresh(okta, url, seeded, scenario, options):
                    rows.setdefault((scenario, row.operation), []).append(row)
    emit(
        f"P3 latency target: {options.latency_n} matching tokens over TLS, "
        f"{LATENCY_RTT * 1000:.0f} ms RTT against none "
        f"(same run; median of {options.latency_runs}; target <= 1.3)"
    )
    emit(header("network"))
    for operation in ("adopt", "refresh"):
        medians = {}
        for scenario in (NO_LATENCY, WITH_LATENCY):
            runs = rows.get((scenario, operation), [])
            if runs:
                row = sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]
                medians[scenario] = statistics.median(run.seconds for run in runs)
                emit(format_row(row))
        if len(medians) == 2:
            ratio = medians[WITH_LATENCY] / medians[NO_LATENCY]
            emit(f"      {operation}: {LATENCY_RTT * 1000:.0f} ms RTT / no latency = {ratio:.2f}")


def _adopt_and_refresh(
    okta: FakeOkta, url: str, seeded: Seeded, scenario: Scenario, options: P3Options
) -> list[Row]:
    """Adopt the program with a new stack state through ``url``, then refresh it; a row each."""
    rows = []
    engine = _engine(okta, url, seeded.admin_secret, call_timeout=options.timeout * 4)
    try:
        for operation in ("adopt", "refresh"):
            declared = len(seeded.program)
            row = planned_row(scenario, declared, operation, 0, seeded.org_tokens)
            result = measure(
                okta, engine, row, _operation(engine, operation, seeded.program), options.timeout
            )
            rows.append(row)
            if result is None or not result.ok:
                break
    finally:
        engine.close()
    return rows


# ---------------------------------------------------------------------------------------------
# Entry points


def run(options: P3Options, emit: Callable[[str], None] = print) -> None:
    """Print P3's table (and the latency part) for the chosen N, scenarios and operations."""
    began = time.perf_counter()
    clock = _Clock()
    keys = [key for key in SCENARIOS if key in options.scenarios]
    if keys:
        emit(
            f"P3 scale through the real plugin ({ENGINE_PARALLELISM} resources at a time): adopt "
            f"({DRIFT_PERCENT}% drifting), refresh, destroy; requests from the fake's journal"
        )
        emit(header())
    for key in keys:
        for declared in options.ns:
            run_scenario(SCENARIOS[key], declared, options, clock, emit)
    if LATENCY in options.scenarios:
        run_latency(options, emit)
    took = time.perf_counter() - began
    emit(f"   P3 took {took:.0f} s, of which {clock.waited:.0f} s waiting for fresh rate-limit windows")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    args = parser.parse_args(list(argv) if argv is not None else None)
    run(P3Options.from_args(args))


if __name__ == "__main__":
    main()
