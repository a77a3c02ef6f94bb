"""LocalSession: the engine in-process behind the same interface as online play."""

from __future__ import annotations

from game.client.decks import SAMPLER, deck_choices, load
from game.client.session import LocalSession, seat_for
from game.rules import Draw, EndTurn, Settings, Veto, view_for


def _session() -> LocalSession:
    return LocalSession(SAMPLER, Settings(names=("Ana", "Ben", "Cleo")), seed=3)


def test_views_are_the_engines_views_for_each_seat() -> None:
    s = _session()
    assert s.seats == (0, 1, 2)
    for seat in s.seats:
        assert s.view(seat) == view_for(s.state, seat)
    assert s.view() == view_for(s.state, 0)
    assert s.connection == "local"


def test_a_refused_action_becomes_an_error_notice_and_changes_nothing() -> None:
    s = _session()
    before = s.state
    s.send(1, EndTurn())
    notices = s.poll()
    assert notices[0]["type"] == "error" and notices[0]["code"]
    assert notices[0]["message"][0].isupper()
    assert s.state is before and s.log == []
    assert s.poll() == []


def test_accepted_actions_are_logged_and_their_events_delivered() -> None:
    s = _session()
    s.send(0, Draw())
    assert [type(a) for _, a in s.log] == [Draw]
    assert any(n["type"] == "card_drawn" for n in s.poll())
    assert s.view(0)["version"] == 1


def test_table_wide_buttons_act_through_a_seat_that_may() -> None:
    s = _session()
    assert seat_for(s, "veto") is None            # no card on the table yet
    s.send(0, Draw())
    assert seat_for(s, "veto") in (1, 2)          # a listener, never the speaker
    assert seat_for(s, "veto", prefer=2) == 2
    seat = seat_for(s, "veto")
    assert seat is not None
    s.send(seat, Veto())
    assert s.poll()[-1]["type"] != "error"


def test_the_built_in_deck_is_always_offered_and_library_decks_load() -> None:
    choices = deck_choices()
    assert choices[-1].id == "sampler"
    assert load("sampler") is SAMPLER
    others = [c for c in choices if c.id != "sampler"]
    if others:
        assert load(others[0].id).id == others[0].id
    kinds = {c.kind for c in SAMPLER.cards}
    from game.rules import WILD_KINDS

    assert set(WILD_KINDS) <= kinds
