"""Shared pieces of the reliability campaigns: a server in a subprocess, and
asyncio bot tables that play real games through the protocol.

    server = ServerProcess(workdir / "rooms.db")
    url = server.start()                      # python -m server --port 0 ...
    table = await Table.create(url, "friends")
    await table.step()                        # one scripted action, acknowledged
    server.kill()                             # SIGKILL
    url = server.start()                      # same database
    await table.rejoin(url)                   # every seat back with its token

A table keeps its own record of what the server acknowledged: an action
counts once the acting seat received the view that includes it
(``Table.acked``: version -> (seat, action type)), and ``Table.best`` is the
newest view any seat received. The campaigns compare these with what the
server restores.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgpack  # type: ignore[import-untyped]
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from server_bench import cpu_seconds, rss_bytes  # noqa: E402  (one reader of /proc)

from game.netclient import scripted_move  # noqa: E402
from game.protocol import PROTOCOL_VERSION  # noqa: E402

NEVER_END = 10**9  # scripted bots never propose last light

#: limits that keep the server's per-address guards out of a campaign whose
#: thousands of honest bots all come from 127.0.0.1
OPEN_LIMITS = ("--rate", "10000", "--burst", "10000", "--joins-per-minute", "100000000",
               "--max-rooms", "100000")

Message = dict[str, Any]


def pack(kind: str, **fields: Any) -> bytes:
    frame: bytes = msgpack.packb({"type": kind, **fields}, use_bin_type=True)
    return frame


def unpack(frame: bytes | str) -> Message:
    value: Message = msgpack.unpackb(frame, raw=False)
    return value


def raise_fd_limit() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Linux "
            f"{platform.release()}, Python {platform.python_version()}; load average "
            f"{os.getloadavg()[0]:.1f} at the start")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def median(values: list[float]) -> float:
    return pct(values, 50)


# -- the server process ---------------------------------------------------------


class ServerProcess:
    """``python -m server`` on a loopback port, restartable on the same db.

    Its stderr (JSON log lines) goes to ``<db>.N.log``, one file per start.
    """

    def __init__(self, db: Path, *, extra: tuple[str, ...] = OPEN_LIMITS,
                 sync: str = "full", log_level: str = "info") -> None:
        self.db = db
        self.extra = extra
        self.sync = sync
        self.log_level = log_level
        self.proc: subprocess.Popen[str] | None = None
        self.starts = 0
        self.logs: list[Path] = []
        self.url = ""

    def start(self, timeout: float = 30.0) -> str:
        """Start and wait for the 'listening on' line; returns the ws:// URL."""
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        log_path = self.db.with_name(f"{self.db.name}.{self.starts}.log")
        self.logs.append(log_path)
        self.starts += 1
        with open(log_path, "w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server", "--port", "0", "--db", str(self.db),
                 "--sync", self.sync, "--log-level", self.log_level, *self.extra],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
                preexec_fn=raise_fd_limit)
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if "listening on" in line or not line:
                break
        if "listening on" not in line:
            self.kill()
            raise RuntimeError(f"server did not start: {line!r}; see {log_path}")
        self.url = line.split("listening on ")[1].split()[0]
        return self.url

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL, no goodbye."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> int | None:
        """SIGTERM (graceful), then SIGKILL after 20 s; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        """Every JSON log line of every start (optionally only ``event == name``)."""
        out = []
        for path in self.logs:
            with contextlib.suppress(OSError):
                for line in path.read_text(errors="replace").splitlines():
                    with contextlib.suppress(ValueError):
                        entry = json.loads(line)
                        if isinstance(entry, dict) and (name is None or
                                                        entry.get("event") == name):
                            out.append(entry)
        return out

    def stderr_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())


# -- bots -----------------------------------------------------------------------


class Seat:
    """One bot connection holding one seat; a reader task keeps what it hears."""

    def __init__(self, table: Table, index: int) -> None:
        self.table = table
        self.index = index
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.view: Message | None = None
        self.version = -1
        self.token: str | None = None
        self.errors: list[Message] = []
        self.inbox: list[Message] = []
        #: the types of the last few messages (for reports)
        self.heard: list[str] = []
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()

    async def open(self, url: str, open_timeout: float = 60.0) -> None:
        self.closed.clear()
        self.view, self.version = None, -1
        self.ws = await connect(url, compression=None, open_timeout=open_timeout,
                                max_size=1 << 20, ping_interval=None)
        self.reader = asyncio.get_running_loop().create_task(self._read(self.ws))
        await self.ws.send(pack("hello", protocol=PROTOCOL_VERSION, client="botkit"))
        await self.wait(lambda m: m["type"] == "hello_ok")

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for frame in ws:
                msg = unpack(frame)
                kind = msg["type"]
                if kind == "view":
                    self.view = msg["view"]
                    self.version = self.view["version"]
                    self.table.saw(self, self.view)
                elif kind == "error":
                    self.errors.append(msg)
                elif kind == "welcome" and msg["token"] is not None:
                    self.token = msg["token"]
                self.inbox.append(msg)
                del self.inbox[:-64]
                self.heard.append(kind if kind != "error" else f"error:{msg['code']}")
                del self.heard[:-8]
                self.changed.set()
        except Exception:
            pass
        finally:
            self.closed.set()
            self.changed.set()

    async def wait(self, predicate: Callable[[Message], bool], timeout: float = 30.0) -> Message:
        """Until a message (received since the last wait) satisfies ``predicate``.
        Raises ConnectionError if the connection closes first."""
        deadline = time.monotonic() + timeout
        while True:
            for i, msg in enumerate(self.inbox):
                if predicate(msg):
                    del self.inbox[:i + 1]  # what came after it stays for the next wait
                    return msg
            if self.closed.is_set():
                raise ConnectionError("the server closed the connection")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message in time")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)

    async def send(self, kind: str, **fields: Any) -> None:
        assert self.ws is not None
        await self.ws.send(pack(kind, **fields))

    async def request(self, kind: str, reply: str, **fields: Any) -> Message:
        self.inbox.clear()
        await self.send(kind, **fields)
        msg = await self.wait(lambda m: m["type"] in (reply, "error"))
        if msg["type"] == "error":
            raise RefusedError(msg["code"], msg["message"])
        return msg

    def drop(self) -> None:
        """Cut the TCP connection without a closing handshake."""
        if self.ws is not None:
            self.ws.transport.abort()

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()


class RefusedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class Table:
    """A room of bots, one connection per seat."""

    def __init__(self, seats: int) -> None:
        self.seats = [Seat(self, i) for i in range(seats)]
        self.code = ""
        #: version -> (seat, action type) for every acknowledged action
        self.acked: dict[int, tuple[int, str]] = {}
        #: the newest view any seat received
        self.best: Message | None = None
        self.latencies: list[float] = []
        self.refused: list[str] = []
        #: why a seat did not get back in, when it did not
        self.problems: list[str] = []

    def saw(self, seat: Seat, view: Message) -> None:
        if self.best is None or view["version"] > self.best["version"]:
            self.best = view

    @classmethod
    async def create(cls, url: str, deck: str, *, seats: int = 4, start: bool = True,
                     settings: Message | None = None) -> Table:
        table = cls(seats)
        for seat in table.seats:
            await seat.open(url)
        host = table.seats[0]
        fields: Message = {"deck": deck, "name": "Seat0", "seats": seats}
        if settings:
            fields["settings"] = settings
        welcome = await host.request("create_room", "welcome", **fields)
        table.code = welcome["code"]
        for seat in table.seats[1:]:
            await seat.request("join", "welcome", code=table.code, name=f"Seat{seat.index}")
        if start:
            await host.send("start")
            await table.settle(0)
        return table

    async def settle(self, version: int, timeout: float = 30.0) -> None:
        """Until every seat has a view at ``version`` or newer."""
        for seat in self.live():
            if seat.version < version:
                await seat.wait(lambda m, s=seat: s.version >= version, timeout)  # type: ignore[misc]

    def live(self) -> list[Seat]:
        """The seats whose connection is open."""
        return [s for s in self.seats if s.ws is not None and not s.closed.is_set()]

    def next_move(self) -> tuple[Seat, Message] | None:
        for seat in self.live():
            if seat.view is None:
                continue
            move = scripted_move(seat.view, turns=NEVER_END)
            if move is not None:
                return seat, move
        return None

    async def step(self, timeout: float = 30.0) -> bool:
        """One scripted action; True once acknowledged. Raises ConnectionError
        (or a websockets ConnectionClosed) when the server goes away."""
        newest = max(s.version for s in self.live())
        await self.settle(newest, timeout)
        found = self.next_move()
        if found is None:
            return False
        seat, move = found
        version = seat.version
        seat.inbox.clear()
        started = time.perf_counter()
        await seat.send("action", version=version, action=move)
        msg = await seat.wait(lambda m: (m["type"] == "view" and m["view"]["version"] > version)
                              or m["type"] == "error", timeout)
        if msg["type"] == "error":
            self.refused.append(msg["code"])
            return False
        self.latencies.append(time.perf_counter() - started)
        if msg["view"]["version"] == version + 1:
            self.acked[version + 1] = (seat.index, move["type"])
        return True

    async def rejoin(self, url: str, *, open_timeout: float = 60.0) -> int:
        """Every seat reconnects and takes its seat back with its token, all
        at once as four players would; returns how many got their seat and
        a view."""

        async def one(seat: Seat) -> bool:
            try:
                await seat.close()
                await seat.open(url, open_timeout)
                assert seat.token is not None
                await seat.request("rejoin", "welcome", code=self.code, token=seat.token)
                await seat.wait(lambda m: m["type"] == "view", 30)
                return True
            except Exception as exc:  # counted as a seat not back; say why
                self.problems.append(f"seat {seat.index} of {self.code}: {exc!r}; "
                                     f"last heard {seat.heard}")
                return False

        return sum(await asyncio.gather(*(one(seat) for seat in self.seats)))

    async def close(self) -> None:
        await asyncio.gather(*(s.close() for s in self.seats))

    @property
    def max_acked(self) -> int:
        return max(self.acked, default=0)


def summary(view: Message) -> dict[str, Any]:
    """What a campaign compares between the acknowledged and the restored game."""
    return {"version": view["version"], "lit": view["lit"], "phase": view["phase"],
            "turns_done": view["turns_done"],
            "bulbs": [s["bulbs"] for s in view["seats"]],
            "answered": len(view["answered"])}
