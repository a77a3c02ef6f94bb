"""Every action a seat can take, as frozen dataclasses.

An action says *what* a seat wants; ``engine.apply`` decides whether the
rules allow it. Actions travel as plain dicts (``{"type": "draw", "tier":
"spark"}``) through the protocol and the event store; ``to_dict`` and
``from_dict`` are the only two conversions, and ``from_dict`` checks every
field's type so the engine never sees a malformed value.

Text fields (answers, follow-ups, notes) are opaque to the rules apart from
their length limits; the server stores their length, never their words.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from .errors import MalformedAction

#: Length limits for typed text, in characters.
TEXT_LIMITS = {
    "answer": 2000,
    "follow_up": 300,
    "reflection": 600,
    "note": 1000,
    "plan": 200,
}

#: The love languages a seat can guess in the ``love_languages`` activity.
LOVE_LANGUAGES = ("words", "time", "gifts", "service", "touch")

#: Bulb reasons: who may light them is decided by the phase or activity.
BULB_REASONS = ("heard", "follow_up", "reflection", "seen")


@dataclass(frozen=True, slots=True)
class Action:
    type: ClassVar[str] = ""
    #: text fields and the limit name that applies to them
    text_fields: ClassVar[dict[str, str]] = {}


# -- a turn -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Draw(Action):
    """The speaker draws the top card of an open tier (default: the deepest)."""
    type: ClassVar[str] = "draw"
    tier: str | None = None


@dataclass(frozen=True, slots=True)
class Pass(Action):
    """The answerer lets this card go: it returns to the bottom of its pile."""
    type: ClassVar[str] = "pass"


@dataclass(frozen=True, slots=True)
class Veto(Action):
    """A listener privately sends the drawn card back before it is answered."""
    type: ClassVar[str] = "veto"


@dataclass(frozen=True, slots=True)
class FinishAnswer(Action):
    """The answerer is done answering (``text`` only in text mode)."""
    type: ClassVar[str] = "finish_answer"
    text_fields: ClassVar[dict[str, str]] = {"text": "answer"}
    text: str = ""


@dataclass(frozen=True, slots=True)
class AskFollowUp(Action):
    """A listener asks a follow-up: a suggested one by index, their own text,
    or ``aloud`` (spoken at the table, nothing typed)."""
    type: ClassVar[str] = "ask_follow_up"
    text_fields: ClassVar[dict[str, str]] = {"text": "follow_up"}
    suggestion: int | None = None
    text: str = ""
    aloud: bool = False


@dataclass(frozen=True, slots=True)
class Reflect(Action):
    """A listener reflects back what they heard ("What I heard is ...")."""
    type: ClassVar[str] = "reflect"
    text_fields: ClassVar[dict[str, str]] = {"text": "reflection"}
    text: str = ""


@dataclass(frozen=True, slots=True)
class ConfirmReflection(Action):
    """The answerer says whether a reflection fits ("yes, that's it")."""
    type: ClassVar[str] = "confirm_reflection"
    by: int = 0
    fits: bool = True


@dataclass(frozen=True, slots=True)
class NothingToAdd(Action):
    """A listener has no follow-up; when every listener says so, responses close."""
    type: ClassVar[str] = "nothing_to_add"


@dataclass(frozen=True, slots=True)
class CloseResponses(Action):
    """The answerer closes the respond phase and moves to acknowledging."""
    type: ClassVar[str] = "close_responses"


@dataclass(frozen=True, slots=True)
class LightBulb(Action):
    """Light a bulb for another seat, with one of the reasons in BULB_REASONS."""
    type: ClassVar[str] = "light_bulb"
    to: int = 0
    reason: str = "heard"


@dataclass(frozen=True, slots=True)
class EndTurn(Action):
    """The answerer is done acknowledging (or the activity is over)."""
    type: ClassVar[str] = "end_turn"


@dataclass(frozen=True, slots=True)
class SkipTurn(Action):
    """A listener skips the turn of a speaker who is away."""
    type: ClassVar[str] = "skip_turn"


# -- the lamp and the tiers -------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReadyVote(Action):
    """A private answer to a ready check: ready, or not yet."""
    type: ClassVar[str] = "ready_vote"
    ready: bool = True


@dataclass(frozen=True, slots=True)
class ProposeDeeper(Action):
    """Ask for a ready check now instead of waiting for a full round."""
    type: ClassVar[str] = "propose_deeper"


@dataclass(frozen=True, slots=True)
class EaseBack(Action):
    """Privately step back one tier, at once, no reason asked."""
    type: ClassVar[str] = "ease_back"


@dataclass(frozen=True, slots=True)
class Star(Action):
    """Keep the card on the table for the recap and the journal."""
    type: ClassVar[str] = "star"


# -- safety -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Pause(Action):
    """Someone needs a moment: the table waits."""
    type: ClassVar[str] = "pause"


@dataclass(frozen=True, slots=True)
class Resume(Action):
    """End a pause. Only the seat that paused, unless ``after_wait`` (online:
    the server allows it to anyone once the pause has lasted long enough)."""
    type: ClassVar[str] = "resume"
    after_wait: bool = False


@dataclass(frozen=True, slots=True)
class Leave(Action):
    """The seat leaves; the game goes on while at least two seats remain."""
    type: ClassVar[str] = "leave"


# -- activities (wild cards) ------------------------------------------------

@dataclass(frozen=True, slots=True)
class ChooseSeat(Action):
    """Pick the seat an activity is about (gratitude)."""
    type: ClassVar[str] = "choose_seat"
    seat: int = 0


@dataclass(frozen=True, slots=True)
class ChooseAnswer(Action):
    """Pick an earlier answer of this session (dig deeper), by its index in
    the view's ``answered`` list."""
    type: ClassVar[str] = "choose_answer"
    index: int = 0


