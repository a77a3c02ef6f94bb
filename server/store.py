"""Where rooms and their action logs live: the ``EventStore`` interface and
its default, SQLite in WAL mode.

What is stored: each room's code, deck id, settings, seed, seat names and
*hashed* seat tokens, and its action log — every accepted action as
``game.rules.without_text(action)``, so typed text is kept only as its
length. Answers, follow-ups and notes never reach the disk.

Appends are durable before they return (``synchronous=FULL`` by default).
To keep that affordable, writes are group-committed: every write requested
during one event-loop tick (and while the previous commit is on disk) goes
into one transaction on the store's own thread, then all the waiting
callers resume together. The event loop never blocks on the disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack  # type: ignore[import-untyped]


@dataclass(slots=True)
class SeatRecord:
    name: str
    token_hash: str


@dataclass(slots=True)
class RoomRecord:
    """A room as stored: enough to rebuild it with its action log."""

    code: str
    deck_id: str
    max_seats: int
    #: everyone_answers (bool or None), excluded_tags (list), text_mode (bool)
    settings: dict[str, Any]
    seats: list[SeatRecord] = field(default_factory=list)
    host: int = 0
    #: None until the host starts the game
    seed: int | None = None
    created: float = 0.0
    #: when the host started the game (0 before)
    started: float = 0.0
    last_active: float = 0.0

    def to_bytes(self) -> bytes:
        blob: bytes = msgpack.packb({
            "code": self.code, "deck_id": self.deck_id, "max_seats": self.max_seats,
            "settings": self.settings, "host": self.host, "seed": self.seed,
            "created": self.created, "started": self.started,
            "seats": [[s.name, s.token_hash] for s in self.seats],
        }, use_bin_type=True)
        return blob

    @classmethod
    def from_bytes(cls, data: bytes, last_active: float) -> RoomRecord:
        d = msgpack.unpackb(data, raw=False)
        return cls(code=d["code"], deck_id=d["deck_id"], max_seats=d["max_seats"],
                   settings=d["settings"], host=d["host"], seed=d["seed"],
                   created=d["created"], started=d.get("started", 0.0),
                   last_active=last_active,
                   seats=[SeatRecord(name, h) for name, h in d["seats"]])


@dataclass(frozen=True, slots=True)
class LoggedAction:
    seq: int
    seat: int
    #: the action as ``without_text`` stored it
    action: dict[str, Any]
    ts: float


class EventStore(ABC):
    """Durable rooms and action logs. Every method is a coroutine; none may
    block the event loop."""

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def save_room(self, room: RoomRecord) -> None:
        """Insert or replace a room's record (lobby changes, start)."""

    @abstractmethod
    async def append(self, code: str, seq: int, seat: int, action: dict[str, Any],
                     ts: float) -> None:
        """Durably append one accepted action (already without its text)."""

    def begin_append(self, code: str, seq: int, seat: int, action: dict[str, Any],
                     ts: float) -> Awaitable[None]:
        """Start ``append`` now and return what to await for its durability
        (so the caller can work while the disk does)."""
        return asyncio.ensure_future(self.append(code, seq, seat, action, ts))

    @abstractmethod
    async def load_rooms(self) -> list[RoomRecord]:
        """Every stored room, ``last_active`` set from its latest action."""

    @abstractmethod
    async def load_actions(self, code: str) -> list[LoggedAction]:
        """A room's log, in order."""

    @abstractmethod
    async def delete_room(self, code: str) -> None: ...

    @abstractmethod
    async def close(self) -> None:
        """Finish pending writes, then close."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    record BLOB NOT NULL,
    last_active REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS actions (
    code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    seat INTEGER NOT NULL,
    action BLOB NOT NULL,
    ts REAL NOT NULL,
    PRIMARY KEY (code, seq)
) WITHOUT ROWID;
"""

_Op = tuple[str, tuple[Any, ...]]

#: rows in one multi-row INSERT (5 parameters each, under SQLite's 32,766)
MULTI_ROWS = 500

#: writes between two (background) WAL checkpoints
CHECKPOINT_EVERY = 2000


