"""A real server on a loopback port for each test, with a small test deck."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from game.rules.deck import Card, Deck, Tier
from server.app import ServerHandle, run_in_thread
from server.config import ServerConfig


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


def test_config(**overrides: object) -> ServerConfig:
    base = dict(deck_loader=load_test_deck, sync="normal", joins_per_minute=1000,
                messages_per_second=500.0, burst=500, max_rate_refusals=100)
    base.update(overrides)
    return ServerConfig(**base)  # type: ignore[arg-type]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rooms.db"


@pytest.fixture
def server(db_path: Path) -> Iterator[ServerHandle]:
    handle = run_in_thread(db_path=db_path, config=test_config())
    yield handle
    handle.stop()


@pytest.fixture
def make_server(db_path: Path) -> Iterator[object]:
    """Start servers with config overrides; all stopped at the end."""
    started: list[ServerHandle] = []

    def make(**overrides: object) -> ServerHandle:
        handle = run_in_thread(db_path=db_path, config=test_config(**overrides))
        started.append(handle)
        return handle

    yield make
    for handle in started:
        handle.stop()
