"""Running the server: the websocket handler, ``/healthz``, start and stop.

    handle = run_in_thread(db_path="rooms.db")   # the client's "Host online"
    print(handle.url); ...; handle.stop()

    serve_forever(ServerConfig(port=8765))      # the CLI: until SIGTERM/SIGINT

Each connection is read by ``handler``: the rate limit first, then
``game.protocol.decode``, then the hub. Shutting down stops accepting,
closes every connection with 1001, lets each room finish the jobs it has
queued (so in-flight appends complete), and closes the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import signal
import ssl
import sys
import threading
from dataclasses import dataclass, replace
from http import HTTPStatus
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from game.protocol import ProtocolError, decode, peek

from .config import ServerConfig
from .conn import CLOSE_HELLO_TIMEOUT, CLOSE_POLICY, Client
from .hub import Hub
from .logs import log
from .store import SqliteStore

#: young collections every 10,000 allocations (not 700), full ones rarely: fewer
#: pauses, none of them long (50,000 made a young collection take ~40 ms)
GC_THRESHOLDS = tuple(int(x) for x in os.environ.get("HEARTLIGHT_GC", "10000,10,100").split(","))


def _receive(hub: Hub, client: Client, frame: Any) -> None:
    config = hub.config
    if client.closing:
        return
    if not client.bucket.take():
        client.rate_refusals += 1
        if client.rate_refusals > config.max_rate_refusals:
            log("closed_flood", address=client.address)
            client.close(CLOSE_POLICY, "message flood")
            return
        client.error("limit/rate", f"Too many messages; at most {config.messages_per_second:g} "
                     "a second. This one was dropped.")
        return
    try:
        msg = decode(frame)
    except ProtocolError as exc:
        client.junk += 1
        kind, ident = peek(frame)
        client.error(exc.code, exc.message, kind, ident)
        if client.junk >= config.max_junk:
            log("closed_junk", address=client.address, code=exc.code)
            client.close(CLOSE_POLICY, "too many malformed messages")
        return
    try:
        hub.dispatch(client, msg)
    except Exception as exc:  # a bug must not take the connection down
        log("dispatch_failed", type=msg["type"], error=repr(exc)[:200])
        client.error("server/internal", "The server failed on that message; nothing "
                     "changed.", msg["type"], msg.get("id"))


async def handler(ws: ServerConnection, hub: Hub) -> None:
    client = Client(ws, hub.config)
    hub.clients.add(client)
    try:
        try:
            first = await asyncio.wait_for(ws.recv(), hub.config.hello_timeout_s)
        except TimeoutError:
            await ws.close(CLOSE_HELLO_TIMEOUT, "no hello in time")
            return
        _receive(hub, client, first)
        async for frame in ws:
            _receive(hub, client, frame)
    except ConnectionClosed:
        pass
    finally:
        client.gone = True
        hub.disconnected(client)
        if client._close_task is not None:
            with contextlib.suppress(Exception):
                await client._close_task


#: pending TCP connections the kernel holds for us (asyncio's default is 100):
#: after a network blip every client reconnects at once, and a full backlog
#: drops their SYNs, which costs each of them 1, 3, then 7 s of TCP retries
#: (Linux caps this at net.core.somaxconn)
LISTEN_BACKLOG = 4096


def _health(hub: Hub) -> Any:
    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        if request.path.split("?")[0] != "/healthz":
            return None
        status = HTTPStatus.OK if not hub.stopping else HTTPStatus.SERVICE_UNAVAILABLE
        body = (json.dumps(hub.health()) + "\n").encode()
        headers = Headers([("Content-Type", "application/json"),
                           ("Content-Length", str(len(body))), ("Connection", "close")])
        return Response(status.value, status.phrase, headers, body)
    return process_request


def _ssl_context(config: ServerConfig) -> ssl.SSLContext | None:
    if config.certfile is None:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(config.certfile), str(config.keyfile) if config.keyfile
                            else None)
    return context


@dataclass
class Running:
    """A started server inside an event loop."""

    config: ServerConfig
    hub: Hub
    server: Server
    port: int
    sweeper: asyncio.Task[None]

    @property
    def url(self) -> str:
        scheme = "wss" if self.config.certfile else "ws"
        host = self.config.host if ":" not in self.config.host else f"[{self.config.host}]"
        return f"{scheme}://{host}:{self.port}"

    async def stop(self) -> None:
        hub = self.hub
        hub.stopping = True
        log("stopping", rooms=len(hub.rooms), connections=len(hub.clients))
        self.sweeper.cancel()
        self.server.close()  # stop accepting; close every connection with 1001
        await self.server.wait_closed()
        await hub.drain()
        for room in list(hub.rooms.values()):
            room.stop()
        await hub.store.close()
        log("stopped")


async def _sweep(hub: Hub) -> None:
    while True:
        await asyncio.sleep(hub.config.sweep_every_s)
        try:
            await hub.sweep()
        except Exception as exc:
            log("sweep_failed", error=repr(exc)[:200])


async def _open_hub(config: ServerConfig) -> Hub:
    if config.redis_url:
        from .cluster import open_shared

        return await open_shared(config, config.redis_url)
    store = SqliteStore(config.db_path, sync=config.sync)
    await store.open()
    return Hub(config, store)


async def start(config: ServerConfig) -> Running:
    """Open the store, restore the rooms, listen. Returns once listening."""
    hub = await _open_hub(config)
    store = hub.store
    await hub.restore()
    try:
        server = await serve(
            lambda ws: handler(ws, hub), config.host, config.port,
            compression=None, max_size=config.max_frame, max_queue=16,
            process_request=_health(hub), ssl=_ssl_context(config),
            server_header=None, backlog=LISTEN_BACKLOG,
        )
    except BaseException:
        await store.close()
        raise
    port = server.sockets[0].getsockname()[1]
    if config.tune_gc:
        # thousands of long-lived objects (connections, rooms): collect the
        # young generation less often and never rescan what start-up made
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        # the store's thread gets the GIL back sooner after each disk write
        sys.setswitchinterval(0.0005)
    sweeper = asyncio.get_running_loop().create_task(_sweep(hub))
    running = Running(config, hub, server, port, sweeper)
    log("listening", url=running.url, rooms=len(hub.rooms))
    return running


def serve_forever(config: ServerConfig, *, announce: bool = True) -> int:
    """Run until SIGTERM or SIGINT, then shut down gracefully."""

    async def main() -> None:
        running = await start(config)
        if announce:
            print(f"Heartlight server listening on {running.url} (port {running.port})",
                  flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await running.stop()

    asyncio.run(main())
    return 0


class ServerHandle:
    """A server running in its own daemon thread (see ``run_in_thread``)."""

    def __init__(self, config: ServerConfig) -> None:
        self._config = config
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._running: Running | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="heartlight-server",
                                        daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            try:
                self._running = await start(self._config)
            except BaseException as exc:
                self._error = exc
                return
            finally:
                self._ready.set()
            await self._stop.wait()
            await self._running.stop()

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to the caller of run_in_thread
            self._error = exc
            self._ready.set()

    @property
    def port(self) -> int:
        assert self._running is not None
        return self._running.port

    @property
    def url(self) -> str:
        assert self._running is not None
        return self._running.url

    @property
    def hub(self) -> Hub:
        assert self._running is not None
        return self._running.hub

    def stop(self, timeout: float = 10.0) -> None:
        """Shut down gracefully and wait for the thread to end."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)


def run_in_thread(*, host: str = "127.0.0.1", port: int = 0,
                  db_path: Path | str = "heartlight-server.db",
                  config: ServerConfig | None = None, **overrides: Any) -> ServerHandle:
    """Start a server in a daemon thread; return once it is listening.

    Raises whatever start-up raised (a port in use, an unreadable database).
    """
    base = config or ServerConfig()
    config = replace(base, host=host, port=port, db_path=db_path, **overrides)
    handle = ServerHandle(config)
    handle._thread.start()
    handle._ready.wait()
    if handle._error is not None:
        raise handle._error
    if handle._running is None:
        raise RuntimeError("the server did not start")
    return handle
