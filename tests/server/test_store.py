"""The durable log: restore after a restart, and no typed text on disk."""

from __future__ import annotations

import logging
from pathlib import Path

from game.netclient import NetClient
from server.app import run_in_thread
from server.store import RoomRecord, SeatRecord, SqliteStore

SECRET = "Zebra-Umbrella-4217 my grandmother's secret garden"


def essentials(view: dict) -> dict:
    """What must survive a restart: the lamp, tiers, phase, every bulb."""
    turn = view["turn"]
    return {
        "phase": view["phase"], "lit": view["lit"], "open_tiers": view["open_tiers"],
        "tiers": view["tiers"], "turns_done": view["turns_done"],
        "bulbs": [s["bulbs"] for s in view["seats"]],
        "card": view["card"]["id"] if view["card"] else None,
        "turn_bulbs": turn["bulbs"] if turn else None,
        "speaker": view["speaker"], "answered": view["answered"],
    }


def everyone_back(seats: dict[int, NetClient]) -> None:
    """Wait until every seat's client sees every seat present again."""
    for seat, client in seats.items():
        view = client.views.get(seat)
        if view is None or any(s["away"] for s in view["seats"]):
            client.wait_for(lambda m, s=seat: m["type"] == "view" and m["seat"] == s and
                            not any(x["away"] for x in m["view"]["seats"]))


def assert_no_secret(db_path: Path) -> None:
    files = [p for p in Path(db_path).parent.iterdir() if p.name.startswith(db_path.name)]
    assert files, "the database files exist"
    for path in files:
        data = path.read_bytes()
        for needle in (SECRET, "Zebra-Umbrella", "secret garden"):
            assert needle.encode() not in data, f"{needle!r} found in {path.name}"
            assert needle.encode("utf-16-le") not in data


def test_typed_text_never_reaches_the_database_or_logs(make_server, table, play, db_path,
                                                       caplog):
    caplog.set_level(logging.DEBUG)
    srv = make_server(sync="full")
    clients, seats = table(srv.url, 2, settings={"text_mode": True})
    seen = play(seats, until=lambda v: v["turn"] is not None and bool(v["turn"]["answer_text"]),
                text=SECRET)
    # the words did reach the other player
    assert SECRET in seen["turn"]["answer_text"]
    view = play(seats, text=SECRET)
    assert view["phase"] == "ended"
    assert any(f"{db_path.name}-wal" == p.name for p in db_path.parent.iterdir())
    assert_no_secret(db_path)  # the live WAL included
    srv.stop()
    assert_no_secret(db_path)
    assert caplog.records, "the server logged"
    assert not any("Zebra" in r.getMessage() for r in caplog.records)


def test_a_restarted_server_restores_the_game(make_server, table, play, db_path):
    srv = make_server()
    clients, seats = table(srv.url, 3)
    play(seats, until=lambda v: v["lit"] >= 5 and v["phase"] == "respond")
    before = essentials(clients[0].views[0])
    code, tokens = clients[0].code, [c.tokens[i] for i, c in enumerate(clients)]
    srv.stop()
    again = make_server()
    with NetClient(again.url) as a, NetClient(again.url) as b, NetClient(again.url) as c:
        back = {}
        for seat, n in enumerate((a, b, c)):
            n.hello()
            n.rejoin(code, tokens[seat])
            back[seat] = n
        everyone_back(back)
        view = c.views[2]
        assert essentials(view) == before
        final = play(back)
        assert final["phase"] == "ended"


async def test_group_commit_puts_one_ticks_appends_in_one_transaction(tmp_path):
    import asyncio

    store = SqliteStore(tmp_path / "g.db")
    await store.open()
    await store.save_room(RoomRecord(code="ROOM", deck_id="test", max_seats=2, settings={},
                                     seats=[SeatRecord("Ana", "h")]))
    commits = store.commits
    await asyncio.gather(*(store.append("ROOM", i, 0, {"type": "star"}, 1.0)
                           for i in range(1, 201)))
    assert store.commits - commits <= 3
    assert [a.seq for a in await store.load_actions("ROOM")] == list(range(1, 201))
    rooms = await store.load_rooms()
    assert rooms[0].seats[0].name == "Ana" and rooms[0].last_active == 1.0
    await store.delete_room("ROOM")
    assert await store.load_rooms() == []
    await store.close()


def test_an_idle_room_expires_and_is_deleted(make_server, db_path):
    srv = make_server(room_ttl_s=0.0, sweep_every_s=0.05)
    with NetClient(srv.url) as a:
        a.hello()
        code = a.create_room("test", "Ana")["code"]
    import time

    deadline = time.monotonic() + 5
    while srv.hub.rooms and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not srv.hub.rooms
    with NetClient(srv.url) as b:
        b.hello()
        try:
            b.join(code, "Ben")
        except Exception as exc:
            assert getattr(exc, "code", "") == "room/not_found"
        else:
            raise AssertionError("joined an expired room")


def test_run_in_thread_reports_a_port_in_use(server, db_path):
    import pytest

    with pytest.raises(OSError):
        run_in_thread(port=server.port, db_path=db_path.with_name("other.db"))
