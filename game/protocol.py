"""The Heartlight wire protocol: every message defined once, and its codec.

Each websocket frame is one binary msgpack map with a ``type``. The tables
``CLIENT_MESSAGES`` (client → server) and ``SERVER_MESSAGES`` (server →
client) below are the single definition of every message: its fields, their
types and limits. ``decode`` checks a frame against them and raises
``ProtocolError`` naming the field and what was expected; ``encode`` builds
a frame. ``docs/protocol.md`` carries a table generated from the same
definitions (``message_table``), and a test keeps the two in step.

This module is sans-I/O: it never touches a socket (``server/`` and
``game.netclient`` do), and it imports nothing from the server.

    >>> frame = encode("hello", protocol=PROTOCOL_VERSION, client="doc")
    >>> decode(frame)["protocol"] == PROTOCOL_VERSION
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgpack  # type: ignore[import-untyped]

from game.rules.actions import SYSTEM_ACTIONS, from_dict
from game.rules.errors import GameError, MalformedAction

#: Bumped when a change would break an existing client.
PROTOCOL_VERSION = 1

#: Longest room code a client may send (codes are 8 symbols, an optional dash).
CODE_LIMIT = 16
#: Longest display name a client may send (the rules then allow 1..24 visible).
NAME_LIMIT = 64
#: Longest seat token a client may send.
TOKEN_LIMIT = 64
#: Most seats a room can have.
MAX_SEATS = 8


class ProtocolError(GameError):
    """A frame that is not a valid message (junk on the wire, not a rule)."""


# -- close codes and error codes ------------------------------------------------

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_INTERNAL = 1011
CLOSE_REPLACED = 4001
CLOSE_ROOM_CLOSED = 4002
CLOSE_VERSION = 4003
CLOSE_HELLO_TIMEOUT = 4004

#: Websocket close codes the server uses, and what each means for a client.
CLOSE_CODES: dict[int, str] = {
    CLOSE_NORMAL: "normal closure",
    CLOSE_GOING_AWAY: "the server is shutting down (or restarting): reconnect and `rejoin`",
    CLOSE_POLICY: "too many malformed messages, a message flood, or a client too slow to "
                  "read what it is sent",
    CLOSE_TOO_BIG: "a frame was larger than the server's `max_frame`",
    CLOSE_INTERNAL: "the server hit a bug: reconnect and `rejoin`",
    CLOSE_REPLACED: "every seat of this connection was taken over by a newer connection "
                    "(the same token used elsewhere)",
    CLOSE_ROOM_CLOSED: "the room expired or was removed",
    CLOSE_VERSION: "the server does not speak the protocol version given in `hello`",
    CLOSE_HELLO_TIMEOUT: "no `hello` arrived in time after connecting",
}

#: Error codes of the protocol and the server. The rules add their own
#: (``turn/not_speaker``, ``phase/not_now``, ...): see ``game.rules``.
ERROR_CODES: dict[str, str] = {
    "protocol/text_frame": "a text frame; every message is a binary msgpack frame",
    "protocol/not_msgpack": "the frame is not one valid msgpack value (or uses an "
                            "extension type)",
    "protocol/not_a_map": "the value is not a map",
    "protocol/unknown_type": "no message has that `type`",
    "protocol/missing_field": "a required field is absent",
    "protocol/unknown_field": "a field the message does not have",
    "protocol/bad_field": "a field of the wrong type",
    "protocol/out_of_range": "a number out of its range, or a text or list too long/short",
    "protocol/hello_first": "the first message must be `hello`",
    "protocol/version": "unsupported protocol version (then close 4003)",
    "action/not_a_map": "`action` is not a map",
    "action/unknown_type": "no action has that `type`",
    "action/unknown_field": "the action has no such field",
    "action/bad_field": "an action field of the wrong type",
    "action/system": "the action is the server's own (`set_away`)",
    "action/stale": "the table moved on since the `version` the action was based on; "
                    "look at the new view and choose again",
    "limit/rate": "more messages than the server's rate; this one was dropped",
    "limit/joins": "too many create/join/rejoin/claim from this address this minute",
    "limit/rooms": "the server holds as many rooms as it allows",
    "deck/unknown": "the server has no usable deck with that id",
    "room/not_found": "no room has that code",
    "room/already": "this connection already holds a seat in another room",
    "room/none": "this connection is not in a room",
    "room/seats": "the seat count is outside what the deck and server allow",
    "room/full": "every seat of the room is taken",
    "room/started": "the game has already started (no new seats; no second start)",
    "room/not_started": "an action before the game started",
    "room/not_host": "only the host can start",
    "room/too_few": "not enough seats to start",
    "name/invalid": "a name needs 1 to 24 visible characters",
    "name/taken": "someone in the room already has that name",
    "auth/refused": "no seat matches that code and token (the same answer for an "
                    "unknown room and a wrong token)",
    "seat/which": "the connection holds several seats: say which with `seat`",
    "seat/not_yours": "the connection does not hold that seat",
    "turn/away_too_short": "the away speaker's turn can be skipped only after the server's "
                           "away time",
    "pause/too_soon": "anyone but the pauser may resume (`after_wait`) only after the "
                      "pause timeout",
    "server/storage": "the server cannot write to its storage (disk full, read-only "
                      "database); nothing changed. Refuses actions, joins, new rooms "
                      "and starts until writing works again; try again later",
    "server/internal": "the server failed on the message; nothing changed",
    "setup/seats": "(from the rules, at start) the seat count is not allowed",
    "setup/name": "(from the rules, at start) a name is not allowed",
    "setup/empty": "(from the rules, at start) the excluded tags leave no first-tier card",
}


# -- the definitions ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a message.

    ``kind`` is one of ``int``, ``str``, ``bool``, ``map`` (a map of string
    keys; with ``fields`` it has a schema), ``list`` (of ``items``) or
    ``action`` (a map checked by ``game.rules.from_dict``). For ``int``,
    ``lo``/``hi`` bound the value; for ``str`` and ``list`` they bound the
    length (characters, items).
    """

    name: str
    kind: str
    doc: str
    optional: bool = False
    nullable: bool = False
    lo: int | None = None
    hi: int | None = None
    items: str | None = None
    fields: tuple[Field, ...] = ()
    default: Any = None

    def describe_type(self) -> str:
        text = self.kind
        if self.kind == "list" and self.items:
            text = f"list of {self.items}"
        if self.lo is not None or self.hi is not None:
            lo = "" if self.lo is None else self.lo
            hi = "" if self.hi is None else self.hi
            what = {"int": "", "list": " items"}.get(self.kind, " long")
            text += f" ({lo}..{hi}{what})"
        if self.nullable:
            text += " or nil"
        return text


