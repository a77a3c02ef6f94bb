"""The local journal: what a group shared on earlier evenings.

It lives only on the player's machine (the platform's user data folder,
``~/.local/share/heartlight/journal.json`` on Linux), can be turned off, and
can be deleted. It remembers, per evening: when, which deck, who played,
the cards shared and starred, the plans made, and how bright the lamp got —
never an answer, a follow-up or a note. Its one use in play: a group can
leave out the cards it already answered together.

A "group" is the set of names at the table, compared without case or
surrounding spaces, so "Ana, Ben" and "ben, ana" are the same two people.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import PlatformDirs

VERSION = 1


class JournalError(Exception):
    """The journal could not be written; the evening itself is not affected."""


def default_path() -> Path:
    return PlatformDirs("heartlight", appauthor=False).user_data_path / "journal.json"


def group_key(names: Iterable[str]) -> list[str]:
    return sorted({n.strip().casefold() for n in names if n.strip()})


@dataclass(frozen=True)
class Evening:
    when: str
    deck: str
    group: list[str]
    names: list[str]
    cards: list[str]
    starred: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    lit: int = 0
    minutes: int = 0

    @classmethod
    def from_recap(cls, recap: dict[str, Any], *, deck: str, when: datetime | None = None
                   ) -> Evening:
        when = when or datetime.now(UTC)
        return cls(
            when=when.isoformat(timespec="seconds"), deck=deck,
            group=group_key(recap["names"]), names=list(recap["names"]),
            cards=list(recap["shared_cards"]), starred=[s["id"] for s in recap["starred"]],
            plans=list(recap["plans"]), lit=int(recap["lit"]),
            minutes=int(recap["duration_s"] // 60),
        )


class Journal:
    """A small JSON file of evenings. Reads never fail (a damaged file reads
    as empty and is kept aside); writes are atomic, so a full disk or a crash
    mid-write never loses the evenings already there."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def evenings(self) -> list[Evening]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            self._set_aside()
            return []
        out = []
        for item in raw.get("evenings", []) if isinstance(raw, dict) else []:
            try:
                out.append(Evening(**item))
            except TypeError:
                continue  # an entry from a newer or damaged file: skip it, keep the rest
        return out

    def record(self, evening: Evening) -> None:
        """Add one evening. Raises JournalError if it cannot be written."""
        self._write(self.evenings() + [evening])

    def answered_before(self, deck: str, names: Iterable[str]) -> frozenset[str]:
        """Card ids this group already shared with this deck."""
        group = group_key(names)
        return frozenset(card for e in self.evenings() if e.deck == deck and e.group == group
                         for card in e.cards)

    def delete(self) -> None:
        """Forget every evening (the settings screen's *Delete journal*)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as err:
            raise JournalError(f"Could not delete the journal at {self.path}: {err.strerror}. "
                               "Delete the file by hand if it stays.") from err

    def _write(self, evenings: list[Evening]) -> None:
        data = {"version": VERSION, "evenings": [asdict(e) for e in evenings]}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as err:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise JournalError(f"Could not save tonight to the journal at {self.path}: "
                               f"{err.strerror}. Earlier evenings are untouched; free some "
                               "space or turn the journal off in Settings.") from err

    def _set_aside(self) -> None:
        try:
            os.replace(self.path, self.path.with_name(self.path.name + ".damaged"))
        except OSError:
            pass
