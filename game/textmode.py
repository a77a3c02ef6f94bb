"""`heartlight play --text`: a whole table game in a terminal, one keyboard.

The smallest shell around the rules: it prints what the table sees, lists
every move open to every seat right now, numbered, and applies the one you
pick. It proves the engine plays end to end and stays as a fallback where
no window can open. Nothing here decides a rule: the list comes from
``legal_actions`` and refusals from ``IllegalAction``.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import replace

from game.journal import Evening, Journal, JournalError
from game.rules import (
    ANYTIME,
    Action,
    Appreciate,
    AskFollowUp,
    ChooseAnswer,
    ChooseSeat,
    ConfirmGuess,
    ConfirmReflection,
    Draw,
    FinishAnswer,
    GameError,
    GuessLoveLanguage,
    LastLightVote,
    Leave,
    LightBulb,
    Phase,
    ReadyVote,
    Reflect,
    Resume,
    SavePlan,
    Settings,
    State,
    apply,
    legal_actions,
    new_game,
    recap,
)

Ask = Callable[[str], str]
Say = Callable[[str], None]

_SIMPLE = {
    "pass": "pass this card (it goes to the bottom; no one keeps count)",
    "veto": "veto this card (it goes back; the table is not told who)",
    "nothing_to_add": "say there is nothing to add",
    "close_responses": "close the responses and light bulbs",
    "end_turn": "end the turn",
    "skip_turn": "skip the away speaker's turn",
    "propose_deeper": "propose going deeper (a ready check)",
    "ease_back": "ease back one tier (private, at once)",
    "star": "star this card (keep it for the recap)",
    "pause": "pause: someone needs a moment",
    "leave": "leave the game",
    "propose_last_light": "propose last light (end the evening)",
    "finish_closing": "finish your closing turn",
    "share_feeling": "I've said how tonight feels",
}


def describe(state: State, action: Action) -> str:
    """A short line a player understands for one legal action."""
    names = [s.name for s in state.seats]
    if isinstance(action, Draw):
        tier = action.tier or state.deck.tiers[state.open_tiers - 1].id
        return f"draw a card from {state.deck.tiers[state.deck.tier_index(tier)].name}"
    if isinstance(action, FinishAnswer):
        return "I've answered" + (" (type it)" if state.settings.text_mode else "")
    if isinstance(action, AskFollowUp):
        if action.suggestion is not None and state.turn is not None:
            follow_ups = state.turn.card.follow_ups
            if state.turn.activity is not None and getattr(state.turn.activity, "picked", None) \
                    is not None:
                picked = state.answered[state.turn.activity.picked]
                follow_ups = state.deck.card(picked.card).follow_ups
            if action.suggestion < len(follow_ups):
                return f"ask: {follow_ups[action.suggestion]}"
        return "ask your own follow-up (type it)"
    if isinstance(action, Reflect):
        return "reflect back: \"What I heard is...\" (type it)"
    if isinstance(action, ConfirmReflection):
        return f"{names[action.by]}'s reflection: " + ("yes, that's it" if action.fits
                                                       else "not quite")
    if isinstance(action, LightBulb):
        return f"light a '{action.reason}' bulb for {names[action.to]}"
    if isinstance(action, ReadyVote):
        return "ready to go deeper" if action.ready else "not yet"
    if isinstance(action, LastLightVote):
        return "agree to last light" if action.agree else "not yet, keep playing"
    if isinstance(action, Resume):
        return "resume after the wait" if action.after_wait else "resume the table"
    if isinstance(action, Appreciate):
        kind = "a sealed note for" if action.sealed else "what you appreciated about"
        return f"tell {kind} {names[action.to]} (type it)"
    if isinstance(action, ChooseSeat):
        return f"choose {names[action.seat]}"
    if isinstance(action, ChooseAnswer):
        answer = state.answered[action.index]
        return f"dig into {names[answer.seat]}'s card: {state.deck.card(answer.card).text}"
    if isinstance(action, SavePlan):
        return "save the plan (type it)"
    if isinstance(action, GuessLoveLanguage):
        return f"guess how {names[action.target]} most feels loved (you name it next)"
    if isinstance(action, ConfirmGuess):
        return "that guess fits" if action.fits else "that guess doesn't fit"
    return _SIMPLE.get(action.type, action.type.replace("_", " "))


def _options(state: State) -> list[tuple[int, Action]]:
    """Every seat's moves, the moment's own first and safety moves after."""
    main: list[tuple[int, Action]] = []
    anytime: list[tuple[int, Action]] = []
    first = state.speaker if state.speaker is not None else state.active[0]
    order = sorted(state.active, key=lambda s: (s - first) % len(state.seats))
    for seat in order:
        legal = legal_actions(state, seat)
        for action in legal:
            if isinstance(action, GuessLoveLanguage):
                continue  # one line per target below; the language is asked after
            if isinstance(action, Draw) and action.tier is None:
                continue  # the same as drawing from the deepest tier, listed anyway
            if isinstance(action, Resume) and action.after_wait:
                continue  # at one table the one who paused resumes
            (anytime if type(action) in ANYTIME else main).append((seat, action))
        targets = sorted({a.target for a in legal if isinstance(a, GuessLoveLanguage)})
        main += [(seat, GuessLoveLanguage(target=t)) for t in targets]
    # letting a card go is always there, but listed after the moment's moves
    main.sort(key=lambda option: option[1].type in {"pass", "veto", "skip_turn"})
    return main + anytime


def show(state: State, say: Say) -> None:
    names = [s.name for s in state.seats]
    nxt = state.next_tier
    lamp = "●" * state.lit
    goal = f" (next tier at {state.threshold(nxt)})" if nxt is not None else ""
    say("")
    say(f"Lamp: {state.lit} lit{goal}  {lamp}")
    say("Open: " + ", ".join(t.name for t in state.deck.tiers[: state.open_tiers]))
    if state.paused_by is not None:
        say("The table is paused. Take the time you need.")
    turn = state.turn
    if turn is not None:
        card = turn.card
        say(f"{names[turn.speaker]} speaks. [{state.deck.tiers[turn.tier].name}] {card.text}")
        if card.is_wild:
            from game.rules.wild import kind_of

            say(f"  ({kind_of(card.kind).instructions})")
        if card.note:
            say(f"  {card.note}")
        if turn.answer_text:
            say(f"  Answer: {turn.answer_text}")
        for f in turn.follow_ups:
            say(f"  {names[f.by]} asked: {f.text}")
    elif state.phase is Phase.DRAW:
        say(f"{names[state.drawer]} draws next.")
    elif state.phase is Phase.READY_CHECK and state.ready_check is not None:
        tier = state.deck.tiers[state.ready_check.tier].name
        say(f"The lamp is bright enough to go deeper, into {tier}. Ready? "
            f"({len(state.ready_check.votes)} of {len(state.active)} have answered)")
    elif state.phase is Phase.CLOSING and state.closing is not None:
        closer = state.closing.closer
        if closer is not None:
            say(f"Closing: {names[closer]}, tell someone one thing you appreciated tonight.")


def play(state: State, ask: Ask, say: Say, *, started: float | None = None) -> State:
    """Run the table until the game ends or input runs out."""
    names = [s.name for s in state.seats]
    started = time.monotonic() if started is None else started
    while state.phase is not Phase.ENDED:
        show(state, say)
        options = _options(state)
        for number, (seat, action) in enumerate(options, 1):
            say(f"  {number:2}. {names[seat]}: {describe(state, action)}")
        try:
            raw = ask("Choose a number (q to stop): ").strip()
        except EOFError:
            say("\nInput ended; the game stops here.")
            return state
        if raw.lower() in {"q", "quit"}:
            return state
        if not raw.isdigit() or not 1 <= int(raw) <= len(options):
            say(f"Please type a number from 1 to {len(options)}.")
            continue
        seat, action = options[int(raw) - 1]
        try:
            action = _complete(state, action, ask)
            state, _ = apply(state, seat, action)
        except GameError as err:
            say(f"Not now: {err.message}")
        except EOFError:
            return state
    data = recap(state, duration_s=time.monotonic() - started)
    say("")
    say(f"The evening: {data['cards_shared']} cards shared, {data['lit']} bulbs lit, "
        f"{int(data['duration_s'] // 60)} minutes.")
    for name, bulbs in zip(names, data["bulbs_by_seat"], strict=True):
        say(f"  {name} made others feel heard {bulbs} time(s).")
    for plan in data["plans"]:
        say(f"  Plan: {plan}")
    for star in data["starred"]:
        say(f"  Starred: {star['text']}")
    return state


def _complete(state: State, action: Action, ask: Ask) -> Action:
    """Ask for the typed part of an action, if it has one."""
    if isinstance(action, Leave):
        sure = ask("Leave the game for good? (y/n) ").strip().lower()
        if sure not in {"y", "yes"}:
            raise GameError("leave/cancelled", "Staying. Good.")
        return action
    if isinstance(action, GuessLoveLanguage):
        from game.rules import LOVE_LANGUAGES

        language = ask(f"Which love language ({', '.join(LOVE_LANGUAGES)})? ").strip().lower()
        return replace(action, language=language)
    if isinstance(action, FinishAnswer) and not state.settings.text_mode:
        return action
    if isinstance(action, AskFollowUp) and action.suggestion is not None:
        return action
    if action.text_fields:
        text = ask("Type it (Enter when done): ")
        return replace(action, **{name: text for name in action.text_fields})
    return action


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--text", action="store_true",
                        help="play in this terminal instead of a window")
    parser.add_argument("--deck", help="deck id (see `heartlight decks list`)")
    parser.add_argument("--names", help="comma-separated player names, 2 to 8")
    parser.add_argument("--typed", action="store_true", help="type answers (text mode)")
    parser.add_argument("--seed", type=int, help="shuffle seed (default: random)")
    parser.add_argument("--fresh", action="store_true",
                        help="leave out cards this group answered on earlier evenings")
    parser.add_argument("--no-journal", action="store_true",
                        help="do not write tonight to the local journal")


def run(args: argparse.Namespace) -> int:
    if not args.text:
        from game.client.app import main as open_window

        return open_window()
    return text_game(args, input, print)


def text_game(args: argparse.Namespace, ask: Ask, say: Say) -> int:
    from game.decks import DeckError, get_deck, list_decks

    say("Heartlight: listening well lights the lamp.")
    decks = list_decks()
    deck_id = args.deck
    if deck_id is None:
        for number, info in enumerate(decks, 1):
            say(f"  {number}. {info.name}: {info.description}")
        raw = ask("Which deck? ").strip()
        deck_id = decks[int(raw) - 1].id if raw.isdigit() and 0 < int(raw) <= len(decks) \
            else raw
    try:
        deck = get_deck(deck_id)
    except (DeckError, KeyError, LookupError) as err:
        say(f"Cannot open deck {deck_id!r}: {err}")
        return 2
    raw_names = args.names or ask("Who is playing? Names separated by commas: ")
    names = tuple(n.strip() for n in raw_names.split(",") if n.strip())
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    journal = Journal()
    use_journal = not getattr(args, "no_journal", False)
    before = journal.answered_before(deck.id, names) if getattr(args, "fresh", False) \
        else frozenset()
    try:
        state = new_game(deck, Settings(names=names, text_mode=args.typed,
                                        excluded_cards=before), seed)
    except GameError as err:
        say(err.message)
        return 2
    started = time.monotonic()
    state = play(state, ask, say, started=started)
    if use_journal and state.phase is Phase.ENDED and state.answered:
        data = recap(state, duration_s=time.monotonic() - started)
        try:
            journal.record(Evening.from_recap(data, deck=deck.id))
        except JournalError as err:
            say(str(err))
    return 0


if __name__ == "__main__":
    sys.exit(text_game(argparse.Namespace(deck=None, names=None, typed=False, seed=None),
                       input, print))
