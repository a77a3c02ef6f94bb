"""Line numbers for places in a deck file.

``tomllib`` returns plain values without positions, so this module scans the
source once more, lightly, to find where things are: each ``[[tiers]]`` and
``[[cards]]`` header (counted in order, as TOML does), each ``key =`` line,
and the line of each element of an array value (so a too-long follow-up
points at its own line). It understands strings, multi-line strings,
comments, arrays and inline tables well enough not to be fooled by a ``=``
or ``[`` inside a card's text; it does not validate anything.

A place (``Loc``) is a path into the parsed data: ``("name",)``,
``("cards", 11)``, ``("cards", 11, "text")``, ``("cards", 11, "follow_ups", 2)``.
When the exact spot is not found (an inline table, a missing key) the nearest
enclosing line is used: the key, then the table's header, then line 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Loc = tuple[str | int, ...]

_KEY = re.compile(r"""\s*(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[.=]""")


@dataclass(slots=True)
class _Table:
    header: int
    keys: dict[str, int] = field(default_factory=dict)
    elements: dict[str, list[int]] = field(default_factory=dict)


class LineMap:
    """Where the headers, keys and array elements of one TOML source are."""

    def __init__(self) -> None:
        self.top = _Table(header=1)
        self.arrays: dict[str, list[_Table]] = {}

    @classmethod
    def scan(cls, source: str) -> LineMap:
        lines = cls()
        _Scanner(lines).run(source)
        return lines

    def line_for(self, loc: Loc) -> int:
        """The best line for ``loc`` (1 when nothing better is known)."""
        if not loc:
            return 1
        name = str(loc[0])
        tables = self.arrays.get(name)
        if len(loc) >= 2 and isinstance(loc[1], int) and tables is not None:
            index = loc[1]
            if index >= len(tables):
                return self.top.keys.get(name, 1)
            return _line_in(tables[index], loc[2:])
        return _line_in(self.top, loc) if name in self.top.keys else 1


def _line_in(table: _Table, rest: Loc) -> int:
    if not rest:
        return table.header
    key = str(rest[0])
    line = table.keys.get(key, table.header)
    if len(rest) >= 2 and isinstance(rest[1], int):
        elements = table.elements.get(key, [])
        if rest[1] < len(elements):
            return elements[rest[1]]
    return line


class _Scanner:
    """One pass over the source, tracking strings and brackets across lines."""

    def __init__(self, lines: LineMap) -> None:
        self.map = lines
        self.table: _Table | None = lines.top  # None: inside a table we do not track
        self.key = ""
        self.stack: list[str] = []  # open brackets of the current value
        self.expect = False  # the next token at array depth 1 starts an element
        self.multiline = ""  # closing delimiter of an open multi-line string

    def run(self, source: str) -> None:
        for number, text in enumerate(source.splitlines(), start=1):
            self.line(number, text)

    def line(self, number: int, text: str) -> None:
        start = 0
        if self.multiline:
            end = text.find(self.multiline)
            if end < 0:
                return
            start = end + 3
            self.multiline = ""
        elif not self.stack:
            start = self.statement(number, text)
            if start < 0:
                return
        self.value(number, text, start)

    def statement(self, number: int, text: str) -> int:
        """Record a header or key; return where its value starts (-1: nothing to scan)."""
        stripped = text.lstrip()
        if not stripped or stripped.startswith("#"):
            return -1
        if stripped.startswith("[["):
            name = _table_name(stripped[2:], "]]")
            if "." in name:
                self.table = None
            else:
                self.table = _Table(header=number)
                self.map.arrays.setdefault(name, []).append(self.table)
            self.map.top.keys.setdefault(name.split(".")[0], number)
            return -1
        if stripped.startswith("["):
            name = _table_name(stripped[1:], "]")
            self.map.top.keys.setdefault(name.split(".")[0], number)
            self.table = None
            return -1
        match = _KEY.match(text)
        if match is None:
            return -1
        self.key = next(group for group in match.groups() if group is not None)
        if self.table is not None:
            self.table.keys.setdefault(self.key, number)
        equals = text.find("=", match.end() - 1)
        return len(text) if equals < 0 else equals + 1

    def value(self, number: int, text: str, i: int) -> None:
        """Walk a value's characters: strings, brackets, commas, comments."""
        n = len(text)
        while i < n:
            char = text[i]
            if char == "#":
                return
            if char.isspace():
                i += 1
                continue
            if self.stack == ["["] and char not in "],":
                if self.expect:
                    self.element(number)
                self.expect = False
            if char in "\"'":
                if text.startswith(char * 3, i):
                    end = text.find(char * 3, i + 3)
                    if end < 0:
                        self.multiline = char * 3
                        return
                    i = end + 3
                    while i < n and text[i] == char:  # up to two quotes may end the content
                        i += 1
                    continue
                i = _string_end(text, i)
                continue
            if char in "[{":
                self.stack.append(char)
                self.expect = char == "["
            elif char in "]}":
                if self.stack:
                    self.stack.pop()
                self.expect = False
            elif char == "," and self.stack and self.stack[-1] == "[":
                self.expect = True
            i += 1

    def element(self, number: int) -> None:
        if self.table is not None:
            self.table.elements.setdefault(self.key, []).append(number)


def _table_name(rest: str, closer: str) -> str:
    end = rest.find(closer)
    name = rest[: end if end >= 0 else len(rest)]
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _string_end(text: str, i: int) -> int:
    """Index just past the one-line string starting at ``text[i]``."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text[j] == quote:
            return j + 1
        j += 1
    return len(text)
