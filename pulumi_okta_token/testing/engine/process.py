"""The plugin process: its environment, start, port, stdout/stderr draining, gRPC channel, stop.

:class:`PluginProcess` is one ``python -u -m pulumi.dynamic`` (the process the Pulumi CLI starts for
every Python dynamic provider) and the channel to it; it knows nothing of the provider protocol
beyond connecting. The driver starts a new one per operation when asked to, so what the processes
write goes to sinks the driver owns and keeps across them.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

import grpc
from pulumi.runtime.proto import provider_pb2_grpc

__all__ = ["PACKAGE_ROOT", "PluginProcess", "PluginStartError", "plugin_env"]

GRPC_MAX_METADATA = 16 << 20
"""Response-header bytes the driver accepts: as much as the Pulumi engine's grpc-go client."""

PACKAGE_ROOT = Path(__file__).resolve().parents[3]
"""The directory holding ``pulumi_okta_token``: put on the plugin's ``PYTHONPATH``."""


class PluginStartError(RuntimeError):
    """The plugin process did not print its port (it died or hung); the message holds its stderr."""


def plugin_env(
    extra: Mapping[str, str] | None,
    inherit: bool,
    pythonpath: Iterable[str | os.PathLike[str]],
    project: str,
) -> dict[str, str]:
    """The plugin's environment: this process's (or only ``PATH``), ``pythonpath`` then our package
    ahead of any ``PYTHONPATH``, ``PULUMI_PROJECT``, then ``extra`` over all of it."""
    env = dict(os.environ) if inherit else {"PATH": os.environ.get("PATH", "")}
    paths = [str(p) for p in pythonpath] + [str(PACKAGE_ROOT)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PULUMI_PROJECT"] = project
    env.update(extra or {})
    return env


class PluginProcess:
    """One plugin process and its gRPC channel.

    :param env: the process's whole environment (see :func:`plugin_env`).
    :param start_timeout: seconds to wait for the port and for the channel to be ready.
    :param stdout, stderr: lists the process's output lines are appended to as they arrive.
    """

    def __init__(
        self, env: Mapping[str, str], start_timeout: float, stdout: list[str], stderr: list[str]
    ) -> None:
        self.env = dict(env)
        self.start_timeout = start_timeout
        self._stdout = stdout
        self._stderr = stderr
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._readers: list[threading.Thread] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self.start_seconds: float | None = None
        """Seconds from process start to the port being printed."""

    @property
    def pid(self) -> int | None:
        """The process id while it runs."""
        return self._process.pid if self._process is not None else None

    def start(self) -> provider_pb2_grpc.ResourceProviderStub:
        """Start the process, wait for the port it prints and connect; the stub talks to it.

        Raises :class:`PluginStartError` when no port comes; the caller then calls :meth:`close`."""
        began = time.perf_counter()
        self._process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
        )
        self._readers = [
            self._reader(self._process.stdout, self._stdout, report_lines=True),
            self._reader(self._process.stderr, self._stderr, report_lines=False),
        ]
        port = self._wait_for_port()
        self.start_seconds = time.perf_counter() - began
        # The Pulumi engine's gRPC client (grpc-go) accepts 16 MiB of response headers
        # (internal/transport/defaults.go: defaultClientMaxHeaderListSize = 16 << 20); Python's default
        # is 8 KiB, which would drop a long error (the dynamic host sends the whole traceback as the
        # status details, in a header). Accept what the engine accepts.
        self._channel = grpc.insecure_channel(
            f"127.0.0.1:{port}", options=[("grpc.max_metadata_size", GRPC_MAX_METADATA)]
        )
        grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        return provider_pb2_grpc.ResourceProviderStub(self._channel)

    def close(self) -> int | None:
        """Close the channel, stop the process (terminate, then kill after 10 s) and reap it; return
        its exit status (``None`` if it never started)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        return process.returncode

    def _reader(self, stream: IO[bytes] | None, sink: list[str], report_lines: bool) -> threading.Thread:
        reader = threading.Thread(target=self._drain, args=(stream, sink, report_lines), daemon=True)
        reader.start()
        return reader

    def _drain(self, stream: IO[bytes], sink: list[str], report_lines: bool) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            sink.append(line)
            if report_lines:
                self._lines.put(line)
        if report_lines:
            self._lines.put(None)

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + self.start_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PluginStartError(
                    f"the plugin printed no port within {self.start_timeout:.0f} s; "
                    f"stderr:\n{self._stderr_text()}"
                )
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise PluginStartError(
                    f"the plugin exited with code {self._reap()} before printing its port; "
                    f"stderr:\n{self._stderr_text()}"
                )
            if line.strip().isdigit():
                return int(line.strip())

    def _reap(self) -> int:
        """Wait for a process that closed its stdout, and for its stderr to be read."""
        assert self._process is not None
        code = self._process.wait(timeout=5)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def _stderr_text(self) -> str:
        return "".join(self._stderr)
