"""The console script as the CLI runs it: port line, arguments, loopback, load sequence, shutdown."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf.empty_pb2 import Empty
from native_org import NativeOrg
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from pulumi_okta_token.native.__main__ import engine_address
from pulumi_okta_token.native.schema import package_version, schema
from pulumi_okta_token.testing.engine import NativeEngine
from pulumi_okta_token.testing.engine.native import plugin_command

ENGINE_ARGS = ["--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:1/trace", "127.0.0.1:1"]


class Plugin:
    """One plugin process started by hand, with the CLI's arguments."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.process.stdout is not None
        self.first_line = self.process.stdout.readline().decode()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.first_line.strip()}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def exit_code(self, timeout: float = 15) -> int:
        self.channel.close()
        return self.process.wait(timeout=timeout)

    def stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read().decode()


@pytest.fixture
def plugin() -> Iterator[Plugin]:
    started = Plugin([plugin_command(), *ENGINE_ARGS])
    yield started
    if started.process.poll() is None:
        started.process.kill()
        started.process.wait()


def test_the_plugin_prints_its_port_as_the_first_stdout_line(plugin: Plugin) -> None:
    assert plugin.first_line.strip().isdigit()
    assert plugin.stub.GetPluginInfo(Empty(), timeout=30).version == package_version()


def test_nothing_printed_while_the_plugin_starts_precedes_the_port() -> None:
    noisy = (
        "import sys\n"
        "from pulumi_okta_token.native import __main__ as plugin\n"
        "serve = plugin._serve\n"
        "def noisy(stop):\n"
        "    print('a library talking on stdout')\n"
        "    return serve(stop)\n"
        "plugin._serve = noisy\n"
        "sys.exit(plugin.main())\n"
    )
    started = Plugin([sys.executable, "-c", noisy, *ENGINE_ARGS])
    try:
        assert started.first_line.strip().isdigit()
        started.stub.Cancel(Empty(), timeout=30)
        assert started.exit_code() == 0
        assert "a library talking on stdout" in started.stderr()
    finally:
        if started.process.poll() is None:
            started.process.kill()


def test_the_engine_address_is_the_last_argument_after_the_engine_flags() -> None:
    assert engine_address(ENGINE_ARGS) == "127.0.0.1:1"
    assert engine_address(["--tracing", "http://127.0.0.1:1/trace"]) is None
    assert engine_address([]) is None


LOOPBACK = {"0100007F", "0000000000000000FFFF00000100007F"}  # 127.0.0.1, and ::ffff:127.0.0.1 (gRPC's)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
def test_the_plugin_listens_on_the_loopback_address_only(plugin: Plugin) -> None:
    port = f"{int(plugin.first_line):04X}"
    listening = {
        fields[1].split(":")[0]
        for table in ("/proc/net/tcp", "/proc/net/tcp6")
        if Path(table).exists()
        for fields in (line.split() for line in Path(table).read_text().splitlines()[1:])
        if fields[3] == "0A" and fields[1].split(":")[1] == port
    }

    assert listening and listening <= LOOPBACK


def test_the_plugin_exits_with_status_0_after_cancel(plugin: Plugin) -> None:
    plugin.stub.Cancel(Empty(), timeout=30)

    assert plugin.exit_code() == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_plugin_exits_with_status_0_on_a_signal(plugin: Plugin, signum: int) -> None:
    plugin.stub.GetPluginInfo(Empty(), timeout=30)
    plugin.process.send_signal(signum)

    assert plugin.exit_code() == 0


@pytest.mark.parametrize(
    ("method", "request_message"),
    [
        ("Invoke", provider_pb2.InvokeRequest(tok="okta-token:index:getApiToken")),
        ("Call", provider_pb2.CallRequest(tok="okta-token:index:ApiToken/rotate")),
        ("Construct", provider_pb2.ConstructRequest(type="okta-token:index:Component")),
        ("Parameterize", provider_pb2.ParameterizeRequest()),
        ("GetMapping", provider_pb2.GetMappingRequest(key="terraform")),
        ("Attach", plugin_pb2.PluginAttach(address="127.0.0.1:1")),
    ],
)
def test_rpcs_the_plugin_does_not_serve_answer_unimplemented(
    plugin: Plugin, method: str, request_message: object
) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        getattr(plugin.stub, method)(request_message, timeout=30)

    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_handshake_says_the_plugin_accepts_secrets(plugin: Plugin) -> None:
    answer = plugin.stub.Handshake(provider_pb2.ProviderHandshakeRequest(engine_address="127.0.0.1:1"))

    assert answer.accept_secrets


def test_get_schema_answers_the_committed_schema_with_the_package_version(plugin: Plugin) -> None:
    answered = json.loads(plugin.stub.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=30).schema)

    assert answered == {**schema(), "version": package_version()}


def test_a_request_for_another_resource_type_is_refused(plugin: Plugin) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        plugin.stub.Check(
            provider_pb2.CheckRequest(
                urn="urn:pulumi:s::p::okta:index/apiToken:ApiToken::x", type="okta:index/apiToken:ApiToken"
            )
        )

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "okta-token:index:ApiToken" in (refused.value.details() or "")


def test_each_operation_loads_the_plugin_as_the_engine_does_and_ends_it_with_cancel(
    engine: NativeEngine, org: NativeOrg
) -> None:
    engine.refresh()

    assert engine.calls == ["Handshake", "GetPluginInfo", "CheckConfig", "Configure", "Cancel"]
    assert engine.exit_codes == [0]
    assert engine.stdout_lines[0].strip().isdigit() and len(engine.stdout_lines) == 1
