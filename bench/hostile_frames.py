"""The hostile-input generator: frames a broken or malicious client might send.

``HostileFrames(rng, stale=...)`` yields ``(kind, frame)`` pairs; ``frame``
is bytes (or a str, for text frames). The kinds, with their share:

* ``random``: random bytes, 0..300 long
* ``mutated``: a valid message with bytes flipped, cut, inserted or doubled
* ``wrong_type``: a valid message with one field of the wrong msgpack type
* ``huge``: numbers at and past every integer width, floats, inf and nan
* ``nested``: arrays/maps nested 100..100,000 deep
* ``oversize``: a frame over the server's 16 KiB ``max_frame``
* ``forged_token``: ``rejoin`` with made-up codes and tokens
* ``stale_token``: ``rejoin`` with tokens of rooms that no longer exist
* ``odd``: unknown types and fields, extension types, a text frame, a bare
  value, a system action, an action before hello
* ``valid``: well-formed requests (hello, create_room, join, actions) that a
  hostile client sends out of place; these are answered with errors
"""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator
from typing import Any

import msgpack  # type: ignore[import-untyped]

from game.rules.actions import ALL_ACTIONS, SYSTEM_ACTIONS, field_spec

CLIENT_ACTIONS = tuple(cls for cls in ALL_ACTIONS if cls not in SYSTEM_ACTIONS)

WEIGHTS = {"random": 14, "mutated": 18, "wrong_type": 14, "huge": 10, "nested": 4,
           "oversize": 1, "forged_token": 8, "stale_token": 6, "odd": 10, "valid": 15}

CODE_ALPHABET = "BCDFGHJKMNPQRTVWX3479"


def pack(value: Any) -> bytes:
    frame: bytes = msgpack.packb(value, use_bin_type=True)
    return frame