@dataclass(frozen=True, slots=True)
class Message:
    type: str
    sender: str  # "client" or "server"
    doc: str
    fields: tuple[Field, ...] = ()


#: Every client message may carry ``id``; the server echoes it in an ``error``.
ID_FIELD = Field("id", "int", "any number the client chooses; echoed in an error answering "
                 "this message", optional=True, lo=0, hi=2**31 - 1)

SETTINGS_FIELDS = (
    Field("everyone_answers", "bool", "every seat answers each card (nil: on for two seats, "
          "off for more)", optional=True, nullable=True),
    Field("excluded_tags", "list", "content tags whose cards are left out", optional=True,
          items="str", lo=0, hi=32, default=[]),
    Field("text_mode", "bool", "answers are typed rather than spoken", optional=True,
          default=False),
)

_CLIENT = (
    Message("hello", "client", "Must be the first message. The server answers `hello_ok`, or "
            "an error and close code 4003 when it does not speak this protocol version.", (
        Field("protocol", "int", "the protocol version the client speaks", lo=1, hi=1000),
        Field("client", "str", "name and version of the client program, for logs",
              optional=True, lo=0, hi=64, default=""),
    )),
    Message("create_room", "client", "Create a room and take its first seat as the host. "
            "Answered by `welcome` then `lobby`.", (
        Field("deck", "str", "deck id (bundled or custom on the server)", lo=1, hi=64),
        Field("name", "str", "the host's display name (1..24 visible characters)", lo=1,
              hi=NAME_LIMIT),
        Field("seats", "int", "most seats the room will have", lo=2, hi=MAX_SEATS),
        Field("settings", "map", "how the table plays", optional=True,
              fields=SETTINGS_FIELDS, default={}),
    )),
    Message("join", "client", "Take a free seat in a room that has not started. "
            "Answered by `welcome` then `lobby` (sent to everyone in the room).", (
        Field("code", "str", "room code, any case, dash optional", lo=1, hi=CODE_LIMIT),
        Field("name", "str", "display name (1..24 visible characters)", lo=1, hi=NAME_LIMIT),
    )),
    Message("rejoin", "client", "Take back a seat with its token (after a dropped connection "
            "or a restart). Answered by `welcome` (token nil) then `lobby` or `view`. May be "
            "sent again on the same connection for more seats of the same room.", (
        Field("code", "str", "room code", lo=1, hi=CODE_LIMIT),
        Field("token", "str", "the seat token from `welcome`", lo=1, hi=TOKEN_LIMIT),
    )),
    Message("claim_seat", "client", "Mixed mode: take one more seat of the room this "
            "connection is in, before the game starts. Answered by `welcome` (with its own "
            "token) then `lobby`.", (
        Field("name", "str", "display name of the extra seat", lo=1, hi=NAME_LIMIT),
    )),
    Message("start", "client", "The host starts the game (at least two seats). Everyone "
            "then gets `view` for each seat they hold.", ()),
    Message("action", "client", "A seat's move. Refused with `action/stale` when the table "
            "moved on since `version`; refused with the rule's code when the rules do not "
            "allow it. Accepted: everyone gets `view` and `events`.", (
        Field("version", "int", "the `version` of the view the action was chosen from",
              lo=0, hi=2**31 - 1),
        Field("action", "action", "the action map: `type` plus its fields (see Actions)"),
        Field("seat", "int", "which held seat acts (needed when the connection holds "
              "several seats)", optional=True, nullable=True, lo=0, hi=MAX_SEATS - 1),
    )),
    Message("leave", "client", "Give up a seat. Before the start the seat is freed; during "
            "the game it is the rules' `leave` action. The connection stays open.", (
        Field("seat", "int", "which held seat leaves (needed when holding several)",
              optional=True, nullable=True, lo=0, hi=MAX_SEATS - 1),
    )),
)

