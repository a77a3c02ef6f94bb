"""Disk full and read-only database: the server must refuse new actions with
a clear error (``server/storage``) and a clear log line, lose nothing
already acknowledged, and recover by itself when writing works again.

    .venv/bin/python bench/disk_full.py                # both faults, 8 rooms
    .venv/bin/python bench/disk_full.py --fault full   # only the full disk

How the faults are made without root: the server runs in this process
(``server.app.run_in_thread``) on a real SQLite file, and the campaign
changes its store's own connection, on the store's thread, between commits:

* ``full``: ``PRAGMA max_page_count`` is pinned to the file's current size
  and the free space in its pages is filled, so the next write fails inside
  SQLite with ``SQLITE_FULL`` ("database or disk is full") exactly as on a
  full disk. Space returns by raising the limit and deleting the filler.
* ``readonly``: ``PRAGMA query_only`` makes every write fail with
  ``SQLITE_READONLY`` ("attempt to write a readonly database"), as when the
  file's permissions are taken away. Writing returns by clearing it.

While the fault lasts the bots keep trying to act, one seat of every table
(away since just before the fault) rejoins (it must get its view back), and a new room is tried (it
must be refused with ``server/storage``). Afterwards every table plays on,
the server restarts on the same file, and every acknowledged action must
be in the log.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from botkit import RefusedError, Seat, Table, machine, raise_fd_limit  # noqa: E402
from crash_campaign import logged_actions  # noqa: E402

from server.app import ServerHandle, run_in_thread  # noqa: E402
from server.config import ServerConfig  # noqa: E402
from server.store import SqliteStore  # noqa: E402

#: action rows at or above this seq are filler written by the "full" fault
FILLER_SEQ = 2**40


def _fill(db: sqlite3.Connection) -> None:
    """Pin the file's size, then fill its free space, including each room's
    own pages of the action log (rows far beyond any real version), so the
    next write needs a page SQLite may not take: SQLITE_FULL."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    codes = [row[0] for row in db.execute("SELECT code FROM rooms")]
    seq = FILLER_SEQ
    for code in codes + ["~"]:
        for size in (1024, 256, 64, 16, 1):
            try:
                while True:
                    seq += 1
                    db.execute("INSERT INTO actions VALUES (?, ?, 0, zeroblob(?), 0)",
                               (code, seq, size))
            except sqlite3.OperationalError:
                pass


