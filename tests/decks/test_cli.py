"""`heartlight decks check` and `heartlight decks list`, through the real entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from deckkit import HEADER, deck_source, line_of

from game.cli import main

WriteDeck = Callable[..., Path]


def test_check_passes_the_bundled_decks(capsys: pytest.CaptureFixture[str]) -> None:
    from game.decks import bundled_decks_dir

    files = [str(path) for path in sorted(bundled_decks_dir().glob("*.toml"))]
    assert main(["decks", "check", *files]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "4 files checked: 0 errors, 0 warnings"
    assert "couples.toml: ok: 'couples'" in out


def test_check_prints_every_problem_and_fails(write_deck: WriteDeck,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    source = deck_source(header=HEADER.replace("min_seats = 2", "min_seats = 0")
                         .replace('language = "en"', 'langage = "en"'))
    path = write_deck(source)
    assert main(["decks", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line_of(source, 'langage')}: the deck: unknown key 'langage' " \
           "(hint: did you mean 'language'?)" in out
    assert f"{path}:{line_of(source, 'min_seats')}: the deck: min_seats is 0" in out
    assert out.splitlines()[-1] == "1 file checked: 3 errors, 0 warnings"


def test_warnings_pass_unless_strict(write_deck: WriteDeck,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write_deck(deck_source().replace('tags = []', 'tags = ["sports"]', 1))
    assert main(["decks", "check", str(path)]) == 0
    assert main(["decks", "check", "--strict", str(path)]) == 1
    out = capsys.readouterr().out
    assert "warning: card 'f-one-000': unknown tag 'sports'" in out
    assert "loads, with warnings" in out


def test_two_files_with_one_deck_id_clash(write_deck: WriteDeck,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    first = write_deck(deck_source(), "a.toml")
    second = write_deck(deck_source(), "b.toml")
    assert main(["decks", "check", "-q", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert f"{second}:2: deck id 'tiny' is also used by {first}" in out


def test_check_takes_a_folder_as_its_deck_files(capsys: pytest.CaptureFixture[str]) -> None:
    from game.decks import bundled_decks_dir

    assert main(["decks", "check", "-q", str(bundled_decks_dir())]) == 0
    assert capsys.readouterr().out == "4 files checked: 0 errors, 0 warnings\n"


def test_check_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decks", "check", str(tmp_path / "gone.toml")]) == 1
    assert "cannot read the file" in capsys.readouterr().out


def test_list_shows_ids_names_seats_counts_and_custom_decks(
        user_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (user_data / "ours.toml").write_text(
        deck_source(header=HEADER.replace('id = "tiny"', 'id = "ours"')), encoding="utf-8")
    assert main(["decks", "list", "--paths"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert rows["ours"].split()[1:5] == ["Tiny", "2-4", "40", "(20/20)"]
    assert "custom" in rows["ours"] and str(user_data / "ours.toml") in rows["ours"]
    assert "Couples" in rows["couples"] and "bundled" in rows["couples"]
    assert str(user_data) in out


def test_list_names_refused_custom_decks_and_fails(
        user_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (user_data / "bad.toml").write_text("id = \n", encoding="utf-8")
    assert main(["decks", "list"]) == 1
    captured = capsys.readouterr()
    assert "couples" in captured.out
    assert f"{user_data / 'bad.toml'}:1: TOML syntax error" in captured.err


def test_decks_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["decks"])
    assert exit_.value.code == 2
