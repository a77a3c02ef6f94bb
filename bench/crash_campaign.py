"""Crash campaign: SIGKILL the server at random moments while bots play, restart
it on the same database, and check that nothing acknowledged was lost.

    .venv/bin/python bench/crash_campaign.py              # 20 kills, 50 rooms x 4 seats
    .venv/bin/python bench/crash_campaign.py --kills 3 --rooms 4   # a quick look

An action counts as acknowledged when the seat that sent it received the
view that includes it (the server appends to its log before it broadcasts).
After every restart each seat rejoins with its token; the restored game
must hold at least what was acknowledged (version, lamp, bulbs per seat,
turns, answered cards). At the end the server is stopped and its log read
directly: every acknowledged action must sit at its version with the same
seat and type. Printed: kills, rooms, acknowledged actions, actions lost
(must be 0), seats that did not get back in (must be 0), median time to
restore.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgpack  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))

from botkit import (  # noqa: E402
    ServerProcess,
    Table,
    machine,
    median,
    raise_fd_limit,
    summary,
)

COUNTED = ("lit", "turns_done", "answered")


def behind(restored: dict[str, Any], acked: dict[str, Any]) -> list[str]:
    """Which counters of the restored game are below what was acknowledged."""
    problems = [f"version {restored['version']} < {acked['version']}"] \
        if restored["version"] < acked["version"] else []
    problems += [f"{key} {restored[key]} < {acked[key]}" for key in COUNTED
                 if restored[key] < acked[key]]
    problems += [f"bulbs of seat {i}: {r} < {a}"
                 for i, (r, a) in enumerate(zip(restored["bulbs"], acked["bulbs"], strict=True)) if r < a]
    return problems


async def play(table: Table, think: float) -> None:
    """Play until the server goes away."""
    while True:
        try:
            acted = await table.step(timeout=20)
        except Exception:  # the kill: ConnectionError, ConnectionClosed, TimeoutError
            return
        await asyncio.sleep(think if acted else max(think, 0.05))


def logged_actions(db: Path) -> dict[str, dict[int, tuple[int, str]]]:
    """room code -> seq -> (seat, action type), read straight from the database."""
    out: dict[str, dict[int, tuple[int, str]]] = {}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for code, seq, seat, blob in con.execute("SELECT code, seq, seat, action FROM actions"):
            out.setdefault(code, {})[seq] = (seat, msgpack.unpackb(blob, raw=False)["type"])
    finally:
        con.close()
    return out


async def campaign(*, workdir: Path, rooms: int = 50, kills: int = 20, deck: str = "friends",
                   min_gap: float = 0.5, max_gap: float = 2.5, think: float = 0.0,
                   seed: int | None = None, sync: str = "full",
                   report: bool = False) -> dict[str, Any]:
    rng = random.Random(seed)
    server = ServerProcess(workdir / "crash.db", sync=sync)
    url = await asyncio.to_thread(server.start)
    gate = asyncio.Semaphore(32)

    async def make() -> Table:
        async with gate:
            return await Table.create(url, deck)

    tables = await asyncio.gather(*(make() for _ in range(rooms)))
    restore_s: list[float] = []
    listen_s: list[float] = []
    not_back = 0
    behind_problems: list[str] = []
    try:
        for kill in range(kills + 1):
            if kill < kills:
                players = [asyncio.create_task(play(t, think)) for t in tables]
                await asyncio.sleep(rng.uniform(min_gap, max_gap))
                server.kill()
                await asyncio.gather(*players)
            else:
                server.stop()  # the last round: a graceful restart, then verify
            snapshots = [summary(t.best) if t.best else None for t in tables]
            started = time.perf_counter()
            url = await asyncio.to_thread(server.start)
            listen_s.append(time.perf_counter() - started)
            back = await asyncio.gather(*(t.rejoin(url) for t in tables))
            restore_s.append(time.perf_counter() - started)
            not_back += sum(len(t.seats) - b for t, b in zip(tables, back, strict=True))
            for table, acked in zip(tables, snapshots, strict=True):
                if acked is None or table.best is None:
                    continue
                for problem in behind(summary(table.best), acked):
                    behind_problems.append(f"room {table.code} after kill {kill + 1}: {problem}")
            if report:
                acked_now = sum(len(t.acked) for t in tables)
                print(f"  round {kill + 1:2}: {acked_now} acknowledged so far, restore "
                      f"{restore_s[-1] * 1000:.0f} ms, seats back {sum(back)}/{4 * rooms}",
                      flush=True)
    finally:
        await asyncio.gather(*(t.close() for t in tables))
        server.stop()

    logged = logged_actions(server.db)
    lost: list[str] = []
    for table in tables:
        code = table.code.replace("-", "")
        log = logged.get(code, {})
        for version, entry in table.acked.items():
            if log.get(version) != entry:
                lost.append(f"room {table.code} version {version}: acknowledged {entry}, "
                            f"logged {log.get(version)}")
    return {
        "kills": kills, "rooms": rooms,
        "acknowledged": sum(len(t.acked) for t in tables),
        "lost": len(lost), "lost_detail": lost[:10],
        "behind": len(behind_problems), "behind_detail": behind_problems[:10],
        "seats": 4 * rooms, "not_back": not_back,
        "restore_median_s": median(restore_s), "restore_max_s": max(restore_s),
        "listen_median_s": median(listen_s),
        "index_median_ms": median([e.get("ms", 0.0) for e in server.events("restored")[1:]]),
        "replay_median_ms": median([e.get("ms", 0.0) for e in server.events("room_restored")]),
        "replay_failed": len(server.events("replay_failed")),
        "room_errors": len(server.events("room_error")) + len(server.events("dispatch_failed")),
        "refused": sorted({c for t in tables for c in t.refused}),
        "rejoin_problems": [p for t in tables for p in t.problems][:10],
        "log_dir": str(workdir),
    }


def print_result(r: dict[str, Any]) -> None:
    print(f"kills: {r['kills']}   rooms: {r['rooms']} x 4 seats")
    print(f"acknowledged actions: {r['acknowledged']}")
    print(f"actions lost: {r['lost']} (must be 0)")
    for line in r["lost_detail"]:
        print(f"  {line}")
    print(f"restored games behind what was acknowledged: {r['behind']} (must be 0)")
    for line in r["behind_detail"]:
        print(f"  {line}")
    print(f"seats rejoined with their token: {r['seats'] * (r['kills'] + 1) - r['not_back']}"
          f" of {r['seats'] * (r['kills'] + 1)} ({r['not_back']} missed; must be 0)")
    for line in r["rejoin_problems"]:
        print(f"  {line}")
    print(f"time to restore (restart until every seat has its view again): median "
          f"{r['restore_median_s'] * 1000:.0f} ms, worst {r['restore_max_s'] * 1000:.0f} ms; "
          f"of which process start to listening: median {r['listen_median_s'] * 1000:.0f} ms")
    print(f"  inside the server: loading the room index median {r['index_median_ms']:.1f} ms; "
          f"replaying one room's log on its first rejoin median {r['replay_median_ms']:.1f} ms")
    print(f"server log: replay_failed {r['replay_failed']}, room/dispatch errors "
          f"{r['room_errors']}; refusals seen by bots: {r['refused'] or 'none'}")


def ok(r: dict[str, Any]) -> bool:
    return bool(r["lost"] == 0 and r["behind"] == 0 and r["not_back"] == 0 and
                r["replay_failed"] == 0 and r["room_errors"] == 0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, default=50)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--deck", default="friends")
    p.add_argument("--sync", choices=("full", "normal"), default="full")
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args()
    raise_fd_limit()
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(campaign(workdir=Path(tmp), rooms=args.rooms, kills=args.kills,
                                      deck=args.deck, seed=args.seed, sync=args.sync,
                                      report=True))
    print_result(result)
    return 0 if ok(result) else 1


if __name__ == "__main__":
    sys.exit(main())
