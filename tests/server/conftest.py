"""A real server on a loopback port for each test, with a small test deck."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from game.netclient import NetClient, scripted_move
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


# -- driving games through the protocol -----------------------------------------

Seats = dict[int, NetClient]


def connect_all(url: str, count: int) -> list[NetClient]:
    clients = [NetClient(url) for _ in range(count)]
    for c in clients:
        c.__enter__()
        c.hello()
    return clients


def close_all(clients: list[NetClient]) -> None:
    for c in clients:
        c.__exit__(None, None, None)


def open_table(url: str, count: int, **room: Any) -> tuple[list[NetClient], Seats]:
    """``count`` connections, one seat each, in a started game."""
    clients = connect_all(url, count)
    host = clients[0]
    welcome = host.create_room("test", "Seat0", seats=room.pop("seats", count), **room)
    for i, c in enumerate(clients[1:], start=1):
        c.join(welcome["code"], f"Seat{i}")
    host.start()
    seats = {i: c for i, c in enumerate(clients)}
    for seat, c in seats.items():
        c.wait_view(seat)
    return clients, seats


def play(seats: Seats, *, until: Callable[[dict[str, Any]], bool] | None = None,
         turns: int = 4, text: str = "", max_steps: int = 600,
         pace: float = 0.0) -> dict[str, Any]:
    """Play scripted moves (``scripted_move``) until the game ends or ``until``
    holds for seat 0's view; returns that view. Every seat's client is kept
    up to date after each move."""
    for _ in range(max_steps):
        first = next(iter(seats))
        view = seats[first].views[first]
        if view["phase"] == "ended" or (until is not None and until(view)):
            return view
        for seat, client in seats.items():
            move = scripted_move(client.views[seat], turns=turns, text=text)
            if move is None:
                continue
            before = client.views[seat]["version"]
            if pace:
                time.sleep(pace)
            client.act_and_wait(move, seat=seat)
            for other, c in seats.items():
                c.wait_view(other, after=before)
            break
        else:
            raise AssertionError(f"nobody can move in phase {view['phase']}")
    raise AssertionError("the game did not finish")


@pytest.fixture
def table() -> Iterator[Callable[..., tuple[list[NetClient], Seats]]]:
    opened: list[NetClient] = []

    def make(url: str, count: int, **room: Any) -> tuple[list[NetClient], Seats]:
        clients, seats = open_table(url, count, **room)
        opened.extend(clients)
        return clients, seats

    yield make
    close_all(opened)


@pytest.fixture(name="play")
def play_fixture() -> Callable[..., dict[str, Any]]:
    return play
