"""The terminal table game plays a whole evening from typed numbers alone."""

from __future__ import annotations

import argparse
import re

from game.textmode import text_game


class Table:
    """Types at the prompts like a patient group: mostly the first move on the
    list, last light after a while, and real words when asked for them."""

    def __init__(self, rounds_before_last_light: int) -> None:
        self.lines: list[str] = []
        self.prompts = 0
        self.rounds = rounds_before_last_light

    def say(self, line: str) -> None:
        self.lines.append(line)

    def options(self) -> dict[str, str]:
        """The last list of moves, in its printed order: text -> number."""
        found: list[tuple[str, str]] = []
        for line in reversed(self.lines[:-1]):
            match = re.match(r"\s+(\d+)\. (.*)", line)
            if not match:
                break
            found.append((match.group(2), match.group(1)))
        return dict(reversed(found))

    def ask(self, prompt: str) -> str:
        self.lines.append(prompt)
        if prompt.startswith("Which love language"):
            return "time"
        if prompt.startswith("Type it"):
            return "Something true, said kindly."
        if prompt.startswith("Leave"):
            return "n"
        self.prompts += 1
        assert self.prompts < 3000, "the game never ended"
        options = self.options()
        if self.prompts > self.rounds:
            for text, number in options.items():
                if "last light" in text and "not yet" not in text:
                    return number
        for text, number in options.items():
            if not any(word in text for word in ("leave", "pause", "veto", "pass")):
                return number
        return "1"


def test_a_whole_evening_in_the_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    table = Table(rounds_before_last_light=120)
    args = argparse.Namespace(deck="couples", names="Ana, Ben", typed=True, seed=4)
    assert text_game(args, table.ask, table.say) == 0
    text = "\n".join(table.lines)
    assert "Ana speaks." in text and "Ben speaks." in text
    assert "light a 'heard' bulb for Ben" in text
    assert "The evening:" in text
    summary = next(line for line in table.lines if line.startswith("The evening:"))
    lit = int(re.search(r"(\d+) bulbs lit", summary).group(1))
    assert lit > 0


def test_a_wrong_number_is_explained_and_asked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    answers = iter(["Ana, Ben", "99", "q"])
    lines: list[str] = []
    args = argparse.Namespace(deck="friends", names=None, typed=False, seed=1)
    text_game(args, lambda prompt: next(answers), lines.append)
    assert any("Please type a number from 1 to" in line for line in lines)


def test_an_unknown_deck_is_a_clear_error():
    lines: list[str] = []
    args = argparse.Namespace(deck="nope", names="A,B", typed=False, seed=1)
    assert text_game(args, lambda prompt: "", lines.append) == 2
    assert "Cannot open deck 'nope'" in lines[-1]


def test_the_evening_goes_to_the_journal_and_fresh_leaves_its_cards_out(tmp_path, monkeypatch):
    from game.journal import Journal

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    first = argparse.Namespace(deck="friends", names="Ana, Ben", typed=False, seed=2)
    text_game(first, Table(rounds_before_last_light=60).ask, lambda line: None)
    [evening] = Journal().evenings()
    assert evening.deck == "friends" and evening.cards
    again = argparse.Namespace(deck="friends", names="ben, ana", typed=False, seed=2,
                               fresh=True, no_journal=True)
    table = Table(rounds_before_last_light=40)
    text_game(again, table.ask, table.say)
    shown = "\n".join(table.lines)
    from game.decks import get_deck

    deck = get_deck("friends")
    for card_id in evening.cards:
        assert deck.card(card_id).text not in shown
    assert len(Journal().evenings()) == 1  # --no-journal kept this one out
