"""Hostile-input campaign: a million hostile frames over real connections while
an honest game plays in another room.

    .venv/bin/python bench/hostile_campaign.py                 # 1,000,000 frames
    .venv/bin/python bench/hostile_campaign.py --frames 20000  # a quick look

The server runs as its own process with its default limits (frame size,
rate, burst, junk before closing), except joins per minute, raised to 600
so the campaign's own set-up (the honest room, the insiders' rooms, the
stale tokens) fits beside the attack from the same address. Attacker
processes (``--workers``) each run many connections:

* outsiders send what ``bench/hostile_frames.py`` generates, in bursts,
  and reconnect whenever the server closes them (junk, flood, oversize);
* flooders send valid frames as fast as they can until the rate limit
  closes them;
* insiders hold seats in rooms of their own and send random actions of
  every type (out of turn, stale versions, wild field values) under the
  rate limit, so the rules see them.

Meanwhile four honest bots play in their own room at a steady pace; their
latency is measured first without the attack, then during it. Printed:
frames sent (by kind), connections, server crashes (must be 0), bugs the
server caught in itself (``dispatch_failed``/``room_error`` log lines,
must be 0), the honest latency without and during the attack, the
server's memory (RSS from /proc) before, at the end of and after the
attack.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from botkit import (  # noqa: E402
    ROOT,
    ServerProcess,
    Table,
    machine,
    pack,
    pct,
    raise_fd_limit,
    unpack,
)
from hostile_frames import HostileFrames  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from game.protocol import PROTOCOL_VERSION  # noqa: E402

SERVER_FLAGS = ("--joins-per-minute", "600")


# -- the attacker (a worker process) --------------------------------------------


class Attack:
    def __init__(self, url: str, budget: int, seed: int, stale: list[tuple[str, str]]) -> None:
        self.url = url
        self.budget = budget
        self.rng = random.Random(seed)
        self.frames = HostileFrames(self.rng, stale=stale)
        self.sent: Counter[str] = Counter()
        self.total = 0
        self.connections = 0
        self.connect_failures = 0
        self.closes: Counter[str] = Counter()
        self.replies: Counter[str] = Counter()

    @property
    def done(self) -> bool:
        return self.total >= self.budget

    def count(self, kind: str) -> None:
        self.sent[kind] += 1
        self.total += 1

    async def _open(self) -> Any:
        try:
            ws = await connect(self.url, compression=None, open_timeout=20, max_size=1 << 20,
                               ping_interval=None, close_timeout=1)
        except Exception:
            self.connect_failures += 1
            await asyncio.sleep(0.05)
            return None
        self.connections += 1
        return ws

    async def _drain(self, ws: Any) -> None:
        """Read (and count) the server's answers until it closes."""
        try:
            async for frame in ws:
                with contextlib.suppress(Exception):
                    msg = unpack(frame)
                    self.replies[msg["code"] if msg["type"] == "error" else msg["type"]] += 1
        except Exception:
            pass
        code = ws.close_code
        self.closes[str(code)] += 1

    async def outsider(self) -> None:
        while not self.done:
            ws = await self._open()
            if ws is None:
                continue
            reader = asyncio.get_running_loop().create_task(self._drain(ws))
            try:
                if self.rng.random() < 0.8:
                    await ws.send(pack("hello", protocol=PROTOCOL_VERSION))
                    self.count("valid")
                while not self.done:
                    for _ in range(self.rng.randrange(1, 12)):
                        kind, frame = self.frames.next()
                        await ws.send(frame)
                        self.count(kind)
                    await asyncio.sleep(self.rng.random() * 0.2)
            except ConnectionClosed:
                pass
            finally:
                with contextlib.suppress(Exception):
                    await ws.close()
                await reader

    async def flooder(self) -> None:
        while not self.done:
            ws = await self._open()
            if ws is None:
                continue
            reader = asyncio.get_running_loop().create_task(self._drain(ws))
            try:
                hello = pack("hello", protocol=PROTOCOL_VERSION)
                for _ in range(200):  # far past burst + refusals: the server closes it
                    if self.done:
                        break
                    await ws.send(hello)
                    self.count("flood")
                await asyncio.wait_for(asyncio.shield(reader), 10)
            except (ConnectionClosed, TimeoutError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    await ws.close()
                await reader
            await asyncio.sleep(1.0)

    async def insider(self, deck: str) -> None:
        """Two seats of a room of our own: random actions, under the rate limit."""
        try:
            table = await Table.create(self.url, deck, seats=2)
        except Exception:
            self.connect_failures += 1
            return
        try:
            while not self.done:
                seat = self.rng.choice(table.seats)
                if seat.closed.is_set():
                    break
                version = max(seat.version, 0) - (self.rng.random() < 0.2)
                await seat.send("action", version=max(version, 0),
                                action=self.frames.action(plausible=True),
                                seat=self.rng.choice((None, None, seat.index, 1 - seat.index, 7)))
                self.count("insider_action")
                await asyncio.sleep(0.07 + self.rng.random() * 0.05)
        except ConnectionClosed:
            pass
        finally:
            for seat in table.seats:
                self.closes["insider-" + str(seat.ws.close_code if seat.ws else None)] += 1
            for seat in table.seats:
                for err in seat.errors:
                    self.replies[err["code"]] += 1
            await table.close()

    async def run(self, outsiders: int, flooders: int, insiders: int, deck: str) -> None:
        tasks = [self.insider(deck) for _ in range(insiders)]
        tasks += [self.outsider() for _ in range(outsiders)]
        tasks += [self.flooder() for _ in range(flooders)]
        await asyncio.gather(*tasks)

    def summary(self) -> dict[str, Any]:
        return {"sent": dict(self.sent), "total": self.total, "connections": self.connections,
                "connect_failures": self.connect_failures, "closes": dict(self.closes),
                "replies": dict(self.replies.most_common(40))}


def attack_main(args: argparse.Namespace) -> None:
    raise_fd_limit()
    stale = [(str(code), str(token)) for code, token in json.loads(args.stale)]
    attack = Attack(args.attack, args.frames, args.seed, stale)
    asyncio.run(attack.run(args.outsiders, args.flooders, args.insiders, args.deck))
    print(json.dumps(attack.summary()), flush=True)


# -- the campaign ---------------------------------------------------------------


def healthz(url: str) -> dict[str, Any]:
    http = url.replace("ws://", "http://") + "/healthz"
    with urllib.request.urlopen(http, timeout=10) as reply:
        health: dict[str, Any] = json.loads(reply.read())
    return health


async def honest_play(table: Table, until: asyncio.Event, pace: float) -> list[float]:
    start = len(table.latencies)
    while not until.is_set():
        await table.step(timeout=30)
        await asyncio.sleep(pace)
    return table.latencies[start:]


async def stale_tokens(url: str, deck: str, count: int) -> list[tuple[str, str]]:
    """Tokens of rooms that existed and are gone (the host left the lobby)."""
    out = []
    for _ in range(count):
        table = await Table.create(url, deck, seats=2, start=False)
        host = table.seats[1]
        out.append((table.code, table.seats[0].token or ""))
        await table.seats[0].send("leave")
        await table.seats[0].wait(lambda m: m["type"] == "released")
        del host
        await table.close()
    return out


async def campaign(*, workdir: Path, frames: int = 1_000_000, workers: int = 1,
                   outsiders: int = 150, flooders: int = 4, insiders: int = 6,
                   deck: str = "friends", baseline_s: float = 8.0, pace: float = 0.1,
                   settle_s: float = 3.0, waves: int = 1,
                   seed: int = 1, report: bool = False) -> dict[str, Any]:
    server = ServerProcess(workdir / "hostile.db", extra=SERVER_FLAGS)
    url = await asyncio.to_thread(server.start)
    try:
        stale = await stale_tokens(url, deck, 6)
        honest = await Table.create(url, deck)
        crashes = 0
        # the honest game alone
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(baseline_s, stop.set)
        baseline = await honest_play(honest, stop, pace)
        rss_before = server.rss()
        health_before = healthz(url)
        # the attack, from worker processes, while the honest game plays on;
        # in waves, so memory left behind by one wave shows against the next
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        stop = asyncio.Event()
        started = time.perf_counter()
        player = asyncio.get_running_loop().create_task(honest_play(honest, stop, pace))
        rss_peak = rss_before
        rss_waves: list[float] = []
        summaries = []
        for wave in range(waves):
            procs = [subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--attack", url,
                 "--frames", str(frames // workers // waves), "--seed",
                 str(seed + 100 * wave + i),
                 "--outsiders", str(outsiders), "--flooders", str(flooders),
                 "--insiders", str(insiders), "--deck", deck, "--stale", json.dumps(stale)],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                preexec_fn=raise_fd_limit) for i in range(workers)]
            while any(p.poll() is None for p in procs):
                await asyncio.sleep(0.5)
                if not server.alive():
                    crashes += 1
                    url = await asyncio.to_thread(server.start)
                with contextlib.suppress(OSError):
                    rss_peak = max(rss_peak, server.rss())
                if report and int(time.perf_counter() - started) % 15 == 0:
                    print(f"  ... {time.perf_counter() - started:.0f} s, server RSS "
                          f"{server.rss() / 2**20:.0f} MiB", flush=True)
            for p in procs:
                out, _ = p.communicate()
                lines = [ln for ln in out.splitlines() if ln.startswith("{")]
                summaries.append(json.loads(lines[-1]) if lines else {})
            await asyncio.sleep(settle_s)  # every attack connection is closed by now
            rss_waves.append(server.rss() / 2**20)
            if report and waves > 1:
                print(f"  wave {wave + 1}: server RSS {rss_waves[-1]:.1f} MiB after it",
                      flush=True)
        attack_s = time.perf_counter() - started - waves * settle_s
        stop.set()
        during = await player
        rss_end = rss_peak
        rss_after = server.rss()
        health_after = healthz(url)
        # the honest game is still whole: one more action goes through
        final_ok = await honest.step(timeout=10)
        honest_errors = sorted({e["code"] for s in honest.seats for e in s.errors})
        await honest.close()
    finally:
        exit_code = server.stop()
    sent: Counter[str] = Counter()
    closes: Counter[str] = Counter()
    replies: Counter[str] = Counter()
    for s in summaries:
        sent.update(s.get("sent", {}))
        closes.update(s.get("closes", {}))
        replies.update(s.get("replies", {}))
    bugs = server.events("dispatch_failed") + server.events("room_error")
    return {
        "frames": sum(sent.values()), "sent": dict(sent.most_common()),
        "attack_s": attack_s,
        "connections": sum(s.get("connections", 0) for s in summaries),
        "connect_failures": sum(s.get("connect_failures", 0) for s in summaries),
        "closes": dict(closes.most_common()), "replies": dict(replies.most_common(25)),
        "crashes": crashes, "bugs": len(bugs),
        "bug_detail": sorted({json.dumps({k: v for k, v in b.items() if k != "ts"})
                              for b in bugs})[:10],
        "baseline_p50_ms": pct(baseline, 50) * 1000, "baseline_p99_ms": pct(baseline, 99) * 1000,
        "baseline_n": len(baseline),
        "during_p50_ms": pct(during, 50) * 1000, "during_p99_ms": pct(during, 99) * 1000,
        "during_n": len(during),
        "rss_before_mib": rss_before / 2**20, "rss_peak_mib": rss_peak / 2**20,
        "rss_end_mib": rss_end / 2**20, "rss_after_mib": rss_after / 2**20,
        "rss_waves_mib": rss_waves,
        "rooms_before": health_before["rooms"], "rooms_after": health_after["rooms"],
        "connections_after": health_after["connections"],
        "honest_final_ok": final_ok, "honest_errors": honest_errors,
        "exit_code": exit_code,
    }


