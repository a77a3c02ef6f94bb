"""The deck library: bundled decks plus the player's own, found by id.

Bundled decks come with the game (``game.resources.decks_dir()``); custom
decks are ``*.toml`` files in the user data folder (``user_decks_dir()``).
Every file goes through the same checks as ``heartlight decks check``. A
broken file never stops the others from loading: it is left out, and its
problems are kept for whoever asks (``list_decks(problems=...)``,
``deck_problems()``, or ``get_deck`` raising ``DeckError`` with them).

Checked files are cached by path, modification time and size, so asking
again is cheap and an edited file is read afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

from game import resources
from game.rules.deck import Deck

from .check import CheckResult, check_path
from .lines import LineMap
from .problems import DeckError, DeckNotFound, Problem


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """What the deck picker and ``heartlight decks list`` show about one deck."""

    id: str
    name: str
    description: str
    audience: str
    language: str
    min_seats: int
    max_seats: int
    path: Path
    bundled: bool
    #: (tier id, tier name, number of cards) from lightest to deepest
    tiers: tuple[tuple[str, str, int], ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def card_count(self) -> int:
        return sum(count for _, _, count in self.tiers)


def bundled_decks_dir() -> Path:
    return resources.decks_dir()


def user_decks_dir() -> Path:
    """Where players put their own decks (it may not exist yet)."""
    return PlatformDirs("heartlight", appauthor=False).user_data_path / "decks"


def list_decks(problems: list[Problem] | None = None) -> list[DeckInfo]:
    """Every deck that loads: bundled first, then custom, each by file name.

    Files that are refused (errors, or a custom deck reusing a taken id) are
    left out; their problems are appended to ``problems`` if given.
    """
    infos = []
    for entry in _entries():
        if entry.deck is not None:
            infos.append(_info(entry))
        elif problems is not None:
            problems.extend(entry.refusal)
    return infos


def deck_problems() -> list[Problem]:
    """The problems of every deck file that was refused."""
    problems: list[Problem] = []
    list_decks(problems)
    return problems


def get_deck(deck_id: str) -> Deck:
    """The deck with this id, bundled or custom.

    Raises ``DeckError`` (with every problem) if the file claiming that id is
    broken, and ``DeckNotFound`` (a ``DeckError`` and a ``LookupError``) if no
    file claims it.
    """
    entries = _entries()
    for entry in entries:
        if entry.deck is not None and entry.deck.id == deck_id:
            return entry.deck
    broken = [entry for entry in entries if entry.claims(deck_id)]
    if broken:
        raise DeckError(f"The deck '{deck_id}' could not be loaded:",
                        [problem for entry in broken for problem in entry.refusal])
    known = ", ".join(sorted(entry.deck.id for entry in entries if entry.deck is not None))
    raise DeckNotFound(f"There is no deck with id '{deck_id}'. Decks: {known or 'none'}.")


@dataclass(slots=True)
class _Entry:
    path: Path
    bundled: bool
    result: CheckResult
    clash: Problem | None = None

    @property
    def deck(self) -> Deck | None:
        return None if self.clash is not None else self.result.deck

    @property
    def refusal(self) -> list[Problem]:
        if self.clash is not None:
            return [self.clash]
        return self.result.errors

    def claims(self, deck_id: str) -> bool:
        declared = self.result.declared_id
        return self.deck is None and (declared == deck_id
                                      or (declared is None and self.path.stem == deck_id))


def _entries() -> list[_Entry]:
    files = [(path, True) for path in sorted(bundled_decks_dir().glob("*.toml"))]
    custom = user_decks_dir()
    if custom.is_dir():
        files += [(path, False) for path in sorted(custom.glob("*.toml")) if path.is_file()]
    owners: dict[str, _Entry] = {}
    entries = []
    for path, bundled in files:
        entry = _Entry(path, bundled, _checked(path))
        deck = entry.result.deck
        if deck is not None:
            owner = owners.get(deck.id)
            if owner is None:
                owners[deck.id] = entry
            else:
                entry.clash = _clash(entry, owner, deck.id)
        entries.append(entry)
    return entries


def _clash(entry: _Entry, owner: _Entry, deck_id: str) -> Problem:
    line = entry.result.lines.line_for(("id",)) if entry.result.lines else None
    if line is None:
        try:
            line = LineMap.scan(entry.path.read_text(encoding="utf-8")).line_for(("id",))
        except (OSError, UnicodeDecodeError):
            line = 1
    which = "the bundled deck" if owner.bundled else "the custom deck"
    return Problem(str(entry.path), line, "deck/duplicate-deck-id",
                   f"deck id '{deck_id}' is already used by {which} {owner.path}; "
                   "this file was not loaded",
                   f"change the `id =` line to a new id, e.g. '{deck_id}-mine'")


_CACHE: dict[Path, tuple[tuple[int, int], CheckResult]] = {}


def _checked(path: Path) -> CheckResult:
    try:
        stat = path.stat()
    except OSError:
        return check_path(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    result = check_path(path)
    _CACHE[path] = (stamp, result)
    return result


def _info(entry: _Entry) -> DeckInfo:
    deck = entry.result.deck
    assert deck is not None
    counts = {tier.id: 0 for tier in deck.tiers}
    for card in deck.cards:
        counts[card.tier] += 1
    return DeckInfo(
        id=deck.id, name=deck.name, description=deck.description, audience=deck.audience,
        language=deck.language, min_seats=deck.min_seats, max_seats=deck.max_seats,
        path=entry.path, bundled=entry.bundled,
        tiers=tuple((tier.id, tier.name, counts[tier.id]) for tier in deck.tiers),
        warnings=tuple(entry.result.warnings))