_SEAT_ENTRY = (
    Field("seat", "int", "seat number"),
    Field("name", "str", "display name"),
    Field("connected", "bool", "a connection holds this seat now"),
)

_SERVER = (
    Message("hello_ok", "server", "Answer to `hello`.", (
        Field("protocol", "int", "the protocol version the server speaks"),
        Field("server", "str", "server program and version"),
        Field("limits", "map", "the server's limits: `max_frame` (bytes), "
              "`messages_per_second`, `burst`, `joins_per_minute`, `max_seats`, "
              "`text` (field name → characters)"),
    )),
    Message("welcome", "server", "A seat is yours (after create_room, join, claim_seat or "
            "rejoin).", (
        Field("code", "str", "room code, formatted `XXXX-XXXX`"),
        Field("seat", "int", "your seat number (lobby seats renumber when someone leaves "
              "before the start; `lobby.you` is always current)"),
        Field("token", "str", "seat token: keep it to rejoin. Sent once; nil on rejoin",
              nullable=True),
        Field("host", "bool", "this seat is the room's host"),
        Field("name", "str", "the seat's display name"),
    )),
    Message("lobby", "server", "The room before the start; sent to everyone in it after "
            "every change.", (
        Field("code", "str", "room code"),
        Field("deck", "map", "`id` and `name` of the deck"),
        Field("seats", "list", "the seats: `seat`, `name`, `connected`", items="map",
              fields=_SEAT_ENTRY),
        Field("max_seats", "int", "most seats"),
        Field("host", "int", "the host's seat"),
        Field("you", "list", "the seats this connection holds", items="int"),
        Field("settings", "map", "`everyone_answers`, `excluded_tags`, `text_mode`"),
    )),
    Message("view", "server", "Everything one seat may see now (`game.rules.view_for`), "
            "pushed after every accepted action, one per seat the connection holds.", (
        Field("seat", "int", "the seat this view is for"),
        Field("view", "map", "the view; its `version` goes in the next `action`"),
    )),
    Message("events", "server", "What just happened (notices; safe to show to everyone). "
            "Sent once per connection after the views of an accepted action.", (
        Field("version", "int", "the state version these events led to"),
        Field("events", "list", "each a map with a `type`", items="map"),
    )),
    Message("released", "server", "This connection no longer holds a seat (a newer "
            "connection took it, or it left).", (
        Field("seat", "int", "the seat"),
        Field("reason", "str", "`replaced` or `left`"),
    )),
    Message("error", "server", "A refused message: nothing changed. The connection stays "
            "open unless a close follows.", (
        Field("code", "str", "stable namespaced code (see Error codes)"),
        Field("message", "str", "a sentence to show as it is"),
        Field("answers", "str", "the `type` of the message refused (nil if unreadable)",
              nullable=True),
        Field("id", "int", "the `id` of the message refused, if it had one", nullable=True),
    )),
)

CLIENT_MESSAGES: dict[str, Message] = {m.type: m for m in _CLIENT}
SERVER_MESSAGES: dict[str, Message] = {m.type: m for m in _SERVER}


# -- decoding -------------------------------------------------------------------


def _refuse_ext(code: int, data: bytes) -> Any:
    raise ProtocolError("protocol/not_msgpack", "Extension types are not part of this protocol.")


