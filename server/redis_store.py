"""The shared store for several server processes: rooms, action logs, join
limits and presence in Redis (``heartlight server --redis URL``).

Keys (``hl`` is the prefix):

    hl:room:CODE    hash   rec (RoomRecord bytes), active (last write time)
    hl:log:CODE     list   one msgpack [seat, action, ts] per accepted action,
                           the action as ``without_text`` made it
    hl:here:CODE    hash   seat token hash -> the process holding its connection
    hl:lock:CODE    string the lobby lock (who holds it; expires by itself)
    hl:joins:ADDR   hash   the address's join token bucket
    hl:proc:ID      string a live process's heartbeat (expires by itself)
    hl:procs        set    every process that beat (to notice one dying)
    hl:fan:CODE     channel the room's accepted actions and changes, for the
                           other processes holding it (``server.fanout``)

The log's length is the game's version. ``append_shared`` appends only if
the log is exactly one shorter than the new version, and publishes the
action in the same Lua script, so the channel carries actions in log order
and two processes can never both append version N (one gets ``Conflict``).

Typed text never reaches a key: the log holds lengths. The full text rides
only in the published message (pub/sub is not written to the AOF or RDB),
so players on other processes read what was typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgpack  # type: ignore[import-untyped]

from .store import EventStore, LoggedAction, RoomRecord

try:  # the optional dependency: pip install 'heartlight[redis]'
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - reported by open()
    aioredis = None  # type: ignore[assignment]

    class RedisError(Exception):  # type: ignore[no-redef]
        pass


class Conflict(Exception):
    """Another process appended this version first; catch up from the log."""

    def __init__(self, length: int) -> None:
        super().__init__(f"the log already holds {length} actions")
        self.length = length


class StoreUnavailable(Exception):
    """Redis cannot be reached (or answered with an error)."""


_APPEND = """
local n = redis.call('LLEN', KEYS[1])
local seq = tonumber(ARGV[1])
if n ~= seq - 1 then
  -- a retry of an append whose reply was lost: it is already there
  if n >= seq and redis.call('LINDEX', KEYS[1], seq - 1) == ARGV[2] then return -1 end
  return n
end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'active', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return -1
"""

_CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rec', ARGV[1], 'active', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""

_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# a token bucket on Redis' own clock, so every process shares one per address
_RELEASE = """
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1
"""

_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(v[1]) or burst
local stamp = tonumber(v[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return ok
"""


def pack(value: Any) -> bytes:
    data: bytes = msgpack.packb(value, use_bin_type=True)
    return data


def unpack(data: bytes) -> Any:
    return msgpack.unpackb(data, raw=False)


