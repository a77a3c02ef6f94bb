"""Which decks the client can offer, with a small built-in deck as a fallback.

The deck library (``game.decks``) is the real source; if it cannot be
imported or finds nothing, the client still works with ``SAMPLER`` (also the
deck the demo plays, because it holds one card of every wild kind).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.rules.deck import Card, Deck, Tier


@dataclass(frozen=True, slots=True)
class DeckChoice:
    id: str
    name: str
    description: str
    min_seats: int = 2
    max_seats: int = 8


def _q(cid: str, tier: str, text: str, *follow: str, tags: tuple[str, ...] = ()) -> Card:
    return Card(id=cid, tier=tier, text=text, follow_ups=follow, tags=frozenset(tags))


def _w(cid: str, tier: str, kind: str, text: str) -> Card:
    return Card(id=cid, tier=tier, text=text, kind=kind)


SAMPLER = Deck(
    id="sampler",
    name="Sampler",
    description="A short built-in deck with one card of every kind, for a first try.",
    tiers=(
        Tier("spark", "Spark", "Light and specific.", 0),
        Tier("glow", "Glow", "Where you come from and what matters.", 2),
        Tier("hearth", "Hearth", "Hopes, fears and needs. Go gently.", 4),
    ),
    cards=(
        _q("s-spark-1", "spark", "What small thing made you smile this week, that nobody else noticed?",
           "Where were you when it happened?", "Why do you think it stayed with you?",
           "Who would you have liked to share it with?"),
        _q("s-spark-2", "spark", "Which meal would you cook to make someone feel at home?",
           "Who taught you to make it?", "What does the kitchen smell like while it cooks?"),
        _q("s-spark-3", "spark", "What is a place you go back to in your mind when you need calm?",
           "What do you hear there?", "When did you last really go there?"),
        _q("s-spark-4", "spark", "What did you love doing as a child that you have not done in years?",
           "What would it take to do it again?", "Who did you do it with?"),
        _w("s-wild-everyone", "spark", "everyone_answers",
           "What is one habit of yours you are quietly proud of?"),
        _w("s-wild-goodnews", "spark", "good_news", "Share some good news from your week."),
        _w("s-wild-reflect", "spark", "reflect", "Reflect back the last answer you heard."),
        _w("s-wild-gratitude", "spark", "gratitude", "Tell someone here what you appreciate about them."),
        _q("s-glow-1", "glow", "What did your family argue about when you were growing up?",
           "How did those arguments usually end?", "What do you do differently now?",
           tags=("family",)),
        _q("s-glow-2", "glow", "What is something you changed your mind about in the last few years?",
           "What changed it?", "What did it cost you to change?"),
        _w("s-wild-dig", "glow", "dig_deeper", "Dig deeper into an earlier answer."),
        _w("s-wild-checkin", "glow", "check_in", "How does tonight feel so far?"),
        _w("s-wild-plan", "glow", "plan_together", "Plan one small thing to do together."),
        _w("s-wild-love", "glow", "love_languages", "Guess each other's love language."),
        _q("s-hearth-1", "hearth", "When did you last feel truly understood, and by whom?",
           "What did they do that made the difference?", "How could someone here do that for you?"),
        _q("s-hearth-2", "hearth", "What do you need more of, that you find hard to ask for?",
           "What makes it hard to ask?", "What would a first small step look like?"),
    ),
)


def deck_choices() -> list[DeckChoice]:
    """Every deck the player can pick: the library's, then the built-in sampler."""
    out: list[DeckChoice] = []
    try:
        from game.decks import list_decks

        for info in list_decks():
            out.append(DeckChoice(info.id, info.name, info.description,
                                  info.min_seats, info.max_seats))
    except Exception:  # the library is optional here: a broken deck must not stop the game
        out = []
    out.append(DeckChoice(SAMPLER.id, SAMPLER.name, SAMPLER.description))
    return out


def load(deck_id: str) -> Deck:
    """The deck with this id; raises LookupError with a sentence if it cannot be loaded."""
    if deck_id == SAMPLER.id:
        return SAMPLER
    try:
        from game.decks import get_deck
    except ImportError as exc:
        raise LookupError(f"The deck library is not available ({exc}).") from exc
    try:
        return get_deck(deck_id)
    except Exception as exc:
        raise LookupError(f"Deck '{deck_id}' could not be loaded: {exc}") from exc
