"""The registry of card kinds: a plain question and every wild kind.

Adding a wild kind: write its module here (a ``CardKind`` subclass) and add
one line to ``_KINDS`` below. Nothing else in the engine names a kind.
"""

from __future__ import annotations

from .base import CardKind
from .check_in import CheckIn
from .dig_deeper import DigDeeper
from .everyone_answers import EveryoneAnswers
from .good_news import GoodNews
from .gratitude import Gratitude
from .love_languages import LoveLanguages
from .plan_together import PlanTogether
from .reflect import ReflectKind
from .standard import Question

_KINDS: tuple[CardKind, ...] = (
    Question(),
    EveryoneAnswers(),
    ReflectKind(),
    Gratitude(),
    DigDeeper(),
    CheckIn(),
    PlanTogether(),
    LoveLanguages(),
    GoodNews(),
)

REGISTRY: dict[str, CardKind] = {kind.name: kind for kind in _KINDS}
#: The wild kinds, in the order DESIGN.md lists them.
WILD_KINDS: tuple[str, ...] = tuple(k.name for k in _KINDS if k.name != "question")


def kind_of(name: str) -> CardKind:
    return REGISTRY[name]


__all__ = ["REGISTRY", "WILD_KINDS", "CardKind", "kind_of"]