def unpack(data: bytes) -> Any:
    """msgpack bytes to a value, refusing extension types and non-string keys."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ProtocolError("protocol/text_frame", "Send binary frames (msgpack), not text.")
    try:
        return msgpack.unpackb(data, raw=False, strict_map_key=True, ext_hook=_refuse_ext,
                               use_list=True)
    except ProtocolError:
        raise
    except (ValueError, msgpack.UnpackException) as exc:
        raise ProtocolError("protocol/not_msgpack",
                            f"The frame is not one valid msgpack value ({type(exc).__name__}).")\
            from None


def _check(field: Field, value: Any, where: str) -> Any:
    """Check one value against its field; return it (maps and lists rebuilt)."""
    if value is None:
        if field.nullable:
            return None
        raise ProtocolError("protocol/bad_field", f"'{where}' must not be nil.")
    kind = field.kind
    if kind == "action":
        return _check_action(value, where)
    expected: type = {"int": int, "str": str, "bool": bool, "map": dict, "list": list}[kind]
    # bool is a subclass of int: refuse True where a number is expected
    if type(value) is not expected:
        raise ProtocolError("protocol/bad_field", f"'{where}' must be {field.describe_type()}, "
                            f"not {_type_name(value)}.")
    checked: Any = value
    if kind in ("int", "str", "list"):
        size = checked if kind == "int" else len(checked)
        if (field.lo is not None and size < field.lo) or (field.hi is not None and
                                                          size > field.hi):
            raise ProtocolError("protocol/out_of_range",
                                f"'{where}' must be {field.describe_type()}.")
    if kind == "list" and field.items:
        item = Field(field.name, field.items, "", fields=field.fields)
        return [_check(item, v, f"{where}[{i}]") for i, v in enumerate(checked)]
    if kind == "map" and field.fields:
        return _check_map(field.fields, checked, where)
    return checked


def _check_map(fields: tuple[Field, ...], data: dict[str, Any], where: str) -> dict[str, Any]:
    known = {f.name: f for f in fields}
    for key in data:
        if key not in known:
            owner = f"'{where}'" if where else "This message"
            raise ProtocolError("protocol/unknown_field", f"{owner} has no field {key!r}.")
    out: dict[str, Any] = {}
    for f in fields:
        path = f"{where}.{f.name}" if where else f.name
        if f.name not in data:
            if not f.optional:
                raise ProtocolError("protocol/missing_field", f"'{path}' is missing.")
            if f.kind == "map" and f.fields:
                out[f.name] = _check_map(f.fields, {}, path)
            else:
                out[f.name] = list(f.default) if isinstance(f.default, list) else f.default
            continue
        out[f.name] = _check(f, data[f.name], path)
    return out


def _check_action(value: Any, where: str) -> Any:
    try:
        action = from_dict(value)
    except MalformedAction as exc:
        raise ProtocolError(exc.code, f"'{where}': {exc.message}") from None
    if type(action) in SYSTEM_ACTIONS:
        raise ProtocolError("action/system", f"'{action.type}' is the server's own action.")
    return action


def _type_name(value: Any) -> str:
    return {dict: "map", list: "list", str: "str", int: "int", bool: "bool", float: "float",
            bytes: "bin", type(None): "nil"}.get(type(value), type(value).__name__)


def decode(data: bytes, *, sender: str = "client") -> dict[str, Any]:
    """One frame to a checked message dict (``type``, its fields, ``id``).

    ``sender`` says which table to check against. Absent optional fields are
    filled with their defaults; an ``action`` field becomes a
    ``game.rules.Action``. Raises ProtocolError on anything else.
    """
    value = unpack(data)
    if not isinstance(value, dict):
        raise ProtocolError("protocol/not_a_map", "A message is a msgpack map with a 'type'.")
    kind = value.get("type")
    table = CLIENT_MESSAGES if sender == "client" else SERVER_MESSAGES
    message = table.get(kind) if isinstance(kind, str) else None
    if message is None:
        shown = kind if isinstance(kind, str) and len(kind) <= 40 else _type_name(kind)
        raise ProtocolError("protocol/unknown_type", f"There is no message type {shown!r}.")
    body = {k: v for k, v in value.items() if k != "type"}
    fields = message.fields + (ID_FIELD,) if sender == "client" else message.fields
    out = _check_map(fields, body, "")
    out["type"] = kind
    return out


def peek(data: Any) -> tuple[str | None, int | None]:
    """Best-effort (type, id) of a frame that failed to decode, for the error reply."""
    try:
        value = unpack(data)
    except ProtocolError:
        return None, None
    if not isinstance(value, dict):
        return None, None
    kind, ident = value.get("type"), value.get("id")
    kind = kind if isinstance(kind, str) and len(kind) <= 40 else None
    ident = ident if type(ident) is int and 0 <= ident < 2**31 else None
    return kind, ident


# -- encoding -------------------------------------------------------------------


def pack(value: Any) -> bytes:
    frame: bytes = msgpack.packb(value, use_bin_type=True)
    return frame


def encode(kind: str, **fields: Any) -> bytes:
    """Build a frame for message ``kind`` (either table). Checks that the
    field names match the definition; values are trusted (the server builds
    them) except that client messages are fully checked, so a client
    program learns of a mistake before sending."""
    message = CLIENT_MESSAGES.get(kind) or SERVER_MESSAGES.get(kind)
    if message is None:
        raise ValueError(f"unknown message type {kind!r}")
    names = {f.name for f in message.fields}
    if message.sender == "client":
        names.add("id")
    unknown = set(fields) - names
    missing = {f.name for f in message.fields if not f.optional} - set(fields)
    if unknown or missing:
        raise ValueError(f"message {kind!r}: unknown {sorted(unknown)}, missing {sorted(missing)}")
    frame = pack({"type": kind, **fields})
    if message.sender == "client":
        decode(frame)
    return frame


# -- documentation --------------------------------------------------------------


def message_table(sender: str) -> str:
    """A markdown section per message of one direction, from the definitions."""
    table = CLIENT_MESSAGES if sender == "client" else SERVER_MESSAGES
    parts: list[str] = []
    for message in table.values():
        parts.append(f"#### `{message.type}`\n\n{message.doc}\n")
        if message.fields:
            parts.append("| field | type | required | meaning |\n| --- | --- | --- | --- |")
            for f in message.fields:
                parts.append(f"| `{f.name}` | {f.describe_type()} | "
                             f"{'no' if f.optional else 'yes'} | {f.doc} |")
                for sub in f.fields:
                    parts.append(f"| `{f.name}.{sub.name}` | {sub.describe_type()} | "
                                 f"{'no' if sub.optional else 'yes'} | {sub.doc} |")
            parts.append("")
        else:
            parts.append("No fields.\n")
    return "\n".join(parts)


def codes_table() -> str:
    """Markdown tables of the close codes and the error codes."""
    lines = ["| close code | meaning |", "| --- | --- |"]
    lines += [f"| {code} | {text} |" for code, text in CLOSE_CODES.items()]
    lines += ["", "| error code | meaning |", "| --- | --- |"]
    lines += [f"| `{code}` | {text} |" for code, text in ERROR_CODES.items()]
    return "\n".join(lines) + "\n"


def actions_table() -> str:
    """Markdown table of every action a client may send, from ``game.rules``."""
    from game.rules.actions import ALL_ACTIONS, TEXT_LIMITS, field_spec

    lines = ["| `type` | fields | meaning |", "| --- | --- | --- |"]
    for cls in ALL_ACTIONS:
        if cls in SYSTEM_ACTIONS:
            continue
        parts = []
        for name, (typ, nullable) in field_spec(cls).items():
            text = f"`{name}`: {typ.__name__}{' or nil' if nullable else ''}"
            limit = cls.text_fields.get(name)
            if limit:
                text += f" (≤ {TEXT_LIMITS[limit]} characters)"
            parts.append(text)
        doc = " ".join((cls.__doc__ or "").split())
        lines.append(f"| `{cls.type}` | {', '.join(parts) or '—'} | {doc} |")
    return "\n".join(lines) + "\n"


_MARKS: dict[str, Callable[[str], str]] = {
    "actions": lambda _: actions_table(),
    "client": message_table,
    "server": message_table,
    "codes": lambda _: codes_table(),
}


def render_doc(text: str) -> str:
    """``text`` (docs/protocol.md) with every generated block brought up to
    date: the blocks sit between ``<!-- generated:NAME -->`` and
    ``<!-- end:NAME -->`` for NAME in actions, client, server, codes."""
    for name, make in _MARKS.items():
        begin, end = f"<!-- generated:{name} -->", f"<!-- end:{name} -->"
        if begin not in text or end not in text:
            raise ValueError(f"docs/protocol.md lacks the markers {begin} ... {end}")
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{make(name)}\n{end}{tail}"
    return text


if __name__ == "__main__":  # python -m game.protocol docs/protocol.md
    import sys
    from pathlib import Path

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/protocol.md")
    target.write_text(render_doc(target.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {target}")
