"""The journal from the player's side: a finished evening is remembered on
this machine, the next setup for the same names leaves those cards out, and
the settings can turn it off or delete it."""

from __future__ import annotations

from typing import Any

from game.client.driver import Driver
from game.client.scenes.recap import RecapScene
from game.client.scenes.settings import SettingsScene
from game.client.scenes.setup import SetupScene
from game.client.session import LocalSession
from game.decks import get_deck
from game.journal import Journal
from game.rules import (
    CloseResponses,
    Draw,
    EndTurn,
    FinishAnswer,
    FinishClosing,
    LastLightVote,
    ProposeLastLight,
    Settings,
)


def _finished_evening(names: tuple[str, ...] = ("Ana", "Ben")) -> LocalSession:
    session = LocalSession(get_deck("friends"), Settings(names=names, everyone_answers=False),
                           seed=3)
    for _ in range(2):
        state = session.state
        while state.turn is None or state.turn.card.is_wild:  # a plain question
            if state.turn is not None:
                session.send(state.drawer, EndTurn())
            session.send(session.state.drawer, Draw())
            state = session.state
        speaker = state.turn.speaker
        for action in (FinishAnswer(), CloseResponses(), EndTurn()):
            session.send(speaker, action)
    session.send(0, ProposeLastLight())
    session.send(1, LastLightVote(agree=True))
    for seat in (session.state.closing.order):
        session.send(seat, FinishClosing())
    assert session.state.phase.value == "ended"
    return session


def test_the_recap_writes_the_evening_to_the_journal_once(app: Any) -> None:
    session = _finished_evening()
    app.switch(RecapScene(app, session))
    app.switch(RecapScene(app, session))  # coming back to the recap adds nothing
    [evening] = Journal().evenings()
    assert evening.deck == "friends" and len(evening.cards) == 2
    assert evening.names == ["Ana", "Ben"]


def test_a_returning_group_gets_new_cards_only(app: Any) -> None:
    session = _finished_evening()
    app.switch(RecapScene(app, session))
    shared = set(Journal().evenings()[0].cards)
    setup = SetupScene(app)
    setup.deck_index = next(i for i, d in enumerate(setup.decks) if d.id == "friends")
    setup.names[:2] = ["ben", "Ana "]
    assert set(setup.game_settings().excluded_cards) == shared
    setup.fresh = False
    assert setup.game_settings().excluded_cards == frozenset()


def test_the_journal_can_be_turned_off_and_deleted_from_the_settings(app: Any) -> None:
    app.switch(RecapScene(app, _finished_evening()))
    assert Journal().evenings()
    d = Driver(app)
    app.switch(SettingsScene(app, back=lambda: SetupScene(app)))
    d.click("forget")
    assert Journal().evenings() == []
    d.click("journal")
    assert app.user.journal is False
    app.switch(RecapScene(app, _finished_evening(("Cleo", "Dev"))))
    assert Journal().evenings() == []
