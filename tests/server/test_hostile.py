"""Hostile input: every piece of junk gets its documented error or close,
the server stays up, and an honest game in another room carries on."""

from __future__ import annotations

import os
import random
import threading

import msgpack
import pytest
from websockets.exceptions import ConnectionClosed

from game.netclient import NetClient, ServerError
from game.protocol import pack


def closed_with(client: NetClient, timeout: float = 5.0) -> int | None:
    """Read until the server closes; return its close code."""
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(10_000):
            client.recv(timeout=timeout)
    return closed.value.rcvd.code if closed.value.rcvd else None


def error_for(client: NetClient, frame: bytes | str) -> dict:
    client.send_raw(frame)
    return client.wait_for(lambda m: m["type"] == "error")


class HonestGame(threading.Thread):
    """A two-seat game played to the end in another room, meanwhile."""

    def __init__(self, url: str, play, pace: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.url, self.play, self.pace = url, play, pace
        self.result: dict | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with NetClient(self.url) as a, NetClient(self.url) as b:
                a.hello()
                b.hello()
                code = a.create_room("test", "Ana")["code"]
                b.join(code, "Ben")
                a.start()
                b.wait_view(1)
                self.result = self.play({0: a, 1: b}, turns=6, pace=self.pace)
        except BaseException as exc:
            self.error = exc


def test_junk_gets_documented_errors_and_the_honest_room_is_unaffected(make_server, play):
    srv = make_server(max_junk=1000)
    honest = HonestGame(srv.url, play)
    honest.start()
    rng = random.Random(4)
    with NetClient(srv.url) as bad:
        assert error_for(bad, pack({"type": "join", "code": "X", "name": "Y"}))["code"] \
            == "protocol/hello_first"
        bad.hello()
        cases = [
            (b"\xc1", "protocol/not_msgpack"),
            (pack({"type": "join", "code": "ABCD"})[:-3], "protocol/not_msgpack"),
            (pack([1, 2, 3]), "protocol/not_a_map"),
            (pack(5), "protocol/not_a_map"),
            ("a text frame", "protocol/text_frame"),
            (pack({"type": "teleport"}), "protocol/unknown_type"),
            (pack({"type": None}), "protocol/unknown_type"),
            (pack({"type": "join", "code": 7, "name": "x"}), "protocol/bad_field"),
            (pack({"type": "join", "code": "x"}), "protocol/missing_field"),
            (pack({"type": "join", "code": "x", "name": "y", "evil": 1}),
             "protocol/unknown_field"),
            (pack({"type": "join", "code": "x" * 500, "name": "y"}), "protocol/out_of_range"),
            (pack({"type": "create_room", "deck": "test", "name": "a", "seats": 99}),
             "protocol/out_of_range"),
            (pack({"type": "create_room", "deck": "test", "name": "a", "seats": True}),
             "protocol/bad_field"),
            (pack({"type": "action", "version": 0, "action": {"type": "set_away"}}),
             "action/system"),
            (pack({"type": "action", "version": 0, "action": {"type": "fly"}}),
             "action/unknown_type"),
            (pack({"type": "action", "version": 0, "action": {"type": "light_bulb",
                                                            "to": "everyone"}}),
             "action/bad_field"),
            (pack({"type": "action", "version": -1, "action": {"type": "draw"}}),
             "protocol/out_of_range"),
            (msgpack.packb({"type": "hello", "protocol": msgpack.Timestamp(1)}),
             "protocol/bad_field"),
            (msgpack.packb({1: 2}), "protocol/not_msgpack"),
            (pack({"type": "action", "version": 0, "action": {"type": "draw"}, "id": 9}),
             "room/none"),
        ]
        for frame, code in cases:
            reply = error_for(bad, frame)
            assert reply["code"] == code, (frame, reply)
        assert reply["answers"] == "action" and reply["id"] == 9
        for _ in range(200):
            blob = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 64)))
            assert error_for(bad, blob)["code"].startswith("protocol/")
        bad.hello()  # still connected and answered
    honest.join(60)
    assert honest.error is None and honest.result is not None
    assert honest.result["phase"] == "ended"
    assert srv.hub.health()["status"] == "ok"


def test_repeated_junk_closes_with_a_policy_code(make_server):
    srv = make_server(max_junk=3)
    with NetClient(srv.url) as bad:
        bad.hello()
        for _ in range(3):
            bad.send_raw(b"\xc1")
        assert closed_with(bad) == 1008
    with NetClient(srv.url) as good:
        good.hello()


def test_an_oversize_frame_closes_with_1009(make_server):
    srv = make_server(max_frame=4096)
    with NetClient(srv.url) as big:
        big.hello()
        big.send_raw(pack({"type": "join", "code": "x", "name": "y" * 5000}))
        assert closed_with(big) == 1009