@dataclass(frozen=True, slots=True)
class ShareFeeling(Action):
    """A seat has said how the conversation feels (check in)."""
    type: ClassVar[str] = "share_feeling"


@dataclass(frozen=True, slots=True)
class SavePlan(Action):
    """Save the plan the table made to the recap (plan together)."""
    type: ClassVar[str] = "save_plan"
    text_fields: ClassVar[dict[str, str]] = {"text": "plan"}
    text: str = ""


@dataclass(frozen=True, slots=True)
class GuessLoveLanguage(Action):
    """Guess another seat's love language (one of LOVE_LANGUAGES)."""
    type: ClassVar[str] = "guess_love_language"
    target: int = 0
    language: str = "words"


@dataclass(frozen=True, slots=True)
class ConfirmGuess(Action):
    """The guessed seat says whether the guess fits."""
    type: ClassVar[str] = "confirm_guess"
    fits: bool = True


# -- ending -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProposeLastLight(Action):
    """Propose ending the evening; the closing starts when everyone agrees."""
    type: ClassVar[str] = "propose_last_light"


@dataclass(frozen=True, slots=True)
class LastLightVote(Action):
    """Agree (or not) to the proposed last light."""
    type: ClassVar[str] = "last_light_vote"
    agree: bool = True


@dataclass(frozen=True, slots=True)
class Appreciate(Action):
    """Closing: tell another seat one thing you appreciated tonight; ``sealed``
    keeps the words hidden until the session ends."""
    type: ClassVar[str] = "appreciate"
    text_fields: ClassVar[dict[str, str]] = {"text": "note"}
    to: int = 0
    text: str = ""
    sealed: bool = False


@dataclass(frozen=True, slots=True)
class FinishClosing(Action):
    """This seat's closing turn is over."""
    type: ClassVar[str] = "finish_closing"


# -- the shell's own (never sent by players) ---------------------------------

@dataclass(frozen=True, slots=True)
class SetAway(Action):
    """The server marks a seat away (disconnected) or back. Players cannot send it."""
    type: ClassVar[str] = "set_away"
    away: bool = True


