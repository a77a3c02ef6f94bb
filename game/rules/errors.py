"""The two ways a request can fail inside the rules.

    GameError
     ├── IllegalAction    a seat tried something the rules do not allow now
     └── MalformedAction  the request is not an action at all (bad type, field)

Both carry a stable namespaced ``code`` (``turn/not_speaker``) that clients may
switch on, and a human ``message`` that can be shown as it is. Deck problems
are reported by ``game.decks`` as ``DeckError``; junk on the wire by
``game.protocol`` as ``ProtocolError``.
"""

from __future__ import annotations


class GameError(Exception):
    """Base class: a refused request with a stable code and a human sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class IllegalAction(GameError):
    """A seat tried something the rules do not allow right now."""


class MalformedAction(GameError):
    """The request does not describe an action (unknown type, bad field)."""


class SetupError(GameError):
    """A game cannot be set up with these seats, settings or deck."""