class RedisStore(EventStore):
    """Rooms and logs in Redis, shared by every process given the same URL."""

    def __init__(self, url: str, *, prefix: str = "hl", ttl_s: float = 24 * 3600.0,
                 timeout_s: float = 5.0, connect_timeout_s: float = 2.0,
                 max_connections: int = 64) -> None:
        self.url = url
        self.prefix = prefix
        self.ttl_ms = int(ttl_s * 1000)
        #: how long a command (or the wait for a pooled connection) may take
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.max_connections = max_connections
        self.channel = f"{prefix}:fan"
        #: this process, as named in presence and published messages
        self.proc = secrets.token_hex(6)
        self.redis: Any = None
        #: coroutines run first by close() (the hub's fan-out and heartbeat)
        self.before_close: list[Callable[[], Awaitable[None]]] = []

    @property
    def client(self) -> Any:
        """The Redis client; StoreUnavailable once the store is closed."""
        if self.redis is None:
            raise StoreUnavailable("the shared store is closed")
        return self.redis

    def key(self, kind: str, name: str) -> str:
        return f"{self.prefix}:{kind}:{name}"

    def room_channel(self, code: str) -> str:
        return f"{self.channel}:{code}"

    # -- start and stop -------------------------------------------------------

    async def open(self) -> None:
        if aioredis is None:
            raise StoreUnavailable("--redis needs the redis package: pip install "
                                   "'heartlight[redis]' (or pip install redis).")
        # a bounded pool that makes a burst of rooms wait for a connection
        # instead of failing (redis-py's default pool refuses the 101st)
        pool = aioredis.BlockingConnectionPool.from_url(
            self.url, max_connections=self.max_connections, timeout=self.timeout_s,
            socket_timeout=self.timeout_s, socket_connect_timeout=self.connect_timeout_s)
        self.redis = aioredis.Redis(connection_pool=pool)
        try:
            await self.client.ping()
        except (RedisError, OSError) as exc:
            await self.client.aclose()
            raise StoreUnavailable(f"cannot reach Redis at {self.url}: {exc}. Start Redis "
                                   "or fix --redis.") from exc
        self._append = self.client.register_script(_APPEND)
        self._create = self.client.register_script(_CREATE)
        self._unlock = self.client.register_script(_UNLOCK)
        self._take = self.client.register_script(_TAKE)
        self._release = self.client.register_script(_RELEASE)

    async def close(self) -> None:
        """Run the ``before_close`` hooks, then drop the connections; never
        more than a few seconds, whatever state Redis is in."""
        for hook in self.before_close:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(hook(), self.timeout_s)
        self.before_close.clear()
        if self.redis is not None:
            redis, self.redis = self.redis, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(redis.aclose(), self.timeout_s)

    # -- rooms ----------------------------------------------------------------

    async def create_room(self, room: RoomRecord) -> bool:
        """Store a new room unless its code is taken (by any process)."""
        made = await self._create(keys=[self.key("room", room.code)],
                                  args=[room.to_bytes(), room.last_active, self.ttl_ms])
        return bool(made)

    async def save_room(self, room: RoomRecord) -> None:
        await self.save_and_announce(room, announce=False)

    async def save_and_announce(self, room: RoomRecord, *, announce: bool = True) -> None:
        key = self.key("room", room.code)
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(key, mapping={"rec": room.to_bytes(), "active": room.last_active})
        pipe.pexpire(key, self.ttl_ms)
        if announce:
            pipe.publish(self.room_channel(room.code),
                         pack({"k": "room", "room": room.code, "o": self.proc}))
        await pipe.execute()

    async def load_room(self, code: str) -> RoomRecord | None:
        rec, active = await self.client.hmget(self.key("room", code), ["rec", "active"])
        if rec is None:
            return None
        return RoomRecord.from_bytes(rec, float(active or 0.0))

    async def load_rooms(self) -> list[RoomRecord]:
        """Nothing up front: in a shared store a process loads a room when one
        of its players arrives (``server.cluster``)."""
        return []

    async def delete_room(self, code: str) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(self.key("room", code), self.key("log", code), self.key("here", code))
        pipe.publish(self.room_channel(code), pack({"k": "gone", "room": code, "o": self.proc}))
        await pipe.execute()

    async def touch(self, codes: list[str]) -> None:
        """Keep rooms that still have players from expiring."""
        if not codes:
            return
        pipe = self.client.pipeline(transaction=False)
        for code in codes:
            for kind in ("room", "log", "here"):
                pipe.pexpire(self.key(kind, code), self.ttl_ms)
        await pipe.execute()

    # -- the log --------------------------------------------------------------

    async def append(self, code: str, seq: int, seat: int, action: dict[str, Any],
                     ts: float) -> None:
        await self.append_shared(code, seq, seat, action, {}, ts, publish=False)

    async def append_shared(self, code: str, seq: int, seat: int, action: dict[str, Any],
                            texts: dict[str, str], ts: float, *, publish: bool = True) -> None:
        """Append action number ``seq`` if the log holds exactly ``seq - 1``,
        and publish it with its ``texts`` to the other processes.
        Raises Conflict when another process got there first."""
        entry = pack([seat, action, ts])
        message = pack({"k": "act", "room": code, "seq": seq, "seat": seat, "a": action,
                        "t": texts, "ts": ts, "o": self.proc}) if publish else b""
        result = await self._append(
            keys=[self.key("log", code), self.key("room", code)],
            args=[seq, entry, ts, self.ttl_ms, self.room_channel(code) if publish else "",
                  message])
        if int(result) != -1:
            raise Conflict(int(result))

    async def log_length(self, code: str) -> int:
        return int(await self.client.llen(self.key("log", code)))

    async def load_actions(self, code: str, after: int = 0) -> list[LoggedAction]:
        rows = await self.client.lrange(self.key("log", code), after, -1)
        out = []
        for i, row in enumerate(rows, start=after + 1):
            seat, action, ts = unpack(row)
            out.append(LoggedAction(i, seat, action, ts))
        return out

    # -- the lobby lock ---------------------------------------------------------

    async def lock(self, code: str, *, hold_s: float = 5.0, wait_s: float = 5.0) -> str:
        """Take the room's lobby lock (spinning briefly); returns the token to
        unlock with. Raises StoreUnavailable if it stays taken."""
        token = secrets.token_hex(8)
        deadline = time.monotonic() + wait_s
        delay = 0.002
        while True:
            if await self.client.set(self.key("lock", code), token, nx=True,
                                    px=int(hold_s * 1000)):
                return token
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"room {code} stayed locked for {wait_s} s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    async def unlock(self, code: str, token: str) -> None:
        await self._unlock(keys=[self.key("lock", code)], args=[token])

    # -- limits, presence, liveness ---------------------------------------------

    async def take_join(self, address: str, per_minute: int) -> bool:
        ok = await self._take(keys=[self.key("joins", address)],
                              args=[per_minute / 60.0, per_minute])
        return bool(ok)

    async def set_here(self, code: str, hashes: list[str]) -> None:
        """Mark these seats (by token hash) as held by this process."""
        if not hashes:
            return
        key = self.key("here", code)
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(key, mapping={h: self.proc for h in hashes})
        pipe.pexpire(key, self.ttl_ms)
        await pipe.execute()

    async def release_here(self, code: str, hashes: list[str]) -> None:
        """Forget these seats' presence unless another process took them since."""
        if hashes:
            await self._release(keys=[self.key("here", code)], args=[self.proc, *hashes])

    async def claim(self, code: str, token_hash: str) -> None:
        """Take a seat's presence and tell any other process holding it to let go."""
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.key("here", code), token_hash, self.proc)
        pipe.pexpire(self.key("here", code), self.ttl_ms)
        pipe.publish(self.room_channel(code), pack({"k": "claim", "room": code,
                                                    "hash": token_hash, "o": self.proc}))
        await pipe.execute()

    async def announce(self, code: str) -> None:
        """Tell the other processes the room's record or presence changed."""
        await self.client.publish(self.room_channel(code),
                                 pack({"k": "room", "room": code, "o": self.proc}))

    async def presence(self, code: str) -> tuple[dict[str, str], set[str]]:
        """(token hash -> process for live processes, hashes held by dead ones)."""
        here = await self.client.hgetall(self.key("here", code))
        if not here:
            return {}, set()
        held = {h.decode(): p.decode() for h, p in here.items()}
        procs = sorted(set(held.values()))
        beats = await self.client.mget([self.key("proc", p) for p in procs])
        live = {p for p, beat in zip(procs, beats, strict=True) if beat is not None}
        return ({h: p for h, p in held.items() if p in live},
                {h for h, p in held.items() if p not in live})

    # -- processes ------------------------------------------------------------

    async def heartbeat(self, ttl_s: float) -> None:
        await self.client.set(self.key("proc", self.proc), b"1", px=int(ttl_s * 1000))

    async def register_proc(self) -> None:
        await self.client.sadd(f"{self.prefix}:procs", self.proc)

    async def dead_procs(self) -> list[str]:
        """Registered processes whose heartbeat has expired."""
        procs = sorted(p.decode() for p in await self.client.smembers(f"{self.prefix}:procs"))
        if not procs:
            return []
        beats = await self.client.mget([self.key("proc", p) for p in procs])
        return [p for p, beat in zip(procs, beats, strict=True) if beat is None]

    async def forget_proc(self, proc: str | None = None) -> None:
        """Without ``proc``: this process stops beating (the others will mark
        its seats away). With it: drop a long-dead process from the registry."""
        if proc is None:
            await self.client.delete(self.key("proc", self.proc))
        else:
            await self.client.srem(f"{self.prefix}:procs", proc)
