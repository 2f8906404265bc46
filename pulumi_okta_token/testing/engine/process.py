"""A plugin process: its command line and environment, start, port, stdout/stderr draining, channel, stop.

:class:`PluginProcess` is one provider plugin started the way the Pulumi CLI starts one
(``pkg/resource/plugin/plugin.go#L375-431`` at pulumi/pulumi 1b59498): the command line the driver
gives (:data:`DYNAMIC_PLUGIN`, ``python -u -m pulumi.dynamic``, for every Python dynamic provider; the
console script, the engine flags and the engine's address for a native plugin), the port read from
the first stdout line, then a gRPC channel. It knows nothing of the provider protocol beyond
connecting. The drivers may start a new one per operation, so what the processes write goes to sinks
the driver owns and keeps across them.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import grpc
from pulumi.runtime.proto import provider_pb2_grpc

__all__ = [
    "DYNAMIC_PLUGIN",
    "PACKAGE_ROOT",
    "PluginProcess",
    "PluginStartError",
    "console_script",
    "plugin_env",
]

GRPC_MAX_METADATA = 16 << 20
"""Response-header bytes the driver accepts: as much as the Pulumi engine's grpc-go client."""

PACKAGE_ROOT = Path(__file__).resolve().parents[3]
"""The directory holding ``pulumi_okta_token``: put on the dynamic plugin's ``PYTHONPATH``."""

DYNAMIC_PLUGIN: tuple[str, ...] = (sys.executable, "-u", "-m", "pulumi.dynamic")
"""The process the Pulumi CLI starts for every Python dynamic provider."""


class PluginStartError(RuntimeError):
    """The plugin process did not print its port (it died, hung or printed something else first, or it
    is not installed); the message holds its stderr."""


def plugin_env(
    extra: Mapping[str, str] | None,
    inherit: bool,
    project: str,
    pythonpath: Iterable[str | os.PathLike[str]] = (),
) -> dict[str, str]:
    """A plugin's environment: this process's (or only ``PATH``), ``pythonpath`` ahead of any
    ``PYTHONPATH``, ``PULUMI_PROJECT``, then ``extra`` over all of it."""
    env = dict(os.environ) if inherit else {"PATH": os.environ.get("PATH", "")}
    paths = [str(p) for p in pythonpath]
    if paths:
        if env.get("PYTHONPATH"):
            paths.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PULUMI_PROJECT"] = project
    env.update(extra or {})
    return env


def console_script(name: str) -> str:
    """The console script ``name`` installed next to this interpreter, else the one on ``PATH``."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise PluginStartError(f"{name} is not installed: `pip install -e .` installs it")
    return found


class PluginProcess:
    """One plugin process and its gRPC channel.

    :param command: the command line (``DYNAMIC_PLUGIN``, or a console script and its arguments).
    :param env: the process's whole environment (see :func:`plugin_env`).
    :param start_timeout: seconds to wait for the port and for the channel to be ready.
    :param stdout, stderr: lists the process's output lines are appended to as they arrive.
    :param label: how error messages name the plugin.
    """

    def __init__(
        self,
        command: Sequence[str],
        env: Mapping[str, str],
        start_timeout: float,
        stdout: list[str],
        stderr: list[str],
        label: str = "the plugin",
    ) -> None:
        self.command = list(command)
        self.env = dict(env)
        self.start_timeout = start_timeout
        self.label = label
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
            self.command,
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

    def close(
        self,
        *,
        exit_wait: float = 0.0,
        stop_signal: int = signal.SIGTERM,
        signal_wait: float = 10.0,
    ) -> int | None:
        """Close the channel and stop the process: wait ``exit_wait`` seconds for it to exit by itself
        (after ``Cancel``), then send ``stop_signal`` and wait ``signal_wait`` seconds, then kill it.
        Reap it and return its exit status (``None`` if it never started)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        process, self._process = self._process, None
        if process is None:
            return None
        code = _wait(process, exit_wait)
        if code is None:
            process.send_signal(stop_signal)
            code = _wait(process, signal_wait)
        if code is None:
            process.kill()
            code = process.wait(timeout=10)
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        return code

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
        """The first stdout line, which must be the port and nothing else (``plugin.go#L375-431``)."""
        try:
            line = self._lines.get(timeout=self.start_timeout)
        except queue.Empty:
            raise PluginStartError(
                f"{self.label} printed no port within {self.start_timeout:.0f} s; "
                f"stderr:\n{self._stderr_text()}"
            ) from None
        if line is None:
            raise PluginStartError(
                f"{self.label} exited with code {self._reap()} before printing its port; "
                f"stderr:\n{self._stderr_text()}"
            )
        if not line.strip().isdigit():
            raise PluginStartError(
                f"{self.label} wrote {line!r} as its first stdout line, where the engine reads the port; "
                f"stderr:\n{self._stderr_text()}"
            )
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


def _wait(process: subprocess.Popen[bytes], seconds: float) -> int | None:
    """The exit status once ``process`` has exited, waiting up to ``seconds``; ``None`` if it still runs."""
    try:
        return process.wait(timeout=seconds) if seconds > 0 else process.poll()
    except subprocess.TimeoutExpired:
        return None
