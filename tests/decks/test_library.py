"""Bundled and custom decks side by side; broken custom decks are refused, never fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from deckkit import HEADER, deck_source

from game.decks import (
    DeckError,
    DeckNotFound,
    Problem,
    bundled_decks_dir,
    deck_problems,
    get_deck,
    list_decks,
    user_decks_dir,
)


def custom(folder: Path, name: str, deck_id: str = "tiny", *, broken: bool = False) -> Path:
    source = deck_source(header=HEADER.replace('id = "tiny"', f'id = "{deck_id}"'))
    if broken:
        source = source.replace('tier = "two"', 'tier = "deep"', 1)
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def test_the_user_folder_follows_xdg_data_home(user_data: Path) -> None:
    assert user_decks_dir() == user_data


def test_custom_decks_are_listed_after_the_bundled_ones(user_data: Path) -> None:
    path = custom(user_data, "mine.toml", "our-deck")
    decks = list_decks()
    bundled = [info for info in decks if info.bundled]
    assert {info.id for info in bundled} >= {"couples", "friends"}
    assert all(info.path.parent == bundled_decks_dir() for info in bundled)
    mine = decks[-1]
    assert (mine.id, mine.bundled, mine.path) == ("our-deck", False, path)
    assert mine.tiers == (("one", "One", 20), ("two", "Two", 20))
    assert mine.card_count == 40
    assert get_deck("our-deck").name == "Tiny"


def test_a_custom_deck_cannot_take_a_bundled_id(user_data: Path) -> None:
    path = custom(user_data, "copy.toml", "couples")
    problems: list[Problem] = []
    decks = list_decks(problems)
    assert [info.bundled for info in decks if info.id == "couples"] == [True]
    problem = problems[0]
    assert problem.path == str(path) and problem.line == 2  # the id line
    assert str(bundled_decks_dir() / "couples.toml") in problem.message
    assert get_deck("couples").name == "Couples"


def test_two_custom_decks_with_one_id_keep_the_first_by_file_name(user_data: Path) -> None:
    first = custom(user_data, "a.toml", "ours")
    second = custom(user_data, "b.toml", "ours")
    problems: list[Problem] = []
    assert [info.path for info in list_decks(problems) if info.id == "ours"] == [first]
    assert [p.path for p in problems] == [str(second)]
    assert str(first) in problems[0].message


def test_a_broken_custom_deck_does_not_hide_the_good_ones(user_data: Path) -> None:
    broken = custom(user_data, "broken.toml", "broken-one", broken=True)
    custom(user_data, "good.toml", "good-one")
    problems: list[Problem] = []
    ids = [info.id for info in list_decks(problems)]
    assert "good-one" in ids and "broken-one" not in ids and "couples" in ids
    assert [(p.path, p.code) for p in problems] == [(str(broken), "card/unknown-tier")]
    assert [str(p) for p in deck_problems()] == [str(p) for p in problems]


def test_get_deck_on_a_broken_deck_raises_with_its_messages(user_data: Path) -> None:
    custom(user_data, "broken.toml", "broken-one", broken=True)
    with pytest.raises(DeckError) as caught:
        get_deck("broken-one")
    assert not isinstance(caught.value, DeckNotFound)
    assert "unknown tier 'deep'" in str(caught.value)
    assert "broken.toml:" in str(caught.value)


def test_a_deck_that_does_not_parse_is_found_by_its_file_name(user_data: Path) -> None:
    (user_data / "garbled.toml").write_text('id = "garbled"\nname = \n', encoding="utf-8")
    with pytest.raises(DeckError, match="TOML syntax error"):
        get_deck("garbled")


def test_an_unknown_id_says_which_decks_exist(user_data: Path) -> None:
    with pytest.raises(DeckNotFound) as caught:
        get_deck("nope")
    assert isinstance(caught.value, LookupError)
    assert "couples" in str(caught.value)


def test_an_edited_deck_is_read_again(user_data: Path) -> None:
    path = custom(user_data, "mine.toml", "ours")
    assert get_deck("ours").name == "Tiny"
    path.write_text(path.read_text().replace('name = "Tiny"', 'name = "Renamed"'))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert get_deck("ours").name == "Renamed"


def test_no_user_folder_means_only_bundled_decks(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("game.decks.library.user_decks_dir", lambda: tmp_path / "absent")
    problems: list[Problem] = []
    assert all(info.bundled for info in list_decks(problems))
    assert problems == []
