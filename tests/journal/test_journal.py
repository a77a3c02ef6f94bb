"""The local journal remembers evenings, never words, and never loses them."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from game.journal import Evening, Journal, JournalError, default_path


def _recap(names=("Ana", "Ben"), cards=("co-spark-001", "co-spark-002")):
    return {"names": list(names), "shared_cards": list(cards), "lit": 7, "duration_s": 1900.0,
            "starred": [{"id": cards[0], "text": "..."}], "plans": ["A walk on Sunday"],
            "cards_per_tier": {}, "bulbs_by_seat": [3, 4]}


def test_an_evening_is_recorded_and_read_back(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    when = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    journal.record(Evening.from_recap(_recap(), deck="couples", when=when))
    [evening] = journal.evenings()
    assert evening.deck == "couples" and evening.minutes == 31 and evening.lit == 7
    assert evening.when == "2026-11-23T20:00:00+00:00"
    assert evening.plans == ["A walk on Sunday"] and evening.starred == ["co-spark-001"]


def test_a_group_can_leave_out_what_it_answered_before(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    journal.record(Evening.from_recap(_recap(), deck="couples"))
    journal.record(Evening.from_recap(_recap(cards=("co-glow-004",)), deck="couples"))
    journal.record(Evening.from_recap(_recap(names=("Ana", "Cleo"), cards=("co-x",)),
                                      deck="couples"))
    assert journal.answered_before("couples", [" ben", "ANA"]) == {
        "co-spark-001", "co-spark-002", "co-glow-004"}
    assert journal.answered_before("friends", ["Ana", "Ben"]) == frozenset()


def test_a_damaged_file_reads_as_empty_and_is_kept_aside(tmp_path):
    path = tmp_path / "journal.json"
    path.write_text("{not json")
    journal = Journal(path)
    assert journal.evenings() == []
    assert (tmp_path / "journal.json.damaged").read_text() == "{not json"


def test_a_write_that_fails_midway_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    journal.record(Evening.from_recap(_recap(), deck="couples"))
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(JournalError) as err:
        journal.record(Evening.from_recap(_recap(), deck="friends"))
    assert "No space left on device" in str(err.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "journal.json.tmp").exists()


def test_delete_forgets_everything(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    journal.record(Evening.from_recap(_recap(), deck="couples"))
    journal.delete()
    assert journal.evenings() == []
    journal.delete()  # deleting twice is fine


def test_no_words_are_kept(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    journal.record(Evening.from_recap(_recap(), deck="couples"))
    text = (tmp_path / "journal.json").read_text()
    assert "answer" not in text and "note" not in text


def test_the_default_journal_lives_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "heartlight" / "journal.json"
