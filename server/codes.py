"""Room codes and seat tokens.

A room code is for finding a room, never for taking a seat: it is short and
easy to read aloud (eight symbols from an alphabet with no vowels and no
look-alikes, shown as ``XXXX-XXXX``: 21^8, about 3.8e10 codes). A seat token
(192 bits from ``secrets``) is what takes a seat back; the server keeps only
its SHA-256 and compares digests in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Container, Iterable

#: no vowels (no words), no 0/O, 1/I/L, 2/Z, 5/S, 6/G-ish, 8/B look-alikes
ALPHABET = "BCDFGHJKMNPQRTVWX3479"
CODE_LENGTH = 8
#: consonant skeletons of words a room code must never contain
BLOCKED = ("FCK", "FK", "CNT", "KKK", "NGR", "NGG", "FGT", "WTF", "DCK", "CCK", "TWT",
           "XXX", "PNS", "KNT", "FCKN", "HTLR", "RPST", "PRN", "DMN", "CRP")


def is_blocked(code: str) -> bool:
    """Whether ``code`` (normalized) contains a blocked word."""
    return any(word in code for word in BLOCKED)


def new_code(taken: Container[str]) -> str:
    """A fresh normalized code (no dash) not in ``taken`` and not blocked."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken and not is_blocked(code):
            return code


def normalize(code: str) -> str:
    """What a player typed to the stored form: upper case, no dashes or spaces."""
    return "".join(ch for ch in code.upper() if ch not in "- ")


def display(code: str) -> str:
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def match_token(token: str, hashes: Iterable[str]) -> int | None:
    """Index of the hash that ``token`` matches, comparing every one in
    constant time (no early exit), or None."""
    digest = hash_token(token)
    found = None
    for index, stored in enumerate(hashes):
        if hmac.compare_digest(digest, stored) and found is None:
            found = index
    return found
