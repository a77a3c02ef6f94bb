"""An online game in a terminal: the text client for a Heartlight server.

    python -m game.textnet ws://HOST:8765 --create friends --name Ana --seats 3
    python -m game.textnet ws://HOST:8765 --join KTQ7-HVMB --name Ben
    python -m game.textnet ws://HOST:8765 --join KTQ7-HVMB --token TOKEN   # rejoin

It speaks only the protocol (``game.netclient``), so it sees what any
client sees: the view of its seat. A reader thread receives; the main
thread prints the table and a numbered menu built from the view's ``legal``
list, and sends what you pick. Press Enter on an empty line to refresh.
Nothing here decides a rule: the server refuses what the rules do not allow
and its sentence is printed.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from game.netclient import NetClient, ServerError
from game.rules.errors import GameError

Ask = Callable[[str], str]
Say = Callable[[str], None]
Option = tuple[str, dict[str, Any], list[str]]  # label, action, text fields to ask

_SIMPLE = {
    "pass": "pass this card",
    "veto": "veto this card (the table is not told who)",
    "nothing_to_add": "nothing to add",
    "close_responses": "close the responses and light bulbs",
    "end_turn": "end the turn",
    "skip_turn": "skip the away speaker's turn",
    "propose_deeper": "propose going deeper (a ready check)",
    "ease_back": "ease back one tier (private, at once)",
    "star": "star this card",
    "pause": "pause: someone needs a moment",
    "leave": "leave the game",
    "propose_last_light": "propose last light (end the evening)",
    "finish_closing": "finish your closing turn",
    "share_feeling": "I've said how tonight feels",
}

_LANGUAGES = ("words", "time", "gifts", "service", "touch")


def options(view: dict[str, Any]) -> list[Option]:
    """Concrete choices for the action types the view lists as legal."""
    legal = set(view["legal"])
    me = view["you"]
    names = [s["name"] for s in view["seats"]]
    others = [i for i, s in enumerate(view["seats"]) if i != me and not s["left"]]
    turn = view["turn"] or {}
    card = view["card"] or {}
    out: list[Option] = []
    for kind in sorted(legal, key=lambda k: (k in _SIMPLE and k not in ("end_turn",
                                                                        "nothing_to_add"), k)):
        if kind == "draw":
            out += [(f"draw from {t['name']}", {"type": "draw", "tier": t["id"]}, [])
                    for t in view["tiers"] if t["open"] and t["cards_left"]]
        elif kind == "finish_answer":
            typed = ["text"] if view["settings"]["text_mode"] else []
            out.append(("I've answered" + (" (type it)" if typed else ""),
                        {"type": "finish_answer"}, typed))
        elif kind == "ask_follow_up":
            out += [(f"ask: {text}", {"type": "ask_follow_up", "suggestion": i}, [])
                    for i, text in enumerate(card.get("follow_ups", []))]
            out.append(("ask your own follow-up (type it)", {"type": "ask_follow_up"}, ["text"]))
        elif kind == "reflect":
            out.append(("reflect back: \"What I heard is...\" (type it)", {"type": "reflect"},
                        ["text"]))
        elif kind == "confirm_reflection":
            for r in turn.get("reflections", []):
                if r["confirmed"] is None:
                    for fits in (True, False):
                        out.append((f"{names[r['by']]}'s reflection: "
                                    f"{'yes, that is it' if fits else 'not quite'}",
                                    {"type": "confirm_reflection", "by": r["by"], "fits": fits},
                                    []))
        elif kind == "light_bulb":
            given = [(b["to"], b["reason"]) for b in turn.get("bulbs", []) if b["by"] == me]
            for i in others:
                asked = sum(1 for f in turn.get("follow_ups", []) if f["by"] == i)
                reflected = any(r["by"] == i and r["confirmed"]
                                for r in turn.get("reflections", []))
                for reason, more in (("heard", (i, "heard") not in given),
                                     ("follow_up", given.count((i, "follow_up")) < asked),
                                     ("reflection", reflected and (i, "reflection") not in given)):
                    if more:
                        out.append((f"light a '{reason}' bulb for {names[i]}",
                                    {"type": "light_bulb", "to": i, "reason": reason}, []))
        elif kind in ("ready_vote", "last_light_vote", "confirm_guess"):
            field = {"ready_vote": "ready", "last_light_vote": "agree",
                     "confirm_guess": "fits"}[kind]
            yes = {"ready_vote": "ready to go deeper", "last_light_vote": "agree to last light",
                   "confirm_guess": "that guess fits"}[kind]
            out.append((yes, {"type": kind, field: True}, []))
            out.append(("not yet" if kind != "confirm_guess" else "that guess doesn't fit",
                        {"type": kind, field: False}, []))
        elif kind == "resume":
            wait = not view["i_paused"]
            out.append(("resume" + (" (after the wait)" if wait else ""),
                        {"type": "resume", "after_wait": wait}, []))
        elif kind == "appreciate":
            closing = view["closing"] or {"appreciations": []}
            told = {a["to"] for a in closing["appreciations"] if a["by"] == me}
            for i in (i for i in others if i not in told):
                out.append((f"tell {names[i]} what you appreciated (type it)",
                            {"type": "appreciate", "to": i, "sealed": False}, ["text"]))
                out.append((f"a sealed note for {names[i]} (type it)",
                            {"type": "appreciate", "to": i, "sealed": True}, ["text"]))
        elif kind == "choose_seat":
            out += [(f"choose {names[i]}", {"type": "choose_seat", "seat": i}, [])
                    for i in others]
        elif kind == "choose_answer":
            out += [(f"dig into {names[a['seat']]}'s card: {a['text']}",
                     {"type": "choose_answer", "index": i}, [])
                    for i, a in enumerate(view["answered"])]
        elif kind == "save_plan":
            out.append(("save the plan (type it)", {"type": "save_plan"}, ["text"]))
        elif kind == "guess_love_language":
            out += [(f"guess {names[i]}'s love language: {lang}",
                     {"type": "guess_love_language", "target": i, "language": lang}, [])
                    for i in others for lang in _LANGUAGES]
        else:
            out.append((_SIMPLE.get(kind, kind.replace("_", " ")), {"type": kind}, []))
    return out


def show(view: dict[str, Any], say: Say) -> None:
    names = [s["name"] for s in view["seats"]]
    say("")
    away = [n for n, s in zip(names, view["seats"], strict=True) if s["away"]]
    goal = f" (next tier at {view['next_threshold']})" if view["next_threshold"] else ""
    say(f"Lamp: {view['lit']} lit{goal}  {'●' * view['lit']}")
    say("Open: " + ", ".join(t["name"] for t in view["tiers"] if t["open"])
        + (f"   Away: {', '.join(away)}" if away else ""))
    if view["paused"]:
        say("The table is paused. Take the time you need.")
    card, turn = view["card"], view["turn"]
    if card is not None and turn is not None:
        say(f"{names[turn['speaker']]} speaks. [{card['tier']}] {card['text']}")
        if card["instructions"] and card["kind"] != "question":
            say(f"  ({card['instructions']})")
        if turn["answer_text"]:
            say(f"  Answer: {turn['answer_text']}")
        for f in turn["follow_ups"]:
            say(f"  {names[f['by']]} asked: {f['text']}")
        for r in turn["reflections"]:
            say(f"  {names[r['by']]} reflected: {r['text']}")
    elif view["phase"] == "draw" and view["speaker"] is not None:
        say(f"{names[view['speaker']]} draws next.")
    elif view["ready_check"] is not None:
        check = view["ready_check"]
        say(f"Ready to go deeper into {check['tier']}? ({check['votes']} of "
            f"{check['needed']} have answered)")
    elif view["closing"] is not None and view["closing"]["closer"] is not None:
        say(f"Closing: {names[view['closing']['closer']]} tells someone one thing they "
            "appreciated tonight.")
        for a in view["closing"]["appreciations"]:
            if not a["sealed"]:
                say(f"  {names[a['by']]} to {names[a['to']]}: {a['text']}")


def show_recap(view: dict[str, Any], say: Say) -> None:
    data = view["recap"]
    say("")
    say(f"The evening: {data['cards_shared']} cards shared, {data['lit']} bulbs lit, "
        f"{int(data['duration_s'] // 60)} minutes.")
    for name, bulbs in zip(data["names"], data["bulbs_by_seat"], strict=True):
        say(f"  {name} made others feel heard {bulbs} time(s).")
    for note in view["sealed_notes"]:
        say(f"  A sealed note for you from {data['names'][note['by']]}: {note['text']}")


class Session:
    """The connection, a reader thread, and what it has heard."""

    def __init__(self, net: NetClient, say: Say) -> None:
        self.net = net
        self.say = say
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.closed: str | None = None
        self.arrived = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                self.inbox.put(self.net.recv())
                self.arrived.set()
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd is not None else None
            self.closed = f"the server closed the connection ({code})"
            self.inbox.put({"type": "_closed"})
            self.arrived.set()

    def absorb(self) -> bool:
        """Print notices and errors that arrived; True if the view changed."""
        changed = False
        while True:
            try:
                msg = self.inbox.get_nowait()
            except queue.Empty:
                return changed
            kind = msg["type"]
            if kind in ("view", "lobby", "_closed"):
                changed = True
            elif kind == "error":
                self.say(f"Not now: {msg['message']}")
            elif kind == "released":
                self.say(f"You no longer hold seat {msg['seat']} ({msg['reason']}).")
                changed = True


def play_online(net: NetClient, seat: int, ask: Ask, say: Say) -> int:
    session = Session(net, say)
    session.reader.start()
    while True:
        session.absorb()
        if session.closed:
            say(f"Disconnected: {session.closed}.")
            return 1
        if seat not in net.views:
            lobby = net.lobby
            if lobby is not None:
                people = ", ".join(s["name"] for s in lobby["seats"])
                say(f"\nRoom {lobby['code']}: {people} ({len(lobby['seats'])} of "
                    f"{lobby['max_seats']}).")
                if lobby["host"] == seat:
                    say("You are the host: type s to start when everyone is here.")
            raw = _ask(ask, "Enter to refresh, q to quit: ")
            if raw is None or raw == "q":
                return 0
            if raw == "s":
                session.arrived.clear()
                net.send("start")
                session.arrived.wait(5)
            continue
        view = net.views[seat]
        if view["phase"] == "ended":
            show_recap(view, say)
            return 0
        show(view, say)
        menu = options(view)
        for number, (label, _, _) in enumerate(menu, 1):
            say(f"  {number:2}. {label}")
        raw = _ask(ask, "Choose a number (Enter refreshes, q quits): ")
        if raw is None or raw == "q":
            return 0
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= len(menu):
            say(f"Please type a number from 1 to {len(menu)}.")
            continue
        label, action, typed = menu[int(raw) - 1]
        action = dict(action)
        for field in typed:
            text = _ask(ask, "Type it (Enter when done): ")
            if text is None:
                return 0
            action[field] = text
        session.arrived.clear()
        net.send("action", version=view["version"], action=action, seat=seat)
        # wait a moment for the answer so the next menu is current
        session.arrived.wait(5)


def _ask(ask: Ask, prompt: str) -> str | None:
    try:
        return ask(prompt).strip()
    except EOFError:
        return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="server address, e.g. ws://192.168.1.20:8765")
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--create", metavar="DECK", help="create a room with this deck")
    how.add_argument("--join", metavar="CODE", help="join the room with this code")
    parser.add_argument("--name", help="your display name")
    parser.add_argument("--seats", type=int, default=2, help="seats of a new room (2..8)")
    parser.add_argument("--typed", action="store_true", help="answers are typed (text mode)")
    parser.add_argument("--token", help="rejoin your seat with its token (with --join)")


def run(args: argparse.Namespace, ask: Ask = input, say: Say = print, *,
        on_seat: Callable[[NetClient, int], None] | None = None) -> int:
    """Connect, take a seat, play. ``on_seat`` (for tests and embedding) is
    told the client and seat once the seat is taken."""
    try:
        with NetClient(args.url, name="heartlight-textnet") as net:
            net.hello()
            if args.token:
                welcome = net.rejoin(args.join, args.token)
            elif args.create:
                settings = {"text_mode": True} if args.typed else None
                welcome = net.create_room(args.create, args.name or "Host", seats=args.seats,
                                          settings=settings)
            else:
                welcome = net.join(args.join, args.name or "Guest")
            seat = welcome["seat"]
            say(f"Room {welcome['code']}, seat {seat} ({welcome['name']}).")
            if welcome["token"]:
                say(f"To rejoin later: --join {welcome['code']} --token {welcome['token']}")
            if on_seat is not None:
                on_seat(net, seat)
            return play_online(net, seat, ask, say)
    except ServerError as exc:
        say(f"The server said no: {exc.message}")
        return 1
    except GameError as exc:  # a value the protocol does not allow (a bad code)
        say(f"That cannot be sent: {exc.message}")
        return 2
    except OSError as exc:
        say(f"Cannot reach {args.url}: {exc}")
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.textnet",
                                     description="Play Heartlight online in a terminal.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
