"""Fan-out: hear what the other server processes accepted.

One Redis pub/sub subscription per process on the store's channel. Every
message is handed, decoded, to ``on_message``. Pub/sub delivers at most
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
    def __init__(self, store: RedisStore, on_message: Callable[[dict[str, Any]], None],
                 on_resync: Callable[[], Awaitable[None]]) -> None:
        self.store = store
        self.on_message = on_message
        self.on_resync = on_resync
        self.connected = asyncio.Event()
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

    async def _run(self) -> None:
        delay = 0.05
        while True:
            pubsub = self.store.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.store.channel)
                if not self.connected.is_set():
                    self.connected.set()
                    log("fanout_subscribed", channel=self.store.channel)
                delay = 0.05
                await self.on_resync()
                while True:
                    msg = await pubsub.get_message(ignore_subscribe_messages=True,
                                                   timeout=1.0)
                    if msg is None or msg.get("type") != "message":
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
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
