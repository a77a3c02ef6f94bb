"""Whatever a deck file contains, checking it reports problems and never crashes."""

from __future__ import annotations

from deckkit import deck_source
from hypothesis import given, settings
from hypothesis import strategies as st

from game.decks import check_bytes

BASE = deck_source().splitlines()
SNIPPETS = ['"', "[", "]", "[[cards]]", "[[tiers]]", "[cards]", "=", "#", '"""', "'", "{",
            "}", ",", "tier = 5", 'kind = "hug"', "follow_ups = []", 'tags = ["x"]', "\\",
            "id = \"x\"", "text = \"Is it?\"", "unlock_per_player = -1", "\t", "é"]

edits = st.lists(st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "swap"]),
    st.integers(0, len(BASE) - 1), st.integers(0, len(BASE) - 1),
    st.sampled_from(SNIPPETS)), min_size=1, max_size=6)


def mutate(lines: list[str], steps: list[tuple[str, int, int, str]]) -> str:
    lines = list(lines)
    for op, i, j, snippet in steps:
        i, j = i % max(len(lines), 1), j % max(len(lines), 1)
        if not lines:
            lines = [snippet]
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "insert":
            lines[i] = lines[i][: j % (len(lines[i]) + 1)] + snippet + lines[i][j % (len(lines[i]) + 1):]
        else:
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(edits)
def test_a_mangled_deck_is_reported_never_raised(steps: list[tuple[str, int, int, str]]) -> None:
    source = mutate(BASE, steps)
    result = check_bytes(source.encode(), "mangled.toml")
    line_count = source.count("\n") + 1
    assert all(0 <= p.line <= line_count for p in result.problems)
    assert all(str(p).startswith("mangled.toml") for p in result.problems)
    assert (result.deck is None) == any(p.is_error for p in result.problems)
