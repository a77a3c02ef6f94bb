"""Benchmark the Heartlight server against a bare websockets relay.

    .venv/bin/python bench/server_bench.py                   # 200 rooms x 4 seats
    .venv/bin/python bench/server_bench.py --rooms 1000      # the full target
    .venv/bin/python bench/server_bench.py --idle 10000 --restore-rooms 1000

What it measures (each server in its own process, the bot clients in this one):

1. Games: N rooms x 4 seats of scripted bots play real games through the
   protocol, each room acting ``--rate-per-room`` times a second. Latency is
   from sending an action to the last of the room's four seats receiving the
   resulting view. The same clients then drive a bare relay (no rules, no
   storage: each frame goes to the other three connections of its room) at
   the same rate. Printed: p50/p99 for both and their ratio, accepted
   actions/s, server CPU, RSS per connection.
2. Idle connections: how many connections that said hello one server
   process holds, and the memory each costs.
3. Restore: time to load 1,000 rooms x 200 actions from the log (the room
   index), and to replay every game in full.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.netclient import scripted_move  # noqa: E402
from game.protocol import PROTOCOL_VERSION  # noqa: E402

NEVER_END = 10**9  # scripted bots never propose last light


def pack(kind: str, **fields: Any) -> bytes:
    return msgpack.packb({"type": kind, **fields}, use_bin_type=True)


# -- processes ------------------------------------------------------------------


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def launch(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, line.split("listening on ")[1].split()[0]


def launch_heartlight(db: Path, sync: str) -> tuple[subprocess.Popen[str], str]:
    profile = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]] \
        if os.environ.get("BENCH_PROFILE") else []
    return launch([sys.executable, *profile, "-m", "server", "--port", "0", "--db", str(db),
                   "--rate", "10000", "--burst", "10000", "--joins-per-minute", "10000000",
                   "--max-rooms", "100000", "--sync", sync, "--log-level", "warning"])


def launch_relay() -> tuple[subprocess.Popen[str], str]:
    return launch([sys.executable, str(Path(__file__).resolve()), "--relay-server"])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


# -- the relay: no rules, no storage --------------------------------------------


def relay_server() -> None:
    rooms: dict[bytes, set[ServerConnection]] = {}

    async def handler(ws: ServerConnection) -> None:
        room = await ws.recv()
        assert isinstance(room, bytes)
        members = rooms.setdefault(room, set())
        members.add(ws)
        try:
            async for frame in ws:
                broadcast([m for m in members if m is not ws], frame)
        finally:
            members.discard(ws)

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0, compression=None) as server:
            port = server.sockets[0].getsockname()[1]
            print(f"relay listening on ws://127.0.0.1:{port}", flush=True)
            await asyncio.Future()

    raise_fd_limit()
    asyncio.run(main())


# -- bot clients ----------------------------------------------------------------


class Seat:
    """One bot connection; a reader task keeps the latest view."""

    def __init__(self, room: Room, seat: int, ws: ClientConnection) -> None:
        self.room, self.seat, self.ws = room, seat, ws
        self.view: dict[str, Any] | None = None
        self.version = -1
        self.reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        with contextlib.suppress(Exception):
            async for frame in self.ws:
                self.room.arrived(self, frame)


class Room:
    def __init__(self, index: int, mode: str) -> None:
        self.index, self.mode = index, mode
        self.seats: list[Seat] = []
        self.waiting: asyncio.Future[None] | None = None
        self.target = 0
        self.pending = 0
        self.errors = 0

    def arrived(self, seat: Seat, frame: Any) -> None:
        if self.mode == "relay":
            self.pending -= 1
            if self.pending == 0 and self.waiting and not self.waiting.done():
                self.waiting.set_result(None)
            return
        msg = msgpack.unpackb(frame, raw=False)
        kind = msg["type"]
        if kind == "view":
            seat.view = msg["view"]
            seat.version = msg["view"]["version"]
            if self.waiting and not self.waiting.done() and \
                    all(s.version >= self.target for s in self.seats):
                self.waiting.set_result(None)
        elif kind == "error":
            self.errors += 1
            if self.waiting and not self.waiting.done():
                self.waiting.set_exception(RuntimeError(msg["code"]))

    async def step(self) -> float | None:
        """One action; the seconds until every seat saw its result."""
        loop = asyncio.get_running_loop()
        self.waiting = loop.create_future()
        if self.mode == "relay":
            speaker = self.seats[random.randrange(4)]
            self.pending = 3
            start = time.perf_counter()
            await speaker.ws.send(pack("action", version=0, action={"type": "draw"}))
        else:
            move = None
            for s in self.seats:
                assert s.view is not None
                move = scripted_move(s.view, turns=NEVER_END)
                if move is not None:
                    speaker = s
                    break
            if move is None:
                return None
            self.target = speaker.version + 1
            start = time.perf_counter()
            await speaker.ws.send(pack("action", version=speaker.version, action=move))
        try:
            await asyncio.wait_for(self.waiting, 30)
        except (RuntimeError, TimeoutError):
            return None
        return time.perf_counter() - start


async def open_seat(url: str, room: Room, seat: int) -> Seat:
    ws = await connect(url, compression=None, open_timeout=60, max_size=1 << 20)
    s = Seat(room, seat, ws)
    return s


async def setup_heartlight(url: str, rooms: list[Room], deck: str, gate: asyncio.Semaphore
                           ) -> None:
    async def one(room: Room) -> None:
        async with gate:
            seats = [await open_seat(url, room, i) for i in range(4)]
            for s in seats:
                await s.ws.send(pack("hello", protocol=PROTOCOL_VERSION))
                await s.ws.recv()
            await seats[0].ws.send(pack("create_room", deck=deck, name="Seat0", seats=4))
            welcome = msgpack.unpackb(await seats[0].ws.recv(), raw=False)
            code = welcome["code"]
            await seats[0].ws.recv()  # lobby
            for i, s in enumerate(seats[1:], start=1):
                await s.ws.send(pack("join", code=code, name=f"Seat{i}"))
                while msgpack.unpackb(await s.ws.recv(), raw=False)["type"] != "welcome":
                    pass
            room.seats = seats
            for s in seats:
                s.reader = asyncio.get_running_loop().create_task(s.read())
            room.target = 0
            room.waiting = asyncio.get_running_loop().create_future()
            await seats[0].ws.send(pack("start"))
            await asyncio.wait_for(room.waiting, 30)

    await asyncio.gather(*(one(r) for r in rooms))


async def setup_relay(url: str, rooms: list[Room], gate: asyncio.Semaphore) -> None:
    async def one(room: Room) -> None:
        async with gate:
            seats = [await open_seat(url, room, i) for i in range(4)]
            for s in seats:
                await s.ws.send(f"room-{room.index}".encode())
                s.reader = asyncio.get_running_loop().create_task(s.read())
            room.seats = seats

    await asyncio.gather(*(one(r) for r in rooms))
    await asyncio.sleep(0.5)


async def drive(rooms: list[Room], seconds: float, rate_per_room: float
                ) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    interval = 1.0 / rate_per_room
    stop_at = time.perf_counter() + seconds
    done = 0

    async def play(room: Room) -> None:
        nonlocal done
        next_at = time.perf_counter() + random.random() * interval
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                return
            if next_at > now:
                await asyncio.sleep(next_at - now)
            next_at += interval
            took = await room.step()
            if took is not None:
                latencies.append(took)
                done += 1

    started = time.perf_counter()
    await asyncio.gather(*(play(r) for r in rooms))
    return latencies, done, time.perf_counter() - started


async def close_rooms(rooms: list[Room]) -> None:
    async def close(s: Seat) -> None:
        with contextlib.suppress(Exception):
            await s.ws.close()
        if s.reader:
            s.reader.cancel()

    await asyncio.gather(*(close(s) for r in rooms for s in r.seats))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def games(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    gate = asyncio.Semaphore(64)
    for mode in ("heartlight", "relay"):
        if mode == "heartlight":
            proc, url = launch_heartlight(workdir / "bench.db", args.sync)
        else:
            proc, url = launch_relay()
        try:
            base_rss = rss_bytes(proc.pid)
            rooms = [Room(i, mode) for i in range(args.rooms)]
            t = time.perf_counter()
            if mode == "heartlight":
                await setup_heartlight(url, rooms, args.deck, gate)
            else:
                await setup_relay(url, rooms, gate)
            setup = time.perf_counter() - t
            rss = rss_bytes(proc.pid)
            cpu0 = cpu_seconds(proc.pid)
            mine0 = time.process_time()
            latencies, done, took = await drive(rooms, args.seconds, args.rate_per_room)
            cpu = cpu_seconds(proc.pid) - cpu0
            if mode == "heartlight":
                port = url.rsplit(":", 1)[1]
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as reply:
                    print(f"  store: {json.loads(reply.read()).get('store')}")
            client_cpu = time.process_time() - mine0
            out[mode] = {
                "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000,
                "actions_per_s": done / took, "cpu_percent": 100 * cpu / took,
                "rss_per_conn_kib": (rss - base_rss) / (4 * args.rooms) / 1024,
                "setup_s": setup, "errors": sum(r.errors for r in rooms),
                "client_cpu_percent": 100 * client_cpu / took,
            }
            await close_rooms(rooms)
        finally:
            proc.terminate()
            proc.wait(30)
    return out


# -- idle connections -----------------------------------------------------------


async def idle(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    proc, url = launch_heartlight(workdir / "idle.db", args.sync)
    held: list[ClientConnection] = []
    try:
        await asyncio.sleep(0.5)
        base = rss_bytes(proc.pid)
        gate = asyncio.Semaphore(200)
        failed = 0

        async def one() -> None:
            nonlocal failed
            async with gate:
                try:
                    ws = await connect(url, compression=None, open_timeout=60)
                    await ws.send(pack("hello", protocol=PROTOCOL_VERSION))
                    await ws.recv()
                    held.append(ws)
                except Exception:
                    failed += 1

        await asyncio.gather(*(one() for _ in range(args.idle)))
        await asyncio.sleep(1.0)
        rss = rss_bytes(proc.pid)
        return {"held": len(held), "failed": failed,
                "rss_per_conn_kib": (rss - base) / max(1, len(held)) / 1024}
    finally:
        await asyncio.gather(*(ws.close() for ws in held), return_exceptions=True)
        proc.terminate()
        proc.wait(30)


# -- restore --------------------------------------------------------------------


async def restore(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from game.decks import get_deck
    from game.rules.actions import from_dict, without_text
    from game.rules.engine import apply, new_game
    from game.rules.state import Settings
    from game.rules.view import view_for
    from server.config import ServerConfig
    from server.hub import Hub
    from server.store import RoomRecord, SeatRecord, SqliteStore

    deck = get_deck(args.deck)
    names = ("Seat0", "Seat1", "Seat2", "Seat3")
    seed = 12345
    state = new_game(deck, Settings(names=names), seed)
    log: list[tuple[int, dict[str, Any]]] = []
    while len(log) < args.restore_actions:
        for seat in range(4):
            move = scripted_move(view_for(state, seat), turns=NEVER_END, text="words")
            if move is not None:
                action = from_dict(move)
                state, _ = apply(state, seat, action)
                log.append((seat, without_text(action)))
                break
        else:
            raise SystemExit("the scripted game got stuck")
    db = workdir / "restore.db"
    store = SqliteStore(db, sync="normal")
    await store.open()
    for r in range(args.restore_rooms):
        code = f"R{r:07d}"
        await store.save_room(RoomRecord(
            code=code, deck_id=deck.id, max_seats=4,
            settings={"everyone_answers": None, "excluded_tags": [], "text_mode": False},
            seats=[SeatRecord(n, "0" * 64) for n in names], seed=seed, created=1.0,
            started=1.0, last_active=time.time()))
        await asyncio.gather(*(store.append(code, i + 1, seat, action, time.time())
                               for i, (seat, action) in enumerate(log)))
    await store.close()

    store = SqliteStore(db, sync="normal")
    t = time.perf_counter()
    await store.open()
    hub = Hub(ServerConfig(db_path=db), store)
    await hub.restore()
    index = time.perf_counter() - t
    t = time.perf_counter()
    await hub.replay_all()
    replay = time.perf_counter() - t
    some = next(iter(hub.rooms.values()))
    assert some.state is not None and some.state.lit == state.lit
    await store.close()
    return {"rooms": len(hub.rooms), "actions": args.restore_actions,
            "index_s": index, "replay_all_s": replay}


# -- main -----------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Linux "
            f"{platform.release()}, Python {platform.python_version()}")


async def main(args: argparse.Namespace) -> None:
    raise_fd_limit()
    print(f"machine: {machine()}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes skew the figures)")
    print(f"command: {' '.join(sys.argv)}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.rooms:
            result = await games(args, workdir)
            h, r = result["heartlight"], result["relay"]
            print(f"\ngames: {args.rooms} rooms x 4 seats, {args.rate_per_room:g} actions/s "
                  f"per room (offered {args.rooms * args.rate_per_room:g}/s), "
                  f"{args.seconds:g} s, sync={args.sync}")
            for name, d in result.items():
                print(f"  {name:10} p50 {d['p50_ms']:7.2f} ms  p99 {d['p99_ms']:7.2f} ms  "
                      f"{d['actions_per_s']:7.0f} actions/s  server CPU {d['cpu_percent']:5.0f}%"
                      f"  RSS/conn {d['rss_per_conn_kib']:5.1f} KiB  errors {d['errors']}"
                      f"  (bots' CPU {d['client_cpu_percent']:.0f}%)")
            print(f"  p99 ratio heartlight/relay: {h['p99_ms'] / r['p99_ms']:.2f} "
                  f"(p50 ratio {h['p50_ms'] / r['p50_ms']:.2f})")
        if args.idle:
            d = await idle(args, workdir)
            print(f"\nidle: {d['held']} connections held by one server process "
                  f"({d['failed']} failed), {d['rss_per_conn_kib']:.1f} KiB each")
        if args.restore_rooms:
            d = await restore(args, workdir)
            print(f"\nrestore: {d['rooms']} rooms x {d['actions']} actions: room index "
                  f"{d['index_s'] * 1000:.0f} ms; replaying every game {d['replay_all_s']:.2f} s")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, default=200, help="rooms of 4 seats (0: skip)")
    p.add_argument("--rate-per-room", type=float, default=1.0, help="actions/s per room")
    p.add_argument("--seconds", type=float, default=15.0, help="how long to drive")
    p.add_argument("--deck", default="friends")
    p.add_argument("--sync", choices=("full", "normal"), default="full")
    p.add_argument("--idle", type=int, default=2000, help="idle connections (0: skip)")
    p.add_argument("--restore-rooms", type=int, default=200, help="(0: skip)")
    p.add_argument("--restore-actions", type=int, default=200)
    p.add_argument("--relay-server", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args()


if __name__ == "__main__":
    arguments = parse()
    if arguments.relay_server:
        relay_server()
    else:
        asyncio.run(main(arguments))
