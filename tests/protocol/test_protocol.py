"""The message definitions, the codec, and docs/protocol.md kept in step."""

from __future__ import annotations

import re
from pathlib import Path

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import protocol
from game.protocol import (
    CLIENT_MESSAGES,
    ERROR_CODES,
    SERVER_MESSAGES,
    ProtocolError,
    decode,
    encode,
    pack,
)
from game.rules import Draw, LightBulb

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "protocol.md"


def test_a_client_message_round_trips():
    frame = encode("action", version=4, action={"type": "light_bulb", "to": 1}, seat=None, id=7)
    msg = decode(frame)
    assert msg == {"type": "action", "version": 4, "action": LightBulb(to=1, reason="heard"),
                   "seat": None, "id": 7}


def test_absent_optional_fields_take_their_defaults():
    msg = decode(pack({"type": "create_room", "deck": "couples", "name": "Ana", "seats": 2}))
    assert msg["settings"] == {"everyone_answers": None, "excluded_tags": [],
                               "text_mode": False}
    assert decode(pack({"type": "action", "version": 0, "action": {"type": "draw"}}))[
        "action"] == Draw()


@pytest.mark.parametrize("value, code", [
    (b"", "protocol/not_msgpack"),
    (b"\x92\x01", "protocol/not_msgpack"),          # an array of 2 with 1 item
    (pack(1) + pack(2), "protocol/not_msgpack"),     # two values in one frame
    (b"\xc7\x01\x05\x00", "protocol/not_msgpack"),   # an extension type
    (msgpack.packb({1: "x"}), "protocol/not_msgpack"),
    (pack(None), "protocol/not_a_map"),
    (pack({"kind": "hello"}), "protocol/unknown_type"),
    (pack({"type": "hello"}), "protocol/missing_field"),
    (pack({"type": "hello", "protocol": "1"}), "protocol/bad_field"),
    (pack({"type": "hello", "protocol": 1.0}), "protocol/bad_field"),
    (pack({"type": "hello", "protocol": 0}), "protocol/out_of_range"),
    (pack({"type": "hello", "protocol": 1, "id": -1}), "protocol/out_of_range"),
    (pack({"type": "welcome", "code": "x"}), "protocol/unknown_type"),  # server's message
    (pack({"type": "create_room", "deck": "d", "name": "a", "seats": 2,
           "settings": {"excluded_tags": [1]}}), "protocol/bad_field"),
    (pack({"type": "create_room", "deck": "d", "name": "a", "seats": 2,
           "settings": {"excluded_tags": ["t"] * 33}}), "protocol/out_of_range"),
    (pack({"type": "action", "version": 0, "action": {"type": "ready_vote", "ready": 1}}),
     "action/bad_field"),
    (pack({"type": "action", "version": 0, "action": "draw"}), "action/not_a_map"),
])
def test_junk_is_refused_with_a_code(value, code):
    with pytest.raises(ProtocolError) as refused:
        decode(value)
    assert refused.value.code == code
    assert refused.value.code in ERROR_CODES
    assert refused.value.message.endswith(".")


def test_deep_nesting_is_refused_not_crashed():
    deep = b"\x91" * 100_000 + b"\x00"
    with pytest.raises(ProtocolError):
        decode(deep)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_protocol_error(data):
    try:
        msg = decode(data)
    except ProtocolError:
        return
    assert msg["type"] in CLIENT_MESSAGES


@given(st.recursive(st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1)
                    | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10),
       st.sampled_from(sorted(CLIENT_MESSAGES)))
def test_any_value_under_a_real_type_decodes_or_raises(value, kind):
    body = value if isinstance(value, dict) else {"x": value}
    try:
        decode(pack({**body, "type": kind}))
    except ProtocolError:
        pass


def test_server_messages_decode_on_the_client_side():
    frame = encode("error", code="room/full", message="Full.", answers="join", id=None)
    assert decode(frame, sender="server")["code"] == "room/full"
    with pytest.raises(ValueError):
        encode("error", code="x")  # missing fields are a programming error
    with pytest.raises(ProtocolError):
        encode("hello", protocol=0)  # client messages are checked before sending


def test_every_message_type_is_defined_once_per_direction():
    assert not set(CLIENT_MESSAGES) & set(SERVER_MESSAGES)


def test_the_doc_is_generated_from_the_definitions():
    text = DOC.read_text(encoding="utf-8")
    assert protocol.render_doc(text) == text, \
        "docs/protocol.md is out of date: run `python -m game.protocol docs/protocol.md`"
    for kind in list(CLIENT_MESSAGES) + list(SERVER_MESSAGES):
        assert f"#### `{kind}`" in text
    for code in ERROR_CODES:
        assert f"`{code}`" in text


def test_every_code_the_server_sends_is_documented():
    used: set[str] = set()
    for path in list((ROOT / "server").glob("*.py")) + [ROOT / "game" / "protocol.py"]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:Refused|ProtocolError)\(\s*"([a-z_]+/[a-z_]+)"', source))
        used |= set(re.findall(r'\.error\(\s*"([a-z_]+/[a-z_]+)"', source))
    assert used, "found no codes: the pattern is wrong"
    assert used <= set(ERROR_CODES), sorted(used - set(ERROR_CODES))
