"""The deck validator and loader: TOML text in, a ``Deck`` and every problem out.

One pass collects every problem (not just the first) as a place in the data
plus a sentence and a hint; only if there are any is the source scanned for
line numbers (``lines.LineMap``), so a clean deck costs one ``tomllib`` parse
and a walk over its cards. The same function serves ``heartlight decks
check``, the game, and the server: a deck either loads whole or is refused
with these messages.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.rules.deck import Card, Deck, Tier

from . import schema
from .lines import LineMap, Loc
from .problems import DeckError, Problem, Severity


@dataclass(slots=True)
class CheckResult:
    """What checking one file found. ``deck`` is None when there was an error."""

    deck: Deck | None
    problems: list[Problem]
    #: the deck id the file declares, if it could be read (even when broken)
    declared_id: str | None = None
    lines: LineMap | None = field(default=None, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def check_file(path: str | Path) -> tuple[Deck | None, list[Problem]]:
    """Check one deck file. Returns the deck (None if it has errors) and every problem.

    Problems name ``path`` as given and are sorted by line. Never raises for a
    bad deck; an unreadable file is reported as a problem too.
    """
    result = check_path(path)
    return result.deck, result.problems


def load_deck(path: str | Path) -> Deck:
    """Load one deck file, or raise ``DeckError`` listing every error (and warning)."""
    result = check_path(path)
    if result.deck is None:
        count = len(result.errors)
        raise DeckError(f"{path}: {count} error{'s' if count != 1 else ''}; "
                        "the deck was not loaded", result.problems)
    return result.deck


def check_path(path: str | Path) -> CheckResult:
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return CheckResult(None, [Problem(shown, 0, "file/unreadable", f"cannot read the file: {reason}",
                                          "check the path and that the file exists")])
    return check_bytes(data, shown)


def check_bytes(data: bytes, path: str) -> CheckResult:
    """Check a deck given as the bytes of a TOML file; ``path`` is used in messages."""
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return CheckResult(None, [Problem(
            path, line, "file/encoding", "the file is not UTF-8 text",
            "save it as UTF-8 (most editors offer this under 'Save as' or 'Encoding')")])
    return check_source(source.removeprefix("\ufeff"), path)


def check_source(source: str, path: str) -> CheckResult:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        return CheckResult(None, [_syntax_problem(path, str(exc))])
    checker = _Checker(path, source)
    deck: Deck | None = checker.check(data)
    problems = checker.resolve()
    declared = data.get("id") if isinstance(data.get("id"), str) else None
    if any(p.is_error for p in problems):
        deck = None
    return CheckResult(deck, problems, declared, checker.line_map)


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_SYNTAX_HINTS = (
    ("overwrite", "a key or table is given twice; remove or rename one of them"),
    ("Cannot declare", "a key or table is given twice; remove or rename one of them"),
    ("Unterminated string", "a string is missing its closing double quote \""),
    ("Unclosed array", "a list is missing its closing ] (or a comma between items)"),
    ("Expected '=' after a key", "each line in a table is `key = value`; text goes in double quotes"),
    ("Invalid value", "text values go in double quotes; an inner \" is written \\\""),
    ("Unescaped", "write an inner double quote as \\\" and a backslash as \\\\"),
    ("Unrecognized escape", "a backslash starts an escape; write a real backslash as \\\\"),
    ("Expected newline", "put each `key = value` on its own line"),
)


def _syntax_problem(path: str, message: str) -> Problem:
    """A tomllib error as a problem, keeping its line and column."""
    match = _AT.search(message)
    line = 0
    text = message
    if match:
        line = int(match.group(1))
        text = f"{message[: match.start()]} (line {line}, column {match.group(2)})"
    elif message.endswith("(at end of document)"):
        line = 0
        text = message.replace("(at end of document)", "(at the end of the file)")
    hint = next((h for key, h in _SYNTAX_HINTS if key in message),
                "look for a missing quote, bracket, comma or '=' on or just before this line")
    return Problem(path, line, "toml/syntax", f"TOML syntax error: {text}", hint)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close and word.lower() != word:
        close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


class _Checker:
    """Collects problems for one parsed deck, each with a place in the data."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        self.found: list[tuple[Loc, Severity, str, str, str]] = []
        self.line_map: LineMap | None = None
        self.tier_ids: dict[str, int] = {}  # declared tier id -> index in [[tiers]]
        self.raw_cards: list[Any] = []

    # -- reporting -----------------------------------------------------------
    def error(self, loc: Loc, code: str, message: str, hint: str = "") -> None:
        self.found.append((loc, "error", code, message, hint))

    def warn(self, loc: Loc, code: str, message: str, hint: str = "") -> None:
        self.found.append((loc, "warning", code, message, hint))

    def line(self, loc: Loc) -> int:
        if self.line_map is None:
            self.line_map = LineMap.scan(self.source)
        return self.line_map.line_for(loc)

    def resolve(self) -> list[Problem]:
        problems = [Problem(self.path, self.line(loc), code, message, hint, severity)
                    for loc, severity, code, message, hint in self.found]
        return sorted(problems, key=lambda p: p.line)

    # -- shared field checks ---------------------------------------------------
    def fields(self, table: dict[str, Any], loc: Loc, spec: dict[str, tuple[type, bool]],
               owner: str, kind: str) -> dict[str, Any]:
        """Check keys and types; return the fields whose type is right."""
        good: dict[str, Any] = {}
        for key, value in table.items():
            if key not in spec:
                self.unknown_key(loc, key, spec, owner, kind)
                continue
            wanted = spec[key][0]
            if isinstance(value, bool) or not isinstance(value, wanted):
                self.error((*loc, key), f"{kind}/type", f"{owner}: '{key}' must be "
                           f"{schema.wanted_name(wanted)}, not {schema.type_name(value)}",
                           self.type_hint(key, wanted, value))
                continue
            good[key] = value
        for key, (wanted, required) in spec.items():
            if required and key not in table:
                self.error(loc, f"{kind}/missing", f"{owner} has no '{key}'",
                           self.missing_hint(key, wanted))
        return good

    def missing_hint(self, key: str, wanted: type) -> str:
        if key in ("tiers", "cards"):
            return f"add a [[{key}]] block for each {key[:-1]}"
        examples = {"schema_version": "1", "min_seats": "2", "max_seats": "8",
                    "unlock_per_player": "3", "kind": '"question"', "language": '"en"',
                    "tier": f'"{next(iter(self.tier_ids), "...")}"'}
        example = examples.get(key, '"..."')
        return f"add a line `{key} = {example}`"

    def type_hint(self, key: str, wanted: type, value: object) -> str:
        if key in ("tiers", "cards"):
            return f"write [[{key}]] (double brackets) on its own line before each entry"
        if wanted is list:
            return f'write {key} = ["first", "second"]'
        if wanted is str:
            return "put the text in double quotes"
        return "write a plain number without quotes"

    def unknown_key(self, loc: Loc, key: str, spec: dict[str, tuple[type, bool]],
                    owner: str, kind: str) -> None:
        near = _suggest(key, list(spec))
        if near:
            hint = f"did you mean '{near}'?"
        elif kind == "deck" and key in schema.CARD_KEYS:
            hint = "card fields go below a [[cards]] line; is one missing above this?"
        else:
            hint = "the keys allowed here are: " + ", ".join(spec)
        self.error((*loc, key), f"{kind}/unknown-key", f"{owner}: unknown key '{key}'", hint)

    def text(self, value: Any, loc: Loc, owner: str, what: str, limit_key: str,
             code: str, *, required: bool = True) -> None:
        if not isinstance(value, str):
            return
        limit = schema.LIMITS[limit_key]
        length = len(value.strip())
        if length == 0 and required:
            self.error(loc, f"{code}-empty", f"{owner}: {what} is empty", f"write the {what}")
        elif length > limit:
            self.error(loc, f"{code}-too-long", f"{owner}: {what} is {length} characters; "
                       f"the limit is {limit}", f"shorten it by {length - limit} characters")

    def ident(self, value: Any, loc: Loc, owner: str, code: str) -> bool:
        if not isinstance(value, str):
            return False
        if not schema.ID_PATTERN.fullmatch(value) or len(value) > schema.LIMITS["id"]:
            suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))[: schema.LIMITS["id"]]
            example = f", e.g. '{suggestion}'" if suggestion else ""
            self.error(loc, code, f"{owner}: id '{value}' is not a valid id",
                       "use lowercase letters, digits and single hyphens, at most "
                       f"{schema.LIMITS['id']} characters{example}")
            return False
        return True

    # -- the deck ---------------------------------------------------------------
    def check(self, data: dict[str, Any]) -> Deck:
        if not data:
            self.error((), "deck/empty", "the file has no deck in it",
                       "start from the example deck in docs/decks.md")
            return self.build({}, [], [])
        meta = self.fields(data, (), schema.DECK_KEYS, "the deck", "deck")
        self.metadata(meta)
        tiers = self.tiers(data.get("tiers"))
        cards = self.cards(data.get("cards"))
        return self.build(meta, tiers, cards)

    def metadata(self, meta: dict[str, Any]) -> None:
        version = meta.get("schema_version")
        if version is not None and version != schema.SCHEMA_VERSION:
            newer = version > schema.SCHEMA_VERSION
            self.error(("schema_version",), "deck/schema-version",
                       f"schema_version {version} is not one this Heartlight reads "
                       f"(it reads {schema.SCHEMA_VERSION})",
                       "update Heartlight to load this deck" if newer
                       else f"write schema_version = {schema.SCHEMA_VERSION}")
        self.ident(meta.get("id"), ("id",), "the deck", "deck/id")
        self.text(meta.get("name"), ("name",), "the deck", "name", "deck.name", "deck/name")
        self.text(meta.get("description"), ("description",), "the deck", "description",
                  "deck.description", "deck/description")
        self.text(meta.get("audience"), ("audience",), "the deck", "audience",
                  "deck.audience", "deck/audience")
        language = meta.get("language")
        if language is not None and not schema.LANGUAGE_PATTERN.fullmatch(language):
            self.error(("language",), "deck/language",
                       f"the deck: language '{language}' is not a language code",
                       "use a short code such as \"en\", \"de\" or \"pt-BR\"")
        low, high = schema.SEATS
        seats = {key: meta[key] for key in ("min_seats", "max_seats") if key in meta}
        for key, value in seats.items():
            if not low <= value <= high:
                self.error((key,), "deck/seats", f"the deck: {key} is {value}; "
                           f"it must be between {low} and {high}",
                           f"Heartlight is played by {low} to {high} people")
        if len(seats) == 2 and seats["min_seats"] > seats["max_seats"]:
            self.error(("max_seats",), "deck/seats", f"the deck: max_seats ({seats['max_seats']}) "
                       f"is less than min_seats ({seats['min_seats']})", "swap the two numbers")

    def tiers(self, raw: Any) -> list[Tier]:
        if not isinstance(raw, list):
            return []
        tiers: list[Tier] = []
        seen: dict[str, int] = {}
        previous_unlock = 0
        for index, table in enumerate(raw):
            loc: Loc = ("tiers", index)
            if not isinstance(table, dict):
                self.error(loc, "tier/type", f"tier {index + 1} must be a table",
                           "write each tier as a [[tiers]] block")
                continue
            owner = f"tier {index + 1}" + (f" '{table['id']}'" if isinstance(table.get("id"), str) else "")
            good = self.fields(table, loc, schema.TIER_KEYS, owner, "tier")
            tier_id = good.get("id")
            if self.ident(tier_id, (*loc, "id"), owner, "tier/id") and isinstance(tier_id, str):
                if tier_id in seen:
                    self.error((*loc, "id"), "tier/duplicate-id",
                               f"{owner}: id '{tier_id}' is already used by tier {seen[tier_id] + 1} "
                               f"(line {self.line(('tiers', seen[tier_id], 'id'))})",
                               "give each tier its own id")
                else:
                    seen[tier_id] = index
                    self.tier_ids[tier_id] = index
            self.text(good.get("name"), (*loc, "name"), owner, "name", "tier.name", "tier/name")
            self.text(good.get("description"), (*loc, "description"), owner, "description",
                      "tier.description", "tier/description")
            unlock = good.get("unlock_per_player")
            if isinstance(unlock, int):
                where = (*loc, "unlock_per_player")
                if index == 0 and unlock != 0:
                    self.error(where, "tier/unlock", f"{owner}: the first tier is open from the "
                               f"start, so its unlock_per_player must be 0, not {unlock}",
                               "write unlock_per_player = 0")
                elif unlock < 0:
                    self.error(where, "tier/unlock", f"{owner}: unlock_per_player is {unlock}; "
                               "it cannot be negative", "use 0 or more bulbs per player")
                elif unlock < previous_unlock:
                    self.error(where, "tier/unlock", f"{owner}: unlock_per_player ({unlock}) is "
                               f"lower than the tier before it ({previous_unlock})",
                               "deeper tiers need the same or more bulbs; list tiers from "
                               "lightest to deepest")
                previous_unlock = max(previous_unlock, unlock)
            if isinstance(tier_id, str) and isinstance(good.get("name"), str) and isinstance(unlock, int):
                tiers.append(Tier(tier_id, good["name"].strip(),
                                  str(good.get("description", "")).strip(), unlock))
        if len(raw) < schema.MIN_TIERS:
            self.error(("tiers",), "deck/tiers", f"the deck has {_plural(len(raw), 'tier')}; "
                       f"it needs at least {schema.MIN_TIERS}",
                       "add a [[tiers]] block for each level, lightest first")
        return tiers

    def cards(self, raw: Any) -> list[Card]:
        if not isinstance(raw, list):
            return []
        self.raw_cards = raw
        if not raw:
            self.error(("cards",), "deck/no-cards", "the deck has no cards",
                       "add cards, each starting with a [[cards]] line")
        tier_ids = list(self.tier_ids)
        counts = dict.fromkeys(tier_ids, 0)
        ids: dict[str, int] = {}
        texts: dict[str, int] = {}
        cards: list[Card] = []
        for index, table in enumerate(raw):
            card = self.card(index, table, tier_ids, ids, texts)
            if card is not None:
                cards.append(card)
            tier = table.get("tier") if isinstance(table, dict) else None
            if isinstance(tier, str) and tier in counts:
                counts[tier] += 1  # counted even if the card has other problems
        if raw:
            for tier_id, index in self.tier_ids.items():
                if counts[tier_id] < schema.MIN_TIER_CARDS:
                    self.warn(("tiers", index), "tier/too-few-cards",
                              f"tier '{tier_id}' has {_plural(counts[tier_id], 'card')}; a long "
                              f"game needs at least {schema.MIN_TIER_CARDS}",
                              f"add {schema.MIN_TIER_CARDS - counts[tier_id]} more "
                              f"'{tier_id}' cards")
        return cards

    def card(self, index: int, table: Any, tier_ids: list[str], ids: dict[str, int],
             texts: dict[str, int]) -> Card | None:
        loc: Loc = ("cards", index)
        if not isinstance(table, dict):
            self.error(loc, "card/type", f"card #{index + 1} must be a table",
                       "write each card as a [[cards]] block")
            return None
        card_id = table.get("id")
        owner = f"card '{card_id}'" if isinstance(card_id, str) else f"card #{index + 1}"
        good = self.fields(table, loc, schema.CARD_KEYS, owner, "card")

        card_id = good.get("id")
        if self.ident(card_id, (*loc, "id"), owner, "card/id") and isinstance(card_id, str):
            if card_id in ids:
                first = ids[card_id]
                self.error((*loc, "id"), "card/duplicate-id",
                           f"card id '{card_id}' is used twice; first by card #{first + 1} "
                           f"(line {self.line(('cards', first, 'id'))})",
                           "give this card a new id; never reuse an old one")
            else:
                ids[card_id] = index

        tier = good.get("tier")
        if isinstance(tier, str) and tier not in tier_ids:
            near = _suggest(tier, tier_ids)
            self.error((*loc, "tier"), "card/unknown-tier", f"{owner}: unknown tier '{tier}'",
                       f"did you mean '{near}'?" if near else
                       "the tiers of this deck are: " + (", ".join(tier_ids) or "(none declared)"))

        kind = good.get("kind")
        if isinstance(kind, str) and kind not in schema.KINDS:
            near = _suggest(kind, schema.KINDS)
            self.error((*loc, "kind"), "card/unknown-kind", f"{owner}: unknown kind '{kind}'",
                       f"did you mean '{near}'?" if near else
                       "use 'question' or a wild kind: " + ", ".join(schema.KINDS[1:]))

        text = good.get("text")
        self.text(text, (*loc, "text"), owner, "text", "card.text", "card/text")
        if isinstance(text, str) and text.strip():
            key = schema.normalise(text)
            if key in texts:
                other = texts[key]
                other_id = self.raw_cards[other].get("id")
                name = f"'{other_id}'" if isinstance(other_id, str) else f"#{other + 1}"
                self.error((*loc, "text"), "card/duplicate-text",
                           f"{owner} has the same text as card {name} "
                           f"(line {self.line(('cards', other, 'text'))})",
                           "reword one of them or delete it")
            elif key:
                texts[key] = index
            if kind in schema.ASKS_A_QUESTION and schema.reads_as_yes_no(text):
                self.warn((*loc, "text"), "card/yes-no", f"{owner} reads as a yes/no question",
                          "start it with what, how, when, which or 'tell' so it invites a story")
        self.text(good.get("note"), (*loc, "note"), owner, "note", "card.note", "card/note",
                  required=False)

        follow_ups = self.follow_ups(good, table, loc, owner, kind)
        tags = self.tags(good, loc, owner)
        if self._has_errors_for(loc):
            return None
        return Card(id=str(card_id), tier=str(tier), text=str(text).strip(), kind=str(kind),
                    follow_ups=follow_ups, tags=tags, note=str(good.get("note", "")).strip())

    def follow_ups(self, good: dict[str, Any], table: dict[str, Any], loc: Loc, owner: str,
                   kind: Any) -> tuple[str, ...]:
        raw = good.get("follow_ups", [])
        where = (*loc, "follow_ups") if "follow_ups" in table else loc
        low, high = schema.FOLLOW_UPS
        if kind in schema.NEEDS_FOLLOW_UPS and len(raw) < low:
            what = "questions" if kind == "question" else f"'{kind}' cards"
            self.error(where, "card/too-few-follow-ups",
                       f"{owner} has {_plural(len(raw), 'follow-up')}; {what} need at least {low}",
                       "add another question a listener could ask" if raw else
                       'add follow_ups = ["...", "..."] with questions a listener could ask')
        elif len(raw) > high:
            self.error(where, "card/too-many-follow-ups",
                       f"{owner} has {len(raw)} follow-ups; at most {high} fit on a card",
                       "keep the best ones")
        limit = schema.LIMITS["card.follow_up"]
        for number, item in enumerate(raw):
            place = (*loc, "follow_ups", number)
            if not isinstance(item, str):
                self.error(place, "card/type", f"{owner}: follow-up {number + 1} must be text, "
                           f"not {schema.type_name(item)}", "put it in double quotes")
            elif not item.strip():
                self.error(place, "card/follow-up-empty", f"{owner}: follow-up {number + 1} is empty",
                           "write the question or remove the empty item")
            elif len(item.strip()) > limit:
                self.error(place, "card/follow-up-too-long",
                           f"{owner}: follow-up {number + 1} is {len(item.strip())} characters; "
                           f"the limit is {limit}", "shorten it or split it into two follow-ups")
            elif schema.reads_as_yes_no(item):
                self.warn(place, "card/yes-no-follow-up",
                          f"{owner}: follow-up {number + 1} reads as a yes/no question",
                          "start it with what, how, when or which so it keeps the talk going")
        return tuple(item.strip() for item in raw if isinstance(item, str))

    def tags(self, good: dict[str, Any], loc: Loc, owner: str) -> frozenset[str]:
        tags: list[str] = []
        for number, tag in enumerate(good.get("tags", [])):
            place = (*loc, "tags", number)
            if not isinstance(tag, str):
                self.error(place, "card/type", f"{owner}: tag {number + 1} must be text, "
                           f"not {schema.type_name(tag)}", "put it in double quotes")
                continue
            if tag not in schema.TAGS:
                near = _suggest(tag, schema.TAGS)
                self.warn(place, "card/unknown-tag", f"{owner}: unknown tag '{tag}'",
                          (f"did you mean '{near}'? " if near else "")
                          + "players can only leave out these tags: " + ", ".join(schema.TAGS))
            tags.append(tag)
        return frozenset(tags)

    # -- helpers -----------------------------------------------------------------
    def _has_errors_for(self, loc: Loc) -> bool:
        size = len(loc)
        return any(severity == "error" and place[:size] == loc
                   for place, severity, *_ in self.found)

    def build(self, meta: dict[str, Any], tiers: list[Tier], cards: list[Card]) -> Deck:
        return Deck(
            id=str(meta.get("id", "")), name=str(meta.get("name", "")).strip(),
            tiers=tuple(tiers), cards=tuple(cards),
            description=str(meta.get("description", "")).strip(),
            audience=str(meta.get("audience", "")).strip(),
            language=str(meta.get("language", "en")),
            min_seats=int(meta.get("min_seats", schema.SEATS[0])),
            max_seats=int(meta.get("max_seats", schema.SEATS[1])))
