"""One scenario per error and warning: a small broken deck, the problem, and its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from deckkit import HEADER, TIERS, deck_source, filler, line_of

from game.decks import DeckError, Problem, check_file, load_deck

WriteDeck = Callable[..., Path]


def card(text: str = "", *, id: str = "x-1",
         tier: str = "one", kind: str = "question",
         follow_ups: str = '["Where does it come from?", "When did you last hear it?"]',
         extra: str = "") -> str:
    text = text or f"What is a sound that means home to you, {id}?"
    return (f'\n[[cards]]\nid = "{id}"\ntier = "{tier}"\nkind = "{kind}"\ntext = "{text}"\n'
            f"follow_ups = {follow_ups}\n{extra}")


def problems_of(write_deck: WriteDeck, source: str) -> list[Problem]:
    deck, problems = check_file(write_deck(source))
    if any(p.is_error for p in problems):
        assert deck is None
    return problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# -- the clean baseline --------------------------------------------------------------

def test_the_test_deck_is_clean_and_builds_the_engine_model(write_deck: WriteDeck) -> None:
    source = deck_source(card(extra='tags = ["family"]\nnote = "Go slowly."\n'))
    deck, problems = check_file(write_deck(source))
    assert problems == []
    assert deck is not None
    assert [t.id for t in deck.tiers] == ["one", "two"]
    assert [t.unlock_per_player for t in deck.tiers] == [0, 3]
    first = deck.card("x-1")
    assert first.follow_ups == ("Where does it come from?", "When did you last hear it?")
    assert first.tags == frozenset({"family"})
    assert first.note == "Go slowly."
    assert len(deck.cards) == 41
    assert (deck.min_seats, deck.max_seats, deck.language) == (2, 4, "en")


def test_a_problem_prints_as_path_line_message_and_hint() -> None:
    problem = Problem("decks/couples.toml", 212, "card/too-few-follow-ups",
                      "card 'co-hearth-07' has 1 follow-up; questions need at least 2",
                      "add another question a listener could ask")
    assert str(problem) == ("decks/couples.toml:212: card 'co-hearth-07' has 1 follow-up; "
                            "questions need at least 2 (hint: add another question a "
                            "listener could ask)")
    warning = Problem("d.toml", 3, "card/yes-no", "reads as yes/no", severity="warning")
    assert str(warning) == "d.toml:3: warning: reads as yes/no"


# -- errors -----------------------------------------------------------------------------

def test_toml_syntax_errors_keep_line_and_column(write_deck: WriteDeck) -> None:
    source = deck_source(card(text='What is "quoted without escape?'))
    problem = only(problems_of(write_deck, source))
    assert problem.code == "toml/syntax"
    assert problem.line == line_of(source, "quoted without escape")
    assert "column" in problem.message and problem.hint


def test_a_key_given_twice_is_a_syntax_error_with_a_hint(write_deck: WriteDeck) -> None:
    source = deck_source(card(extra='text = "What again?"\n'))
    problem = only(problems_of(write_deck, source))
    assert problem.code == "toml/syntax"
    assert problem.line == line_of(source, "What again?")
    assert "twice" in problem.hint


def test_a_misspelt_card_key_suggests_the_near_one(write_deck: WriteDeck) -> None:
    source = deck_source(card(extra='tagz = ["family"]\n'))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/unknown-key", line_of(source, "tagz"))
    assert "'tagz'" in problem.message and "did you mean 'tags'?" in problem.hint


def test_a_misspelt_deck_key_suggests_the_near_one(write_deck: WriteDeck) -> None:
    source = deck_source(header=HEADER.replace("audience =", "audiense ="))
    found = problems_of(write_deck, source)
    unknown = [p for p in found if p.code == "deck/unknown-key"]
    assert only(unknown).line == line_of(source, "audiense")
    assert "did you mean 'audience'?" in unknown[0].hint
    missing = only([p for p in found if p.code == "deck/missing"])
    assert "'audience'" in missing.message


def test_a_misspelt_tier_key_suggests_the_near_one(write_deck: WriteDeck) -> None:
    source = deck_source(tiers=TIERS.replace("unlock_per_player = 3", "unlock_per_player = 3\n"
                                             "descripton = \"again\""))
    found = problems_of(write_deck, source)
    problem = only([p for p in found if p.code == "tier/unknown-key"])
    assert problem.line == line_of(source, "descripton")
    assert "did you mean 'description'?" in problem.hint


def test_card_keys_above_the_first_card_header_are_explained(write_deck: WriteDeck) -> None:
    source = HEADER + 'follow_ups = ["a", "b"]\n' + TIERS + filler("one") + filler("two")
    problem = only(problems_of(write_deck, source))
    assert problem.line == line_of(source, "follow_ups = [\"a\"")
    assert "[[cards]]" in problem.hint


def test_a_missing_card_field_points_at_the_card_header(write_deck: WriteDeck) -> None:
    source = deck_source('\n[[cards]]\nid = "no-text"\ntier = "one"\nkind = "gratitude"\n')
    problem = only(problems_of(write_deck, source))
    assert problem.code == "card/missing"
    assert problem.line == line_of(source, 'id = "no-text"') - 1
    assert "'text'" in problem.message and "text = " in problem.hint


def test_a_missing_deck_field_is_reported(write_deck: WriteDeck) -> None:
    source = deck_source(header=HEADER.replace('name = "Tiny"\n', ""))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/missing", 1)
    assert "'name'" in problem.message


@pytest.mark.parametrize(("line", "needle"), [
    ('min_seats = "2"', 'min_seats = "2"'),
    ("name = 7", "name = 7"),
])
def test_wrong_types_in_the_deck_header(write_deck: WriteDeck, line: str, needle: str) -> None:
    key = line.split(" =")[0]
    header = "\n".join(line if row.startswith(key + " ") else row for row in HEADER.splitlines())
    source = deck_source(header=header + "\n")
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/type", line_of(source, needle))


def test_wrong_types_in_a_card(write_deck: WriteDeck) -> None:
    source = deck_source(card(extra='tags = "family"\n').replace(
        'text = "What is a sound', "text = 12\n#").replace("?\"\n", "\n", 1))
    found = problems_of(write_deck, source)
    assert [(p.code, p.line) for p in found] == [
        ("card/type", line_of(source, "text = 12")),
        ("card/type", line_of(source, 'tags = "family"')),
    ]
    assert "not a whole number" in found[0].message


def test_a_single_bracket_cards_table_is_a_type_error(write_deck: WriteDeck) -> None:
    source = HEADER + TIERS + '\n[cards]\nid = "x"\n'
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/type", line_of(source, "[cards]"))
    assert "[[cards]]" in problem.hint


def test_a_duplicate_card_id_names_the_first_line(write_deck: WriteDeck) -> None:
    source = deck_source(card(id="f-one-003", text="What is a new thing here?"))
    problem = only(problems_of(write_deck, source))
    first, second = (n for n, row in enumerate(source.splitlines(), 1) if '"f-one-003"' in row)
    assert (problem.code, problem.line) == ("card/duplicate-id", second)
    assert f"first by card #1 (line {first})" in problem.message


def test_a_duplicate_tier_id_is_an_error(write_deck: WriteDeck) -> None:
    tiers = TIERS + '\n[[tiers]]\nid = "two"\nname = "Again"\ndescription = "x"\nunlock_per_player = 5\n'
    source = deck_source(tiers=tiers)
    problem = only(problems_of(write_deck, source))
    assert problem.code == "tier/duplicate-id"
    assert problem.line == line_of(source, 'name = "Again"') - 1


def test_an_unknown_tier_suggests_the_declared_one(write_deck: WriteDeck) -> None:
    source = deck_source(card(tier="tow"))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/unknown-tier", line_of(source, 'tier = "tow"'))
    assert "did you mean 'two'?" in problem.hint


def test_an_unknown_kind_suggests_the_near_one(write_deck: WriteDeck) -> None:
    source = deck_source(card(kind="good-news"))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/unknown-kind", line_of(source, "good-news"))
    assert "did you mean 'good_news'?" in problem.hint


def test_a_question_with_one_follow_up_points_at_follow_ups(write_deck: WriteDeck) -> None:
    source = deck_source(card(follow_ups='["Only this one?"]'))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/too-few-follow-ups",
                                            line_of(source, "Only this one?"))
    assert problem.message == "card 'x-1' has 1 follow-up; questions need at least 2"
    assert problem.hint == "add another question a listener could ask"


def test_a_question_without_follow_ups_points_at_its_header(write_deck: WriteDeck) -> None:
    source = deck_source(card().replace("follow_ups = [", "# follow_ups = ["))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/too-few-follow-ups",
                                            line_of(source, 'id = "x-1"') - 1)


def test_everyone_answers_and_good_news_need_follow_ups_but_gratitude_does_not(
        write_deck: WriteDeck) -> None:
    source = deck_source(card(id="ea", kind="everyone_answers", follow_ups="[]")
                         + card(id="gn", kind="good_news", text="Tell us good news.",
                                follow_ups='["How did it feel?"]')
                         + card(id="gr", kind="gratitude", text="Thank someone.", follow_ups="[]"))
    found = problems_of(write_deck, source)
    assert [(p.code, p.message.split()[1]) for p in found] == [
        ("card/too-few-follow-ups", "'ea'"), ("card/too-few-follow-ups", "'gn'")]
    assert "'good_news' cards need at least 2" in found[1].message


def test_more_than_four_follow_ups_is_an_error(write_deck: WriteDeck) -> None:
    many = "[" + ", ".join(f'"What about {n}?"' for n in range(5)) + "]"
    source = deck_source(card(follow_ups=many))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/too-many-follow-ups",
                                            line_of(source, "What about 0?"))
    assert "at most 4" in problem.message


def test_empty_text_is_an_error(write_deck: WriteDeck) -> None:
    source = deck_source(card(text="   "))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/text-empty", line_of(source, 'text = "   "'))


def test_over_long_text_says_the_limit(write_deck: WriteDeck) -> None:
    text = "What " + "very " * 50 + "long question is this?"
    source = deck_source(card(text=text))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/text-too-long", line_of(source, "very very"))
    assert f"is {len(text)} characters; the limit is 240" in problem.message


def test_an_over_long_follow_up_points_at_its_own_line(write_deck: WriteDeck) -> None:
    long_one = "How " + "much " * 40 + "?"
    follow_ups = f'[\n  "Who else was there?",\n  # a comment with [brackets]\n  "{long_one}",\n]'
    source = deck_source(card(follow_ups=follow_ups))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/follow-up-too-long", line_of(source, "much much"))
    assert "follow-up 2" in problem.message and "the limit is 160" in problem.message


def test_an_empty_follow_up_is_an_error(write_deck: WriteDeck) -> None:
    source = deck_source(card(follow_ups='["What then?", ""]'))
    assert only(problems_of(write_deck, source)).code == "card/follow-up-empty"


def test_an_over_long_note_says_the_limit(write_deck: WriteDeck) -> None:
    source = deck_source(card(kind="gratitude", extra=f'note = "{"n" * 201}"\n'))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/note-too-long", line_of(source, "note ="))
    assert "the limit is 200" in problem.message


def test_duplicate_text_after_normalising_case_punctuation_and_spaces(
        write_deck: WriteDeck) -> None:
    source = deck_source(card(id="a", text="What is a sound that means home to you?")
                         + card(id="b", text="what is a  SOUND, that means home to you"))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("card/duplicate-text", line_of(source, "SOUND"))
    assert "card 'a'" in problem.message
    assert f"(line {line_of(source, 'sound that means')})" in problem.message


@pytest.mark.parametrize(("bad_id", "code"), [("Has Space", "card/id"), ("x--y", "card/id")])
def test_card_ids_must_be_lowercase_with_single_hyphens(write_deck: WriteDeck, bad_id: str,
                                                        code: str) -> None:
    source = deck_source(card(id=bad_id))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == (code, line_of(source, f'"{bad_id}"'))


def test_the_deck_id_must_be_a_valid_id(write_deck: WriteDeck) -> None:
    source = deck_source(header=HEADER.replace('id = "tiny"', 'id = "Tiny Deck"'))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/id", 2)
    assert "'tiny-deck'" in problem.hint


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("min_seats = 2", "min_seats = 1", "min_seats"),
    ("max_seats = 4", "max_seats = 9", "max_seats"),
    ("min_seats = 2", "min_seats = 5", "max_seats"),  # min above max
])
def test_seat_range_must_fit_two_to_eight_in_order(write_deck: WriteDeck, old: str, new: str,
                                                   needle: str) -> None:
    source = deck_source(header=HEADER.replace(old, new))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/seats", line_of(source, needle))


def test_the_first_tier_unlocks_at_zero(write_deck: WriteDeck) -> None:
    source = deck_source(tiers=TIERS.replace("unlock_per_player = 0", "unlock_per_player = 1"))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("tier/unlock", line_of(source, "unlock_per_player = 1"))


def test_unlock_values_never_go_down(write_deck: WriteDeck) -> None:
    tiers = TIERS + '\n[[tiers]]\nid = "three"\nname = "Three"\ndescription = "x"\nunlock_per_player = 2\n'
    source = deck_source(tiers=tiers) + filler("three")
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("tier/unlock", line_of(source, "unlock_per_player = 2"))
    assert "lower than the tier before it (3)" in problem.message


def test_a_deck_needs_two_tiers(write_deck: WriteDeck) -> None:
    one_tier = TIERS[: TIERS.index("\n[[tiers]]", 1)]
    source = deck_source(tiers=one_tier, fill=False) + filler("one")
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/tiers", line_of(source, "[[tiers]]"))


def test_a_newer_schema_version_asks_for_an_update(write_deck: WriteDeck) -> None:
    source = deck_source(header=HEADER.replace("schema_version = 1", "schema_version = 2"))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.line) == ("deck/schema-version", 1)
    assert "update Heartlight" in problem.hint


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(deck_source(card(text="What is a caf\xe9 you love?")).encode("latin-1"))
    deck, problems = check_file(path)
    assert deck is None
    problem = only(problems)
    assert problem.code == "file/encoding"
    assert problem.line == line_of(deck_source(card(text="What is a caf\xe9 you love?")), "caf")


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    deck, problems = check_file(tmp_path / "nowhere.toml")
    assert deck is None
    assert only(problems).code == "file/unreadable"
    assert str(problems[0]).startswith(str(tmp_path / "nowhere.toml") + ": cannot read")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + deck_source().encode())
    deck, problems = check_file(path)
    assert deck is not None and problems == []


# -- warnings ---------------------------------------------------------------------------

def test_a_yes_no_question_is_a_warning(write_deck: WriteDeck) -> None:
    source = deck_source(card(text="Do you like rain?"))
    deck, problems = check_file(write_deck(source))
    problem = only(problems)
    assert (problem.code, problem.severity) == ("card/yes-no", "warning")
    assert problem.line == line_of(source, "like rain")
    assert deck is not None  # warnings never stop a deck


@pytest.mark.parametrize("text", [
    "Do you remember what your first kitchen smelled like?",
    "Can you tell us about a good day?",
    "What do you do on a rainy Sunday?",
    "Doors: which one do you always leave open?",
])
def test_open_questions_are_not_flagged(write_deck: WriteDeck, text: str) -> None:
    assert problems_of(write_deck, deck_source(card(text=text))) == []


def test_a_yes_no_follow_up_is_a_warning(write_deck: WriteDeck) -> None:
    source = deck_source(card(follow_ups='["Was it raining?", "What did you see?"]'))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.severity) == ("card/yes-no-follow-up", "warning")
    assert "follow-up 1" in problem.message


def test_an_unknown_tag_is_a_warning_with_a_suggestion(write_deck: WriteDeck) -> None:
    source = deck_source(card(extra='tags = [\n  "family",\n  "past_love",\n]\n'))
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.severity) == ("card/unknown-tag", "warning")
    assert problem.line == line_of(source, '"past_love"')
    assert "did you mean 'past-love'?" in problem.hint


def test_a_tier_with_too_few_cards_is_a_warning(write_deck: WriteDeck) -> None:
    source = HEADER + TIERS + filler("one") + filler("two", 19)
    problem = only(problems_of(write_deck, source))
    assert (problem.code, problem.severity) == ("tier/too-few-cards", "warning")
    assert problem.line == line_of(source, 'id = "two"') - 1
    assert "has 19 cards; a long game needs at least 20" in problem.message


# -- every problem, and the loader -----------------------------------------------------------

def test_every_problem_is_reported_in_line_order(write_deck: WriteDeck) -> None:
    source = deck_source(card(id="a", tier="nope") + card(id="b", kind="hug")
                         + card(id="c", follow_ups='["One?"]') + card(id="d", text="Is it?"),
                         header=HEADER.replace("max_seats = 4", "max_seats = 12"))
    found = problems_of(write_deck, source)
    assert [p.code for p in found] == ["deck/seats", "card/unknown-tier", "card/unknown-kind",
                                       "card/too-few-follow-ups", "card/yes-no"]
    assert [p.line for p in found] == sorted(p.line for p in found)


def test_load_deck_raises_with_every_error(write_deck: WriteDeck) -> None:
    path = write_deck(deck_source(card(id="a", tier="nope") + card(id="b", kind="hug")))
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    error = caught.value
    assert [p.code for p in error.errors] == ["card/unknown-tier", "card/unknown-kind"]
    text = str(error)
    assert f"{path}: 2 errors; the deck was not loaded" in text
    assert f"{path}:{error.errors[0].line}: card 'a': unknown tier 'nope'" in text


def test_load_deck_returns_a_deck_that_only_has_warnings(write_deck: WriteDeck) -> None:
    deck = load_deck(write_deck(deck_source(card(text="Is it raining?"))))
    assert deck.card("x-1").text == "Is it raining?"
