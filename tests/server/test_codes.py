"""Room codes and seat tokens."""

from __future__ import annotations

from server import codes


def test_codes_read_aloud_without_vowels_or_look_alikes():
    taken: set[str] = set()
    for _ in range(2000):
        code = codes.new_code(taken)
        taken.add(code)
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
        assert not codes.is_blocked(code)
    assert not set("AEIOUY01OILSZ5") & set(codes.ALPHABET)
    assert len(taken) == 2000
    assert len(codes.ALPHABET) ** codes.CODE_LENGTH > 10**10


def test_blocked_words_are_never_issued(monkeypatch):
    picks = iter("FCKBBBBB" + "BCDFGHJK")
    monkeypatch.setattr(codes.secrets, "choice", lambda alphabet: next(picks))
    assert codes.new_code(set()) == "BCDFGHJK"


def test_codes_normalize_what_people_type():
    assert codes.normalize("bcdf-ghjk") == "BCDFGHJK"
    assert codes.normalize(" BCDF GHJK ") == "BCDFGHJK"
    assert codes.display("BCDFGHJK") == "BCDF-GHJK"


def test_tokens_are_long_random_and_stored_hashed():
    tokens = {codes.new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = tokens.pop()
    assert len(token) * 6 >= 128
    digest = codes.hash_token(token)
    assert token not in digest and len(digest) == 64
    hashes = [codes.hash_token(t) for t in list(tokens)[:5]] + [digest]
    assert codes.match_token(token, hashes) == 5
    assert codes.match_token("wrong", hashes) is None
