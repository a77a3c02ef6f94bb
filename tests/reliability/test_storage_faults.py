"""A store that cannot write (disk full, read-only file): players get a clear
``server/storage`` refusal, the host gets one clear log line, nothing is
half-done in memory, and everything works again once writing does."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliakit import fill_disk, free_disk, on_store_thread

from game.netclient import NetClient, ServerError, scripted_move
from server.store import SqliteStore

READ_ONLY, WRITABLE = "PRAGMA query_only = 1", "PRAGMA query_only = 0"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def server_log() -> Iterator[Lines]:
    logger = logging.getLogger("heartlight.server")
    catcher = Lines()
    old = logger.level
    logger.addHandler(catcher)
    logger.setLevel(logging.INFO)
    yield catcher
    logger.removeHandler(catcher)
    logger.setLevel(old)


def table(url: str, seats: int = 2) -> list[NetClient]:
    clients = [NetClient(url).__enter__() for _ in range(seats)]
    for c in clients:
        c.hello()
    clients[0].create_room("test", "Ana", seats=seats)
    assert clients[0].code is not None
    for i, c in enumerate(clients[1:], start=1):
        c.join(clients[0].code, f"Seat{i}")
    clients[0].start()
    for c in clients[1:]:
        c.wait_view(next(iter(c.tokens)))
    return clients


def move(clients: list[NetClient]) -> tuple[NetClient, int, dict[str, Any]]:
    for c in clients:
        c.drain(0.02)
    for c in clients:
        seat = next(iter(c.tokens))
        found = scripted_move(c.views[seat], turns=10**9)
        if found is not None:
            return c, seat, found
    raise AssertionError("nobody can move")


def close(clients: list[NetClient]) -> None:
    for c in clients:
        c.__exit__(None, None, None)


def test_an_action_is_refused_while_the_disk_is_full_and_accepted_after(server, server_log):
    clients = table(server.url)
    for _ in range(3):
        c, seat, action = move(clients)
        c.act_and_wait(action, seat=seat)
    fill_disk(server)
    c, seat, action = move(clients)
    before = c.views[seat]["version"]
    with pytest.raises(ServerError) as caught:
        c.act_and_wait(action, seat=seat)
    refused = caught.value
    assert refused.code == "server/storage"
    assert "disk is full" in refused.message
    assert c.views[seat]["version"] == before  # nothing changed
    failing = [line for line in server_log.lines if "store_failing" in line]
    assert len(failing) == 1 and "database or disk is full" in failing[0]
    assert server.hub.health()["storage"] == "failing"

    free_disk(server)
    c, seat, action = move(clients)
    assert c.act_and_wait(action, seat=seat)["version"] == before + 1
    assert any("store_recovered" in line for line in server_log.lines)
    assert server.hub.health()["storage"] == "ok"
    close(clients)


def test_a_room_refused_for_storage_leaves_nothing_behind(server):
    with NetClient(server.url) as c:
        c.hello()
        on_store_thread(server, READ_ONLY)
        with pytest.raises(ServerError) as refused:
            c.create_room("test", "Ana", seats=2)
        assert refused.value.code == "server/storage"
        assert server.hub.rooms == {}
        on_store_thread(server, WRITABLE)
        c.create_room("test", "Ana", seats=2)
        assert len(server.hub.rooms) == 1


def test_a_join_refused_for_storage_keeps_the_seat_free(server):
    with NetClient(server.url) as host, NetClient(server.url) as guest:
        host.hello()
        guest.hello()
        host.create_room("test", "Ana", seats=2)
        on_store_thread(server, READ_ONLY)
        with pytest.raises(ServerError, match="disk is full or read-only"):
            guest.join(host.code or "", "Bo")
        on_store_thread(server, WRITABLE)
        assert guest.join(host.code or "", "Bo")["seat"] == 1


def test_a_create_room_refused_for_its_name_leaves_no_empty_room(server):
    # before the fix every refused create_room left a seatless room that
    # counted against max_rooms for a day (until the idle sweep)
    with NetClient(server.url) as c:
        c.hello()
        for _ in range(5):
            with pytest.raises(ServerError) as refused:
                c.create_room("test", "   ", seats=2)
            assert refused.value.code == "name/invalid"
        assert server.hub.rooms == {}


def test_a_start_refused_for_storage_can_be_tried_again(server):
    with NetClient(server.url) as host, NetClient(server.url) as guest:
        host.hello()
        guest.hello()
        host.create_room("test", "Ana", seats=2)
        guest.join(host.code or "", "Bo")
        on_store_thread(server, READ_ONLY)
        with pytest.raises(ServerError) as refused:
            host.start()
        assert refused.value.code == "server/storage"
        room = next(iter(server.hub.rooms.values()))
        assert not room.started
        on_store_thread(server, WRITABLE)
        assert host.start()["view"]["version"] == 0


def test_a_seat_rejoining_while_writes_fail_still_gets_its_view(server):
    clients = table(server.url)
    code, token = clients[1].code or "", next(iter(clients[1].tokens.values()))
    clients[1].__exit__(None, None, None)
    clients[0].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][1]["away"])
    on_store_thread(server, READ_ONLY)
    with NetClient(server.url) as back:
        back.hello()
        welcome = back.rejoin(code, token)
        view = back.wait_view(welcome["seat"], timeout=5)
        assert view["seats"][1]["away"]  # being back could not be saved yet
    on_store_thread(server, WRITABLE)
    close(clients[:1])


class FailingCommit:
    """A connection whose next COMMIT fails the way a full disk makes it fail."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.fail = True

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT" and self.fail:
            self.fail = False
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        return self.db.executemany(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.db.in_transaction

    def close(self) -> None:
        self.db.close()


def test_a_failed_commit_does_not_wedge_the_store(tmp_path: Path):
    async def scenario() -> None:
        store = SqliteStore(tmp_path / "s.db", sync="normal")
        await store.open()
        assert store._db is not None
        store._db = FailingCommit(store._db)  # type: ignore[assignment]
        with pytest.raises(sqlite3.OperationalError):
            await store.append("ROOM", 1, 0, {"type": "draw"}, 1.0)
        await store.append("ROOM", 1, 0, {"type": "draw"}, 2.0)
        assert [a.ts for a in await store.load_actions("ROOM")] == [2.0]
        await store.close()

    asyncio.run(scenario())
