"""What one seat may see of the game: the only way state reaches a player.

``view_for`` returns plain values (str-keyed dicts, lists, ints, strings,
bools, None) ready for msgpack or a scene. It never reveals the order of the
piles, who voted what, who vetoed or eased back, who paused (except to that
seat itself), or a sealed note before the game has ended and then only to
its recipient.
"""

from __future__ import annotations

from typing import Any

from . import flow
from .actions import LightBulb
from .engine import MAX_FOLLOW_UPS, legal_actions
from .state import Phase, State
from .wild import kind_of


def recap(state: State, *, duration_s: float = 0.0) -> dict[str, Any]:
    """The session in numbers and names, for the recap screen and journal.

    ``duration_s`` is supplied by the shell: the rules never read a clock.
    """
    deck = state.deck
    per_tier = {t.id: 0 for t in deck.tiers}
    shared_cards: list[str] = []
    for card_id in state.played:
        if card_id not in shared_cards:
            shared_cards.append(card_id)
            per_tier[deck.card(card_id).tier] += 1
    earned = [0] * len(state.seats)
    for bulb in state.bulbs:
        earned[bulb.to] += 1
    starred: list[str] = []
    for card_id, _ in state.stars:
        if card_id not in starred:
            starred.append(card_id)
    return {
        "duration_s": float(duration_s),
        "cards_per_tier": per_tier,
        "cards_shared": len(shared_cards),
        "shared_cards": shared_cards,
        "lit": state.lit,
        "bulbs_by_seat": earned,
        "names": [s.name for s in state.seats],
        "starred": [{"id": c, "text": deck.card(c).text} for c in starred],
        "plans": list(state.plans),
        "deepest_tier": deck.tiers[max(state.unlocked, default=0)].id,
    }


def _card(state: State) -> dict[str, Any] | None:
    turn = state.turn
    if turn is None:
        return None
    card = turn.card
    kind = kind_of(card.kind)
    return {
        "id": card.id, "tier": state.deck.tiers[turn.tier].id, "kind": card.kind,
        "text": card.text, "follow_ups": list(card.follow_ups), "tags": sorted(card.tags),
        "note": card.note, "instructions": kind.instructions,
    }


def _turn(state: State, seat: int | None) -> dict[str, Any] | None:
    turn = state.turn
    if turn is None:
        return None
    kind = kind_of(turn.card.kind)
    bulbs = flow.bulbs_this_turn(state)
    out: dict[str, Any] = {
        "drawer": turn.drawer,
        "speaker": turn.speaker,
        "answerers": list(turn.answerers),
        "answer_index": turn.index,
        "answered": turn.answered,
        "answer_text": turn.answer_text,
        "follow_ups": [{"by": f.by, "text": f.text, "suggestion": f.suggestion,
                        "aloud": f.aloud} for f in turn.follow_ups],
        "follow_ups_left": MAX_FOLLOW_UPS - len(turn.follow_ups),
        "reflections": [{"by": r.by, "text": r.text, "confirmed": r.confirmed}
                        for r in turn.reflections],
        "nothing_to_add": sorted(turn.nothing_to_add),
        "bulbs": [{"to": b.to, "by": b.by, "reason": b.reason} for b in bulbs],
        "starred_by_me": seat is not None and (turn.card.id, seat) in state.stars,
        "stars": sum(1 for c, _ in state.stars if c == turn.card.id),
        "activity": kind.view(state, seat if seat is not None else -1)
        if not kind.standard else None,
    }
    return out


def view_for(state: State, seat: int | None) -> dict[str, Any]:
    """Everything ``seat`` may know now (``None``: an onlooker who holds no seat)."""
    deck = state.deck
    nxt = state.next_tier
    check = state.ready_check
    closing = state.closing
    ended = state.phase is Phase.ENDED
    seated = len(state.active)
    earned = [0] * len(state.seats)
    for bulb in state.bulbs:
        earned[bulb.to] += 1
    view: dict[str, Any] = {
        "version": state.version,
        "epoch": state.epoch,
        "phase": state.phase.value,
        "you": seat,
        "deck": {"id": deck.id, "name": deck.name},
        "settings": {
            "everyone_answers": state.settings.everyone_answers_on,
            "text_mode": state.settings.text_mode,
            "excluded_tags": sorted(state.settings.excluded_tags),
        },
        "seats": [
            {"name": s.name, "left": s.left, "away": s.away, "bulbs": earned[i]}
            for i, s in enumerate(state.seats)
        ],
        "speaker": state.speaker,
        "drawer": state.drawer,
        "lit": state.lit,
        "tiers": [
            {"id": t.id, "name": t.name, "description": t.description,
             "open": i < state.open_tiers, "threshold": t.unlock_per_player * seated,
             "cards_left": len(state.piles[i])}
            for i, t in enumerate(deck.tiers)
        ],
        "open_tiers": state.open_tiers,
        "next_threshold": None if nxt is None else state.threshold(nxt),
        "deeper_reachable": state.deeper_reachable,
        "turns_done": state.turns_done,
        "card": _card(state),
        "turn": _turn(state, seat),
        "ready_check": None if check is None else {
            "tier": deck.tiers[check.tier].id,
            "votes": len(check.votes),
            "needed": len(state.active),
            "my_vote": None if seat is None else check.vote_of(seat),
        },
        "check_requested": state.check_requested,
        "paused": state.paused_by is not None,
        "i_paused": seat is not None and state.paused_by == seat,
        "last_light": None if state.last_light is None else {
            "agreed": len(state.last_light),
            "needed": len(state.active),
            "my_vote": next((a for s, a in state.last_light if s == seat), None),
        },
        "answered": [
            {"card": a.card, "text": deck.card(a.card).text, "seat": a.seat,
             "tier": deck.tiers[a.tier].id}
            for a in state.answered
        ],
        "closing": None if closing is None else {
            "closer": closing.closer,
            "order": list(closing.order),
            "appreciations": [
                {"by": n.by, "to": n.to, "text": "" if n.sealed else n.text,
                 "sealed": n.sealed}
                for n in closing.notes
            ],
        },
        "sealed_notes": [
            {"by": n.by, "text": n.text}
            for n in (closing.notes if closing and ended else ())
            if n.sealed and n.to == seat
        ],
        "recap": recap(state) if ended else None,
    }
    legal = legal_actions(state, seat) if seat is not None and 0 <= seat < len(state.seats) \
        else ()
    view["legal"] = sorted({a.type for a in legal})
    #: the bulbs this seat may light now, so no shell re-derives the limits
    view["legal_bulbs"] = [{"to": a.to, "reason": a.reason} for a in legal
                           if isinstance(a, LightBulb)]
    return view
