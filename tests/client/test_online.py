"""Two RemoteSession clients against a real server on a loopback port."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from game.client.remote import RemoteSession, backoff_delay
from game.netclient import scripted_move
from game.rules import from_dict
from server import app as server_app


def _online(s: RemoteSession) -> bool:
    return s.connection == "online"


def _play_scripted(sessions: list[RemoteSession], until: object, steps: int = 60) -> None:
    """Each session plays its scripted move in turn until ``until()`` holds."""
    for _ in range(steps):
        if until():  # type: ignore[operator]
            return
        moved = False
        for s in sessions:
            for seat in s.seats:
                view = s.view(seat)
                move = scripted_move(view) if view else None
                if move is not None:
                    before = view["version"]  # type: ignore[index]
                    s.send(seat, from_dict(move))
                    assert s.wait(lambda x, seat=seat, before=before: (
                        x.view(seat)["version"] > before), timeout=5), s.poll()
                    moved = True
        if not moved:
            for s in sessions:
                s.wait(lambda x: False, timeout=0.05)
    assert until()  # type: ignore[operator]


def test_two_clients_play_a_turn_and_survive_a_server_restart(tmp_path: Path) -> None:
    db = tmp_path / "server.db"
    server = server_app.run_in_thread(host="127.0.0.1", port=0, db_path=db)
    port = server.port
    url = f"ws://127.0.0.1:{port}"
    ana = RemoteSession(url, names=["Ana"], create={"deck": "couples", "seats": 2},
                        event_type=0, backoff_base=0.05, backoff_cap=0.5)
    ben = None
    try:
        assert ana.wait(lambda s: s.lobby is not None and s.room_code), ana.problem
        ben = RemoteSession(url, names=["Ben"], code=ana.room_code, event_type=0,
                            backoff_base=0.05, backoff_cap=0.5)
        assert ben.wait(lambda s: s.lobby is not None and len(s.lobby["seats"]) == 2)
        assert ana.wait(lambda s: len(s.lobby["seats"]) == 2)
        ana.start_game()
        assert ana.wait(lambda s: s.view() is not None) and ben.wait(lambda s: s.view() is not None)
        assert ana.seats == (0,) and ben.seats == (1,)

        # whole turns (draw, answer, a follow-up, bulbs, end) until a bulb is lit
        # (a wild card drawn first may light none)
        _play_scripted([ana, ben], lambda: ana.view()["turns_done"] >= 1
                       and ana.view()["lit"] >= 1, steps=200)
        lit = ana.view()["lit"]
        turns = ana.view()["turns_done"]

        server.stop()
        assert ana.wait(lambda s: s.connection == "reconnecting", timeout=10)
        assert ben.wait(lambda s: s.connection == "reconnecting", timeout=10)
        server = server_app.run_in_thread(host="127.0.0.1", port=port, db_path=db)
        assert ana.wait(_online, timeout=15), ana.problem
        assert ben.wait(_online, timeout=15), ben.problem
        assert ana.wait(lambda s: s.view()["lit"] == lit)
        assert ana.reconnects >= 1 and ben.reconnects >= 1

        # and they play on: another turn after the restart
        _play_scripted([ana, ben], lambda: ana.view()["turns_done"] > turns, steps=200)
        assert ben.view()["lit"] >= lit
    finally:
        ana.close()
        if ben is not None:
            ben.close()
        server.stop()


def test_backoff_doubles_up_to_a_cap_with_jitter() -> None:
    import random

    rng = random.Random(1)
    delays = [backoff_delay(n, base=0.5, cap=8.0, rng=rng) for n in range(8)]
    for n, d in enumerate(delays):
        full = min(8.0, 0.5 * 2 ** n)
        assert full * 0.5 <= d < full
    assert max(delays) < 8.0
    assert len({round(d, 6) for d in delays}) == len(delays)


def test_an_unreachable_server_keeps_trying_and_says_so() -> None:
    s = RemoteSession("ws://127.0.0.1:9", names=["Ana"], code="ABCD-EFGH", event_type=0,
                      backoff_base=0.01, backoff_cap=0.05)
    try:
        assert s.wait(lambda x: x.attempts >= 3, timeout=10)
        assert s.connection == "connecting"
        assert "Cannot reach" in s.problem
        assert s.view() is None
    finally:
        s.close()


def test_a_shared_screen_joins_with_two_seats_and_reaches_the_table(tmp_path: Path) -> None:
    """Mixed mode through the UI: Join, type the code and two names, the host starts."""
    import pygame

    from game.client.app import App
    from game.client.driver import Driver

    server = server_app.run_in_thread(host="127.0.0.1", port=0, db_path=tmp_path / "s.db")
    host = RemoteSession(server.url if server.url.startswith("ws") else
                         f"ws://127.0.0.1:{server.port}", names=["Ana"],
                         create={"deck": "friends", "seats": 4}, event_type=0)
    app = App((1280, 720), fake_clock=True, sound=False)
    d = Driver(app)
    try:
        assert host.wait(lambda s: bool(s.room_code))
        d.click("Join a room")
        d.expect("join")
        d.widget("server").set_text("")
        d.type("server", f"ws://127.0.0.1:{server.port}")
        d.type("code", host.room_code.lower().replace("-", ""))
        d.type("names", "Cleo, Dev")
        d.click("join")
        d.expect("lobby")
        session = app.scene.session
        assert session.wait(lambda s: s.lobby is not None and len(s.lobby["seats"]) == 3)
        d.frames(2)
        assert not d.has("start")                      # only the host starts
        host.wait(lambda s: len(s.lobby["seats"]) == 3)
        host.start_game()
        assert session.wait(lambda s: len(s.views) == 2)
        d.frames(3)
        d.expect("table", "draw")
        assert session.seats == (1, 2)
        assert session.connection == "online"
    finally:
        host.close()
        app.close()
        server.stop()
        pygame.quit()


def test_host_online_starts_a_server_here_and_shows_the_code(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import pygame

    from game.client.app import App
    from game.client.driver import Driver
    from game.client.scenes import lobby

    monkeypatch.setattr(lobby, "HOST_PORT", 0)
    app = App((1280, 720), fake_clock=True, sound=False)
    d = Driver(app)
    guest = None
    try:
        d.click("Host online")
        d.expect("setup")
        d.type("name0", "Ana")
        d.click("start")
        d.expect("lobby")
        session = app.scene.session
        assert session.wait(lambda s: s.lobby is not None), session.problem
        d.frames(2)
        assert app.hosted_server is not None
        assert not d.has("start")                   # alone: nobody to play with yet
        guest = RemoteSession(f"ws://127.0.0.1:{app.hosted_server.port}", names=["Ben"],
                              code=session.room_code, event_type=0)
        assert session.wait(lambda s: len(s.lobby["seats"]) == 2)
        d.frames(2)
        d.click("start")
        assert session.wait(lambda s: s.view() is not None)
        d.frames(2)
        d.expect("table", "draw")
        assert guest.wait(lambda s: s.view() is not None)
    finally:
        if guest is not None:
            guest.close()
        app.close()
        pygame.quit()


def test_a_restarted_client_rejoins_with_the_tokens_it_kept(tmp_path: Path) -> None:
    import pygame

    from game.client.app import App
    from game.client.driver import Driver
    from game.client.scenes.lobby import last_room

    server = server_app.run_in_thread(host="127.0.0.1", port=0, db_path=tmp_path / "s.db")
    url = f"ws://127.0.0.1:{server.port}"
    host = RemoteSession(url, names=["Ana"], create={"deck": "friends", "seats": 3},
                         event_type=0)
    app = App((1280, 720), fake_clock=True, sound=False)
    d = Driver(app)
    try:
        assert host.wait(lambda s: bool(s.room_code))
        d.click("Join a room")
        d.widget("server").set_text(url)
        d.type("code", host.room_code)
        d.type("names", "Ben")
        d.click("join")
        assert app.scene.session.wait(lambda s: bool(s.tokens))
        d.frames(2)
        kept = last_room()
        assert kept is not None and kept["code"] == host.room_code
        # the client closes (a crash, a restart) and comes back
        app.scene.on_escape()
        d.expect("title")
        d.click("Join a room")
        d.click("rejoin")
        d.expect("lobby")
        session = app.scene.session
        assert session.wait(lambda s: s.connection == "online" and s.lobby is not None)
        assert session.seats == (1,)
        assert [s["name"] for s in session.lobby["seats"]] == ["Ana", "Ben"]
    finally:
        host.close()
        app.close()
        server.stop()
        pygame.quit()


def test_a_refused_token_stops_the_retries_and_says_why(tmp_path: Path) -> None:
    server = server_app.run_in_thread(host="127.0.0.1", port=0, db_path=tmp_path / "r.db")
    url = f"ws://127.0.0.1:{server.port}"
    ana = RemoteSession(url, names=["Ana"], create={"deck": "couples", "seats": 2},
                        event_type=0, backoff_base=0.05, backoff_cap=0.2)
    stranger = None
    try:
        assert ana.wait(lambda s: bool(s.room_code))
        stranger = RemoteSession(url, names=["Eve"], code=ana.room_code,
                                 tokens={1: "not-a-real-token-at-all-0000000000"}, event_type=0,
                                 backoff_base=0.05, backoff_cap=0.2)
        assert stranger.wait(lambda s: s.connection == "offline", timeout=10)
        attempts = stranger.attempts
        time.sleep(0.5)
        assert stranger.attempts == attempts  # no more tries
        assert "token" in stranger.problem or "seat" in stranger.problem
    finally:
        ana.close()
        if stranger is not None:
            stranger.close()
        server.stop()
