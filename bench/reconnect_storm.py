"""Reconnect storm: every connection of 1,000 rooms x 4 seats drops at once,
and every seat comes back with its token within 5 s (uniform jitter).

    .venv/bin/python bench/reconnect_storm.py                  # 1,000 rooms
    .venv/bin/python bench/reconnect_storm.py --rooms 50 --window 1

The drop is a cut TCP connection (no closing handshake), as when a wifi
router restarts. Each seat then waits a random 0..``--window`` seconds,
opens a new connection, says hello and rejoins with its token, retrying
twice (after 0.5 s and 1 s) if anything fails, as the client does. Printed:
seats that got their seat back (must be all), how many needed a retry, the
time from the drop until the last seat was back, and until every room's
table showed everyone present again (settled), the server's CPU during the
storm. All bots come from 127.0.0.1, so the per-address joins limit is
raised for this run (4,000 rejoins from one address would be a flood).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from botkit import (  # noqa: E402
    ROOT,
    RefusedError,
    Seat,
    ServerProcess,
    Table,
    machine,
    pct,
    raise_fd_limit,
)


class StormSeat:
    """What one seat saw during the storm."""

    def __init__(self, table: Table, seat: Seat) -> None:
        self.table, self.seat = table, seat
        self.back_at: float | None = None
        self.tries = 0
        self.problem = ""
        #: seconds spent opening, in hello, rejoin and waiting for the view
        self.phases: list[float] = []


def everyone_present(view: dict[str, Any]) -> bool:
    return not any(s["away"] for s in view["seats"] if not s["left"])


async def come_back(s: StormSeat, url: str, delay: float, retries: int = 2) -> None:
    await asyncio.sleep(delay)
    seat = s.seat
    for attempt in range(retries + 1):
        s.tries += 1
        try:
            t0 = time.perf_counter()
            await seat.close()
            t1 = time.perf_counter()
            await seat.open(url, open_timeout=30)
            t2 = time.perf_counter()
            assert seat.token is not None
            await seat.request("rejoin", "welcome", code=s.table.code, token=seat.token)
            t3 = time.perf_counter()
            await seat.wait(lambda m: m["type"] == "view", 30)
            s.back_at = time.perf_counter()
            s.phases = [t1 - t0, t2 - t1, t3 - t2, s.back_at - t3]
            return
        except (OSError, ConnectionError, TimeoutError, RefusedError, AssertionError) as exc:
            s.problem = repr(exc)[:120]
            await asyncio.sleep(0.5 * (attempt + 1))


async def settled_at(tables: list[Table], deadline: float) -> float | None:
    """Poll until every seat's latest view shows everyone present."""
    while time.perf_counter() < deadline:
        if all(seat.view is not None and everyone_present(seat.view)
               for t in tables for seat in t.seats):
            return time.perf_counter()
        await asyncio.sleep(0.02)
    return None


async def storm_part(url: str, rooms: int, window: float, deck: str, seed: int | None,
                     ready: asyncio.Event, go: asyncio.Future[float]) -> dict[str, Any]:
    """One worker's share: set up ``rooms`` tables, await the agreed drop time
    (``go``, a time.time() value), cut every connection, bring them back.
    Times in the result are seconds after the drop."""
    rng = random.Random(seed)
    gate = asyncio.Semaphore(48)

    async def make() -> Table:
        async with gate:
            return await Table.create(url, deck)

    tables = list(await asyncio.gather(*(make() for _ in range(rooms))))
    try:
        for table in tables:  # a few moves, so the games are under way
            await table.step()
        seats = [StormSeat(t, s) for t in tables for s in t.seats]
        ready.set()
        drop_at = await go
        await asyncio.sleep(max(0.0, drop_at - time.time()))
        dropped = time.perf_counter()
        cpu0 = time.process_time()
        for s in seats:
            s.seat.drop()
        await asyncio.gather(*(come_back(s, url, rng.uniform(0, window)) for s in seats))
        settled = await settled_at(tables, time.perf_counter() + 30)
        cpu = time.process_time() - cpu0
        wall = time.perf_counter() - dropped
        playing = sum([await t.step() for t in tables])
        back = [s for s in seats if s.back_at is not None]
        return {
            "seats": len(seats), "back": [(s.back_at or 0.0) - dropped for s in back],
            "retried": sum(1 for s in back if s.tries > 1),
            "settled_s": (settled - dropped) if settled else None,
            "phases": [s.phases for s in back if s.phases],
            "still_playing": playing, "client_cpu_percent": 100 * cpu / wall,
            "problems": sorted({s.problem for s in seats if s.back_at is None})[:5],
        }
    finally:
        await asyncio.gather(*(t.close() for t in tables))


def worker_main(args: argparse.Namespace) -> None:
    """``--worker URL``: print 'ready' once set up, read the drop time from
    stdin, print the result as one JSON line."""
    raise_fd_limit()

    async def run() -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        go: asyncio.Future[float] = loop.create_future()

        async def wait_for_go() -> None:
            line = await asyncio.to_thread(sys.stdin.readline)
            go.set_result(float(line.split()[1]))

        ready = asyncio.Event()
        part = loop.create_task(storm_part(args.worker, args.rooms, args.window, args.deck,
                                           args.seed, ready, go))
        await ready.wait()
        print("ready", flush=True)
        waiter = loop.create_task(wait_for_go())
        result = await part
        waiter.cancel()
        return result

    print(json.dumps(asyncio.run(run())), flush=True)


