"""Helpers for tests/reliability: a small deck, a server config for bots, the
server's own SQLite connection for fault injection, and ``bench/`` made
importable (the campaigns live there)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path
from typing import Any

from game.rules.deck import Card, Deck, Tier
from server.app import ServerHandle
from server.config import ServerConfig
from server.store import SqliteStore

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def small_deck() -> Deck:
    tiers = (Tier("spark", "Spark", unlock_per_player=0),
             Tier("glow", "Glow", unlock_per_player=1),
             Tier("flame", "Flame", unlock_per_player=2))
    cards = tuple(
        Card(id=f"{t.id}-{i}", tier=t.id, text=f"A {t.name.lower()} question number {i}?",
             follow_ups=("What else?", "How did that feel?"))
        for t in tiers for i in range(12)
    )
    return Deck(id="test", name="Test deck", tiers=tiers, cards=cards)


def load_test_deck(deck_id: str) -> Deck:
    if deck_id != "test":
        raise KeyError(deck_id)
    return small_deck()


def reliability_config(**overrides: Any) -> ServerConfig:
    base: dict[str, Any] = dict(deck_loader=load_test_deck, sync="normal",
                                joins_per_minute=100_000, messages_per_second=10_000.0,
                                burst=10_000)
    base.update(overrides)
    return ServerConfig(**base)


def on_store_thread(handle: ServerHandle, sql: str) -> None:
    """Run ``sql`` on the server's own SQLite connection, between commits
    (``{pages}`` is replaced by the file's current page count)."""
    store = handle.hub.store
    assert isinstance(store, SqliteStore)

    def run() -> None:
        db = store._db
        assert db is not None
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(sql.format(pages=pages))

    store._executor.submit(run).result(10)


def run_async(coro: Any) -> Any:
    return asyncio.run(coro)


def fill_disk(handle: ServerHandle) -> None:
    """Make the server's database full: pin its size (``max_page_count``),
    then fill the free space, including the room's own pages of the action
    log (rows far beyond any real version), so the next write fails inside
    SQLite with SQLITE_FULL as on a full disk. ``free_disk`` undoes it."""
    store = handle.hub.store
    assert isinstance(store, SqliteStore)

    def run() -> None:
        db = store._db
        assert db is not None
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

    store._executor.submit(run).result(10)


#: action rows at or above this seq are filler written by ``fill_disk``
FILLER_SEQ = 2**40


def free_disk(handle: ServerHandle) -> None:
    on_store_thread(handle, "PRAGMA max_page_count = 1073741823")
    on_store_thread(handle, f"DELETE FROM actions WHERE seq >= {FILLER_SEQ}")