ALL_ACTIONS: tuple[type[Action], ...] = (
    Draw, Pass, Veto, FinishAnswer, AskFollowUp, Reflect, ConfirmReflection, NothingToAdd,
    CloseResponses, LightBulb, EndTurn, SkipTurn, ReadyVote, ProposeDeeper, EaseBack, Star,
    Pause, Resume, Leave, ChooseSeat, ChooseAnswer, ShareFeeling, SavePlan, GuessLoveLanguage,
    ConfirmGuess, ProposeLastLight, LastLightVote, Appreciate, FinishClosing, SetAway,
)
BY_TYPE: dict[str, type[Action]] = {cls.type: cls for cls in ALL_ACTIONS}
#: Actions only the shell (server) may apply.
SYSTEM_ACTIONS = frozenset({SetAway})

_SCALARS = {"str": str, "int": int, "bool": bool}


def _field_types(cls: type[Action]) -> dict[str, tuple[type, bool]]:
    """(python type, None allowed) for every field of an action class."""
    hints = typing.get_type_hints(cls)
    spec: dict[str, tuple[type, bool]] = {}
    for f in fields(cls):
        hint = hints[f.name]
        args = typing.get_args(hint)
        if args:
            base = next(a for a in args if a is not type(None))
            spec[f.name] = (base, True)
        else:
            spec[f.name] = (hint, False)
    return spec


_SPECS = {cls: _field_types(cls) for cls in ALL_ACTIONS}


def field_spec(cls: type[Action]) -> dict[str, tuple[type, bool]]:
    """The fields of an action class: name -> (type, None allowed)."""
    return _SPECS[cls]


def to_dict(action: Action) -> dict[str, Any]:
    """The action as a plain dict with a ``type`` key."""
    out: dict[str, Any] = {"type": action.type}
    for name in _SPECS[type(action)]:
        out[name] = getattr(action, name)
    return out


def from_dict(data: Any) -> Action:
    """Build an action from a plain dict, checking every field.

    Raises MalformedAction naming the field and what was expected.
    """
    if not isinstance(data, dict):
        raise MalformedAction("action/not_a_map", "An action must be a map with a 'type'.")
    kind = data.get("type")
    cls = BY_TYPE.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise MalformedAction("action/unknown_type", f"There is no action called {kind!r}.")
    spec = _SPECS[cls]
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in spec:
            raise MalformedAction(
                "action/unknown_field", f"The action '{kind}' has no field {key!r}."
            )
        typ, nullable = spec[key]
        if value is None and nullable:
            values[key] = None
            continue
        # bool is a subclass of int: refuse True where a number is expected
        if type(value) is not typ:
            raise MalformedAction(
                "action/bad_field",
                f"The field '{key}' of '{kind}' must be {typ.__name__}"
                f"{' or nil' if nullable else ''}, not {type(value).__name__}.",
            )
        values[key] = value
    return cls(**values)


def text_length(action: Action) -> int:
    """Total characters of typed text in the action (what the store keeps)."""
    return sum(len(getattr(action, name)) for name in action.text_fields)


def without_text(action: Action) -> dict[str, Any]:
    """The action as a dict with every typed text replaced by its length.

    This is what may be stored or logged: the words stay with the players.
    """
    out = to_dict(action)
    for name in action.text_fields:
        out[name] = len(out[name])
    return out


def with_text_restored(data: dict[str, Any]) -> Action:
    """Rebuild an action stored by ``without_text``.

    A non-empty text becomes a one-character placeholder: no rule depends on
    the words, only on whether there were any, so replay decides the same.
    """
    cls = BY_TYPE.get(data.get("type", ""))
    if cls is not None:
        data = dict(data)
        for name in cls.text_fields:
            value = data.get(name, 0)
            if isinstance(value, int) and not isinstance(value, bool):
                data[name] = "\u2026" * min(value, 1) if value else ""
    return from_dict(data)
