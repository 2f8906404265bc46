"""How many calls the native plugin serves at once: as many as the engine sends.

The Pulumi CLI runs up to ``--parallel`` resource operations at once; unset, that is
``PULUMI_PARALLEL`` when set, else 4 x ``runtime.GOMAXPROCS(0)`` (the machine's CPUs): ``defaultParallel``
in ``pkg/cmd/pulumi/operations/up.go#L70-88`` (pulumi/pulumi pkg v3.276.0, the CLI this repository pins in
``tools/pulumi/go.mod``; issue pulumi/pulumi#14989 chose cpu x 4), used by ``up``, ``preview``,
``refresh``, ``destroy`` and ``import`` alike. The plugin runs on the engine's machine and gets its
environment, so it sizes its thread pool the same way, and never below ``MIN_WORKERS``: a call that
finds no free thread would wait for one while Okta could have been asked. What reaches Okta is paced by
the process's one rate-limit budget (``_transport/_budget.py``), not by the thread count.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["MAX_WORKERS", "MIN_WORKERS", "PER_CPU", "worker_count"]

PER_CPU = 4
"""The engine's default parallelism per CPU (``up.go#L72``: ``GOMAXPROCS(0) * 4``)."""
MIN_WORKERS = 16
"""The fewest threads: the engine's default on a 4-CPU machine."""
MAX_WORKERS = 256
"""The most threads, whatever ``PULUMI_PARALLEL`` says (it may be up to 2**31 - 1)."""


def worker_count(environ: Mapping[str, str] | None = None, cpus: int | None = None) -> int:
    """Threads for the plugin's gRPC server: ``PULUMI_PARALLEL`` when it is a positive whole number,
    else ``PER_CPU`` x the CPUs this process may run on; at least ``MIN_WORKERS``, at most
    ``MAX_WORKERS``."""
    env = os.environ if environ is None else environ
    parallel = _positive(env.get("PULUMI_PARALLEL", ""))
    if parallel is None:
        parallel = PER_CPU * (cpus if cpus is not None else _cpus())
    return max(MIN_WORKERS, min(parallel, MAX_WORKERS))


def _positive(text: str) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value > 0 else None


def _cpus() -> int:
    """The CPUs this process may run on (its affinity where the platform tells it), at least 1."""
    sched_getaffinity = getattr(os, "sched_getaffinity", None)
    if sched_getaffinity is not None:
        return max(len(sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)
