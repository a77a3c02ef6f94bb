"""One room, players on three server processes sharing Redis."""

from __future__ import annotations

import threading
from typing import Any

import msgpack

from game.netclient import NetClient, scripted_move
from game.rules.actions import with_text_restored
from game.rules.engine import apply, new_game
from game.rules.state import Phase, Settings
from server.store import RoomRecord


def test_players_on_three_processes_play_a_whole_game(cluster, spread, play):
    procs = cluster(3)
    clients, seats = spread([p.url for p in procs], 4)
    # a typed answer reaches a listener on another process, word for word
    view = play(seats, until=lambda v: v["phase"] == "answer")
    speaker = view["speaker"]
    listener = (speaker + 1) % 4
    assert seats[listener].url != seats[speaker].url
    seats[speaker].act_and_wait({"type": "finish_answer", "text": "the sea at dawn"},
                                seat=speaker)
    heard = seats[listener].wait_view(listener, after=view["version"])
    assert heard["turn"]["answer_text"] == "the sea at dawn"

    view = play(seats, turns=5)
    assert view["phase"] == "ended"
    assert all(n > 0 for n in view["recap"]["bulbs_by_seat"])
    # every process ended on the same table
    finals = [c.wait_view(s, after=view["version"] - 1) for s, c in seats.items()]
    assert {v["version"] for v in finals} == {view["version"]}
    assert {v["lit"] for v in finals} == {view["lit"]}


def race(moves: list[tuple[NetClient, int, dict[str, Any], int]]) -> list[int]:
    """Send every move at the same moment, each from its own thread; returns
    the message ids."""
    barrier = threading.Barrier(len(moves))
    ids = [0] * len(moves)

    def send(i: int) -> None:
        client, seat, action, version = moves[i]
        barrier.wait()
        ids[i] = client.act(action, seat=seat, version=version)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(moves))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ids


def test_simultaneous_conflicting_actions_exactly_one_wins(cluster, redis_server, spread,
                                                          play):
    procs = cluster(3)
    clients, seats = spread([p.url for p in procs], 3)
    winners = []
    for _ in range(4):
        view = play(seats, until=lambda v: v["phase"] == "answer")
        speaker = view["speaker"]
        listener = (speaker + 1) % 3
        version = view["version"]
        # the speaker finishes while a listener on another process vetoes, both
        # looking at the same version: either would move the table on
        ids = race([(seats[speaker], speaker, {"type": "finish_answer", "text": ""}, version),
                    (seats[listener], listener, {"type": "veto"}, version)])
        # both see the winner's version; the loser is also told why it lost
        for who in (speaker, listener):
            seats[who].wait_view(who, after=version)
            seats[who].drain(0.2)
        errors = [e for who, ident in zip((speaker, listener), ids, strict=True)
                  for e in seats[who].errors if e["id"] == ident]
        assert len(errors) == 1, errors
        assert errors[0]["code"] == "action/stale"
        after = [c.wait_view(s, after=version) for s, c in seats.items()]
        assert {v["version"] for v in after} == {version + 1}
        assert len({v["phase"] for v in after}) == 1
        winners.append(after[0]["phase"])
        for c in clients:
            c.drain(0.02)
    # the shared log holds one action per version, no more
    code = clients[0].code
    assert code is not None
    log = redis_server.client().llen(f"hl:log:{code.replace('-', '')}")
    assert log == seats[0].views[0]["version"]
    # the losers acted again on their new views and the game goes on
    assert play(seats)["phase"] == "ended"


def test_a_process_forgets_a_room_its_players_left_and_loads_it_again(cluster, spread,
                                                                      play, redis_server):
    procs = cluster(2, sweep_every_s=0.2)
    clients, seats = spread([p.url for p in procs], 2)
    code = clients[0].code
    assert code is not None
    channel = f"hl:fan:{code.replace('-', '')}"
    redis = redis_server.client()
    assert dict(redis.pubsub_numsub(channel))[channel.encode()] == 2
    token = seats[1].tokens[1]
    seats[1].__exit__(None, None, None)  # the only player on process 1 goes
    seats[0].wait_for(lambda m: m["type"] == "view" and m["view"]["seats"][1]["away"])
    # process 1 lets the room go, and stops listening to it
    for _ in range(200):
        if dict(redis.pubsub_numsub(channel))[channel.encode()] == 1:
            break
        seats[0].drain(0.05)
    else:
        raise AssertionError("process 1 kept listening to a room it had no player of")
    before = seats[0].views[0]["version"]
    with NetClient(procs[1].url) as back:
        back.hello()
        back.rejoin(code, token)
        view = back.wait_for(lambda m: m["type"] == "view" and m["seat"] == 1 and
                             not m["view"]["seats"][1]["away"])["view"]
        assert view["version"] == before + 1  # the log, replayed, plus "back"
        seats[1] = back
        seats[0].wait_view(0, after=before)
        assert play(seats)["phase"] == "ended"


def test_every_seat_acting_at_once_on_three_processes_agrees_with_the_log(
        cluster, spread, redis_server, small_deck):
    """Four bots, one per thread, each acting the moment its own view allows
    (no turn-taking between them): whatever races happen, every process ends
    on the same table, and the shared log, replayed by the rules alone, is
    that table."""
    procs = cluster(3)
    clients, seats = spread([p.url for p in procs], 4)
    refused: list[str] = []
    failures: list[BaseException] = []

    def bot(seat: int, client: NetClient) -> None:
        try:
            acted_on = -1
            while True:
                view = client.views[seat]
                if view["phase"] == "ended":
                    return
                move = scripted_move(view, turns=3, text="words")
                if move is not None and view["version"] != acted_on:
                    acted_on = view["version"]
                    client.act(move, seat=seat, version=view["version"])
                msg = client.recv(timeout=20)
                if msg["type"] == "error":
                    refused.append(msg["code"])
        except BaseException as exc:  # reported below, with where the bot was
            view = client.views.get(seat) or {}
            failures.append(AssertionError(
                f"seat {seat}: {exc!r} at version {view.get('version')} in phase "
                f"{view.get('phase')}, legal {view.get('legal')}, refused {refused}"))

    threads = [threading.Thread(target=bot, args=(s, c)) for s, c in seats.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures
    finals = [c.views[s] for s, c in seats.items()]
    assert {v["phase"] for v in finals} == {"ended"}
    assert len({(v["version"], v["lit"], tuple(v["recap"]["bulbs_by_seat"]))
                for v in finals}) == 1
    assert "server/storage" not in refused and "server/internal" not in refused, refused

    code = clients[0].code
    assert code is not None
    code = code.replace("-", "")
    redis = redis_server.client()
    rows = redis.lrange(f"hl:log:{code}", 0, -1)
    assert len(rows) == finals[0]["version"]
    room = RoomRecord.from_bytes(redis.hget(f"hl:room:{code}", "rec"), 0.0)
    assert room.seed is not None
    state = new_game(small_deck, Settings(names=tuple(s.name for s in room.seats)), room.seed)
    for row in rows:
        seat, action, _ = msgpack.unpackb(row, raw=False)
        state, _ = apply(state, seat, with_text_restored(action))
    assert state.phase is Phase.ENDED
    assert (state.version, state.lit) == (finals[0]["version"], finals[0]["lit"])