class SqliteStore(EventStore):
    """The default store: one SQLite file in WAL mode, one thread for it."""

    def __init__(self, path: Path | str, *, sync: str = "full") -> None:
        if sync not in ("full", "normal"):
            raise ValueError(f"sync must be 'full' or 'normal', not {sync!r}")
        self.path = str(path)
        self.sync = sync
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="heartlight-db")
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[_Op, asyncio.Future[None]]] = []
        self._flushing = False
        self._idle: asyncio.Event | None = None
        self._checkpointer: sqlite3.Connection | None = None
        self._checkpoints = ThreadPoolExecutor(1, thread_name_prefix="heartlight-ckpt")
        self._checkpointing: asyncio.Future[None] | None = None
        self._since_checkpoint = 0
        self.commits = 0
        self.writes = 0
        #: (seconds, writes) of the latest commits, for ``stats``
        self._recent: deque[tuple[float, int]] = deque(maxlen=2000)
        #: seconds each recent commit spent in SQLite itself (on the store's thread)
        self._disk: deque[float] = deque(maxlen=2000)
        self._flush_started = 0.0

    # -- the store's thread ---------------------------------------------------

    def _open_sync(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={self.sync.upper()}")
        db.executescript(_SCHEMA)
        if self.path != ":memory:":
            # checkpoints run on their own connection and thread (below), so a
            # commit never waits for the WAL to be copied into the database
            db.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = sqlite3.connect(self.path, isolation_level=None,
                                                 check_same_thread=False)
        self._db = db

    def _checkpoint_sync(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _commit_sync(self, ops: list[_Op]) -> None:
        started = time.perf_counter()
        try:
            self._commit_ops(ops)
        finally:
            self._disk.append(time.perf_counter() - started)

    def _commit_ops(self, ops: list[_Op]) -> None:
        db = self._db
        assert db is not None
        db.execute("BEGIN")
        try:
            # a run of the same INSERT becomes one multi-row statement: one
            # trip through the GIL (which the event loop thread holds most of
            # the time) instead of one per row
            start = 0
            while start < len(ops):
                sql = ops[start][0]
                end = start + 1
                while end < len(ops) and ops[end][0] == sql and end - start < MULTI_ROWS:
                    end += 1
                if end - start > 1 and sql.startswith("INSERT") and sql.endswith(")"):
                    group = sql[sql.rindex("VALUES") + len("VALUES"):]
                    db.execute(sql + ("," + group) * (end - start - 1),
                               [p for _, params in ops[start:end] for p in params])
                elif end - start > 1:
                    db.executemany(sql, [params for _, params in ops[start:end]])
                else:
                    db.execute(sql, ops[start][1])
                start = end
        except BaseException:
            # SQLite may already have rolled back (SQLITE_FULL does): a second
            # ROLLBACK would raise and hide the real error
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except BaseException:
            # a failed COMMIT (disk full) can leave the transaction open: end
            # it, or every later BEGIN fails even once space returns
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _query_sync(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        assert self._db is not None
        return self._db.execute(sql, params).fetchall()

    # -- group commit ---------------------------------------------------------

    def _submit(self, op: _Op) -> asyncio.Future[None]:
        """Queue a write; the future resolves once it is committed. With no
        commit in flight the write starts at once; otherwise it waits for
        the commit on disk and goes with every write that arrived meanwhile
        (group commit: one transaction, one fsync for the lot)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._pending.append((op, future))
        if not self._flushing:
            self._flushing = True
            if self._idle is not None:
                self._idle.clear()
            self._flush()
        return future

    async def _write(self, op: _Op) -> None:
        await self._submit(op)

    def _flush(self) -> None:
        self._flush_started = time.perf_counter()
        batch, self._pending = self._pending, []
        loop = asyncio.get_running_loop()
        done = loop.run_in_executor(self._executor, self._commit_sync, [op for op, _ in batch])
        done.add_done_callback(lambda f: self._flushed(batch, f))

    def _flushed(self, batch: list[tuple[_Op, asyncio.Future[None]]],
                 done: asyncio.Future[None]) -> None:
        error = done.exception()
        self.commits += 1
        self.writes += len(batch)
        self._recent.append((time.perf_counter() - self._flush_started, len(batch)))
        self._since_checkpoint += len(batch)
        if self._since_checkpoint >= CHECKPOINT_EVERY and self._checkpointer is not None and \
                (self._checkpointing is None or self._checkpointing.done()):
            self._since_checkpoint = 0
            self._checkpointing = asyncio.get_running_loop().run_in_executor(
                self._checkpoints, self._checkpoint_sync)
        for _, future in batch:
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(None)
        if self._pending:
            self._flush()
        else:
            self._flushing = False
            if self._idle is not None:
                self._idle.set()

    def stats(self) -> dict[str, Any]:
        """Recent group commits: how long they took and how many writes each held."""
        recent = sorted(self._recent)
        if not recent:
            return {"commits": self.commits, "writes": self.writes}
        sizes = sorted(n for _, n in recent)
        disk = sorted(self._disk) or [0.0]
        return {"commits": self.commits, "writes": self.writes,
                "commit_ms_p50": round(recent[len(recent) // 2][0] * 1000, 2),
                "commit_ms_p99": round(recent[int(len(recent) * 0.99)][0] * 1000, 2),
                "batch_p50": sizes[len(sizes) // 2], "batch_max": sizes[-1],
                # time inside SQLite; the rest of commit_ms is waiting for the
                # thread, the GIL and the event loop
                "sqlite_ms_p50": round(disk[len(disk) // 2] * 1000, 2),
                "sqlite_ms_p99": round(disk[int(len(disk) * 0.99)] * 1000, 2)}

    # -- the interface --------------------------------------------------------

    async def open(self) -> None:
        self._idle = asyncio.Event()
        self._idle.set()
        await asyncio.get_running_loop().run_in_executor(self._executor, self._open_sync)

    async def save_room(self, room: RoomRecord) -> None:
        await self._write(("INSERT OR REPLACE INTO rooms (code, record, last_active) "
                           "VALUES (?, ?, ?)", (room.code, room.to_bytes(), room.last_active)))

    def begin_append(self, code: str, seq: int, seat: int, action: dict[str, Any],
                     ts: float) -> Awaitable[None]:
        blob = msgpack.packb(action, use_bin_type=True)
        return self._submit(("INSERT INTO actions (code, seq, seat, action, ts) "
                             "VALUES (?, ?, ?, ?, ?)", (code, seq, seat, blob, ts)))

    async def append(self, code: str, seq: int, seat: int, action: dict[str, Any],
                     ts: float) -> None:
        await self.begin_append(code, seq, seat, action, ts)

    async def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._query_sync, sql, params)

    async def load_rooms(self) -> list[RoomRecord]:
        latest = dict(await self._query("SELECT code, MAX(ts) FROM actions GROUP BY code"))
        rooms = []
        for code, blob, last_active in await self._query(
                "SELECT code, record, last_active FROM rooms"):
            rooms.append(RoomRecord.from_bytes(blob, max(last_active, latest.get(code) or 0.0)))
        return rooms

    async def load_actions(self, code: str) -> list[LoggedAction]:
        rows = await self._query("SELECT seq, seat, action, ts FROM actions WHERE code = ? "
                                 "ORDER BY seq", (code,))
        return [LoggedAction(seq, seat, msgpack.unpackb(blob, raw=False), ts)
                for seq, seat, blob, ts in rows]

    async def delete_room(self, code: str) -> None:
        await self._write(("DELETE FROM actions WHERE code = ?", (code,)))
        await self._write(("DELETE FROM rooms WHERE code = ?", (code,)))

    async def close(self) -> None:
        if self._idle is not None:
            await self._idle.wait()
        if self._checkpointing is not None:
            await self._checkpointing
        loop = asyncio.get_running_loop()
        if self._db is not None:
            db, self._db = self._db, None
            if self._checkpointer is not None:
                self._checkpointer.close()
                self._checkpointer = None
                await loop.run_in_executor(self._executor, db.execute,
                                           "PRAGMA wal_checkpoint(TRUNCATE)")
            await loop.run_in_executor(self._executor, db.close)
        self._executor.shutdown(wait=True)
        self._checkpoints.shutdown(wait=True)