async def campaign(*, workdir: Path, rooms: int = 1000, window: float = 5.0,
                   deck: str = "friends", workers: int = 2, seed: int = 1,
                   sync: str = "full", report: bool = False) -> dict[str, Any]:
    server = ServerProcess(workdir / "storm.db", log_level="warning", sync=sync)
    url = await asyncio.to_thread(server.start)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    shares = [rooms // workers + (1 if i < rooms % workers else 0) for i in range(workers)]
    procs = [subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--worker", url, "--rooms", str(n),
         "--window", str(window), "--deck", deck, "--seed", str(seed + i)],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        preexec_fn=raise_fd_limit) for i, n in enumerate(shares)]
    try:
        started = time.perf_counter()
        for proc in procs:
            assert proc.stdout is not None
            line = await asyncio.to_thread(proc.stdout.readline)
            if line.strip() != "ready":
                raise RuntimeError(f"a storm worker failed to set up: {line!r}")
        setup_s = time.perf_counter() - started
        if report:
            print(f"  {rooms} rooms x 4 seats playing, {workers} client processes (set up in "
                  f"{setup_s:.1f} s)", flush=True)
        rss_before = server.rss()
        cpu0 = server.cpu()
        drop_at = time.time() + 1.0
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(f"drop {drop_at}\n")
            proc.stdin.flush()
        samples: list[tuple[float, float]] = []

        async def sample() -> None:
            while True:
                samples.append((time.time(), server.cpu()))
                await asyncio.sleep(0.5)

        sampler = asyncio.get_running_loop().create_task(sample())
        parts = []
        for proc in procs:
            out, _ = await asyncio.to_thread(proc.communicate)
            lines = [ln for ln in out.splitlines() if ln.startswith("{")]
            if not lines:
                raise RuntimeError("a storm worker died; see its stderr above")
            parts.append(json.loads(lines[-1]))
        storm_s = time.time() - drop_at
        cpu = server.cpu() - cpu0
        sampler.cancel()
        busy = [(t1 - drop_at, (c1 - c0) / (t1 - t0)) for (t0, c0), (t1, c1)
                in zip(samples, samples[1:], strict=False) if t1 > drop_at]
        rss_after = server.rss()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        server.stop()
    back = [t for p in parts for t in p["back"]]
    phases = [ph for p in parts for ph in p["phases"]]
    settled = [p["settled_s"] for p in parts]
    return {
        "rooms": rooms, "seats": sum(p["seats"] for p in parts), "back": len(back),
        "retried": sum(p["retried"] for p in parts), "window_s": window, "workers": workers,
        "last_back_s": max(back, default=float("nan")),
        "settled_s": max(settled) if None not in settled else float("nan"),
        "back_p50_s": pct(back, 50),
        "phases_p50": [pct([ph[i] for ph in phases], 50) for i in range(4)],
        "phases_max": [max((ph[i] for ph in phases), default=0) for i in range(4)],
        "server_cpu_percent": 100 * cpu / storm_s, "setup_s": setup_s,
        "server_busy_s": sum(0.5 for _, load in busy if load > 0.9),
        "server_cpu_peak_percent": 100 * max((load for _, load in busy), default=0),
        "rss_before_mib": rss_before / 2**20, "rss_after_mib": rss_after / 2**20,
        "still_playing": sum(p["still_playing"] for p in parts),
        "client_cpu_percent": sum(p["client_cpu_percent"] for p in parts),
        "problems": [x for p in parts for x in p["problems"]][:5],
        "room_errors": len(server.events("room_error")) + len(server.events("dispatch_failed")),
    }


def print_result(r: dict[str, Any]) -> None:
    print(f"rooms: {r['rooms']} x 4 seats = {r['seats']} connections cut at once, each back "
          f"after a random 0..{r['window_s']:g} s ({r['workers']} client processes)")
    print(f"got their seat back: {r['back']} of {r['seats']} (must be all); needed a retry: "
          f"{r['retried']}")
    print("  per seat, median (max) seconds: " + ", ".join(
        f"{name} {a:.2f} ({b:.2f})" for name, a, b in
        zip(("close", "connect+hello", "rejoin", "view"), r["phases_p50"], r["phases_max"], strict=True)))
    for line in r["problems"]:
        print(f"  {line}")
    print(f"time from the drop: median seat back {r['back_p50_s']:.2f} s, last seat back "
          f"{r['last_back_s']:.2f} s, every table showing everyone present (settled) "
          f"{r['settled_s']:.2f} s")
    print(f"server CPU during the storm: {r['server_cpu_percent']:.0f}% of one core (the bots: "
          f"{r['client_cpu_percent']:.0f}%); peak {r['server_cpu_peak_percent']:.0f}% over "
          f"0.5 s, above 90% for {r['server_busy_s']:.1f} s; RSS "
          f"{r['rss_before_mib']:.0f} -> {r['rss_after_mib']:.0f} MiB; rooms playing on after: "
          f"{r['still_playing']}/{r['rooms']}; server room/dispatch errors: {r['room_errors']}")


def ok(r: dict[str, Any]) -> bool:
    settled = r["settled_s"] == r["settled_s"]  # not NaN: every table settled
    return bool(r["back"] == r["seats"] and r["room_errors"] == 0 and settled)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, default=1000)
    p.add_argument("--window", type=float, default=5.0, help="seconds over which seats return")
    p.add_argument("--deck", default="friends")
    p.add_argument("--workers", type=int, default=2, help="client processes")
    p.add_argument("--sync", choices=("full", "normal"), default="full")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker_main(args)
        return 0
    limit = raise_fd_limit()
    if limit < 4 * args.rooms + 200:
        print(f"warning: {limit} file descriptors allowed; {4 * args.rooms} connections "
              "need more", file=sys.stderr)
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(campaign(workdir=Path(tmp), rooms=args.rooms, window=args.window,
                                      deck=args.deck, workers=args.workers, seed=args.seed,
                                      sync=args.sync, report=True))
    print_result(result)
    good = ok(result)
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
