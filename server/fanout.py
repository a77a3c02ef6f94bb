"""Fan-out: hear what the other server processes accepted.

One Redis pub/sub connection per process, subscribed to the channel of
every room the process holds (``hl:fan:CODE``): a process hears only the
rooms it has players in. Every message is handed, decoded, to
``on_message``. Pub/sub delivers at most
once: while the subscription is down, messages are lost. So after every
(re)subscription ``on_resync`` runs, and the hub catches up each cached room
from its log; messages that arrive with a gap in the version do the same.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from .logs import log
from .redis_store import RedisStore, unpack

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - RedisStore.open reports it first
    RedisError = OSError  # type: ignore[misc,assignment]


class Fanout:
    """One subscription: the process' own channel plus one channel per room
    it holds (``join`` / ``leave``), so a process hears only its rooms."""

    def __init__(self, store: RedisStore, on_message: Callable[[dict[str, Any]], None],
                 on_resync: Callable[[], Awaitable[None]]) -> None:
        self.store = store
        self.on_message = on_message
        self.on_resync = on_resync
        self.connected = asyncio.Event()
        #: every channel this process wants, subscribed or not (yet)
        self.channels: set[str] = {store.channel}
        self._pubsub: Any = None
        self._confirmed: dict[str, asyncio.Event] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 5.0) -> None:
        """Subscribe; return once the subscription is live."""
        self._task = asyncio.get_running_loop().create_task(self._run())
        await asyncio.wait_for(self.connected.wait(), timeout)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def join(self, code: str) -> None:
        """Hear room ``code`` from now on; returns once Redis confirmed (so a
        log read after this misses nothing). While disconnected it returns at
        once: the next subscription includes the room, and resyncs it."""
        channel = self.store.room_channel(code)
        if channel in self.channels:
            return
        self.channels.add(channel)
        pubsub = self._pubsub
        if pubsub is None or not self.connected.is_set():
            return
        confirmed = self._confirmed[channel] = asyncio.Event()
        try:
            await pubsub.subscribe(channel)
            await asyncio.wait_for(confirmed.wait(), 2.0)
        except (RedisError, OSError, TimeoutError) as exc:
            log("fanout_join_failed", room=code, error=f"{type(exc).__name__}: {exc}"[:200])
        finally:
            self._confirmed.pop(channel, None)

    async def leave(self, code: str) -> None:
        channel = self.store.room_channel(code)
        if channel not in self.channels:
            return
        self.channels.discard(channel)
        pubsub = self._pubsub
        if pubsub is not None and self.connected.is_set():
            with contextlib.suppress(RedisError, OSError):
                await pubsub.unsubscribe(channel)

    async def _run(self) -> None:
        delay = 0.05
        while True:
            pubsub = self.store.client.pubsub()
            try:
                wanted = set(self.channels)
                await pubsub.subscribe(*wanted)
                while self.channels - wanted:  # rooms joined meanwhile
                    extra = self.channels - wanted
                    await pubsub.subscribe(*extra)
                    wanted |= extra
                self._pubsub = pubsub
                if not self.connected.is_set():
                    self.connected.set()
                    log("fanout_subscribed", channels=len(wanted))
                delay = 0.05
                await self.on_resync()
                while True:
                    msg = await pubsub.get_message(timeout=1.0)
                    if msg is None:
                        continue
                    if msg.get("type") == "subscribe":
                        channel = msg["channel"]
                        event = self._confirmed.get(channel.decode()
                                                    if isinstance(channel, bytes) else channel)
                        if event is not None:
                            event.set()
                        continue
                    if msg.get("type") != "message":
                        continue
                    try:
                        data = unpack(msg["data"])
                    except ValueError:
                        continue
                    if isinstance(data, dict) and data.get("o") != self.store.proc:
                        self.on_message(data)
            except (RedisError, OSError) as exc:
                if self.connected.is_set():
                    log("fanout_lost", error=f"{type(exc).__name__}: {exc}"[:200])
                self.connected.clear()
            finally:
                self._pubsub = None
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
