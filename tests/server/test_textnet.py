"""The terminal client plays a whole online game through its own menus."""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

from game import textnet
from game.netclient import scripted_move
from game.rules.actions import from_dict


def matches(option: dict[str, Any], move: dict[str, Any]) -> bool:
    return all(option.get(k) == v for k, v in move.items() if k != "text")


class Player(threading.Thread):
    """Runs ``textnet.run`` with an ``ask`` that picks the menu line the
    scripted player would choose (or refreshes when it would wait)."""

    def __init__(self, argv: list[str], start_when: threading.Event | None = None) -> None:
        super().__init__(daemon=True)
        self.args = argparse.Namespace(**{"url": argv[0], "create": None, "join": None,
                                          "name": None, "seats": 2, "typed": False,
                                          "token": None,
                                          **{k.lstrip("-"): v
                                             for k, v in zip(argv[1::2], argv[2::2], strict=True)}})
        self.lines: list[str] = []
        self.menu_view: dict[str, Any] | None = None
        self.start_when = start_when
        self.result: int | None = None
        self.code: str | None = None

    def say(self, line: str) -> None:
        self.lines.append(line)
        if line.startswith("Room ") and self.code is None:
            self.code = line.split()[1].rstrip(",:")

    def ask(self, prompt: str) -> str:
        net = self.net
        time.sleep(0.005)
        if prompt.startswith("Type it"):
            return "typed words"
        if prompt.startswith("Enter to refresh"):
            lobby = net.lobby
            if self.start_when is not None and self.start_when.is_set() and lobby and \
                    len(lobby["seats"]) == lobby["max_seats"]:
                self.start_when = None
                return "s"
            return ""
        # choose from the menu that was printed, not from a newer view that
        # arrived meanwhile: the number typed indexes the menu on screen
        view = self.menu_view if self.menu_view is not None else net.views[self.seat]
        move = scripted_move(view, turns=3)
        if move is None:
            return ""
        menu = _options(view)
        for number, (_, action, _) in enumerate(menu, 1):
            if matches(action, move):
                return str(number)
        raise AssertionError(f"no menu line for {move} in {[m[1] for m in menu]}")

    def run(self) -> None:
        def on_seat(net, seat):
            self.net, self.seat = net, seat

        self.result = textnet.run(self.args, ask=self.ask, say=self.say, on_seat=on_seat)


_options = textnet.options


def _remembering_options(view: dict[str, Any]) -> list[Any]:
    """textnet.options, noting on the calling Player which view its menu shows."""
    me = threading.current_thread()
    if isinstance(me, Player):
        me.menu_view = view
    return _options(view)


def test_two_terminal_clients_play_a_whole_game(server, monkeypatch):
    monkeypatch.setattr(textnet, "options", _remembering_options)
    go = threading.Event()
    host = Player([server.url, "--create", "test", "--name", "Ana"], start_when=go)
    host.start()
    deadline = time.monotonic() + 10
    while host.code is None and time.monotonic() < deadline:
        time.sleep(0.01)
    guest = Player([server.url, "--join", host.code, "--name", "Ben"])
    guest.start()
    go.set()
    host.join(30)
    guest.join(30)
    assert host.result == 0 and guest.result == 0, "\n".join(host.lines[-30:] + ["----"] + guest.lines[-30:])
    assert any(line.startswith("The evening:") for line in host.lines)
    assert any(line.startswith("The evening:") for line in guest.lines)


def test_every_menu_line_is_a_well_formed_action(server, table, play):
    clients, seats = table(server.url, 3)
    seen: set[str] = set()

    def check(view: dict[str, Any]) -> bool:
        for c_seat, client in seats.items():
            v = client.views[c_seat]
            menu = textnet.options(v)
            kinds = {action["type"] for _, action, _ in menu}
            for _, action, typed in menu:
                from_dict({**action, **{f: "x" for f in typed}})
            missing = set(v["legal"]) - kinds - {"draw"}  # draw: only open, non-empty tiers
            assert not missing, missing
            seen.update(kinds)
        return False

    play(seats, until=check, turns=3)
    assert {"draw", "finish_answer", "light_bulb", "ready_vote", "appreciate"} <= seen
