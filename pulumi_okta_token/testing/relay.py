"""A loopback TCP relay that adds a network's round-trip time to everything passing through it.

Each chunk of bytes is delivered ``rtt / 2`` after it arrived, in each direction and in order, and a
new connection carries nothing for its first ``rtt`` (its TCP handshake). TLS runs end to end through
the relay, so its handshake pays the round trips too: unlike a per-request delay (the ``latency``
fault), a client that opens a connection per request pays for it here as it would on a real network.

The relay listens on 127.0.0.1 only and forwards only to the address it was made for. It is
bounded: at most ``max_connections`` at a time (more are closed at once), and a direction holding
more than ``MAX_BUFFERED`` bytes in flight stops reading until it has delivered half of them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Final

__all__ = ["MAX_BUFFERED", "MAX_RTT", "LatencyRelay", "check_rtt"]

HOST: Final = "127.0.0.1"
MAX_RTT: Final = 10.0
"""The longest round-trip time the relay adds, in seconds."""
MAX_BUFFERED: Final = 1 << 20
"""Bytes one direction of one connection may hold in flight before it stops reading."""


class LatencyRelay:
    """Listens on 127.0.0.1 and relays each connection to ``target`` with ``rtt`` seconds of round trip.

    Runs on the event loop that calls ``start``; ``stop`` closes the listener and every connection.
    """

    def __init__(self, target: tuple[str, int], rtt: float, max_connections: int = 256) -> None:
        check_rtt(rtt)
        if target[0] != HOST:
            raise ValueError(f"the latency relay forwards to {HOST} only, not {target[0]!r}")
        self.target = target
        self.rtt = float(rtt)
        self.max_connections = max_connections
        self._server: asyncio.Server | None = None
        self._pipes: set[_Pipe] = set()
        self.port = 0

    async def start(self) -> int:
        """Start listening; returns the relay's port on 127.0.0.1."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Pipe(self), HOST, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening and close every relayed connection at once."""
        if self._server is not None:
            self._server.close()
        for pipe in list(self._pipes):
            pipe.abort()
        self._pipes.clear()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def _admit(self, pipe: _Pipe) -> bool:
        if len(self._pipes) >= self.max_connections:
            return False
        self._pipes.add(pipe)
        return True

    def _forget(self, pipe: _Pipe) -> None:
        self._pipes.discard(pipe)


def check_rtt(rtt: float) -> float:
    """``rtt`` if the relay can add it (more than 0, at most ``MAX_RTT`` seconds), else ``ValueError``."""
    if not isinstance(rtt, (int, float)) or isinstance(rtt, bool) or not 0 < rtt <= MAX_RTT:
        raise ValueError(f"rtt must be more than 0 and at most {MAX_RTT:g} seconds, got {rtt!r}")
    return rtt


class _Delayed:
    """One direction of one connection: chunks delivered in order, each ``delay`` after it arrived.

    Nothing is delivered before ``not_before`` (loop time). ``source`` stops reading while more than
    ``MAX_BUFFERED`` bytes wait; ``sink`` is set once the receiving side is connected.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, delay: float, not_before: float) -> None:
        self._loop = loop
        self._delay = delay
        self._not_before = not_before
        self._queue: deque[tuple[float, bytes | None]] = deque()
        self._buffered = 0
        self._timer: asyncio.TimerHandle | None = None
        self._paused = False
        self.source: asyncio.Transport | None = None
        self.sink: asyncio.Transport | None = None

    def push(self, data: bytes | None) -> None:
        """Queue ``data``; ``None``: close the sink once what is queued before it is delivered."""
        due = max(self._loop.time(), self._not_before) + self._delay
        self._queue.append((due, data))
        self._buffered += len(data or b"")
        if self._buffered > MAX_BUFFERED and self.source is not None and not self._paused:
            self.source.pause_reading()
            self._paused = True
        self._schedule()

    def attach(self, sink: asyncio.Transport) -> None:
        self.sink = sink
        self._schedule()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._queue.clear()

    def _schedule(self) -> None:
        if self._timer is None and self._queue and self.sink is not None:
            self._timer = self._loop.call_at(self._queue[0][0], self._deliver)

    def _deliver(self) -> None:
        self._timer = None
        sink = self.sink
        now = self._loop.time()
        while sink is not None and self._queue and self._queue[0][0] <= now:
            _, data = self._queue.popleft()
            if data is None:
                self._queue.clear()
                sink.close()
                return
            self._buffered -= len(data)
            if not sink.is_closing():
                sink.write(data)
        if self._paused and self._buffered <= MAX_BUFFERED // 2 and self.source is not None:
            self.source.resume_reading()
            self._paused = False
        self._schedule()


class _Pipe(asyncio.Protocol):
    """One client connection to the relay and its connection on to the target."""

    def __init__(self, relay: LatencyRelay) -> None:
        self._relay = relay
        self._loop = asyncio.get_running_loop()
        half = relay.rtt / 2
        handshake_done = self._loop.time() + relay.rtt
        self._up = _Delayed(self._loop, half, not_before=handshake_done)
        self._down = _Delayed(self._loop, half, not_before=0.0)
        self._client: asyncio.Transport | None = None
        self._target: asyncio.Transport | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._open_sides = 2

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._client = transport
        if not self._relay._admit(self):
            self._open_sides = 0
            transport.abort()
            return
        self._up.source = transport
        self._down.sink = transport
        self._connecting = self._loop.create_task(self._connect())

    async def _connect(self) -> None:
        try:
            transport, _ = await self._loop.create_connection(lambda: _Upstream(self), *self._relay.target)
        except OSError:
            self._side_closed()
            self.abort()
            return
        self._target = transport
        self._down.source = transport
        self._up.attach(transport)

    def data_received(self, data: bytes) -> None:
        self._up.push(data)

    def eof_received(self) -> bool:
        self._up.push(None)
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self._up.push(None)
        self._side_closed()

    def from_target(self, data: bytes) -> None:
        self._down.push(data)

    def target_eof(self) -> None:
        self._down.push(None)

    def target_lost(self) -> None:
        self._down.push(None)
        self._side_closed()

    def _side_closed(self) -> None:
        """One side is gone; the relay forgets the pipe once both are."""
        self._open_sides -= 1
        if self._open_sides == 0:
            self._relay._forget(self)

    def abort(self) -> None:
        """Close both sides now, dropping what is in flight."""
        self._up.cancel()
        self._down.cancel()
        if self._connecting is not None:
            self._connecting.cancel()
        for transport in (self._client, self._target):
            if transport is not None:
                transport.abort()
        self._relay._forget(self)


class _Upstream(asyncio.Protocol):
    """The relay's connection to the target: hands what arrives to its pipe."""

    def __init__(self, pipe: _Pipe) -> None:
        self._pipe = pipe

    def data_received(self, data: bytes) -> None:
        self._pipe.from_target(data)

    def eof_received(self) -> bool:
        self._pipe.target_eof()
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self._pipe.target_lost()
