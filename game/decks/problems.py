"""What the deck validator reports: problems with a place, and the error the loader raises.

A problem prints the way compilers print theirs, so editors can jump to it::

    decks/couples.toml:212: card 'co-hearth-007' has 1 follow-up; questions need at least 2 (hint: add another question a listener could ask)

Errors stop a deck from loading; warnings never do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in one deck file.

    ``line`` is 1-based; 0 means the problem belongs to the whole file (it
    could not be read at all). ``code`` is stable (``card/follow-ups``) so
    tests and tools need not match on the sentence.
    """

    path: str
    line: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line > 0 else self.path
        label = "warning: " if self.severity == "warning" else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{place}: {label}{self.message}{hint}"


class DeckError(Exception):
    """A deck could not be loaded. ``problems`` holds every finding, errors first."""

    def __init__(self, summary: str, problems: Iterable[Problem] = ()) -> None:
        self.summary = summary
        self.problems = sorted(problems, key=lambda p: (not p.is_error, p.path, p.line))
        super().__init__(str(self))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def __str__(self) -> str:
        return "\n".join([self.summary, *(f"  {p}" for p in self.problems)])


class DeckNotFound(DeckError, LookupError):
    """No deck (bundled or custom) has the id that was asked for."""
