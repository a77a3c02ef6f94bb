"""The speaker shares something good from their week; the listeners respond
with real enthusiasm and questions. Responding well to good news predicts
how a relationship feels at least as much as support in bad times."""

from __future__ import annotations

from .base import CardKind


class GoodNews(CardKind):
    name = "good_news"
    instructions = (
        "Share something good from your week. Listeners: be glad out loud and "
        "ask about it; bulbs as usual."
    )
