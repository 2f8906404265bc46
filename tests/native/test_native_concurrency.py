"""The native plugin serves as many calls at once as the engine sends (its default parallelism is at
least 16), and prints its port before it imports Pulumi."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from native_org import TOKENS, NativeOrg
from pulumi.runtime.proto import provider_pb2

from pulumi_okta_token.native import deferred, workers
from pulumi_okta_token.native.__main__ import GRPC_OPTIONS
from pulumi_okta_token.testing.engine import NativeEngine
from pulumi_okta_token.testing.engine.imports import NATIVE_TYPE
from pulumi_okta_token.testing.engine.native import ENGINE_ARGS

AT_ONCE = 16
SLOW_ANSWER = 1.5
"""Seconds the fake takes to answer each DELETE, so the calls overlap if the plugin serves them together."""


def test_the_plugin_sends_16_calls_to_okta_at_once(fake_okta: Any) -> None:
    org = NativeOrg(fake_okta)
    tokens = [fake_okta.org.add_token(name=f"t{n}", user_id=org.user) for n in range(AT_ONCE)]
    engine = NativeEngine(org.config)
    with engine.plugin() as stub:
        # A first call's answer tells the rate limit: the budget sends what comes next together.
        stub.Read(
            provider_pb2.ReadRequest(id=org.token.id, urn=engine.urn("ci"), type=NATIVE_TYPE), timeout=30
        )
        fake_okta.inject_fault("DELETE", TOKENS, latency=SLOW_ANSWER, times=None)

        def delete(n: int) -> None:
            request = provider_pb2.DeleteRequest(id=tokens[n].id, urn=engine.urn(f"t{n}"), type=NATIVE_TYPE)
            stub.Delete(request, timeout=60)

        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            list(pool.map(delete, range(AT_ONCE)))

    assert all(fake_okta.org.token(token.id) is None for token in tokens)
    # Requests in flight together each need a connection of their own.
    assert fake_okta.connections >= AT_ONCE


def test_the_plugin_prints_its_port_before_it_imports_pulumi() -> None:
    spy = (
        "import sys\n"
        "from pulumi_okta_token.native import __main__ as plugin\n"
        "attach = plugin._attach_servicer\n"
        "def spy(handlers, stop):\n"
        "    heavy = sorted(m for m in ('pulumi', 'okta', 'pydantic', 'aiohttp') if m in sys.modules)\n"
        "    sys.stderr.write(f'imported before the servicer: {heavy}\\n')\n"
        "    attach(handlers, stop)\n"
        "plugin._attach_servicer = spy\n"
        "sys.exit(plugin.main())\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", spy, *ENGINE_ARGS], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip().isdigit()
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "imported before the servicer: []" in stderr.decode()


def test_a_call_that_comes_before_the_servicer_is_served_once_it_is_ready() -> None:
    handlers = deferred.DeferredHandlers()
    answered: list[Any] = []
    waiting = threading.Thread(target=lambda: answered.append(handlers.service("Handshake")))
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive()

    class Servicer:
        def service(self, details: Any) -> Any:
            return f"handler of {details}"

    handlers.add_generic_rpc_handlers([Servicer()])
    handlers.ready()
    waiting.join(5)
    assert answered == ["handler of Handshake"]


def test_the_thread_pool_follows_the_engines_default_parallelism() -> None:
    assert workers.worker_count({}, cpus=8) == 32  # GOMAXPROCS x 4
    assert workers.worker_count({}, cpus=1) == workers.MIN_WORKERS == 16
    assert workers.worker_count({"PULUMI_PARALLEL": "40"}, cpus=2) == 40
    assert workers.worker_count({"PULUMI_PARALLEL": "2147483647"}, cpus=2) == workers.MAX_WORKERS
    assert workers.worker_count({"PULUMI_PARALLEL": "zero"}, cpus=2) == 16


def test_the_grpc_options_are_pulumis_own() -> None:
    from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS

    assert list(GRPC_OPTIONS) == list(_GRPC_CHANNEL_OPTIONS)


def test_a_plugin_whose_servicer_cannot_load_exits_with_an_error() -> None:
    broken = (
        "import sys\n"
        "from pulumi_okta_token.native import __main__ as plugin\n"
        "def broken(handlers, stop):\n"
        "    raise ImportError('no servicer')\n"
        "plugin._attach_servicer = broken\n"
        "sys.exit(plugin.main())\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", broken, *ENGINE_ARGS], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip().isdigit()
        assert process.wait(timeout=30) == 1
    finally:
        if process.poll() is None:
            process.kill()
        _, stderr = process.communicate(timeout=30)
    assert "ImportError: no servicer" in stderr.decode()
