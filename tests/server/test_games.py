"""Whole games through the protocol only, on a real server."""

from __future__ import annotations

import pytest

from game.netclient import NetClient, ServerError


def test_two_seats_play_from_create_to_recap(server, table, play):
    clients, seats = table(server.url, 2)
    view = play(seats)
    assert view["phase"] == "ended"
    recap = view["recap"]
    assert recap["names"] == ["Seat0", "Seat1"]
    assert recap["lit"] == view["lit"] > 0
    assert recap["cards_shared"] >= 4
    assert recap["duration_s"] >= 0
    # both players saw the same ending
    assert seats[1].views[1]["recap"]["lit"] == recap["lit"]
    clients[1].drain()
    assert any(e["type"] == "game_ended" for e in clients[1].events)


def test_four_seats_play_from_create_to_recap(server, table, play):
    clients, seats = table(server.url, 4)
    view = play(seats, turns=5)
    assert view["phase"] == "ended"
    assert len(view["recap"]["bulbs_by_seat"]) == 4
    assert all(n > 0 for n in view["recap"]["bulbs_by_seat"])
    assert view["open_tiers"] >= 2


def test_mixed_mode_one_connection_holds_two_seats(server, play):
    with NetClient(server.url) as home, NetClient(server.url) as far:
        home.hello()
        far.hello()
        first = home.create_room("test", "Ana", seats=3)
        second = home.claim_seat("Ben")
        assert second["seat"] == 1 and second["token"] != first["token"]
        far.join(first["code"], "Cleo")
        home.wait_for(lambda m: m["type"] == "lobby" and len(m["seats"]) == 3)
        assert home.lobby is not None and home.lobby["you"] == [0, 1]
        home.start()
        home.wait_view(0)
        home.wait_view(1)
        far.wait_view(2)
        # holding two seats, an action must say which
        ident = home.act({"type": "draw"}, version=0)
        error = home.wait_for(lambda m: m["type"] == "error" and m["id"] == ident)
        assert error["code"] == "seat/which"
        ident = home.act({"type": "draw"}, version=0, seat=2)
        error = home.wait_for(lambda m: m["type"] == "error" and m["id"] == ident)
        assert error["code"] == "seat/not_yours"
        view = play({0: home, 1: home, 2: far})
        assert view["phase"] == "ended"
        assert view["recap"]["names"] == ["Ana", "Ben", "Cleo"]


def test_lobby_leave_frees_the_seat_and_renumbers(server):
    with NetClient(server.url) as a, NetClient(server.url) as b, NetClient(server.url) as c:
        for n in (a, b, c):
            n.hello()
        code = a.create_room("test", "Ana", seats=3)["code"]
        b.join(code, "Ben")
        c.join(code, "Cleo")
        b.leave()
        lobby = c.wait_for(lambda m: m["type"] == "lobby" and len(m["seats"]) == 2)
        assert [s["name"] for s in lobby["seats"]] == ["Ana", "Cleo"]
        assert lobby["you"] == [1]
        with NetClient(server.url) as d:
            d.hello()
            assert d.join(code, "Dev")["seat"] == 2
            with pytest.raises(ServerError) as full:
                b.join(code, "Ben")
            assert full.value.code == "room/full"


def test_only_the_host_starts_and_not_alone(server):
    with NetClient(server.url) as a, NetClient(server.url) as b:
        a.hello()
        b.hello()
        code = a.create_room("test", "Ana", seats=3)["code"]
        with pytest.raises(ServerError) as alone:
            a.start()
        assert alone.value.code == "room/too_few"
        with pytest.raises(ServerError) as same:
            b.join(code, "ana")
        assert same.value.code == "name/taken"
        b.join(code, "Ben")
        with pytest.raises(ServerError) as guest:
            b.start()
        assert guest.value.code == "room/not_host"
        a.start()
        with NetClient(server.url) as late:
            late.hello()
            with pytest.raises(ServerError) as started:
                late.join(code.lower().replace("-", ""), "Late")
            assert started.value.code == "room/started"


def test_unknown_deck_and_bad_seat_counts_are_refused(server):
    with NetClient(server.url) as a:
        a.hello()
        with pytest.raises(ServerError) as deck:
            a.create_room("nope", "Ana")
        assert deck.value.code == "deck/unknown"
        with pytest.raises(ServerError) as code:
            a.join("BBBB-BBBB", "Ana")
        assert code.value.code == "room/not_found"
        with pytest.raises(ServerError) as name:
            a.create_room("test", "\u200b  ")
        assert name.value.code == "name/invalid"