class HostileFrames:
    def __init__(self, rng: random.Random, *, stale: list[tuple[str, str]] | None = None,
                 max_frame: int = 16 * 1024) -> None:
        self.rng = rng
        self.stale = stale or [("BCDF-GHJK", "x" * 32)]
        self.max_frame = max_frame
        self.kinds = list(WEIGHTS)
        self.weights = [WEIGHTS[k] for k in self.kinds]

    def __iter__(self) -> Iterator[tuple[str, bytes | str]]:
        while True:
            yield self.next()

    def next(self, kind: str | None = None) -> tuple[str, bytes | str]:
        kind = kind or self.rng.choices(self.kinds, self.weights)[0]
        return kind, getattr(self, f"_{kind}")()

    # -- the pieces ------------------------------------------------------------

    def code(self) -> str:
        r = self.rng
        return "".join(r.choice(CODE_ALPHABET) for _ in range(8))

    def action(self, *, plausible: bool = False) -> dict[str, Any]:
        """An action of a real type with fields of the right types and
        random values (what reaches the rules), or now and then a made-up
        one. ``plausible``: only types a client may send, so every one
        passes the decoder and reaches the rules."""
        r = self.rng
        if not plausible and r.random() < 0.1:
            return {"type": r.choice(("no_such_action", "", "draw ")), "x": self.any_value(1)}
        cls = r.choice(CLIENT_ACTIONS if plausible else ALL_ACTIONS)
        action: dict[str, Any] = {"type": cls.type}
        for name, (typ, nullable) in field_spec(cls).items():
            if nullable and r.random() < 0.3:
                action[name] = None
            elif typ is int:
                action[name] = r.choice((0, 1, 2, 3, 7, 8, -1, r.randrange(-50, 50)) +
                                        (() if plausible else (2**31, 2**64 - 1)))
            elif typ is bool:
                action[name] = r.random() < 0.5
            else:
                action[name] = r.choice(("", "heard", "follow_up", "words", "flame", "touch",
                                         "x" * r.randrange(1, 200 if plausible else 3000),
                                         "\u202e\x00"))
        return action

    def valid_message(self) -> dict[str, Any]:
        r = self.rng
        choice = r.randrange(8)
        if choice == 0:
            return {"type": "hello", "protocol": 1, "client": "hostile"}
        if choice == 1:
            return {"type": "create_room", "deck": r.choice(("friends", "couples", "nope")),
                    "name": r.choice(("Mallory", "   ", "\u200b", "x" * 24)),
                    "seats": r.randrange(2, 9)}
        if choice == 2:
            return {"type": "join", "code": self.code(), "name": "Eve"}
        if choice == 3:
            return {"type": "rejoin", "code": self.code(), "token": "t" * 32}
        if choice == 4:
            return {"type": "start"}
        if choice == 5:
            return {"type": "leave", "seat": r.randrange(8)}
        if choice == 6:
            return {"type": "claim_seat", "name": "Trudy"}
        return {"type": "action", "version": r.randrange(0, 1000), "action": self.action(),
                "seat": r.choice((None, 0, 1, 7))}

    def any_value(self, depth: int = 0) -> Any:
        r = self.rng
        pick = r.randrange(12 if depth < 3 else 9)
        if pick < 9:
            return (None, True, r.randrange(-2**63, 2**64), r.random() * 1e300, "",
                    "é" * r.randrange(1, 80), b"\x00\xff" * r.randrange(1, 20),
                    float("nan"), -1)[pick]
        if pick == 9:
            return [self.any_value(depth + 1) for _ in range(r.randrange(4))]
        if pick == 10:
            return {str(r.randrange(99)): self.any_value(depth + 1)
                    for _ in range(r.randrange(4))}
        return {"type": self.any_value(depth + 1)}

    # -- the kinds -------------------------------------------------------------

    def _random(self) -> bytes:
        return self.rng.randbytes(self.rng.randrange(0, 300))

    def _mutated(self) -> bytes:
        r = self.rng
        frame = bytearray(pack(self.valid_message()))
        for _ in range(r.randrange(1, 4)):
            op = r.randrange(4)
            i = r.randrange(len(frame)) if frame else 0
            if op == 0 and frame:
                frame[i] ^= 1 << r.randrange(8)
            elif op == 1:
                del frame[i:i + r.randrange(1, 4)]
            elif op == 2:
                frame[i:i] = r.randbytes(r.randrange(1, 6))
            else:
                frame += frame[i:]
        return bytes(frame)

    def _wrong_type(self) -> bytes:
        msg = self.valid_message()
        keys = [k for k in msg if k != "type"] or ["type"]
        msg[self.rng.choice(keys)] = self.any_value(depth=2)
        return pack(msg)

    def _huge(self) -> bytes:
        r = self.rng
        number = r.choice((2**31, 2**31 - 1, 2**32, 2**53 + 1, 2**63 - 1, 2**64 - 1, -2**63,
                           -1, float("inf"), float("-inf"), float("nan"), 1e308))
        msg = self.valid_message()
        field = r.choice(["version", "seats", "protocol", "seat", "id", "to"])
        if field == "to" and msg["type"] == "action":
            msg["action"]["to"] = number
        else:
            msg[field] = number
        if r.random() < 0.3:  # a header claiming a giant array/map/str
            return r.choice((b"\xdd", b"\xdf", b"\xdb", b"\xc6")) + struct.pack(">I", 2**32 - 1)
        return pack(msg)

    def _nested(self) -> bytes:
        r = self.rng
        depth = r.choice((100, 511, 513, 1000, 10_000, 100_000))
        if r.random() < 0.5:
            return b"\x91" * depth + b"\xc0"  # [[[...nil...]]]
        return b"\x81\xa1k" * depth + b"\xc0"  # {"k": {"k": ...}}

    def _oversize(self) -> bytes:
        size = self.max_frame + self.rng.randrange(1, 4096)
        return pack({"type": "hello", "protocol": 1, "client": "x" * size})

    def _forged_token(self) -> bytes:
        r = self.rng
        token = r.choice(("", "A" * 32, r.randbytes(24).hex()[:32], "\x00" * 10, "é" * 64))
        return pack({"type": "rejoin", "code": r.choice((self.code(), "", "-" * 16)),
                     "token": token or "x"})

    def _stale_token(self) -> bytes:
        code, token = self.rng.choice(self.stale)
        return pack({"type": "rejoin", "code": code, "token": token})

    def _odd(self) -> bytes | str:
        r = self.rng
        choice = r.randrange(8)
        if choice == 0:
            return pack({"type": "no_such_message", "x": 1})
        if choice == 1:
            return pack({**self.valid_message(), "surprise": True})
        if choice == 2:
            return pack(msgpack.ExtType(r.randrange(128), b"ext"))
        if choice == 3:
            return "a text frame {\"type\": \"hello\"}"
        if choice == 4:
            return pack(r.choice((5, "hello", [1, 2], None, True)))
        if choice == 5:
            return pack({"type": "action", "version": 0,
                         "action": {"type": "set_away", "away": True}})
        if choice == 6:
            return b"\xd6\xff" + struct.pack(">I", 0)  # a msgpack timestamp
        if r.random() < 0.5:
            return pack({1: "int key", "type": "hello"})
        return pack({"type": "hello", "protocol": 1, "client": "dup", "id": 2**40})

    def _valid(self) -> bytes:
        return pack(self.valid_message())
