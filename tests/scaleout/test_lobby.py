"""The lobby and seats across processes: joins, leaves, racing joins, and a
seat taken back on another process."""

from __future__ import annotations

import threading

import pytest
from websockets.exceptions import ConnectionClosed

from game.netclient import NetClient, ServerError
from game.protocol import CLOSE_REPLACED


def test_lobby_changes_reach_every_process(cluster, play):
    p0, p1, p2 = cluster(3)
    with NetClient(p0.url) as ana, NetClient(p1.url) as ben, NetClient(p2.url) as cleo, \
            NetClient(p0.url) as dev:
        for c in (ana, ben, cleo, dev):
            c.hello()
        code = ana.create_room("test", "Ana", seats=4)["code"]
        ben.join(code, "Ben")
        cleo.join(code, "Cleo")
        with pytest.raises(ServerError) as taken:
            dev.join(code, "ben")  # names are unique across processes too
        assert taken.value.code == "name/taken"
        ben.leave()
        # Cleo, on a third process, moves down to seat 1
        lobby = cleo.wait_for(lambda m: m["type"] == "lobby" and len(m["seats"]) == 2)
        assert [s["name"] for s in lobby["seats"]] == ["Ana", "Cleo"]
        assert lobby["you"] == [1]
        assert dev.join(code, "Dev")["seat"] == 2
        ana.start()
        seats = {0: ana, 1: cleo, 2: dev}
        for s, c in seats.items():
            assert c.wait_view(s)["you"] == s
        view = play(seats)
        assert view["phase"] == "ended"
        assert view["recap"]["names"] == ["Ana", "Cleo", "Dev"]


def test_two_joins_for_the_last_seat_on_two_processes_one_gets_it(cluster):
    p0, p1, p2 = cluster(3)
    with NetClient(p0.url) as ana, NetClient(p1.url) as ben, NetClient(p2.url) as cleo:
        for c in (ana, ben, cleo):
            c.hello()
        code = ana.create_room("test", "Ana", seats=2)["code"]
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def join(client: NetClient, name: str) -> None:
            barrier.wait()
            try:
                results[name] = client.join(code, name)["seat"]
            except ServerError as exc:
                results[name] = exc.code

        threads = [threading.Thread(target=join, args=(c, n))
                   for c, n in ((ben, "Ben"), (cleo, "Cleo"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(map(str, results.values())) == ["1", "room/full"], results
        lobby = ana.wait_for(lambda m: m["type"] == "lobby" and len(m["seats"]) == 2)
        assert lobby["seats"][1]["name"] in ("Ben", "Cleo")


def test_taking_a_seat_back_on_another_process_releases_the_old_connection(cluster,
                                                                           spread, play):
    procs = cluster(3)
    clients, seats = spread([procs[0].url, procs[1].url], 2)
    view = play(seats, until=lambda v: v["lit"] >= 2)
    token, code = seats[1].tokens[1], seats[1].code
    assert code is not None
    with NetClient(procs[2].url) as again:
        again.hello()
        again.rejoin(code, token)
        again.wait_view(1)
        released = seats[1].wait_for(lambda m: m["type"] == "released")
        assert released["reason"] == "replaced"
        with pytest.raises(ConnectionClosed) as closed:
            seats[1].recv(timeout=5)
            seats[1].recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_REPLACED
        seats[1] = again
        now = seats[0].views[0]
        assert not now["seats"][1]["away"] and now["version"] >= view["version"]
        assert play(seats)["phase"] == "ended"