def print_result(r: dict[str, Any]) -> None:
    print(f"frames sent: {r['frames']:,} in {r['attack_s']:.0f} s "
          f"({r['frames'] / max(r['attack_s'], 1e-9):,.0f}/s) over {r['connections']:,} "
          f"connections ({r['connect_failures']} failed to open)")
    print(f"  by kind: {r['sent']}")
    print(f"  closed by the server with: {r['closes']}")
    print(f"  answers: {r['replies']}")
    print(f"server crashes: {r['crashes']} (must be 0); bugs it caught in itself "
          f"(dispatch_failed/room_error): {r['bugs']} (must be 0)")
    for line in r["bug_detail"]:
        print(f"  {line}")
    print(f"honest game latency without the attack: p50 {r['baseline_p50_ms']:.2f} ms, "
          f"p99 {r['baseline_p99_ms']:.2f} ms ({r['baseline_n']} actions)")
    print(f"honest game latency during the attack:  p50 {r['during_p50_ms']:.2f} ms, "
          f"p99 {r['during_p99_ms']:.2f} ms ({r['during_n']} actions); refusals: "
          f"{r['honest_errors'] or 'none'}; still playing after: {r['honest_final_ok']}")
    print(f"server RSS: before {r['rss_before_mib']:.1f} MiB, peak {r['rss_peak_mib']:.1f} MiB,"
          f" after the attack {r['rss_after_mib']:.1f} MiB; after each wave: "
          + ", ".join(f"{m:.1f}" for m in r["rss_waves_mib"]) + " MiB")
    print(f"rooms (healthz): {r['rooms_before']} before, {r['rooms_after']} after; "
          f"connections after: {r['connections_after']}; graceful stop exit code "
          f"{r['exit_code']}")


def ok(r: dict[str, Any]) -> bool:
    return (r["frames"] > 0 and r["crashes"] == 0 and r["bugs"] == 0 and r["honest_final_ok"]
            and not r["honest_errors"] and r["exit_code"] == 0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--frames", type=int, default=1_000_000)
    p.add_argument("--workers", type=int, default=1, help="attacker processes")
    p.add_argument("--outsiders", type=int, default=150, help="per worker")
    p.add_argument("--flooders", type=int, default=4, help="per worker")
    p.add_argument("--insiders", type=int, default=6, help="rooms of two per worker")
    p.add_argument("--deck", default="friends")
    p.add_argument("--waves", type=int, default=1,
                   help="split the frames into waves (memory is read after each)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--attack", help=argparse.SUPPRESS)
    p.add_argument("--stale", default="[]", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.attack:
        attack_main(args)
        return 0
    raise_fd_limit()
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(campaign(
            workdir=Path(tmp), frames=args.frames, workers=args.workers,
            outsiders=args.outsiders, flooders=args.flooders, insiders=args.insiders,
            deck=args.deck, seed=args.seed, waves=args.waves, report=True))
    print_result(result)
    good = ok(result)
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
