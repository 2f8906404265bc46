"""One version, everywhere (issue 13): written once, in ``pulumi_okta_token/_version.py``.

The distribution's metadata reads it (pyproject's ``[tool.setuptools.dynamic]``), the package exports it
as ``__version__``, the transport sends it in its ``User-Agent``, and the native plugin answers it to
``GetPluginInfo``. ``tests/test_packaging.py`` checks the built wheel's metadata, and ``make dist`` the
artifacts' names.
"""

from __future__ import annotations

import http.server
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from packaging.version import Version

import pulumi_okta_token
from pulumi_okta_token import _version
from pulumi_okta_token._settings import ApiTokenAuth, OktaSettings
from pulumi_okta_token._transport import OktaApiTokens
from pulumi_okta_token.errors import NotFound

ROOT = Path(__file__).resolve().parents[1]
VERSION = _version.__version__
ABSENT_TOKEN = "00T0000000000000000v"


def test_the_package_exports_the_version_written_in_version_py() -> None:
    assert pulumi_okta_token.__version__ == VERSION


def test_the_version_is_a_normalized_pep_440_version() -> None:
    assert str(Version(VERSION)) == VERSION


def test_the_installed_distribution_reports_the_same_version() -> None:
    installed = importlib.metadata.version("pulumi-okta-token")

    assert installed == VERSION, (
        "the installed metadata predates _version.py: reinstall (make -B .venv/.installed-test)"
    )


def test_pulumi_plugin_json_names_no_other_version() -> None:
    plugin = json.loads((ROOT / "pulumi_okta_token" / "pulumi-plugin.json").read_text())

    assert plugin.get("version", VERSION) == VERSION


# -- the User-Agent, as Okta receives it -------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Records each request's User-Agent and answers Okta's 404 for an unknown token."""

    user_agents: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent"))
        body = json.dumps({"errorCode": "E0000007", "errorSummary": "Not found: Resource not found"}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str | None]]]:
    """A local server standing in for the org: its URL and the User-Agents it received."""
    _Recorder.user_agents = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.user_agents
    finally:
        server.shutdown()
        server.server_close()


def test_the_user_agent_sent_to_okta_carries_the_version(recorder: tuple[str, list[str | None]]) -> None:
    url, user_agents = recorder
    api = OktaApiTokens(OktaSettings(org_url=url, auth=ApiTokenAuth("00abcdefSECRETtoken1234567890")))

    with pytest.raises(NotFound):
        api.get(ABSENT_TOKEN)

    (sent,) = user_agents
    assert sent is not None and sent.split()[-1] == f"pulumi-okta-token/{VERSION}"  # after the SDK's own


# -- the native plugin (issue 12), when this tree has it -----------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("pulumi_okta_token.native") is None, reason="no native plugin in this tree"
)
def test_the_native_plugin_reports_the_version_to_get_plugin_info() -> None:
    import grpc
    from google.protobuf.empty_pb2 import Empty
    from pulumi.runtime.proto import provider_pb2_grpc

    plugin = subprocess.Popen(
        [sys.executable, "-m", "pulumi_okta_token.native", "127.0.0.1:1"], stdout=subprocess.PIPE
    )
    try:
        assert plugin.stdout is not None
        with grpc.insecure_channel(f"127.0.0.1:{plugin.stdout.readline().decode().strip()}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            info = stub.GetPluginInfo(Empty(), timeout=60)
            stub.Cancel(Empty(), timeout=60)
        assert info.version == VERSION
        assert plugin.wait(timeout=30) == 0
    finally:
        if plugin.poll() is None:
            plugin.kill()
            plugin.wait(timeout=10)


def test_the_version_is_also_a_semantic_version_for_the_pulumi_cli() -> None:
    # The native plugin reports __version__ in GetPluginInfo, and the CLI reads plugin versions as semver
    # (pkg/host/host.go); a PEP 440 pre-release such as 0.2.0.dev0 is not one.
    assert re.fullmatch(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)", VERSION), VERSION
