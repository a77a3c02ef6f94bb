"""Helpers for tests/reliability: a small deck, a server config for bots, the
server's own SQLite connection for fault injection, and ``bench/`` made
importable (the campaigns live there)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.rules.deck import Deck
from server.app import ServerHandle
from server.config import ServerConfig
from server.store import SqliteStore

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def _server_kit() -> Any:
    """The server tests' helpers (one small test deck for every server test),
    loaded under a name of their own: ``conftest`` is not importable by name."""
    path = Path(__file__).resolve().parent / "server" / "conftest.py"
    spec = importlib.util.spec_from_file_location("heartlight_server_kit", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_kit = _server_kit()
small_deck: Callable[[], Deck] = _kit.small_deck
load_test_deck: Callable[[str], Deck] = _kit.load_test_deck


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
    """The server's database is full (see bench/disk_full.py)."""
    from disk_full import break_store

    store = handle.hub.store
    assert isinstance(store, SqliteStore)
    break_store(store, "full")


def free_disk(handle: ServerHandle) -> None:
    from disk_full import mend_store

    store = handle.hub.store
    assert isinstance(store, SqliteStore)
    mend_store(store, "full")
