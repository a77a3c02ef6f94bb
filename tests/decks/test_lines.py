"""The light line scanner finds headers, keys and list items, and is not fooled by text."""

from __future__ import annotations

import tomllib

from game.decks.lines import LineMap

SOURCE = '''\
# [[cards]] in a comment is not a card
name = "Deck = [[cards]]"   # a comment with [brackets]
"quoted key" = 1

[[cards]]
id = "a"
text = """A multi-line text
id = "not a key"
[[cards]]
still the same text"""
follow_ups = ["One?", "Two, [really]?"]

[[cards]]
id = 'b'
follow_ups = [
  "First?",  # comment ] with a bracket
  """Second
  spanning lines""",
  "Third \\" with escaped quote?",
]
tags = []

[meta]
id = "in another table"
'''


def test_the_sample_is_valid_toml() -> None:
    data = tomllib.loads(SOURCE)
    assert [card["id"] for card in data["cards"]] == ["a", "b"]
    assert "[[cards]]" in data["cards"][0]["text"]


def test_top_level_keys_and_the_first_header_of_each_table() -> None:
    lines = LineMap.scan(SOURCE)
    assert lines.line_for(("name",)) == 2
    assert lines.line_for(("quoted key",)) == 3
    assert lines.line_for(("cards",)) == 5
    assert lines.line_for(("meta",)) == 23
    assert lines.line_for(("missing",)) == 1


def test_array_of_tables_entries_are_counted_in_order() -> None:
    lines = LineMap.scan(SOURCE)
    assert len(lines.arrays["cards"]) == 2
    assert lines.line_for(("cards", 0)) == 5
    assert lines.line_for(("cards", 1)) == 13
    assert lines.line_for(("cards", 0, "id")) == 6
    assert lines.line_for(("cards", 1, "id")) == 14


def test_a_missing_key_falls_back_to_the_header() -> None:
    lines = LineMap.scan(SOURCE)
    assert lines.line_for(("cards", 0, "tags")) == 5
    assert lines.line_for(("cards", 7, "id")) == 5  # no such entry: the table's first line


def test_each_list_item_has_its_own_line() -> None:
    lines = LineMap.scan(SOURCE)
    assert lines.line_for(("cards", 0, "follow_ups", 1)) == 11
    assert [lines.line_for(("cards", 1, "follow_ups", i)) for i in range(3)] == [16, 17, 19]
    assert lines.line_for(("cards", 1, "follow_ups", 9)) == 15
    assert lines.line_for(("cards", 1, "tags")) == 21


def test_keys_inside_other_tables_are_not_taken_for_deck_keys() -> None:
    lines = LineMap.scan(SOURCE)
    assert lines.line_for(("id",)) == 1
