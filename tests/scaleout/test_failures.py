"""Losing a server process, losing Redis for a while, and limits shared by
every process."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from game.netclient import NetClient, ServerError

ROOT = Path(__file__).resolve().parents[2]


def essentials(view: dict) -> dict:
    return {"phase": view["phase"], "lit": view["lit"], "open_tiers": view["open_tiers"],
            "bulbs": [s["bulbs"] for s in view["seats"]], "turns_done": view["turns_done"],
            "speaker": view["speaker"], "version": view["version"],
            "card": view["card"]["id"] if view["card"] else None}


def wait_health(url: str, redis: str) -> dict:
    """/healthz of the process at ``url`` once it reports Redis as ``redis``."""
    port = int(url.rsplit(":", 1)[1])
    for _ in range(100):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
            health = json.loads(reply.read())
        if health["redis"] == redis:
            return health
        time.sleep(0.05)
    raise AssertionError(f"/healthz never said redis={redis!r}: {health}")


def test_a_killed_process_loses_nothing_and_its_player_moves_on(cluster, spread, play):
    procs = cluster(3)
    clients, seats = spread([p.url for p in procs], 3)
    view = play(seats, until=lambda v: v["lit"] >= 3 and v["phase"] == "draw")
    before = essentials(view)
    token, code = seats[1].tokens[1], seats[1].code
    assert code is not None

    procs[1].kill()
    with pytest.raises(ConnectionClosed):
        seats[1].recv(timeout=5)
        seats[1].recv(timeout=5)
    # the survivors notice the dead process and mark its player away
    away = seats[0].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][1]["away"],
                             timeout=15)["view"]
    assert essentials(away)["lit"] == before["lit"]

    with NetClient(procs[2].url) as back:
        back.hello()
        back.rejoin(code, token)
        view = back.wait_for(lambda m: m["type"] == "view" and m["seat"] == 1 and
                             not m["view"]["seats"][1]["away"])["view"]
        assert {k: v for k, v in essentials(view).items() if k != "version"} == \
            {k: v for k, v in before.items() if k != "version"}
        seats[1] = back
        for s, c in seats.items():
            c.wait_view(s, after=view["version"] - 1)
        assert play(seats)["phase"] == "ended"


def test_redis_restarted_mid_game(cluster, spread, play, redis_server):
    procs = cluster(3)
    clients, seats = spread([p.url for p in procs], 3)
    view = play(seats, until=lambda v: v["lit"] >= 2 and v["phase"] == "draw")
    speaker = view["speaker"]
    version = view["version"]

    redis_server.stop()
    assert wait_health(procs[0].url, "unreachable")["status"] == "ok"
    # while Redis is away: a clear refusal, and nothing changes
    with pytest.raises(ServerError) as refused:
        seats[speaker].act_and_wait({"type": "draw"}, seat=speaker)
    assert refused.value.code == "server/storage"
    assert "Redis" in refused.value.message
    assert seats[speaker].views[speaker]["version"] == version

    redis_server.start()
    for _ in range(100):  # the processes reconnect on their own
        try:
            seats[speaker].act_and_wait({"type": "draw"}, seat=speaker)
            break
        except ServerError as exc:
            assert exc.code == "server/storage"
            time.sleep(0.1)
    else:
        raise AssertionError("the server did not recover after Redis came back")
    for s, c in seats.items():
        assert c.wait_view(s, after=version)["phase"] == "answer"
    wait_health(procs[0].url, "ok")
    view = play(seats)
    assert view["phase"] == "ended"
    code = clients[0].code
    assert code is not None
    assert redis_server.client().llen(f"hl:log:{code.replace('-', '')}") == view["version"]


def test_join_limit_is_shared_by_every_process(cluster):
    procs = cluster(3, joins_per_minute=6)
    with NetClient(procs[0].url) as a, NetClient(procs[1].url) as b, \
            NetClient(procs[2].url) as c:
        for n in (a, b, c):
            n.hello()
        for i in range(6):  # six guesses, two on each process
            with pytest.raises(ServerError) as guess:
                (a, b, c)[i % 3].join("BBBB-BBBB", "Guess")
            assert guess.value.code == "room/not_found"
        with pytest.raises(ServerError) as limited:
            c.join("BBBB-BBBB", "Guess")
        assert limited.value.code == "limit/joins"


def test_no_typed_text_reaches_redis_or_its_files(cluster, spread, play, redis_server):
    procs = cluster(2)
    clients, seats = spread([p.url for p in procs], 2)
    assert play(seats, text="SECRET-WORDS-42")["phase"] == "ended"
    client = redis_server.client()
    client.bgrewriteaof()
    for key in client.keys("*"):
        assert b"SECRET-WORDS-42" not in (client.dump(key) or b""), key
    client.close()
    redis_server.stop()
    for path in redis_server.folder.rglob("*"):
        if path.is_file():
            assert b"SECRET-WORDS-42" not in path.read_bytes(), path


def test_unreachable_redis_at_start_is_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free, and nothing listens on it
    done = subprocess.run([sys.executable, "-m", "server", "--port", "0", "--redis",
                           f"redis://127.0.0.1:{port}/0"], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 1
    assert "cannot reach Redis" in done.stderr and str(port) in done.stderr


def test_a_stopped_process_players_are_marked_away_elsewhere(cluster, spread, play):
    procs = cluster(2)
    clients, seats = spread([p.url for p in procs], 2)
    play(seats, until=lambda v: v["lit"] >= 1)
    procs[1].stop()  # SIGTERM: a graceful stop
    view = seats[0].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][1]["away"],
                             timeout=15)["view"]
    assert not view["seats"][0]["away"]


def test_without_redis_joins_are_refused_clearly_and_work_again_after(cluster,
                                                                      redis_server):
    procs = cluster(2)
    with NetClient(procs[0].url) as ana, NetClient(procs[1].url) as ben:
        ana.hello()
        ben.hello()
        code = ana.create_room("test", "Ana", seats=2)["code"]
        redis_server.stop()
        for attempt in (lambda: ben.join(code, "Ben"),
                        lambda: ben.create_room("test", "Ben")):
            with pytest.raises(ServerError) as refused:
                attempt()
            assert refused.value.code == "server/storage"
            assert "Redis" in refused.value.message
        redis_server.start()
        for _ in range(100):
            try:
                assert ben.join(code, "Ben")["seat"] == 1
                break
            except ServerError as exc:
                assert exc.code == "server/storage"
                time.sleep(0.1)
        else:
            raise AssertionError("joins did not work again after Redis came back")
        lobby = ana.wait_for(lambda m: m["type"] == "lobby" and len(m["seats"]) == 2)
        assert [s["name"] for s in lobby["seats"]] == ["Ana", "Ben"]
