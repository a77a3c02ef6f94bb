"""The pure rules engine of Heartlight: no I/O, no clock, no display.

    >>> from game.rules import new_game, apply, view_for, Settings, Draw
    >>> state = new_game(deck, Settings(names=("Ana", "Ben")), seed=7)  # doctest: +SKIP
    >>> state, events = apply(state, 0, Draw())                         # doctest: +SKIP

See ``engine`` for the theory of operation and the phase table.
"""

from .actions import (
    ALL_ACTIONS,
    BULB_REASONS,
    BY_TYPE,
    LOVE_LANGUAGES,
    SYSTEM_ACTIONS,
    TEXT_LIMITS,
    Action,
    Appreciate,
    AskFollowUp,
    ChooseAnswer,
    ChooseSeat,
    CloseResponses,
    ConfirmGuess,
    ConfirmReflection,
    Draw,
    EaseBack,
    EndTurn,
    FinishAnswer,
    FinishClosing,
    GuessLoveLanguage,
    LastLightVote,
    Leave,
    LightBulb,
    NothingToAdd,
    Pass,
    Pause,
    ProposeDeeper,
    ProposeLastLight,
    ReadyVote,
    Reflect,
    Resume,
    SavePlan,
    SetAway,
    ShareFeeling,
    SkipTurn,
    Star,
    Veto,
    from_dict,
    to_dict,
    with_text_restored,
    without_text,
)
from .deck import KNOWN_TAGS, QUESTION, Card, Deck, Tier
from .engine import (
    ALLOWED,
    ANYTIME,
    MAX_FOLLOW_UPS,
    apply,
    clean_name,
    is_stale,
    legal_actions,
    new_game,
    replay,
)
from .errors import GameError, IllegalAction, MalformedAction, SetupError
from .events import Event
from .state import Phase, Settings, State
from .view import recap, view_for
from .wild import REGISTRY, WILD_KINDS

__all__ = [name for name in dir() if not name.startswith("_")]
