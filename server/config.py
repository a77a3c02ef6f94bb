"""Everything a host can tune, as one frozen value with sane defaults.

``server.cli`` turns flags into a ``ServerConfig``; tests build one directly
(usually with a small deck loader and a temporary database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.rules.deck import Deck


def default_deck_loader(deck_id: str) -> Deck:
    """The bundled and custom decks (``game.decks.get_deck``)."""
    from game.decks import get_deck

    return get_deck(deck_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    #: SQLite database of rooms and action logs; ":memory:" keeps nothing
    db_path: Path | str = "heartlight-server.db"
    #: share rooms with other processes through this Redis (``server.cluster``)
    #: instead of keeping them in ``db_path``, e.g. "redis://127.0.0.1:6379/0"
    redis_url: str | None = None
    certfile: Path | str | None = None
    keyfile: Path | str | None = None
    #: largest websocket frame accepted, in bytes (bigger: close 1009)
    max_frame: int = 16 * 1024
    #: steady messages per second per connection, and the burst above it
    messages_per_second: float = 20.0
    burst: int = 40
    #: refusals for rate before the connection is closed (1008)
    max_rate_refusals: int = 40
    #: junk frames (protocol errors) before the connection is closed (1008)
    max_junk: int = 5
    #: room creations, joins, rejoins and seat claims per minute per address
    joins_per_minute: int = 30
    max_seats: int = 8
    max_rooms: int = 10_000
    #: a room with nobody connected and no action for this long is deleted
    room_ttl_s: float = 24 * 3600.0
    #: how often to look for expired rooms
    sweep_every_s: float = 60.0
    #: the others may skip an away speaker's turn after this long
    away_skip_after_s: float = 60.0
    #: anyone may lift a pause (resume after_wait) after it lasted this long
    pause_timeout_s: float = 600.0
    #: a connection must say hello within this time
    hello_timeout_s: float = 10.0
    #: bytes waiting to be written to a client before it is closed as too slow
    max_backlog: int = 1024 * 1024
    #: SQLite synchronous mode: "full" survives power loss, "normal" only crashes
    sync: str = "full"
    #: tune the process (garbage collection, GIL switching) for many connections;
    #: off in run_in_thread, where the process is not ours
    tune_gc: bool = False
    #: deck id -> Deck (raises KeyError or game.decks.DeckError when unknown)
    deck_loader: Callable[[str], Deck] = default_deck_loader
