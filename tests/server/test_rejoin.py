"""Seat tokens, dropped connections, presence and the server's timers."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed

from game.netclient import NetClient, ServerError


def test_a_dropped_seat_shows_away_and_rejoins_with_its_token(server, table, play):
    clients, seats = table(server.url, 2)
    play(seats, until=lambda v: v["lit"] >= 2)
    code, token = clients[1].code, clients[1].tokens[1]
    lit = clients[0].views[0]["lit"]
    clients[1].__exit__(None, None, None)
    away = clients[0].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][1]["away"])
    assert away["view"]["lit"] == lit
    with NetClient(server.url) as back:
        back.hello()
        welcome = back.rejoin(code.lower(), token)
        assert welcome["seat"] == 1 and welcome["token"] is None
        view = back.wait_view(1)
        assert not view["seats"][1]["away"] and view["lit"] == lit
        seen = clients[0].wait_for(lambda m: m["type"] == "view"
                                   and not m["view"]["seats"][1]["away"])
        assert seen["view"]["version"] == view["version"]
        # and the game goes on with the new connection
        final = play({0: clients[0], 1: back})
        assert final["phase"] == "ended"


def test_wrong_token_and_unknown_room_get_the_same_refusal(server, table):
    clients, _ = table(server.url, 2)
    other, _ = table(server.url, 2)
    code = clients[0].code
    answers = []
    with NetClient(server.url) as thief:
        thief.hello()
        for room, token in [(code, "x" * 32), (code, other[0].tokens[0]),
                            ("BBBB-BBBB", clients[0].tokens[0])]:
            with pytest.raises(ServerError) as refused:
                thief.rejoin(room, token)
            answers.append((refused.value.code, refused.value.message))
    assert len(set(answers)) == 1 and answers[0][0] == "auth/refused"
    assert not clients[0].views[0]["seats"][0]["away"]


def test_a_newer_connection_replaces_an_older_one(server, table):
    clients, seats = table(server.url, 2)
    old = clients[1]
    with NetClient(server.url) as new:
        new.hello()
        new.rejoin(old.code, old.tokens[1])
        new.wait_view(1)
        released = old.wait_for(lambda m: m["type"] == "released")
        assert released == {"type": "released", "seat": 1, "reason": "replaced"}
        with pytest.raises(ConnectionClosed) as closed:
            old.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
        # the seat is not marked away: a connection still holds it
        assert not new.views[1]["seats"][1]["away"]


def test_skip_an_away_speaker_only_after_the_away_time(make_server, table):
    soon = make_server(away_skip_after_s=3600.0)
    clients, seats = table(soon.url, 2)
    # seat 0 speaks first; it drops
    clients[0].__exit__(None, None, None)
    view = clients[1].wait_view(1, after=clients[1].views[1]["version"])
    assert view["seats"][0]["away"] and "skip_turn" in view["legal"]
    with pytest.raises(ServerError) as early:
        clients[1].act_and_wait({"type": "skip_turn"}, seat=1)
    assert early.value.code == "turn/away_too_short"


def test_skip_an_away_speaker_once_the_away_time_passed(make_server, table):
    now = make_server(away_skip_after_s=0.0)
    clients, seats = table(now.url, 2)
    clients[0].__exit__(None, None, None)
    clients[1].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][0]["away"])
    view = clients[1].act_and_wait({"type": "skip_turn"}, seat=1)
    assert view["speaker"] == 1


def test_only_the_pauser_resumes_before_the_pause_timeout(make_server, table):
    srv = make_server(pause_timeout_s=3600.0)
    clients, seats = table(srv.url, 2)
    seats[1].act_and_wait({"type": "pause"}, seat=1)
    seats[0].wait_view(0, after=seats[0].views[0]["version"])
    with pytest.raises(ServerError) as early:
        seats[0].act_and_wait({"type": "resume", "after_wait": True}, seat=0)
    assert early.value.code == "pause/too_soon"
    with pytest.raises(ServerError) as not_yours:
        seats[0].act_and_wait({"type": "resume"}, seat=0)
    assert not_yours.value.code == "pause/not_yours"
    assert not seats[1].act_and_wait({"type": "resume"}, seat=1)["paused"]


def test_anyone_resumes_after_the_pause_timeout(make_server, table):
    srv = make_server(pause_timeout_s=0.0)
    clients, seats = table(srv.url, 2)
    seats[1].act_and_wait({"type": "pause"}, seat=1)
    seats[0].wait_view(0, after=seats[0].views[0]["version"])
    assert not seats[0].act_and_wait({"type": "resume", "after_wait": True}, seat=0)["paused"]


def test_leaving_mid_game_releases_the_seat_and_ends_a_two_seat_game(server, table):
    clients, seats = table(server.url, 3)
    clients[2].act({"type": "leave"}, seat=2)
    released = clients[2].wait_for(lambda m: m["type"] == "released")
    assert released["reason"] == "left"
    view = clients[0].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][2]["left"])
    assert view["view"]["phase"] != "ended"
    clients[1].leave()
    final = clients[0].wait_for(lambda m: m["type"] == "view" and m["view"]["phase"] == "ended")
    assert final["view"]["recap"] is not None
