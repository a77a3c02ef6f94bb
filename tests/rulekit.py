"""Small decks and helpers that let rule tests read like the rules (import as `rulekit`)."""

from __future__ import annotations

from game.rules import (
    Action,
    CloseResponses,
    Draw,
    EndTurn,
    FinishAnswer,
    LightBulb,
    ReadyVote,
    Settings,
    State,
    apply,
    new_game,
)
from game.rules.deck import Card, Deck, Tier


def make_deck(*, per_tier: int = 12, wild: tuple[str, ...] = (), unlock: tuple[int, ...] = (0, 2, 4),
              tags: dict[str, frozenset[str]] | None = None) -> Deck:
    """A deck with plain questions in every tier, plus the given wild kinds
    (one card each, in the first tier, drawn before any question)."""
    tier_ids = ("spark", "glow", "hearth")[: len(unlock)]
    tiers = tuple(Tier(t, t.title(), f"The {t} tier", u) for t, u in zip(tier_ids, unlock, strict=True))
    cards = []
    for t in tier_ids:
        for i in range(per_tier):
            cid = f"{t}-{i:02d}"
            cards.append(Card(id=cid, tier=t, text=f"What is {cid} about?",
                              follow_ups=(f"How did {cid} feel?", f"Who was there for {cid}?"),
                              tags=(tags or {}).get(cid, frozenset())))
    for kind in wild:
        cards.append(Card(id=f"wild-{kind}", tier="spark", kind=kind, text=f"A {kind} card",
                          follow_ups=("What else?", "How so?")))
    return Deck(id="test", name="Test", tiers=tiers, cards=tuple(cards))


def game(seats: int = 3, *, deck: Deck | None = None, seed: int = 1, **settings: object) -> State:
    names = tuple(f"P{i}" for i in range(seats))
    return new_game(deck or make_deck(), Settings(names=names, **settings), seed)  # type: ignore[arg-type]


def act(state: State, seat: int, action: Action) -> State:
    return apply(state, seat, action)[0]


def draw_card(state: State, card_id: str) -> State:
    """Move ``card_id`` to the top of its pile, then let the drawer draw it."""
    tier = state.deck.tier_index(state.deck.card(card_id).tier)
    piles = list(state.piles)
    rest = tuple(c for c in piles[tier] if c != card_id)
    piles[tier] = (card_id,) + rest
    from dataclasses import replace

    state = replace(state, piles=tuple(piles))
    return act(state, state.drawer, Draw(tier=state.deck.tiers[tier].id))


def plain_turn(state: State, *, bulbs_for: tuple[int, ...] = ()) -> State:
    """One whole ordinary turn: draw, answer, close, light 'heard' bulbs, end."""
    speaker = state.drawer
    question = next(c for c in state.piles[0] if not state.deck.card(c).is_wild)
    state = draw_card(state, question)
    while state.turn is not None and state.turn.drawer == speaker:
        current = state.turn.speaker
        state = act(state, current, FinishAnswer())
        state = act(state, current, CloseResponses())
        for seat in bulbs_for:
            if seat != current:
                state = act(state, current, LightBulb(to=seat, reason="heard"))
        state = act(state, current, EndTurn())
    return state


def play_until_check(state: State) -> State:
    """Play turns where everyone lights everyone until a ready check opens."""
    for _ in range(50):
        if state.ready_check is not None:
            return state
        state = plain_turn(state, bulbs_for=state.active)
    raise AssertionError("no ready check opened")


def everyone_votes(state: State, ready: bool = True, *, except_: dict[int, bool] | None = None
                   ) -> State:
    for seat in state.active:
        vote = (except_ or {}).get(seat, ready)
        state = act(state, seat, ReadyVote(ready=vote))
    return state