def test_a_text_too_long_is_refused_by_the_rules(server, table):
    clients, seats = table(server.url, 2)
    seats[0].act_and_wait({"type": "draw"}, seat=0)
    seats[1].wait_view(1, after=0)
    with pytest.raises(ServerError) as long:
        seats[0].act_and_wait({"type": "finish_answer", "text": "x" * 2001}, seat=0)
    assert long.value.code == "text/too_long"


def test_stale_and_out_of_turn_actions_are_refused_and_change_nothing(server, table):
    clients, seats = table(server.url, 2)
    a, b = seats[0], seats[1]
    with pytest.raises(ServerError) as not_speaker:
        b.act_and_wait({"type": "draw"}, seat=1)
    assert not_speaker.value.code == "turn/not_speaker"
    a.act_and_wait({"type": "draw"}, seat=0)  # the table moves on (new card)
    ident = b.act({"type": "veto"}, seat=1, version=0)  # chosen before the draw
    assert b.wait_for(lambda m: m["type"] == "error" and m["id"] == ident)["code"] \
        == "action/stale"
    ident = b.act({"type": "veto"}, seat=1, version=10_000)  # from the future
    assert b.wait_for(lambda m: m["type"] == "error" and m["id"] == ident)["code"] \
        == "action/stale"
    assert a.views[0]["phase"] == "answer" and a.views[0]["version"] == 1


def test_simultaneous_independent_actions_all_go_through(server, table):
    clients, seats = table(server.url, 3)
    a, b, c = seats[0], seats[1], seats[2]
    a.act_and_wait({"type": "draw"}, seat=0)
    a.act_and_wait({"type": "finish_answer"}, seat=0)
    b.wait_view(1, after=1)
    c.wait_view(2, after=1)
    version = b.views[1]["version"]
    assert c.views[2]["version"] == version
    # both listeners ask and both star, all based on the same view
    b.act({"type": "ask_follow_up", "suggestion": 0}, seat=1, version=version)
    c.act({"type": "ask_follow_up", "suggestion": 1}, seat=2, version=version)
    b.act({"type": "star"}, seat=1, version=version)
    c.act({"type": "star"}, seat=2, version=version)
    view = a.wait_view(0, after=version + 3)
    assert len(view["turn"]["follow_ups"]) == 2 and view["turn"]["stars"] == 2
    assert not b.errors and not c.errors


def test_a_flood_is_rate_limited_then_closed(make_server, play):
    srv = make_server(messages_per_second=20.0, burst=20, max_rate_refusals=30)
    honest = HonestGame(srv.url, play, pace=0.04)  # people play slower than 20 a second
    honest.start()
    with NetClient(srv.url) as flood:
        flood.hello()
        frame = pack({"type": "hello", "protocol": 1})
        try:
            for _ in range(400):
                flood.send_raw(frame)
        except ConnectionClosed:
            pass
        codes = []
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(1000):
                msg = flood.recv(timeout=5)
                if msg["type"] == "error":
                    codes.append(msg["code"])
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
        assert codes and set(codes) == {"limit/rate"}
    honest.join(60)
    assert honest.error is None and honest.result["phase"] == "ended"


def test_joins_per_address_are_limited(make_server):
    srv = make_server(joins_per_minute=3)
    with NetClient(srv.url) as a:
        a.hello()
        for _ in range(3):
            with pytest.raises(ServerError) as unknown:
                a.join("BBBB-BBBB", "Ana")
            assert unknown.value.code == "room/not_found"
        with pytest.raises(ServerError) as limited:
            a.join("BBBB-BBBB", "Ana")
        assert limited.value.code == "limit/joins"


def test_rooms_per_server_are_limited(make_server):
    srv = make_server(max_rooms=1)
    with NetClient(srv.url) as a, NetClient(srv.url) as b:
        a.hello()
        b.hello()
        a.create_room("test", "Ana")
        with pytest.raises(ServerError) as full:
            b.create_room("test", "Ben")
        assert full.value.code == "limit/rooms"


def test_wrong_protocol_version_and_silence_are_closed(make_server):
    srv = make_server(hello_timeout_s=0.3)
    with NetClient(srv.url) as old:
        old.send("hello", protocol=99)
        reply = old.wait_for(lambda m: m["type"] == "error")
        assert reply["code"] == "protocol/version"
        assert closed_with(old) == 4003
    with NetClient(srv.url) as quiet:
        assert closed_with(quiet) == 4004


def test_random_frames_never_take_the_server_down(server):
    rng = random.Random(11)
    with NetClient(server.url) as fuzz:
        fuzz.hello()
        sent = 0
        try:
            for _ in range(300):
                fuzz.send_raw(os.urandom(rng.randrange(1, 200)))
                sent += 1
        except ConnectionClosed:
            pass
    with NetClient(server.url) as after:
        after.hello()
    assert sent > 0