def _free(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA max_page_count = 1073741823")
    db.execute(f"DELETE FROM actions WHERE seq >= {FILLER_SEQ}")


FAULTS: dict[str, tuple[Callable[[sqlite3.Connection], Any],
                        Callable[[sqlite3.Connection], Any]]] = {
    # fault: (what breaks writing, what mends it)
    "full": (_fill, _free),
    "readonly": (lambda db: db.execute("PRAGMA query_only = 1"),
                 lambda db: db.execute("PRAGMA query_only = 0")),
}


def on_store_thread(store: SqliteStore, work: Callable[[sqlite3.Connection], Any]) -> None:
    """Run ``work(connection)`` on the store's own thread, between commits."""

    def run() -> None:
        assert store._db is not None
        work(store._db)

    store._executor.submit(run).result(30)


def break_store(store: SqliteStore, fault: str) -> None:
    on_store_thread(store, FAULTS[fault][0])


def mend_store(store: SqliteStore, fault: str) -> None:
    on_store_thread(store, FAULTS[fault][1])


class LogCatcher(logging.Handler):
    """Keeps the server's JSON log lines (they go through ``logging``)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def one_fault(fault: str, *, workdir: Path, rooms: int, deck: str, attempts: int,
                    config: ServerConfig) -> dict[str, Any]:
    db = workdir / f"{fault}.db"
    catcher = LogCatcher()
    server_log = logging.getLogger("heartlight.server")
    server_log.addHandler(catcher)
    server_log.setLevel(logging.INFO)
    handle: ServerHandle | None = run_in_thread(db_path=db, config=config)
    assert handle is not None
    url = handle.url
    store = handle.hub.store
    assert isinstance(store, SqliteStore)
    tables = [await Table.create(url, deck) for _ in range(rooms)]
    before = {"refused": 0, "accepted_during": 0}
    try:
        for _ in range(10):
            for table in tables:
                await table.step()
        acked_before = sum(len(t.acked) for t in tables)
        # one seat of every table is away when the fault starts
        for table in tables:
            await table.seats[1].close()
        await asyncio.sleep(0.3)
        await asyncio.to_thread(break_store, store, fault)
        fault_started = time.perf_counter()

        # keep acting: every action must be refused with server/storage, or
        # (a full disk with some room left in a page) accepted and durable
        codes: dict[str, int] = {}
        for _ in range(attempts):
            for table in tables:
                if await table.step():
                    before["accepted_during"] += 1
                elif table.refused:
                    code = table.refused.pop()
                    codes[code] = codes.get(code, 0) + 1
        # a dropped seat rejoins during the fault: it must get a view back
        rejoined = 0
        for table in tables:
            seat = table.seats[1]
            try:
                await seat.open(url)
                assert seat.token is not None
                await seat.request("rejoin", "welcome", code=table.code, token=seat.token)
                await seat.wait(lambda m: m["type"] == "view", 10)
                rejoined += 1
            except Exception as exc:
                table.problems.append(f"rejoin during the fault: {exc!r}; heard {seat.heard}")
        # a new room during the fault: a clear refusal, not silence
        newcomer = Seat(Table(2), 0)
        await newcomer.open(url)
        try:
            await newcomer.request("create_room", "welcome", deck=deck, name="Late", seats=2)
            new_room = "created"
        except RefusedError as exc:
            new_room = exc.code
        except TimeoutError:
            new_room = "no answer"
        await newcomer.close()

        await asyncio.to_thread(mend_store, store, fault)
        fault_s = time.perf_counter() - fault_started
        # writing works again: play on; the first action must be accepted
        recovered_after = None
        for attempt in range(1, 21):
            if all([await t.step() for t in tables]):
                recovered_after = attempt
                break
        for _ in range(5):
            for table in tables:
                await table.step()
    finally:
        if handle is not None:
            # off this loop: the server's goodbye needs the bots to answer
            await asyncio.to_thread(handle.stop)
            handle = None
        server_log.removeHandler(catcher)
    # every acknowledged action is in the log, and a fresh server restores it
    logged = logged_actions(db)
    lost = [f"{t.code} v{v}" for t in tables for v, entry in t.acked.items()
            if logged.get(t.code.replace("-", ""), {}).get(v) != entry]
    handle = run_in_thread(db_path=db, config=config)
    try:
        back = sum([await t.rejoin(handle.url) for t in tables])
        behind = [t.code for t in tables
                  if t.best is None or t.best["version"] < t.max_acked]
    finally:
        await asyncio.gather(*(t.close() for t in tables))
        await asyncio.to_thread(handle.stop)
    failing_lines = [line for line in catcher.lines if "store_failing" in line]
    return {
        "fault": fault, "rooms": rooms, "acked_before": acked_before,
        "acked": sum(len(t.acked) for t in tables), "lost": len(lost),
        "refusals": codes, "accepted_during": before["accepted_during"],
        "rejoined_during": rejoined, "new_room_during": new_room,
        "recovered_after": recovered_after, "fault_s": fault_s,
        "back_after_restart": back, "seats": 4 * rooms, "behind": len(behind),
        "log_failing": failing_lines[:1],
        "log_recovered": [line for line in catcher.lines if "store_recovered" in line][:1],
        "room_errors": [line for line in catcher.lines if "room_error" in line][:3],
        "problems": [p for t in tables for p in t.problems][:5],
    }


async def campaign(*, workdir: Path, faults: tuple[str, ...] = ("full", "readonly"),
                   rooms: int = 8, deck: str = "friends", attempts: int = 30,
                   config: ServerConfig | None = None) -> list[dict[str, Any]]:
    base = config or ServerConfig(sync="full")
    base = replace(base, joins_per_minute=100_000_000, messages_per_second=10_000.0,
                   burst=10_000)
    return [await one_fault(f, workdir=workdir, rooms=rooms, deck=deck, attempts=attempts,
                            config=base) for f in faults]


def ok(r: dict[str, Any]) -> bool:
    return (r["lost"] == 0 and r["behind"] == 0 and r["back_after_restart"] == r["seats"]
            and r["rejoined_during"] == r["rooms"]
            # a full disk may still fit one small record in a page; read-only never
            and r["new_room_during"] in (("server/storage", "created") if r["fault"] == "full"
                                         else ("server/storage",))
            and r["recovered_after"] == 1 and set(r["refusals"]) <= {"server/storage"}
            and sum(r["refusals"].values()) > 0 and bool(r["log_failing"])
            and bool(r["log_recovered"]) and not r["room_errors"])


def print_result(r: dict[str, Any]) -> None:
    print(f"\nfault: {r['fault']} ({r['rooms']} rooms x 4 seats, lasted {r['fault_s']:.1f} s)")
    print(f"  actions refused during the fault: {r['refusals']} "
          f"(accepted while pages still had room: {r['accepted_during']})")
    print(f"  seats that dropped and rejoined during the fault and got their view: "
          f"{r['rejoined_during']}/{r['rooms']}")
    print(f"  a new room during the fault: {r['new_room_during']}"
          + (" (its small record still fitted in a page)" if r["new_room_during"] == "created"
             else ""))
    print(f"  log line: {r['log_failing'][0] if r['log_failing'] else 'NONE'}")
    print(f"  recovery: {r['log_recovered'][0] if r['log_recovered'] else 'NONE'}; first "
          f"round of actions accepted: {'round ' + str(r['recovered_after']) if r['recovered_after'] else 'never'}")
    print(f"  acknowledged actions: {r['acked']} ({r['acked_before']} before the fault); "
          f"lost: {r['lost']} (must be 0); seats back after a restart: "
          f"{r['back_after_restart']}/{r['seats']}")
    for line in r["room_errors"] + r["problems"]:
        print(f"  PROBLEM {line}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fault", choices=(*FAULTS, "both"), default="both")
    p.add_argument("--rooms", type=int, default=8)
    p.add_argument("--attempts", type=int, default=30,
                   help="rounds of actions tried while the fault lasts")
    p.add_argument("--deck", default="friends")
    args = p.parse_args()
    raise_fd_limit()
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}", flush=True)
    faults = tuple(FAULTS) if args.fault == "both" else (args.fault,)
    with tempfile.TemporaryDirectory() as tmp:
        results = asyncio.run(campaign(workdir=Path(tmp), faults=faults, rooms=args.rooms,
                                       deck=args.deck, attempts=args.attempts))
    for r in results:
        print_result(r)
    good = all(ok(r) for r in results)
    print(f"\n{'PASS' if good else 'FAIL'}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())

